// Templates in JSON syntax whose strings hold JSON escapes (`"${file(\"init.sh\")}"`, as CDK for
// Terraform writes them): Terraform decodes the JSON string, then parses the template; so must we.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, initParsers, parseJson } from "../../../server/src/engine/index.ts";
import { decodeJsonString } from "../../../server/src/engine/hcl/json.ts";
import { terraformJsonLayout } from "../../../server/src/engine/parse.ts";
import { attr, type Expr } from "../../../server/src/engine/model.ts";

const tfJson = (resource: Record<string, unknown>) => JSON.stringify({ resource: { aws_instance: { web: resource } } }, null, 2);

async function valueOf(resource: Record<string, unknown>, name: string): Promise<{ text: string; expr: Expr }> {
  await initParsers();
  const text = tfJson(resource);
  const file = parseJson("/m/main.tf.json", text, terraformJsonLayout);
  const block = file.body.blocks[0];
  const attribute = attr(block.body, name);
  assert.ok(attribute, `${name} is read`);
  return { text, expr: attribute.expr };
}

describe("JSON string escapes in templates", () => {
  it("decodes every JSON escape and remembers where each character came from", () => {
    const token = String.raw`"a\"b\\c\/d\n\t\u0041"`;
    const d = decodeJsonString(token, 100)!;
    assert.equal(d.text, 'a"b\\c/d\n\tA');
    assert.deepEqual(d.offsets.slice(0, 4), [101, 102, 104, 105], "a, the escaped quote (its backslash), b, the escaped backslash");
    assert.equal(d.offsets[d.offsets.length - 1], 100 + token.length - 1, "the last entry is the closing quote");
    assert.equal(decodeJsonString(String.raw`"bad \x escape"`, 0), undefined);
  });

  it("a call with quoted arguments inside an interpolation becomes that call, with ranges in the JSON text", async () => {
    const { text, expr } = await valueOf({ ami: "ami-0123456789abcdef0", user_data: '${file("init.sh")}' }, "user_data");
    assert.equal(expr.kind, "template");
    if (expr.kind !== "template") return;
    assert.equal(expr.heredoc, false);
    assert.equal(expr.parts.length, 1);
    const call = expr.parts[0] as Expr;
    assert.equal(call.kind, "call");
    if (call.kind !== "call") return;
    assert.equal(call.name, "file");
    assert.deepEqual(
      call.args.map((a) => (a.kind === "literal" ? a.value : a.kind)),
      ["init.sh"],
    );
    assert.equal(text.slice(call.range.startOffset, call.range.endOffset), String.raw`file(\"init.sh\")`);
    assert.equal(text.slice(call.args[0].range.startOffset, call.args[0].range.endOffset), String.raw`\"init.sh\"`);
    assert.equal(text.slice(expr.range.startOffset, expr.range.endOffset), '"$' + String.raw`{file(\"init.sh\")}"`);
    const line = text.slice(0, call.range.startOffset).split("\n").length - 1;
    assert.equal(call.range.start.line, line, "positions use the JSON file's lines");
  });

  it("keeps literal text around interpolations, with quotes and newlines decoded and no heredoc newline added", async () => {
    const { expr } = await valueOf({ tags: { Name: 'say "hi"\n${format("web-%s", var.env)}' } }, "tags");
    assert.equal(expr.kind, "object");
    if (expr.kind !== "object") return;
    const name = expr.entries[0].value;
    assert.equal(name.kind, "template");
    if (name.kind !== "template") return;
    assert.equal(name.parts[0], 'say "hi"\n');
    assert.equal((name.parts[1] as Expr).kind, "call");
    assert.equal(name.parts.length, 2, "nothing after the interpolation");
  });

  it("no-boot-time-mutation follows file() in a CDK-style .tf.json into the script", async () => {
    const linter = await createLinter();
    const config = defaultConfig(linter.rules);
    const text = tfJson({
      ami: "ami-0123456789abcdef0",
      instance_type: "t3.micro",
      user_data: '${file("${path.module}/init.sh")}',
      lifecycle: { create_before_destroy: true },
    });
    const scripts: Record<string, string> = { "/m/init.sh": "#!/bin/sh\napt-get install -y nginx\n" };
    const r = await linter.lint([{ path: "/m/main.tf.json", text }], config, { readFile: (p: string) => scripts[p] });
    const boot = r.findings.filter((f) => f.ruleId === "no-boot-time-mutation");
    assert.equal(boot.length, 1, JSON.stringify(r.findings.map((f) => f.ruleId)));
    assert.match(boot[0].message, /apt-get install/);
  });
});
