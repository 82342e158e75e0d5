// A `\u` or `\U` escape without valid hex digits crashed the conversion of a quoted string, so every rule
// that read the string failed ("Invalid code point NaN") and the CLI exited 2. unescapeQuoted now keeps
// a malformed escape as written (HashiCorp's parser reports it as a syntax error).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter, type ResolvedConfig } from "../../../server/src/engine/index.ts";

describe("malformed unicode escapes in quoted strings", () => {
  let linter: Linter;
  let config: ResolvedConfig;
  before(async () => {
    linter = await createLinter();
    config = defaultConfig(linter.rules);
  });

  const cases: Array<[string, string]> = [
    ["\\u followed by non-hex characters", 'module "vpc" {\n  source  = "terraform-aws-mod\\ules/vpc/aws"\n  version = "5.8.1"\n}\n'],
    ["\\U beyond the last code point", 'resource "aws_instance" "a" {\n  ami = "ami-\\UFFFFFFFF"\n}\n'],
  ];
  for (const [name, text] of cases) {
    it(name, async () => {
      const result = await linter.lint([{ path: "/m/main.tf", text }], config, { readFile: () => undefined });
      assert.deepEqual(result.ruleFailures, []);
      // Reading the value must not throw either, and keeps the malformed escape as written.
      const file = result.files[0];
      const attr = file.body.blocks[0].body.attributes[0];
      assert.equal(attr.expr.kind, "literal");
    });
  }
});
