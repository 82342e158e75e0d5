// Syntax errors HashiCorp's parser reports but hcl-syntax misses, because tree-sitter's grammar accepts the text
// and HashiCorp's parser only runs after tree-sitter found an error. Marked todo until the parser side is fixed:
// they fail today, and node's runner lists them as todo, neither passed nor failed.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter, type ResolvedConfig } from "../../../server/src/engine/index.ts";
import { parseWithHashiCorp } from "../../../server/src/engine/hcl/hashicorp.ts";

const TODO = "tree-sitter accepts it, so HashiCorp's parser is never asked (found by npm run fuzz; 549 of 17,066 inputs in a 20,000-input run)";

describe("syntax errors tree-sitter accepts", () => {
  let linter: Linter;
  let config: ResolvedConfig;
  before(async () => {
    linter = await createLinter();
    config = defaultConfig(linter.rules);
  });

  const cases: Array<[string, string, string]> = [
    ["a quoted string split over two lines", 'resource "aws_instance" "a" {\n  ami = "ami-\n123"\n}\n', "Invalid multi-line string"],
    ["an attribute name with its = on the next line", 'resource "aws_instance" "a" {\n  ami\n    = "ami-123"\n}\n', "Argument or block definition required"],
    ["a bare name on the line before a block", 'resource "aws_instance" "a" {\n  user_data_replace_on_change\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n', "Argument or block definition required"],
    ["a one-line block left open", 'resource "aws_instance" "a" {\n  lifecycle {create_before_destroy = true\n  }\n}\n', "Invalid single-argument block definition"],
  ];
  for (const [name, text, summary] of cases) {
    it(name, { todo: TODO }, async () => {
      // The case is only meaningful while HashiCorp's parser rejects the text with this summary.
      await assert.rejects(parseWithHashiCorp("main.tf", text), (e: Error) => e.message.includes(summary));
      const result = await linter.lint([{ path: "/m/main.tf", text }], config, { readFile: () => undefined });
      assert.ok(result.findings.some((f) => f.ruleId === "hcl-syntax" && f.message.startsWith(summary)), JSON.stringify(result.findings.map((f) => f.message)));
    });
  }
});
