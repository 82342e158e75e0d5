// Doc examples are tests: each bad example yields this rule's findings only, each good example none.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type DocExample } from "../../server/src/engine/index.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { virtualHost } from "../helpers/rule-tester.ts";

const ROOT = "/virtual/docs";

/** Findings the engine reports while other rules run (a refused read): their examples are linted with every rule on. */
const REPORTED_FOR_OTHER_RULES = new Set(["file-read-refused"]);

/** Lints an example's file, with the files it reads (a called module's) on a virtual disk. */
async function lintExample(ruleId: string, example: DocExample) {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules))
    config.rules[id].enabled = id === ruleId || id === "hcl-syntax" || REPORTED_FOR_OTHER_RULES.has(ruleId);
  const input = { path: path.join(ROOT, example.filename), text: example.code };
  const disk = [input, ...Object.entries(example.files ?? {}).map(([name, text]) => ({ path: path.join(ROOT, name), text }))];
  // The example's folder is its repository: a path out of it is refused as on a real disk.
  const result = await linter.lint([input], config, virtualHost(disk, ROOT), { skipExactSyntax: true });
  // The example's own file is the one its findings are about (a module call's argument, for the module examples).
  assert.deepEqual(
    [...new Set(result.findings.map((f) => f.path))].filter((p) => p !== input.path),
    [],
  );
  return result;
}

describe("rule docs examples", () => {
  for (const rule of allRules) {
    const { id } = rule.meta;
    it(`${id}: has at least one bad and one good example`, () => {
      assert.ok(rule.meta.docs.bad.length > 0, "no bad example");
      assert.ok(rule.meta.docs.good.length > 0, "no good example");
      for (const field of ["summary", "why", "reportedAt", "fixSafety"] as const)
        assert.ok(rule.meta.docs[field].trim().length > 20, `docs.${field} is empty or too short`);
    });
    const sections: Array<[string, { bad: DocExample[]; good: DocExample[] }]> = [["", rule.meta.docs]];
    if (rule.meta.docs.throughModules) sections.push(["through modules: ", rule.meta.docs.throughModules]);
    for (const [section, docs] of sections) {
      docs.bad.forEach((ex, i) => {
        it(`${id}: ${section}bad example #${i + 1} yields this rule's finding`, async () => {
          const result = await lintExample(id, ex);
          assert.deepEqual(result.ruleFailures, []);
          assert.ok(result.findings.length > 0, "the bad example yields no finding");
          assert.deepEqual([...new Set(result.findings.map((f) => f.ruleId))], [id]);
        });
      });
      docs.good.forEach((ex, i) => {
        it(`${id}: ${section}good example #${i + 1} yields nothing and parses`, async () => {
          const result = await lintExample(id, ex);
          assert.deepEqual(result.ruleFailures, []);
          assert.deepEqual(
            result.findings.map((f) => `${f.ruleId}: ${f.message}`),
            [],
          );
        });
      });
    }
    if (rule.meta.docs.throughModules) {
      it(`${id}: through modules: has a bad and a good example, and says which arguments it judges by name, if any`, () => {
        const docs = rule.meta.docs.throughModules!;
        assert.ok(docs.bad.length > 0 && docs.good.length > 0);
        if (docs.arguments !== undefined) assert.ok(docs.arguments.trim().length > 20, "throughModules.arguments is too short");
      });
    }
  }
});
