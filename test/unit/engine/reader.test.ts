// The engine's own HCL reader: HashiCorp's verdict and values on a fast subset of the differential suite, edge cases, model parity with tree-sitter, deep nesting.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { READER_MAX_NESTING, readHcl } from "../../../server/src/engine/hcl/reader/index.ts";
import { chooseHclParser, hclParserInUse, initParsers, parseHcl } from "../../../server/src/engine/parse.ts";
import type { Body, Expr, Range } from "../../../server/src/engine/model.ts";
import { comparableValue, compare, hashicorpVerdict } from "../../differential/compare.ts";
import { generatedTexts } from "../../differential/generate.ts";
import { fuzzTexts, repositoryTexts, type Text } from "../../differential/sources.ts";

const root = path.resolve(__dirname, "../../..");

async function disagreements(texts: Iterable<Text>): Promise<{ texts: number; accepted: number; values: number; problems: string[] }> {
  const tally = { texts: 0, accepted: 0, values: 0, problems: [] as string[] };
  for (const { name, text } of texts) {
    tally.texts++;
    const c = await compare(text);
    if (c.accepted) tally.accepted++;
    tally.values += c.compared;
    if (c.verdict)
      tally.problems.push(`${name}: ours ${c.verdict.ours}, HashiCorp's ${c.verdict.theirs}: ${JSON.stringify(text).slice(0, 300)}`);
    for (const v of c.values) tally.problems.push(`${name}: ${v}`);
  }
  return tally;
}

describe("HCL reader: same verdict and values as HashiCorp's parser (fast subset of npm run differential)", () => {
  it("examples, fixtures, fuzz seeds and rule docs", async () => {
    const t = await disagreements(repositoryTexts(root));
    assert.deepEqual(t.problems, []);
    assert.ok(t.texts >= 50 && t.values >= 200, `only ${t.texts} texts, ${t.values} values`);
  });

  it("the fuzzer's first 2,000 inputs (seed 1)", { timeout: 120_000 }, async () => {
    const t = await disagreements(fuzzTexts(root, 1, 0, 2000));
    assert.deepEqual(t.problems, []);
    // Both kinds must be there in numbers, or the comparison says little.
    assert.ok(t.accepted >= 300 && t.texts - t.accepted >= 300, `${t.accepted} accepted of ${t.texts}`);
  });

  it("2,000 generated constructs and near-misses (seed 1)", { timeout: 120_000 }, async () => {
    const t = await disagreements(generatedTexts(1, 2000));
    assert.deepEqual(t.problems, []);
    assert.ok(t.accepted >= 200 && t.texts - t.accepted >= 200, `${t.accepted} accepted of ${t.texts}`);
  });
});

