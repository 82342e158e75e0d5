// The editor's live-generation lens and hover, as data: which entries select a generation's image, and what is said there.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { GenerationRecord } from "../../server/src/roll/history.ts";
import { age, historyMarkdown, imageEntries, liveSummary } from "../../server/src/roll/live-generation.ts";
import { configFrom, EXAMPLE, tempDir } from "./helpers.ts";

const CONFIG = fs.readFileSync(path.join(EXAMPLE, ".immutably.hcl"), "utf8");

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function demo() {
  const dir = tempDir("lens");
  dirs.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return { dir, generation: await configFrom(dir, CONFIG, "demo") };
}

function record(number: number, status: GenerationRecord["status"], extra: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    number,
    name: "demo",
    image: `/x/images/out/${number}.img`,
    artifact_id: `${number}.img`,
    builder: "file",
    created_at: "2026-01-01T00:00:00Z",
    git_commit: "",
    status,
    ...extra,
  };
}

describe("live generation lens", () => {
  it("finds the image variable's declaration and its values in the generation's Terraform folder only", async () => {
    const { dir, generation } = await demo();
    const main = path.join(dir, "infra/main.tf");
    const [declared] = imageEntries([generation], main, fs.readFileSync(main, "utf8"));
    assert.deepEqual(
      [declared.kind, declared.range.start.line, declared.range.start.character, declared.range.end.character],
      ["variable", 2, 0, 16],
    );
    const tfvars = path.join(dir, "infra/immutably.auto.tfvars.json");
    assert.deepEqual(
      imageEntries([generation], tfvars, '{\n  "other": 1,\n  "image": "/x/1.img"\n}\n').map((e) => [
        e.kind,
        e.range.start.line,
        e.range.start.character,
      ]),
      [["value", 2, 2]],
    );
    assert.equal(imageEntries([generation], path.join(dir, "infra/terraform.tfvars"), 'image = "a"\n').length, 1);
    // The same variable in another folder, another variable, or a file that is not Terraform's: nothing.
    assert.deepEqual(imageEntries([generation], path.join(dir, "other/main.tf"), 'variable "image" {}\n'), []);
    assert.deepEqual(imageEntries([generation], main, 'variable "ami" {}\n'), []);
    assert.deepEqual(imageEntries([generation], path.join(dir, "infra/notes.md"), 'variable "image" {}\n'), []);
  });

  it("the title names the live generation, its image and age, and how many images are kept", async () => {
    const { generation } = await demo();
    const now = new Date("2026-01-01T03:30:00Z");
    assert.equal(liveSummary(generation, [], now), "demo: no live generation yet · 0 kept (keep = 2)");
    const records = [record(1, "pruned"), record(2, "previous"), record(3, "live", { verified_at: "2026-01-01T01:00:00Z" })];
    assert.equal(liveSummary(generation, records, now), "demo: live #3 · 3.img · 2 hours ago · 2 kept (keep = 2)");
    assert.equal(
      liveSummary(generation, [record(1, "promoted")], now),
      "demo: deployed, not verified #1 · 1.img · 3 hours ago · 1 kept (keep = 2)",
    );
  });

  it("the hover lists every generation newest first", async () => {
    const { generation } = await demo();
    const text = historyMarkdown(
      generation,
      [record(1, "previous"), record(2, "failed", { note: "failed at plan: a|b" })],
      new Date("2026-01-03T00:00:00Z"),
    );
    const rows = text.split("\n").filter((l) => /^\| \d/.test(l));
    assert.deepEqual(rows, [
      "| 2 | failed | `/x/images/out/2.img` | 2 days ago | failed at plan: a\\|b |",
      "| 1 | previous | `/x/images/out/1.img` | 2 days ago |  |",
    ]);
  });

  it("ages read as people say them", () => {
    const now = new Date("2026-01-02T00:00:00Z");
    assert.deepEqual(
      [
        "2026-01-02T00:00:00Z",
        "2026-01-01T23:59:00Z",
        "2026-01-01T22:00:00Z",
        "2026-01-01T00:00:00Z",
        "2026-01-03T00:00:00Z",
        "not a date",
      ].map((t) => age(t, now)),
      ["just now", "1 minute ago", "2 hours ago", "1 day ago", "just now", "just now"],
    );
  });
});
