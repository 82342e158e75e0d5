// Conditionals, operators and splats in the syntax model, converted from tree-sitter nodes in HCL and JSON syntax.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initParsers, parseHcl, parseJson } from "../../../server/src/engine/parse.ts";
import { terraformJsonLayout } from "../../../server/src/engine/hcl/json.ts";
import type { Expr } from "../../../server/src/engine/model.ts";

/** An expression without its ranges, and the text each range covers, for readable comparisons. */
function shape(e: Expr, text: string): unknown {
  const at = `${text.slice(e.range.startOffset, e.range.endOffset)}`;
  switch (e.kind) {
    case "conditional":
      return { conditional: at, condition: shape(e.condition, text), whenTrue: shape(e.whenTrue, text), whenFalse: shape(e.whenFalse, text) };
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
      condition: { operation: "==", at: "var.ami == null", operands: [{ traversal: "var.ami", root: "var", path: ["ami"] }, { literal: null }] },
      whenTrue: { call: "join", args: [{ literal: "" }, { splat: "data.aws_ami.x[*].id", source: { traversal: "data.aws_ami.x", root: "data", path: ["aws_ami", "x"] }, path: ["id"] }] },
      whenFalse: { traversal: "var.ami", root: "var", path: ["ami"] },
    });
  });

  it("reads legacy splats, an index before a splat and accessors inside it", () => {
    assert.deepEqual(valueOf("data.aws_ami.x.*.id"), { splat: "data.aws_ami.x.*.id", source: { traversal: "data.aws_ami.x", root: "data", path: ["aws_ami", "x"] }, path: ["id"] });
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
            { operation: "<", at: "-2 < var.c", operands: [{ operation: "-", at: "-2", operands: [{ literal: 2 }] }, { traversal: "var.c", root: "var", path: ["c"] }] },
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
