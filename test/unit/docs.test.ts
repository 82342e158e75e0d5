// Doc examples are tests: each bad example yields this rule's findings only, each good example none.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig } from "../../server/src/engine/index.ts";
import { allRules } from "../../server/src/rules/index.ts";

const ROOT = "/virtual/docs";

/** Findings the engine reports while other rules run (a refused read): their examples are linted with every rule on. */
const REPORTED_FOR_OTHER_RULES = new Set(["file-read-refused"]);

async function lintExample(ruleId: string, filename: string, code: string) {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === ruleId || id === "hcl-syntax" || REPORTED_FOR_OTHER_RULES.has(ruleId);
  const input = { path: path.join(ROOT, filename), text: code };
  // The example's folder is its repository: a path out of it is refused as on a real disk; no other file exists.
  return linter.lint([input], config, { readFile: () => undefined, readRoot: () => ROOT }, { skipExactSyntax: true });
}

describe("rule docs examples", () => {
  for (const rule of allRules) {
    const { id } = rule.meta;
    it(`${id}: has at least one bad and one good example`, () => {
      assert.ok(rule.meta.docs.bad.length > 0, "no bad example");
      assert.ok(rule.meta.docs.good.length > 0, "no good example");
      for (const field of ["summary", "why", "reportedAt", "fixSafety"] as const) assert.ok(rule.meta.docs[field].trim().length > 20, `docs.${field} is empty or too short`);
    });
    rule.meta.docs.bad.forEach((ex, i) => {
      it(`${id}: bad example #${i + 1} yields this rule's finding`, async () => {
        const result = await lintExample(id, ex.filename, ex.code);
        assert.deepEqual(result.ruleFailures, []);
        assert.ok(result.findings.length > 0, "the bad example yields no finding");
        assert.deepEqual([...new Set(result.findings.map((f) => f.ruleId))], [id]);
      });
    });
    rule.meta.docs.good.forEach((ex, i) => {
      it(`${id}: good example #${i + 1} yields nothing and parses`, async () => {
        const result = await lintExample(id, ex.filename, ex.code);
        assert.deepEqual(result.ruleFailures, []);
        assert.deepEqual(result.findings.map((f) => `${f.ruleId}: ${f.message}`), []);
      });
    });
  }
});
