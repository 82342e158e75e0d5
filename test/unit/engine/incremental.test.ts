// Incremental re-parsing (editors) must give exactly the model a fresh parse gives, for any edit.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { diffTexts } from "../../../server/src/engine/hcl/reuse.ts";
import { seededEdits } from "../../helpers/edits.ts";
import { initParsers, parseHcl, parseHclIncremental, type HclParseState } from "../../../server/src/engine/parse.ts";
import { snapshotFile as snapshot } from "../../helpers/model-snapshot.ts";

const root = path.resolve(__dirname, "../../..");

const INSERTS = [
  "\n",
  "\r",
  "\r\n",
  " ",
  "x",
  "é",
  "😀",
  '"',
  "{",
  "}",
  "[",
  "]",
  "=",
  "#",
  'a = "b"\n',
  'resource "a" "b" {\n  c = 1\n}\n',
  "${var.x}",
  "<<EOT\nhi\nEOT\n",
  "# immutably-ignore: x\n",
];
const { random: rnd, mutate } = seededEdits(12345, INSERTS);

describe("incremental parsing", () => {
  const base =
    fs.readFileSync(path.join(root, "test/fixtures/hcl/literals.tf"), "utf8") +
    fs.readFileSync(path.join(root, "examples/aws-asg/main.tf"), "utf8") +
    'locals {\n  ünï = "wéb ✓ 😀"\n}\n';

  it("equals a fresh parse after each of 300 random edits, with and without values read before the edit", async () => {
    await initParsers();
    let text = base;
    let state: HclParseState = parseHclIncremental("main.tf", text);
    let compared = 0;
    try {
      for (let i = 0; i < 300; i++) {
        // Reading the previous values half of the time exercises moving converted values too.
        if (i % 2 === 0) snapshot(state.file);
        text = mutate(text);
        const next = parseHclIncremental("main.tf", text, state);
        state.live.release();
        state = next;
        // Against a fresh parse that also reads values from its tree: in a text with syntax errors,
        // error recovery may read a value differently within the file than alone.
        const fresh = parseHclIncremental("main.tf", text);
        try {
          assert.deepEqual(snapshot(state.file), snapshot(fresh.file), `edit ${i} diverged`);
        } finally {
          fresh.live.release();
        }
        compared++;
      }
    } finally {
      state.live.release();
    }
    assert.equal(compared, 300);
  });

  it("reuses blocks outside the edit and keeps the previous version intact", async () => {
    await initParsers();
    const first = parseHclIncremental("main.tf", base);
    const before = JSON.stringify(snapshot(first.file));
    const edited = base.replace('instance_type = "t3.small"', 'instance_type = "t3.large"');
    const second = parseHclIncremental("main.tf", edited, first);
    assert.equal(JSON.stringify(snapshot(first.file)), before, "the previous version changed");
    assert.deepEqual(snapshot(second.file), snapshot(parseHcl("main.tf", edited)));
    first.live.release();
    second.live.release();
  });
});

describe("values converted from the live tree", () => {
  /** Every HCL file the repository holds: fixtures, examples, rule docs are covered by their own tests. */
  function hclFiles(dir: string, out: string[] = []): string[] {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) hclFiles(p, out);
      else if (/\.(tf|tfvars|hcl)$/.test(e.name)) out.push(p);
    }
    return out;
  }

  it("equal the values converted by parsing each value's text alone, for the fixtures, the examples and a generated corpus", async () => {
    await initParsers();
    const corpus = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-values-"));
    execFileSync(process.execPath, [path.join(root, "bench/gen-corpus.mjs"), corpus, "0.3", "7"], { stdio: "ignore" });
    const files = [...hclFiles(path.join(root, "test/fixtures")), ...hclFiles(path.join(root, "examples")), ...hclFiles(corpus)];
    assert.ok(files.length > 100, `only ${files.length} files found`);
    let compared = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      const live = parseHclIncremental(file, text);
      // Only valid files: there HCL expressions are context-free, so both ways must agree exactly.
      if (live.file.syntaxErrors.length > 0) {
        live.live.release();
        continue;
      }
      compared++;
      try {
        // parseHcl deletes its tree at once, so its values come from re-parsing their text.
        assert.deepEqual(snapshot(live.file), snapshot(parseHcl(file, text)), file);
      } finally {
        live.live.release();
      }
    }
    fs.rmSync(corpus, { recursive: true, force: true });
    assert.ok(compared > 100, `only ${compared} valid files compared`);
  });
});

describe("diffTexts", () => {
  /** The obvious character-by-character version, as the reference. */
  function naive(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
    const max = Math.min(a.length, b.length);
    let start = 0;
    while (start < max && a[start] === b[start]) start++;
    let suffix = 0;
    while (suffix < max - start && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
    return { start, oldEnd: a.length - suffix, newEnd: b.length - suffix };
  }

  it("finds the same change as a character-by-character comparison, across chunk boundaries", () => {
    const base = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 7))).join("");
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(rnd() * base.length);
      const cut = Math.floor(rnd() * 3000);
      const insert = ["", "x", "abcabc", "\n", "a".repeat(1500)][Math.floor(rnd() * 5)];
      const edited = base.slice(0, at) + insert + base.slice(Math.min(base.length, at + cut));
      assert.deepEqual(diffTexts(base, edited), naive(base, edited), `edit ${i}`);
      assert.deepEqual(diffTexts(edited, base), naive(edited, base), `edit ${i} reversed`);
      compared++;
    }
    assert.deepEqual(diffTexts(base, base), naive(base, base));
    assert.deepEqual(diffTexts("", base), naive("", base));
    assert.equal(compared, 400);
  });
});
