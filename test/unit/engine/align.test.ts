// alignEdits: edits to formatted HCL leave it as `terraform fmt` would, and leave untouched runs alone.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { alignEdits, alignText } from "../../../server/src/engine/align.ts";
import { applyEdits } from "../../../server/src/engine/fix.ts";
import { initParsers, parseHcl } from "../../../server/src/engine/parse.ts";
import type { TextEdit } from "../../../server/src/engine/types.ts";
import { formatted, unformatted } from "../../helpers/fmt.ts";

/** An edit that inserts `text` before the last occurrence of `anchor`. */
function insertBefore(source: string, anchor: string, text: string): TextEdit {
  const at = source.lastIndexOf(anchor);
  assert.ok(at >= 0, `anchor ${JSON.stringify(anchor)} not found`);
  return { start: at, end: at, newText: text };
}

/** An edit that replaces the first occurrence of `old`. */
function replace(source: string, old: string, text: string): TextEdit {
  const at = source.indexOf(old);
  assert.ok(at >= 0, `${JSON.stringify(old)} not found`);
  return { start: at, end: at + old.length, newText: text };
}

describe("alignEdits", () => {
  before(() => initParsers());

  // [name, formatted input, edits, expected output]; every input and output is checked with terraform fmt.
  const cases: Array<[string, string, (text: string) => TextEdit[], string]> = [
    [
      "an argument joining a run",
      'resource "x" "y" {\n  lifecycle {\n    prevent_destroy = false\n  }\n}\n',
      (t) => [insertBefore(t, "  }\n}", "    create_before_destroy = true\n")],
      'resource "x" "y" {\n  lifecycle {\n    prevent_destroy       = false\n    create_before_destroy = true\n  }\n}\n',
    ],
    [
      "an argument after a heredoc, which belongs to its run",
      'resource "x" "y" {\n  ami       = "a"\n  user_data = <<-EOT\n    a = b\n  EOT\n}\n',
      (t) => [insertBefore(t, "}\n", "  user_data_replace_on_change = true\n")],
      'resource "x" "y" {\n  ami                         = "a"\n  user_data                   = <<-EOT\n    a = b\n  EOT\n  user_data_replace_on_change = true\n}\n',
    ],
    [
      "a multi-line value and a one-line block end runs",
      'resource "x" "y" {\n  a = 1\n  tags = {\n    Name = "x"\n  }\n  b = 2\n  lifecycle { create_before_destroy = true }\n  c = 3\n}\n',
      (t) => [insertBefore(t, "}\n", "  longer_name = 4\n")],
      'resource "x" "y" {\n  a = 1\n  tags = {\n    Name = "x"\n  }\n  b = 2\n  lifecycle { create_before_destroy = true }\n  c           = 3\n  longer_name = 4\n}\n',
    ],
    [
      "a comment line ends a run",
      'resource "x" "y" {\n  a = 1\n  # note\n  b = 2\n}\n',
      (t) => [insertBefore(t, "}\n", "  longer = 3\n")],
      'resource "x" "y" {\n  a = 1\n  # note\n  b      = 2\n  longer = 3\n}\n',
    ],
    [
      "a deleted argument joins and narrows the run",
      'source "amazon-ebs" "web" {\n  ami_name         = "web"\n  force_deregister = true\n  region           = "eu-west-1"\n}\n',
      (t) => [replace(t, "  force_deregister = true\n", "")],
      'source "amazon-ebs" "web" {\n  ami_name = "web"\n  region   = "eu-west-1"\n}\n',
    ],
    [
      "a renamed argument widens its run",
      'resource "x" "y" {\n  name   = "web"\n  region = "r"\n}\n',
      (t) => [replace(t, "name", "name_prefix")],
      'resource "x" "y" {\n  name_prefix = "web"\n  region      = "r"\n}\n',
    ],
    [
      "a deleted block joins the runs around it",
      'resource "x" "y" {\n  a = 1\n  provisioner "local-exec" {\n    command = "x"\n  }\n  bbb = 2\n}\n',
      (t) => [replace(t, '  provisioner "local-exec" {\n    command = "x"\n  }\n', "")],
      'resource "x" "y" {\n  a   = 1\n  bbb = 2\n}\n',
    ],
    [
      "strings and interpolations holding = and brackets",
      'locals {\n  a = "x = {"\n  b = "${var.c["{"]}-x"\n}\n',
      (t) => [insertBefore(t, "}\n", "  longer = 1\n")],
      'locals {\n  a      = "x = {"\n  b      = "${var.c["{"]}-x"\n  longer = 1\n}\n',
    ],
    [
      "top-level arguments of a variable file",
      'region = "eu-west-1"\nimage  = "ami-1"\n',
      (t) => [replace(t, "image ", "web_image")],
      'region    = "eu-west-1"\nweb_image = "ami-1"\n',
    ],
  ];
  for (const [name, input, makeEdits, expected] of cases) {
    it(name, async () => {
      const file = parseHcl(name.includes("variable file") ? "/m/terraform.tfvars" : "/m/main.tf", input);
      assert.deepEqual(file.syntaxErrors, []);
      const output = applyEdits(input, alignEdits(file, makeEdits(input)));
      assert.equal(output, expected);
      const ext = name.includes("variable file") ? "tfvars" : "tf";
      const changed = await unformatted([
        { name: `in.${ext}`, text: input },
        { name: `out.${ext}`, text: output },
      ]);
      assert.ok(!changed.has(`in.${ext}`), "the input is not formatted");
      assert.ok(!changed.has(`out.${ext}`), `terraform fmt would write:\n${await formatted(`out.${ext}`, output)}`);
    });
  }

  it("leaves a run the edits do not touch alone, even when it is not aligned", () => {
    const input = 'resource "x" "y" {\n  a = 1\n  bbbb = 2\n\n  c = 3\n}\n';
    const file = parseHcl("/m/main.tf", input);
    const edits = [insertBefore(input, "}\n", "  ddddd = 4\n")];
    assert.equal(applyEdits(input, alignEdits(file, edits)), 'resource "x" "y" {\n  a = 1\n  bbbb = 2\n\n  c     = 3\n  ddddd = 4\n}\n');
  });

  it("leaves a new value on its line alone", () => {
    const input = 'resource "x" "y" {\n  a = 1\n  bbbb = 2\n}\n';
    const file = parseHcl("/m/main.tf", input);
    const edits = [replace(input, "1", "true")];
    assert.deepEqual(alignEdits(file, edits), edits);
  });

  it("aligns a text written whole (a new template)", () => {
    assert.equal(
      alignText('provisioner "file" {\n  source = "a"\n  destination = "/a"\n}\n'),
      'provisioner "file" {\n  source      = "a"\n  destination = "/a"\n}\n',
    );
  });
});
