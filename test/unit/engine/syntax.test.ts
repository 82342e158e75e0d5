// hcl-syntax: HashiCorp's exact messages and ranges, rules still running on what parsed, JSON errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";

const host = { readFile: () => undefined };

describe("hcl-syntax", () => {
  it("reports HashiCorp's message and range, and still runs the rules on what parsed", async () => {
    const linter = await createLinter();
    const text = 'resource "aws_instance" "web" {\n  ami = "a"\n}\n\nresource "aws_instance" "broken" {\n  x = [1,\n}\n';
    const result = await linter.lint([{ path: "/m/main.tf", text }], defaultConfig(linter.rules), host);
    const syntax = result.findings.filter((f) => f.ruleId === "hcl-syntax");
    assert.equal(syntax.length, 1);
    assert.equal(syntax[0].severity, "error");
    assert.equal(syntax[0].message, "Invalid expression: Expected the start of an expression, but found an invalid expression token.");
    assert.deepEqual([syntax[0].range.start.line + 1, syntax[0].range.start.character + 1], [7, 1]);
    assert.ok(
      result.findings.some((f) => f.ruleId === "require-create-before-destroy" && f.range.start.line === 0),
      "rules did not run on the part that parsed",
    );
  });

  it("reports invalid JSON syntax with jsonc-parser's position", async () => {
    const linter = await createLinter();
    const result = await linter.lint([{ path: "/m/main.tf.json", text: '{\n  "resource": {,\n}\n' }], defaultConfig(linter.rules), host);
    const syntax = result.findings.filter((f) => f.ruleId === "hcl-syntax");
    assert.ok(syntax.length >= 1);
    assert.match(syntax[0].message, /^Invalid JSON: /);
    assert.equal(syntax[0].range.start.line, 1);
  });

  it("converts HCL character columns to UTF-16 columns after non-BMP and accented text", async () => {
    const linter = await createLinter();
    // HashiCorp reports column 13 (characters) for the stray "x"; "😀" is two UTF-16 units.
    const text = 'locals {\n  a = "é😀é" x\n}\n';
    const result = await linter.lint([{ path: "/m/main.tf", text }], defaultConfig(linter.rules), host);
    const syntax = result.findings.filter((f) => f.ruleId === "hcl-syntax");
    assert.equal(syntax.length, 1);
    assert.match(syntax[0].message, /^Missing newline after argument/);
    assert.deepEqual(syntax[0].range.start, { line: 1, character: 13 });
    assert.equal(text.slice(syntax[0].range.startOffset, syntax[0].range.startOffset + 1), "x");
  });

  it("reports nesting beyond the limit instead of recursing", async () => {
    const linter = await createLinter();
    const config = { ...defaultConfig(linter.rules), maxNestingDepth: 50 };
    const text = `locals {\n  a = ${"[".repeat(100)}${"]".repeat(100)}\n}\n`;
    const result = await linter.lint([{ path: "/m/main.tf", text }], config, host);
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0].message, /Nesting deeper than 50/);
  });

  it("counts nesting inside templates (native and JSON strings), and only there", async () => {
    const linter = await createLinter();
    const config = { ...defaultConfig(linter.rules), maxNestingDepth: 50 };
    const deep = `\${${"[".repeat(100)}${"]".repeat(100)}}`;
    const lintOne = async (path: string, text: string) =>
      (await linter.lint([{ path, text }], config, host, { skipExactSyntax: true })).findings.map((f) => f.message);
    assert.deepEqual(await lintOne("/m/a.tf", `locals {\n  a = "${deep}"\n}\n`), [
      "Nesting deeper than 50 levels; the file was not analysed (setting max_nesting_depth).",
    ]);
    assert.deepEqual(await lintOne("/m/b.tf.json", JSON.stringify({ locals: { a: deep } })), [
      "Nesting deeper than 50 levels; the file was not analysed (setting max_nesting_depth).",
    ]);
    // Brackets in plain strings, and many templates each with strings of their own (as CDK for Terraform writes them), are not nesting.
    const shallow = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`s${i}`, `\${file("x${i}.sh")}[[[[`]));
    assert.deepEqual(await lintOne("/m/c.tf.json", JSON.stringify({ locals: shallow })), []);
    const native = Array.from({ length: 200 }, (_, i) => `  s${i} = "\${file("x${i}.sh")}[[[["\n`).join("");
    assert.deepEqual(await lintOne("/m/d.tf", `locals {\n${native}}\n`), []);
  });

  it("can be turned off", async () => {
    const linter = await createLinter();
    const config = defaultConfig(linter.rules);
    config.rules["hcl-syntax"].enabled = false;
    const result = await linter.lint([{ path: "/m/main.tf", text: "locals {\n a = [\n}\n" }], config, host);
    assert.deepEqual(
      result.findings.filter((f) => f.ruleId === "hcl-syntax"),
      [],
    );
  });
});
