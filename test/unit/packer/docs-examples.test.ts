// The Packer rules' doc examples are real templates: Packer accepts each, and with every rule on, each bad one yields only its rule's findings.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { allRules } from "../../../server/src/rules/index.ts";
import { validateWithPacker } from "../../helpers/packer.ts";

const packerRules = allRules.filter((r) => r.meta.id.startsWith("packer-"));

describe("Packer rule doc examples", () => {
  it("covers the Packer rules", () => {
    assert.deepEqual(
      packerRules.map((r) => r.meta.id),
      ["packer-no-force-deregister", "packer-pinned-plugin", "packer-require-manifest", "packer-unique-image-name"],
    );
  });
  for (const rule of packerRules) {
    const examples = [
      ...rule.meta.docs.bad.map((e) => ({ ...e, kind: "bad" })),
      ...rule.meta.docs.good.map((e) => ({ ...e, kind: "good" })),
    ];
    examples.forEach((example, i) => {
      it(`${rule.meta.id} ${example.kind} example ${example.filename} (#${i + 1}) passes packer validate -syntax-only`, async () => {
        await validateWithPacker(example.filename, example.code);
      });
      it(`${rule.meta.id} ${example.kind} example ${example.filename} (#${i + 1}) meets no other rule`, async () => {
        const linter = await createLinter();
        const config = defaultConfig(linter.rules);
        const result = await linter.lint([{ path: `/virtual/docs/${example.filename}`, text: example.code }], config, {
          readFile: () => undefined,
        });
        const ids = [...new Set(result.findings.map((f) => f.ruleId))];
        assert.deepEqual(ids, example.kind === "bad" ? [rule.meta.id] : []);
      });
    });
  }
});
