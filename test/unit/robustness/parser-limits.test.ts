// A file the parsers cannot take (tree-sitter's heap runs out, nesting exhausts the stack) is one finding through the real CLI; the other files are still linted.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import type { HclParserKind } from "../../../server/src/engine/parse.ts";
import { READER_MAX_NESTING } from "../../../server/src/engine/hcl/reader/index.ts";
import { CLI, workspace } from "../../helpers/cli.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';

interface Report {
  findings: Array<{ ruleId: string; path: string; line: number; column: number; message: string }>;
}

function lint(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): { code: number | null; report: Report; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "lint", "--format", "json", ...args], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    killSignal: "SIGKILL",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  assert.equal(r.signal, null, `killed (a hang); stderr: ${r.stderr}`);
  assert.equal(r.status, 1, `exit ${r.status}; stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at |Aborted\(\)|internal error/, "a crash reached the user");
  return { code: r.status, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

/** Dense HCL (a list of small numbers per line): about 100 bytes of tree-sitter heap per byte of text. */
function denseLocals(bytes: number): string {
  const list = `[${Array.from({ length: 200 }, (_, i) => i % 10).join(",")}]`;
  const lines = Array.from({ length: Math.ceil(bytes / (list.length + 12)) }, (_, i) => `  v${i} = ${list}\n`);
  return `locals {\n${lines.join("")}}\n`;
}

const summary = (report: Report) => report.findings.map((f) => [f.path, f.ruleId, f.line, f.column, f.message]);

describe("files the parsers cannot take", () => {
  it("tree-sitter running out of memory on one file is a finding on it, and the other files are linted (it aborted the whole run)", () => {
    // 20 MB of such text exhausts the 2 GB heap; with the heap limited to 128 MB, 2 MB does (the same failure, in seconds).
    const text = denseLocals(2 * 1024 * 1024);
    const dir = workspace({ "big.tf": text, "main.tf": DROPLET });
    // Only tree-sitter has a heap of its own to exhaust: the run uses it whichever parser the suite runs with.
    const { report } = lint(dir, ["--threads", "1"], { IMMUTABLY_PARSER: "tree-sitter", IMMUTABLY_PARSER_MEMORY_MB: "128" });
    assert.deepEqual(summary(report), [
      [
        "big.tf",
        "hcl-syntax",
        1,
        1,
        `The parser ran out of memory on this file (${Buffer.byteLength(text)} bytes); it was not analysed. Split it, or set max_file_bytes below its size to skip such files.`,
      ],
      ["main.tf", "require-create-before-destroy", 1, 1, report.findings[1]?.message],
    ]);
  });

  it("a template nested 5,000 deep in a .tf.json string is a nesting finding (it overflowed the stack and lost the run)", () => {
    const deep = JSON.stringify({ locals: { x: "${" + "[".repeat(5000) + "]".repeat(5000) + "}" } });
    const dir = workspace({ "deep.tf.json": deep, "main.tf": DROPLET });
    const { report } = lint(dir);
    assert.deepEqual(
      summary(report).map((f) => f.slice(0, 4)),
      [
        ["deep.tf.json", "hcl-syntax", 1, 1],
        ["main.tf", "require-create-before-destroy", 1, 1],
      ],
    );
    assert.equal(report.findings[0].message, "Nesting deeper than 500 levels; the file was not analysed (setting max_nesting_depth).");
  });

  it("with max_nesting_depth raised past what the stack holds, the same file is still one finding, not a lost run", () => {
    const deep = JSON.stringify({ locals: { x: "${" + "[".repeat(50_000) + "]".repeat(50_000) + "}" } });
    const dir = workspace({ "deep.tf.json": deep, "main.tf": DROPLET, ".immutably.hcl": "max_nesting_depth = 1000000\n" });
    // Each parser, whichever the suite runs with: tree-sitter overflows the stack and says so; the engine
    // refuses the file before the own reader reads it, at the depth the reader is known to read.
    const expected: Array<[HclParserKind, string]> = [
      ["tree-sitter", "Nesting too deep for the parser; the file was not analysed (setting max_nesting_depth)."],
      ["own", `Nesting deeper than ${READER_MAX_NESTING} levels, the most the HCL reader reads; the file was not analysed.`],
    ];
    for (const [parser, message] of expected) {
      const { report } = lint(dir, [], { IMMUTABLY_PARSER: parser });
      assert.deepEqual(
        summary(report).map((f) => f.slice(0, 4)),
        [
          ["deep.tf.json", "hcl-syntax", 1, 1],
          ["main.tf", "require-create-before-destroy", 1, 1],
        ],
        parser,
      );
      assert.equal(report.findings[0].message, message, parser);
    }
  });

  it("a template nested 5,000 deep in a native string that a rule reads is a nesting finding, not a failed rule", () => {
    const deep = `resource "aws_instance" "web" {\n  ami       = "ami-0123456789abcdef0"\n  user_data = "\${${"[".repeat(5000)}${"]".repeat(5000)}}"\n}\n`;
    const dir = workspace({ "deep.tf": deep, "main.tf": DROPLET });
    const { report } = lint(dir);
    assert.deepEqual(
      summary(report).map((f) => f.slice(0, 4)),
      [
        ["deep.tf", "hcl-syntax", 1, 1],
        ["main.tf", "require-create-before-destroy", 1, 1],
      ],
    );
    assert.equal(path.basename(report.findings[0].path), "deep.tf");
  });
});
