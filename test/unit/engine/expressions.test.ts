// Conditionals, operators and splats in the syntax model, converted from tree-sitter nodes in HCL and JSON syntax.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initParsers, parseHcl, parseJson } from "../../../server/src/engine/parse.ts";
import { terraformJsonLayout } from "../../../server/src/engine/hcl/json.ts";
import type { Expr } from "../../../server/src/engine/model.ts";
import { Resolver } from "../../../server/src/engine/resolve.ts";

/** An expression without its ranges, and the text each range covers, for readable comparisons. */
function shape(e: Expr, text: string): unknown {
  const at = `${text.slice(e.range.startOffset, e.range.endOffset)}`;
  switch (e.kind) {
    case "conditional":
      return {
        conditional: at,
        condition: shape(e.condition, text),
        whenTrue: shape(e.whenTrue, text),
        whenFalse: shape(e.whenFalse, text),
      };
    case "operation":
      return { operation: e.operator, at, operands: e.operands.map((o) => shape(o, text)) };
    case "splat":
      return { splat: at, source: shape(e.source, text), path: e.path };
    case "traversal":
      return { traversal: at, root: e.root, path: e.path };
    case "call":
      return { call: e.name, args: e.args.map((a) => shape(a, text)) };
    case "literal":
      return { literal: e.value };
    default:
      return { [e.kind]: at };
  }
}

function valueOf(code: string): unknown {
  const text = `x = ${code}\n`;
  const file = parseHcl("/m/main.tf", text);
  return shape(file.body.attributes[0].expr, text);
}

describe("expressions in the model", () => {
  before(() => initParsers());

  it("reads a conditional with a comparison and a splat in a call", () => {
    assert.deepEqual(valueOf('var.ami == null ? join("", data.aws_ami.x[*].id) : var.ami'), {
      conditional: 'var.ami == null ? join("", data.aws_ami.x[*].id) : var.ami',
      condition: {
        operation: "==",
        at: "var.ami == null",
        operands: [{ traversal: "var.ami", root: "var", path: ["ami"] }, { literal: null }],
      },
      whenTrue: {
        call: "join",
        args: [
          { literal: "" },
          { splat: "data.aws_ami.x[*].id", source: { traversal: "data.aws_ami.x", root: "data", path: ["aws_ami", "x"] }, path: ["id"] },
        ],
      },
      whenFalse: { traversal: "var.ami", root: "var", path: ["ami"] },
    });
  });

  it("reads legacy splats, an index before a splat and accessors inside it", () => {
    assert.deepEqual(valueOf("data.aws_ami.x.*.id"), {
      splat: "data.aws_ami.x.*.id",
      source: { traversal: "data.aws_ami.x", root: "data", path: ["aws_ami", "x"] },
      path: ["id"],
    });
    assert.deepEqual(valueOf("data.cloudinit_config.c[0][*].rendered"), {
      splat: "data.cloudinit_config.c[0][*].rendered",
      source: { traversal: "data.cloudinit_config.c[0]", root: "data", path: ["cloudinit_config", "c", 0] },
      path: ["rendered"],
    });
    assert.deepEqual(valueOf("x[*].id[0]"), { splat: "x[*].id[0]", source: { traversal: "x", root: "x", path: [] }, path: ["id", 0] });
  });

  it("reads unary and nested binary operations with their operands' ranges", () => {
    assert.deepEqual(valueOf("!var.a && (var.b != 1 || -2 < var.c)"), {
      operation: "&&",
      at: "!var.a && (var.b != 1 || -2 < var.c)",
      operands: [
        { operation: "!", at: "!var.a", operands: [{ traversal: "var.a", root: "var", path: ["a"] }] },
        {
          operation: "||",
          at: "var.b != 1 || -2 < var.c",
          operands: [
            { operation: "!=", at: "var.b != 1", operands: [{ traversal: "var.b", root: "var", path: ["b"] }, { literal: 1 }] },
            {
              operation: "<",
              at: "-2 < var.c",
              operands: [
                { operation: "-", at: "-2", operands: [{ literal: 2 }] },
                { traversal: "var.c", root: "var", path: ["c"] },
              ],
            },
          ],
        },
      ],
    });
  });

  it("keeps what it does not interpret as other", () => {
    assert.deepEqual(valueOf("[for s in var.l : upper(s)]"), { other: "[for s in var.l : upper(s)]" });
    assert.deepEqual(valueOf("f(x)[0]"), { other: "f(x)[0]" });
    assert.deepEqual(valueOf("var.l[count.index]"), { other: "var.l[count.index]" });
  });

  it("reads the same forms in JSON syntax, with ranges in the JSON text", () => {
    const text = '{ "locals": { "x": "${var.on ? data.aws_ami.x[0].id : \\"\\"}" } }\n';
    const file = parseJson("/m/main.tf.json", text, terraformJsonLayout);
    const expr = file.body.blocks[0].body.attributes[0].expr;
    const inner = expr.kind === "template" ? expr.parts[0] : expr;
    assert.ok(typeof inner !== "string" && inner.kind === "conditional");
    assert.equal(text.slice(inner.whenTrue.range.startOffset, inner.whenTrue.range.endOffset), "data.aws_ami.x[0].id");
    assert.deepEqual(shape(inner.condition, text), { traversal: "var.on", root: "var", path: ["on"] });
  });
});

