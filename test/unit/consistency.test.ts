// Every rule has a source file, a test file, a docs page and exactly one registry entry; ids are kebab-case.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { allRules } from "../../server/src/rules/index.ts";

const root = path.resolve(__dirname, "../..");
const NOT_RULES = new Set(["index.ts", "docs.ts"]);
const ruleFiles = fs
  .readdirSync(path.join(root, "server/src/rules"))
  .filter((f) => f.endsWith(".ts") && !NOT_RULES.has(f) && !f.startsWith("_"));

describe("rule consistency", () => {
  it("ids are unique, kebab-case and sorted", () => {
    const ids = allRules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    assert.deepEqual(ids, [...ids].sort());
  });
  it("every rule file is registered and every registered rule has a file", () => {
    assert.deepEqual(ruleFiles.map((f) => f.replace(/\.ts$/, "")).sort(), allRules.map((r) => r.meta.id).sort());
  });
  for (const rule of allRules) {
    const id = rule.meta.id;
    it(`${id}: has tests, docs and coherent metadata`, () => {
      // hcl-syntax is produced by the engine; its tests live with the engine's parser tests.
      const testFile = id === "hcl-syntax" ? "test/unit/engine/syntax.test.ts" : `test/unit/rules/${id}.test.ts`;
      assert.ok(fs.existsSync(path.join(root, testFile)), `missing ${testFile}`);
      assert.ok(fs.existsSync(path.join(root, `docs/rules/${id}.md`)), `missing docs/rules/${id}.md (run npm run gen)`);
      assert.ok(["error", "warning", "info"].includes(rule.meta.severity));
      assert.ok(rule.meta.appliesTo.length > 0);
      for (const [name, spec] of Object.entries(rule.meta.options)) {
        assert.ok(spec.description.length > 0, `option ${name} has no description`);
        const t = Array.isArray(spec.default) ? "string[]" : typeof spec.default;
        assert.equal(t, spec.type, `option ${name}: default does not match its type`);
      }
    });
  }
});
