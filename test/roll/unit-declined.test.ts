// Declining the confirmation: the baked generation is recorded `declined` (not failed), nothing is applied, and prune deletes its image.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { markDeclined, markPromoted, pruneCandidates, recordBaked, validateHistory, type History } from "../../server/src/roll/history.ts";
import { prune, roll } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { configFrom, recorded, RecordingHost, standInGeneration } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const baked = (image: string) => ({
  name: "web",
  image,
  artifact_id: image,
  builder: "packer.file",
  created_at: "2026-01-01T00:00:00.000Z",
  git_commit: "",
});

test("markDeclined: only a pending generation can be declined; a declined one is never promoted, is prunable and valid in history", () => {
  let h: History = { generations: [] };
  h = recordBaked(h, baked("/x/1.img")).history;
  h = recordBaked(h, baked("/x/2.img")).history;
  h = markDeclined(h, "web", 1, "not promoted: the confirmation was declined");
  assert.equal(h.generations[0].status, "declined");
  assert.deepEqual(validateHistory(h), []);
  assert.throws(() => markDeclined(h, "web", 1, "again"), /#1 is declined; only a pending generation can be declined/);
  assert.throws(() => markPromoted(h, "web", 1), /#1 is declined and cannot be promoted/);
  // Generation 2 is still pending (never a prune candidate); the declined one beyond keep is.
  assert.deepEqual(
    pruneCandidates(h, "web", 0).map((g) => g.number),
    [1],
  );
});

test("roll: a declined confirmation records the baked generation as declined, applies nothing, reports it as declined, and prune deletes its image", async () => {
  const made = standInGeneration("declined");
  dirs.push(made.dir);
  const generation = await configFrom(made.dir, fs.readFileSync(path.join(made.dir, ".immutably.hcl"), "utf8"), "web");
  const tools = resolveToolPaths({ packer: made.packer, terraform: made.terraform }, {});
  const applies = () => recorded(made.log).filter((c) => c.argv[0] === "apply").length;
  assert.equal((await roll({ generation, host: new RecordingHost(), tools, env: {} })).exitCode, 0);

  const no = new RecordingHost();
  no.answer = false;
  const outcome = await roll({ generation, host: no, tools, env: {} });
  assert.equal(outcome.declined, true);
  assert.equal(outcome.exitCode, 1, "the CLI exits 1 when the prompt is declined, as terraform apply does");
  assert.deepEqual(outcome.summary.slice(0, 2), [
    "roll of web was not confirmed; nothing was applied",
    "#2 is marked declined (its image stays until pruned)",
  ]);
  assert.equal(applies(), 1, "nothing was applied after the declined confirmation");
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:live", "2:declined"],
  );
  assert.equal(outcome.generations[1].note, "not promoted: the confirmation was declined");

  assert.equal((await roll({ generation, host: new RecordingHost(), tools, env: {} })).exitCode, 0);
  const pruned = await prune({ generation, host: new RecordingHost(), tools, env: {}, keep: 1 });
  assert.equal(pruned.exitCode, 0, pruned.summary.join("\n"));
  assert.deepEqual(
    pruned.generations.map((g) => `${g.number}:${g.status}`),
    ["1:pruned", "2:pruned", "3:live"],
  );
});

test("prune: declining its confirmation deletes nothing and is reported as declined", async () => {
  const made = standInGeneration("declined-prune");
  dirs.push(made.dir);
  const generation = await configFrom(made.dir, fs.readFileSync(path.join(made.dir, ".immutably.hcl"), "utf8"), "web");
  const tools = resolveToolPaths({ packer: made.packer, terraform: made.terraform }, {});
  for (let i = 0; i < 2; i++) assert.equal((await roll({ generation, host: new RecordingHost(), tools, env: {} })).exitCode, 0);
  const no = new RecordingHost();
  no.answer = false;
  const outcome = await prune({ generation, host: no, tools, env: {}, keep: 1 });
  assert.equal(outcome.declined, true);
  assert.equal(outcome.summary[0], "prune was not confirmed; nothing was deleted");
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:live"],
  );
});
