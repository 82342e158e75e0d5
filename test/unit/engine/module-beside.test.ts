// Tests for RuleContext.moduleBeside: a Terraform module sees the Packer template in its directory, and only that.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultConfig, initParsers, Linter } from "../../../server/src/engine/index.ts";
import type { ModuleKind, Rule } from "../../../server/src/engine/types.ts";

/** A rule that records, for each Terraform module it runs on, the files of the Packer module beside it. */
function probe(seen: Map<string, string[] | undefined>): Rule {
  return {
    meta: {
      id: "probe",
      severity: "warning",
      recommended: false,
      fix: "none",
      appliesTo: ["terraform"] as ModuleKind[],
      docs: { summary: "", why: "", reportedAt: "", bad: [], good: [], fixSafety: "" },
      options: {},
    },
    check(context) {
      seen.set(
        context.module.dir,
        context.moduleBeside("packer")?.files.map((f) => f.path),
      );
    },
  };
}

describe("RuleContext.moduleBeside", () => {
  it("finds the Packer template in the same directory only", async () => {
    await initParsers();
    const seen = new Map<string, string[] | undefined>();
    const rule = probe(seen);
    const linter = new Linter([rule]);
    const config = defaultConfig([rule]);
    config.rules.probe = { enabled: true, severity: "warning", options: {} };
    const inputs = [
      { path: "/r/app/main.tf", text: 'resource "aws_instance" "a" {}\n' },
      { path: "/r/app/image.pkr.hcl", text: "build {}\n" },
      { path: "/r/app/legacy.json", text: '{"builders": []}\n' },
      { path: "/r/other/main.tf", text: 'resource "aws_instance" "b" {}\n' },
      { path: "/r/packer/image.pkr.hcl", text: "build {}\n" },
    ];
    const result = await linter.lint(inputs, config, { readFile: () => undefined }, { skipExactSyntax: true });
    assert.deepEqual(result.ruleFailures, []);
    assert.deepEqual(seen.get("/r/app"), ["/r/app/image.pkr.hcl"]);
    assert.equal(seen.get("/r/other"), undefined);
    assert.equal(seen.has("/r/other"), true);
  });
});
