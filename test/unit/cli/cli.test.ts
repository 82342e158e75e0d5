// CLI tests: each output format, exit codes, --fix written atomically, config errors, unreadable input, no stack traces.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { hclParserFromEnvironment } from "../../../server/src/engine/parse.ts";
import { CLI as cli, runCli as run, workspace } from "../../helpers/cli.ts";

const root = path.resolve(__dirname, "../../..");

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';

describe("immutably CLI", () => {
  before(() => {
    assert.ok(fs.existsSync(cli), "dist/cli.js is missing: npm test builds it first");
  });

  it("stylish: file, line:col, severity, message, rule id, summary; no colour when not a TTY", () => {
    const dir = workspace({ "main.tf": DROPLET });
    const r = run(["lint"], dir);
    assert.equal(r.code, 0, "warnings alone exit 0");
    assert.match(r.stdout, /^main\.tf\n {2}1:1 {2}warning {2}digitalocean_droplet\.web .* {2}require-create-before-destroy$/m);
    assert.match(r.stdout, /✖ 1 problem \(0 errors, 1 warning\)/);
    assert.match(r.stdout, /1 potentially fixable with the `--fix` option/);
    // eslint-disable-next-line no-control-regex -- an ANSI escape sequence starts with ESC.
    assert.doesNotMatch(r.stdout, /\u001b\[/);
  });

  it("colours only when forced or on a TTY", () => {
    const dir = workspace({ "main.tf": DROPLET });
    // eslint-disable-next-line no-control-regex -- an ANSI escape sequence starts with ESC.
    assert.match(run(["lint"], dir, { FORCE_COLOR: "1" }).stdout, /\u001b\[33m/);
  });

  it("json: 1-based positions, fix kind, summary", () => {
    const dir = workspace({ "main.tf": DROPLET });
    const r = run(["lint", "--format", "json"], dir);
    const out = JSON.parse(r.stdout);
    assert.equal(out.findings.length, 1);
    assert.deepEqual(
      {
        ruleId: out.findings[0].ruleId,
        path: out.findings[0].path,
        line: out.findings[0].line,
        column: out.findings[0].column,
        endLine: out.findings[0].endLine,
        endColumn: out.findings[0].endColumn,
        fix: out.findings[0].fix,
      },
      {
        ruleId: "require-create-before-destroy",
        path: "main.tf",
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 38,
        fix: { title: "Add lifecycle { create_before_destroy = true }", kind: "safe" },
      },
    );
    assert.deepEqual(out.summary, { errors: 0, warnings: 1, infos: 0 });
  });

  it("sarif: 2.1.0 with rules (help, no invented web address), results with full region and fixes", () => {
    const dir = workspace({ "main.tf": DROPLET });
    const r = run(["lint", "--format", "sarif"], dir);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, "2.1.0");
    const run0 = log.runs[0];
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === "require-create-before-destroy");
    assert.ok(rule.help.text.length > 50 && rule.help.markdown.includes("## Why"));
    // The project has no public web address; a path on the CI machine would mean nothing to a code-scanning page.
    assert.equal(rule.helpUri, undefined);
    assert.equal(run0.tool.driver.informationUri, undefined);
    const res = run0.results[0];
    assert.equal(res.ruleId, "require-create-before-destroy");
    assert.equal(res.level, "warning");
    assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 38 });
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, "main.tf");
    const repl = res.fixes[0].artifactChanges[0].replacements[0];
    assert.deepEqual(repl.deletedRegion, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 });
    assert.match(repl.insertedContent.text, /create_before_destroy = true/);
  });

  it("exit 1 on errors and on warnings over --max-warnings", () => {
    const dir = workspace({ "main.tf": DROPLET, "bad.tf": "locals {\n  a = [\n}\n" });
    assert.equal(run(["lint"], dir).code, 1);
    const dir2 = workspace({ "main.tf": DROPLET });
    assert.equal(run(["lint", "--max-warnings", "0"], dir2).code, 1);
    assert.equal(run(["lint", "--max-warnings", "1"], dir2).code, 0);
  });

  it("--fix applies safe fixes atomically, keeps a BOM, and reports what is left", () => {
    const dir = workspace({ "main.tf": "\uFEFF" + DROPLET });
    const r = run(["lint", "--fix"], dir);
    assert.equal(r.code, 0);
    const text = fs.readFileSync(path.join(dir, "main.tf"), "utf8");
    assert.ok(text.startsWith("\uFEFF"), "BOM lost");
    assert.match(text, /lifecycle \{\n {4}create_before_destroy = true\n {2}\}/);
    assert.match(r.stdout, /No problems found/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes(".tmp")),
      [],
      "temporary file left behind",
    );
  });

  it("--fix leaves a file with a split string alone and reports HashiCorp's error for it", () => {
    // tree-sitter's grammar accepts a quoted string split over two lines; the engine's newline checks do not.
    const broken = 'resource "aws_instance" "a" {\n  ami = "x\n y"\n}\n';
    const dir = workspace({ "main.tf": broken });
    const r = run(["lint", "--fix", "--format", "json"], dir);
    assert.equal(fs.readFileSync(path.join(dir, "main.tf"), "utf8"), broken);
    const { findings } = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; message: string }> };
    assert.ok(
      findings.some((f) => f.ruleId === "hcl-syntax" && f.message.startsWith("Invalid multi-line string")),
      r.stdout,
    );
  });

  it("--fix leaves a file alone when HashiCorp's parser rejects it, even where tree-sitter does not", () => {
    // A carriage return alone after a `#` in a heredoc: tree-sitter's grammar and the engine accept it
    // (the engine leaves lines with a comment marker to HashiCorp's parser), Terraform does not.
    const broken = 'resource "aws_instance" "a" {\n  ami       = "x"\n  user_data = <<-EOT\n    #!/bin/sh\r    echo hi\n  EOT\n}\n';
    const dir = workspace({ "main.tf": broken });
    const r = run(["lint", "--fix"], dir);
    assert.equal(fs.readFileSync(path.join(dir, "main.tf"), "utf8"), broken);
    // With tree-sitter the CLI's check before writing catches it; the own reader sees the error itself,
    // and reports it in HashiCorp's words.
    if (hclParserFromEnvironment(process.env) === "own")
      assert.match(r.stdout, /4:14 +error +Invalid character: This character is not used within the language\. +hcl-syntax/);
    else assert.match(r.stderr, /not fixed: main\.tf: HashiCorp's parser rejects the file as it is/);
  });

  it("usage and configuration errors exit 2 with a message and no stack trace", () => {
    const dir = workspace({ "main.tf": DROPLET, ".immutably.hcl": 'rule "no-such-rule" {}\n' });
    const r = run(["lint"], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.immutably\.hcl:1:1: unknown rule "no-such-rule"/);
    const missing = run(["lint", "does-not-exist"], workspace({ "main.tf": DROPLET }));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
    const badFlag = run(["lint", "--format", "xml"], dir);
    assert.equal(badFlag.code, 2);
    for (const out of [r.stderr, missing.stderr, badFlag.stderr]) assert.doesNotMatch(out, /\n\s+at /);
  });

  it("binary and non-UTF-8 files are reported and skipped; tool folders are not read", () => {
    const dir = workspace({
      "main.tf": DROPLET,
      "binary.tf": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
      "latin1.tf": Buffer.from('locals {\n  a = "caf\xe9"\n}\n', "latin1"),
      ".terraform/modules/x/main.tf": 'resource "aws_instance" "hidden" {}\n',
      "node_modules/x/main.tf": 'resource "aws_instance" "hidden" {}\n',
    });
    const r = run(["lint", "--format", "json"], dir);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.skipped.map((s: { path: string }) => s.path).sort(), ["binary.tf", "latin1.tf"]);
    assert.ok(out.findings.every((f: { path: string }) => f.path === "main.tf"));
  });

  it("follows module calls in the main thread and on workers alike, and reports nothing inside .terraform", () => {
    const installed = {
      Modules: [
        { Key: "", Source: "", Dir: "." },
        { Key: "web", Source: "registry.terraform.io/acme/web/aws", Version: "1.0.0", Dir: ".terraform/modules/web" },
      ],
    };
    const dir = workspace({
      "main.tf": 'module "web" {\n  source  = "acme/web/aws"\n  version = "1.0.0"\n\n  image = "ubuntu-22-04-x64"\n}\n',
      ".terraform/modules/modules.json": JSON.stringify(installed),
      // The downloaded module has findings of its own (no lifecycle), which are never reported.
      ".terraform/modules/web/main.tf": 'variable "image" {}\n\nresource "digitalocean_droplet" "this" {\n  image = var.image\n}\n',
    });
    const outputs = ["1", "2"].map(
      (threads) =>
        JSON.parse(run(["lint", "--format", "json", "--threads", threads], dir).stdout) as { findings: Array<Record<string, unknown>> },
    );
    assert.deepEqual(outputs[1].findings, outputs[0].findings);
    assert.deepEqual(
      outputs[0].findings.map((f) => [f.path, f.line, f.column, f.ruleId, f.related]),
      [
        [
          "main.tf",
          5,
          3,
          "pinned-machine-image",
          [
            { path: ".terraform/modules/web/main.tf", line: 1, column: 1, description: 'variable "image" of module.web' },
            { path: ".terraform/modules/web/main.tf", line: 4, column: 3, description: "digitalocean_droplet.this image in module.web" },
          ],
        ],
      ],
    );
  });

  it("rules and explain", () => {
    const r = run(["rules"], root);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^require-create-before-destroy +warning +fix:safe/m);
    const e = run(["explain", "require-create-before-destroy"], root);
    assert.equal(e.code, 0);
    assert.equal(e.stdout, fs.readFileSync(path.join(root, "docs/rules/require-create-before-destroy.md"), "utf8"));
    assert.equal(run(["explain", "nope"], root).code, 2);
  });

  it("rules --format json names each rule's page, which exists", () => {
    const r = run(["rules", "--format", "json"], root);
    assert.equal(r.code, 0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; docs: string }>;
    assert.ok(rules.length > 10);
    for (const rule of rules) {
      assert.equal(rule.docs, path.join(root, "docs/rules", `${rule.id}.md`));
      assert.ok(fs.existsSync(rule.docs), rule.docs);
    }
  });

  it("--help after a command prints that command's usage and exits 0", () => {
    const cases: Array<[string[], RegExp]> = [
      [["lint", "--help"], /immutably lint \[paths\.\.\.\][\s\S]*--max-warnings N/],
      [["lint", "-h"], /immutably lint \[paths\.\.\.\]/],
      [["rules", "--help"], /immutably rules \[--format json\]/],
      [["explain", "--help"], /immutably explain <rule>/],
      [["roll", "--help"], /immutably roll <name>/],
    ];
    for (const [args, usage] of cases) {
      const r = run(args, root);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stdout, usage);
      assert.equal(r.stderr, "");
    }
    // The usage goes to stdout, not a lint of the current folder.
    assert.doesNotMatch(run(["lint", "--help"], root).stdout, /problems?/);
  });
});