describe("HCL reader: edge cases of the specification, judged by HashiCorp's parser", () => {
  // [what, text]: each is checked against HashiCorp's parser here, so the case says nothing of its own.
  const cases: Array<[string, string]> = [
    ["a number with a dot before its exponent", "x = 1.e5\n"],
    ["a number with two dots", "x = 1.2.3\n"],
    ["an exponent beyond 64 bits", "x = 1e99999999999999999999\n"],
    ["a zero with an exponent beyond 32 bits", "x = 0e9999999999\n"],
    ["a binary exponent beyond 32 bits", "x = 1e-9999999999\n"],
    ["a heredoc closed at the end of the file without a newline", "x = <<EOT\nhi\nEOT"],
    ["a heredoc marker with spaces around it", "x = <<EOT\nhi\n  EOT  \n"],
    ["a heredoc marker followed by a no-break space", "x = <<EOT\nhi\nEOT\u00a0\n"],
    ["a heredoc with CRLF line ends", "x = <<EOT\r\nhi\r\nEOT\r\n"],
    ["a lone carriage return in a heredoc", "x = <<EOT\nh\ri\nEOT\n"],
    ["a heredoc marker after an interpolation on its line", "x = <<EOT\n${a}EOT\nEOT\n"],
    ["a flush heredoc with a no-break space in its indentation", "x = <<-EOT\n  a\n \u00a0b\n  EOT\n"],
    ["a backslash before a line break in a string", 'x = "a\\\nb"\n'],
    ["a dollar at the end of the file in a string", 'x = "a$'],
    ["an escaped interpolation with a strip marker", 'x = "$${~x}"\n'],
    ["strip markers", 'x = "a ${~ "b" ~} c"\n'],
    ["an unclosed if directive", 'x = "%{if true}a"\n'],
    ["else after else", 'x = "%{if a}b%{else}c%{else}d%{endif}"\n'],
    ["endfor closing an if", 'x = "%{if a}b%{endfor}"\n'],
    ["an unknown directive", 'x = "%{iff a}b%{endif}"\n'],
    ["a chained legacy index", "x = a.0.1\n"],
    ["a nested attribute-only splat", "x = a.*.*\n"],
    ["a legacy index after a splat", "x = a.*.0\n"],
    ["a key in a tuple for expression", "x = [for k, v in a: k => v]\n"],
    ["a grouping ellipsis in a tuple for expression", "x = [for v in a: v...]\n"],
    ["an object for expression without a key", "x = {for v in a: v}\n"],
    ["for as a tuple's first item", "x = [for, a]\n"],
    ["a bitwise operator", "x = ~1\n"],
    ["a single-quoted string", "x = 'a'\n"],
    ["a semicolon", "x = 1;\n"],
    ["a curly quote", "x = \u201ca\u201d\n"],
    ["an unterminated block comment", "x = 1 /* c\n"],
    ["a block comment spanning lines inside a value", "x = 1 /* c\n */\n"],
    ["a comment ending the file without a newline", "x = 1 # c"],
    ["an interpolation in a block label", 'a "${b}" {}\n'],
    ["an escaped interpolation in a block label", 'a "$${b}" {}\n'],
    ["a surrogate escape", 'x = "\\uD800"\n'],
    ["an unknown escape", 'x = "\\q"\n'],
    ["an expansion that is not last", "x = f(a..., b)\n"],
    ["a namespaced function", "x = provider::a::b(1)\n"],
    ["a colon after an interpolation expression", 'x = "${a:b}"\n'],
    ["a byte order mark", "\ufeffx = 1\n"],
    ["a lone carriage return", "x = 1\r"],
    ["a tab between tokens", "x\t=\t1\n"],
    ["an identifier beyond Unicode 9 (Unicode 10's U+0860)", "\u0860 = 1\n"],
    ["an identifier of Unicode 9", "\u00e9\u0301 = 1\n"],
    ["a one-line block holding a block", "a { b {} }\n"],
    ["a one-line block closed on the next line", "a { b = 1\n}\n"],
    ["a comma after an argument", "a = 1, b = 2\n"],
    ["an argument set twice in a one-line object", "x = { a = 1, a = 2 }\n"],
    ["a conditional missing its false branch", "x = a ? b\n"],
    ["newlines inside parentheses", "x = (1 +\n 2)\n"],
    ["newlines inside an object", "x = {\n a = 1\n\n b = 2 }\n"],
    ["a for expression across lines in an object", "x = {\n for k, v in a :\n k => v\n }\n"],
    ["an index across lines", "x = a[\n 0\n]\n"],
    ["a splat index across lines", "x = a[\n*]\n"],
  ];
  for (const [what, text] of cases) {
    it(what, async () => {
      const theirs = await hashicorpVerdict(text);
      const ours = readHcl("main.tf", text);
      assert.equal(
        ours.syntaxErrors.length === 0,
        theirs.accepted,
        theirs.accepted
          ? `HashiCorp accepts; ours: ${ours.syntaxErrors[0]?.message}`
          : `HashiCorp rejects (${(theirs as { message: string }).message}); ours accepts`,
      );
      const c = await compare(text);
      assert.deepEqual(c.values, []);
    });
  }

  it("reads values as HashiCorp's parser does", () => {
    const values = (text: string) =>
      Object.fromEntries(readHcl("main.tf", text).body.attributes.map((a) => [a.name, comparableValue(a.expr, text) ?? a.expr]));
    assert.deepEqual(values('a = "e\\u0301"\nb = 1.e5\nc = -7\nd = "\\q"\n'), { a: "\u00e9", b: 100000, c: -7, d: "q" });
    const heredoc = readHcl("main.tf", "x = <<-EOT\n    four\n      six\n    EOT\n").body.attributes[0].expr;
    assert.deepEqual(heredoc.kind === "template" && heredoc.parts, ["four\n  six\n"]);
  });
});