describe("resolving and following values", () => {
  before(() => initParsers());

  /** Resolves and follows local `x` of a one-file module (plus `extra` files, e.g. terraform.tfvars). */
  function evaluate(code: string, extra: Record<string, string> = {}) {
    const file = parseHcl("/m/main.tf", code);
    const varFiles = Object.entries(extra).map(([name, text]) => parseHcl(`/m/${name}`, text));
    const resolver = new Resolver({ dir: "/m", kind: "terraform", files: [file], varFiles });
    const x = file.body.blocks
      .filter((b) => b.type === "locals")
      .flatMap((b) => b.body.attributes)
      .find((a) => a.name === "x")!;
    return {
      value: resolver.resolve(x.expr, file)?.value,
      followed: resolver.follow(x.expr, file).map((f) => f.file.text.slice(f.expr.range.startOffset, f.expr.range.endOffset)),
    };
  }
  const local = (x: string, rest = "") => `${rest}locals {\n  x = ${x}\n}\n`;

  it("computes the functions and operators configurations use", () => {
    assert.equal(evaluate(local('format("%s:%s", "nginx", 1)')).value, "nginx:1");
    assert.equal(evaluate(local('join("-", ["a", "b"], ["c"])')).value, "a-b-c");
    assert.deepEqual(evaluate(local('merge({ a = 1 }, { b = "x" }, null)')).value, { a: 1, b: "x" });
    assert.deepEqual(evaluate(local("concat([1], [2, 3])")).value, [1, 2, 3]);
    assert.equal(evaluate(local('coalesce(null, "", "z")')).value, "z");
    assert.equal(evaluate(local('lookup({ a = "1" }, "b", "d")')).value, "d");
    assert.equal(evaluate(local('base64encode("hi")')).value, "aGk=");
    assert.equal(evaluate(local('nonsensitive(upper("a"))')).value, "A");
    assert.equal(evaluate(local("!(1 + 2 == 3) || 4 % 3 > 0")).value, true);
    assert.equal(evaluate(local('"true" && true')).value, true);
    assert.equal(evaluate(local("var.unknown && false")).value, false);
    assert.equal(evaluate(local("var.unknown || false")).value, undefined);
    assert.equal(evaluate(local('jsonencode({ image = "a" })')).value, '{"image":"a"}');
  });

  it("takes the branch of a known condition, through variable defaults and tfvars", () => {
    const code = local('var.ami == null ? "lookup" : var.ami', 'variable "ami" {\n  default = null\n}\n\n');
    assert.equal(evaluate(code).value, "lookup");
    assert.equal(evaluate(code, { "terraform.tfvars": 'ami = "ami-1"\n' }).value, "ami-1");
    assert.equal(evaluate(local('var.unknown ? "a" : "a"')).value, "a");
    assert.equal(evaluate(local('var.unknown ? "a" : "b"')).value, undefined);
  });

  it("try() moves past a key that a known object does not have", () => {
    const code = local('try(local.settings.image, "fallback")', 'locals {\n  settings = { name = "web" }\n}\n\n');
    assert.equal(evaluate(code).value, "fallback");
    assert.deepEqual(evaluate(code).followed, ['"fallback"']);
    assert.equal(evaluate(local('try(local.settings.name, "fallback")', 'locals {\n  settings = { name = "web" }\n}\n\n')).value, "web");
  });

  it("follows a value to each expression it may be", () => {
    const lookups = 'data "aws_ami" "a" {\n  most_recent = true\n}\n\n';
    assert.deepEqual(evaluate(local('var.on ? data.aws_ami.a[0].id : ""', lookups)).followed, ["data.aws_ami.a[0].id", '""']);
    assert.deepEqual(evaluate(local('join("", data.aws_ami.a[*].id)', lookups)).followed, ["data.aws_ami.a[*].id"]);
    assert.deepEqual(
      evaluate(local("coalesce(var.ami, data.aws_ami.a.id)", 'variable "ami" {\n  default = null\n}\n\n' + lookups)).followed,
      ["data.aws_ami.a.id"],
    );
    assert.deepEqual(evaluate(local("coalesce(var.ami, data.aws_ami.a.id)", lookups)).followed, ["var.ami"]);
    assert.deepEqual(
      evaluate(local("local.images.web", "locals {\n  images = { web = nonsensitive(data.aws_ami.a.id) }\n}\n\n")).followed,
      ["data.aws_ami.a.id"],
    );
    assert.deepEqual(evaluate(local("local.x")).followed, ["local.x"]);
  });
});