describe("HCL reader: the model equals tree-sitter's on valid files", () => {
  before(async () => {
    chooseHclParser("tree-sitter");
    await initParsers();
  });

  const span = (r: Range) => `${r.startOffset}-${r.endOffset}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  /** Every field of every kind of expression, with every range: a kind added to the model must be added here. */
  const expr = (e: Expr): unknown => {
    switch (e.kind) {
      case "literal":
        return ["literal", e.value, span(e.range)];
      case "template":
        return ["template", e.heredoc, e.parts.map((p) => (typeof p === "string" ? p : expr(p))), span(e.range)];
      case "traversal":
        return ["traversal", e.root, e.path, span(e.range)];
      case "call":
        return ["call", e.name, e.args.map(expr), span(e.range)];
      case "tuple":
        return ["tuple", e.items.map(expr), span(e.range)];
      case "object":
        return ["object", e.entries.map((x) => [x.key, span(x.keyRange), expr(x.value)]), span(e.range)];
      case "conditional":
        return ["conditional", expr(e.condition), expr(e.whenTrue), expr(e.whenFalse), span(e.range)];
      case "operation":
        return ["operation", e.operator, e.operands.map(expr), span(e.range)];
      case "splat":
        return ["splat", expr(e.source), e.path, span(e.range)];
      case "other":
        return ["other", span(e.range)];
      default: {
        const unknown: never = e;
        return unknown;
      }
    }
  };
  const body = (b: Body): unknown => ({
    attributes: b.attributes.map((a) => [a.name, span(a.nameRange), span(a.range), expr(a.expr)]),
    blocks: b.blocks.map((k) => [k.type, k.labels, span(k.headerRange), span(k.range), k.openBraceEnd, k.closeBraceStart, body(k.body)]),
  });
  /** Whether both parsers accept `text` (and so both models are comparable); their models must then be equal. */
  const compareModels = (name: string, text: string): boolean => {
    const theirs = parseHcl("main.tf", text);
    const ours = readHcl("main.tf", text);
    if (theirs.syntaxErrors.length > 0 || ours.syntaxErrors.length > 0) return false;
    assert.deepEqual(body(ours.body), body(theirs.body), `${name}: ${JSON.stringify(text)}`);
    return true;
  };

  it("blocks, labels, attributes, values, every range and the comments of the repository's files", () => {
    let compared = 0;
    for (const t of repositoryTexts(root)) {
      const text = `${t.text}\n# immutably-ignore: any -- comments are read when a directive may be there\n`;
      if (!compareModels(t.name, text)) continue;
      assert.deepEqual(
        readHcl("main.tf", text).comments.map((c) => [c.text, span(c.range)]),
        parseHcl("main.tf", text).comments.map((c) => [c.text, span(c.range)]),
        t.name,
      );
      compared++;
    }
    assert.ok(compared >= 40, `only ${compared} files compared`);
    assert.equal(hclParserInUse(), "tree-sitter");
  });

  it("the expression forms public modules write", () => {
    // Each as the value of an attribute; both parsers must accept every one, so that none is left out unnoticed.
    const forms = [
      'var.ami == null ? join("", data.aws_ami.x[*].id) : var.ami',
      "length(var.subnets) > 0 ? element(var.subnets, count.index) : aws_subnet.default[count.index].id",
      "{ for k, v in var.tags : k => v if v != null }",
      '[for s in var.names : upper(s) if s != ""]',
      "{ for k, v in var.m : v.group => k... }",
      '[for i, s in var.l : "${i}-${s}"]',
      '"%{ if var.enabled }on%{ else }off%{ endif }"',
      '"%{ for x in var.xs }${x},%{ endfor }"',
      '"${var.prefix}-${var.name}"',
      '"${var.a} ${var.b}"',
      '"a ${~ var.x ~} b"',
      '"${a}"',
      "<<-EOT\n  #!/bin/bash\n  %{ for p in var.packages ~}\n  yum install -y ${p}\n  %{ endfor ~}\n  echo ${var.x}\n  EOT",
      "<<-EOT\n    %{ if var.x }\n  indented less inside the directive\n    %{ endif }\n    EOT",
      "<<EOT\nraw ${a} and $${b}\r\nEOT",
      "<<-EOT\n    a\n      b\n\n    EOT ",
      'try(var.settings.image, "fallback")',
      "try(local.x[0], null)",
      'lookup(var.amis, var.region, "ami-1")',
      "a[*].b[0]",
      "x.*.y",
      "x.*.y[0]",
      "data.cloudinit_config.c[0][*].rendered",
      "aws_instance.web.*.id[count.index]",
      "module.m.outputs[*].id",
      "a.b.c.d[*].e.f",
      "!var.x",
      "-1",
      "- -1",
      "!!var.x",
      "-var.offset + 1",
      "a && b || c",
      "a || b && c",
      "!(a || b) && c",
      "(a)",
      "(a).b",
      "(a)[*].b",
      "(a).b + 1",
      "(a + b) * c",
      "1 + 2 * 3 - 4 / 5 % 6",
      "a <= b == (c >= d)",
      "a != b ? c : d",
      "a ? b : c ? d : e",
      "(a ? b : c) ? d : e",
      "a ? b ? c : d : e",
      "var.x == null ? [] : [var.x]",
      "var.l[count.index % length(var.l)]",
      "each.value.name",
      'a.b[0]["k"].c',
      "a.0.b",
      "a[(0)]",
      "a[-1]",
      "f(x).y",
      "f(x)[0]",
      "f(x)[*].id",
      "[1, 2][0]",
      "{ a = 1 }.a",
      "concat(var.a, [var.b], local.c...)",
      'merge(local.tags, { Name = "web-${count.index}" })',
      'jsonencode({ image = "nginx:1.25", ports = [80, 443] })',
      'templatefile("${path.module}/init.sh.tpl", { name = var.name })',
      'can(regex("^ami-", var.ami))',
      'coalesce(var.a, data.b.c[0].id, "")',
      "provider::aws::arn_parse(var.arn)",
      '{ "k" = 1, k2 : 2, (var.k) = 3, true = 4 }',
      "{\n  a = 1 # c\n  b = [\n    x, // c\n    y,\n  ]\n}",
      "f(\n  a, /* c */\n  b...\n)",
      '"\\u00e9 \\n \\" \\\\ e\\u0301"',
      '"  spaced  "',
      "1.5e3",
    ];
    for (const form of forms) assert.ok(compareModels(form, `x = ${form}\n`), `not accepted by both: ${form}`);
  });

  it("every text of the differential generator that both accept (4,000 texts, seed 1)", () => {
    let compared = 0;
    for (const t of generatedTexts(1, 4000)) {
      // Two readings of tree-sitter's grammar that HashiCorp's parser does not share (the reader's values
      // are checked against HashiCorp's by the differential suite): `1.e5` is an attribute `e5` of 1 to
      // it, and `$$${` an escaped `$$` before an interpolation.
      if (/\d\.[eE]|\$\$\$\{|%%%\{/.test(t.text)) continue;
      if (compareModels(t.name, t.text)) compared++;
    }
    // About a seventh of them are accepted by both; too few would compare little.
    assert.ok(compared >= 400, `only ${compared} texts compared`);
  });
});

describe("HCL reader: deep nesting", () => {
  it(`reads ${READER_MAX_NESTING} levels of every bracket, the depth the engine lets through`, () => {
    for (const [open, close] of [
      ["[", "]"],
      ["(", ")"],
      ["{a=", "}"],
      ["f(", ")"],
      ['"${', '}"'],
    ]) {
      const text = `x = ${open.repeat(READER_MAX_NESTING)}1${close.repeat(READER_MAX_NESTING)}\n`;
      assert.deepEqual(readHcl("main.tf", text).syntaxErrors, [], open);
    }
  });

  it("reports a file whose expressions nest beyond the stack instead of throwing", () => {
    const file = readHcl("main.tf", `x = ${"!".repeat(100_000)}true\n`);
    assert.equal(file.syntaxErrors.length, 1);
    assert.match(file.syntaxErrors[0].message, /^Nesting too deep/);
  });
});
