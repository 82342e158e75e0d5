// Malformed `.immutably.hcl`: every problem is an error naming the file, line, column and attribute; the CLI exits 2 without a stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { ConfigurationError, createLinter, parseConfig, type Linter } from "../../../server/src/engine/index.ts";

const root = path.resolve(__dirname, "../../..");
const cli = path.join(root, "dist/cli.js");
const CONFIG = "/w/.immutably.hcl";

/** The errors parseConfig throws for a text, as "line:column: message"; fails when it does not throw. */
function configErrors(linter: Linter, text: string): string[] {
  try {
    parseConfig(CONFIG, text, linter.rules);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, `not a ConfigurationError: ${String(error)}`);
    for (const e of error.errors) assert.equal(e.path, CONFIG);
    return error.errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
  }
  return assert.fail(`accepted:\n${text}`);
}

describe("configuration errors (parseConfig)", () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });

  const cases: Array<[string, string, RegExp[]]> = [
    ["an unclosed block", 'rule "hcl-syntax" {\n  enabled = true\n', [/^\d+:\d+: syntax error: /]],
    [
      "an unknown rule",
      'rule "no-such-rule" {\n  enabled = false\n}\n',
      [/^1:1: unknown rule "no-such-rule"; known rules: .*require-create-before-destroy/],
    ],
    ["a rule block without a name", "rule {\n}\n", [/^1:1: unknown rule ""/]],
    ["an unknown block", 'rules "hcl-syntax" {\n}\n', [/^1:1: unknown block "rules" \(expected "rule" or "generation"\)/]],
    ["an unknown setting", "max_bytes = 1\n", [/^1:1: unknown setting "max_bytes"/]],
    [
      "an unknown option",
      'rule "require-create-before-destroy" {\n  resource = ["aws_instance"]\n}\n',
      [/^2:3: rule "require-create-before-destroy" has no option "resource" \(options: resources, exclude\)/],
    ],
    [
      "an option on a rule without options",
      'rule "hcl-syntax" {\n  strict = true\n}\n',
      [/^2:3: rule "hcl-syntax" has no option "strict" \(it takes no options\)/],
    ],
    [
      "enabled as a string",
      'rule "hcl-syntax" {\n  enabled = "yes"\n}\n',
      [/^2:3: rule "hcl-syntax": "enabled" must be true or false, got string/],
    ],
    [
      "an unknown severity",
      'rule "hcl-syntax" {\n  severity = "fatal"\n}\n',
      [/^2:3: rule "hcl-syntax": "severity" must be one of error, warning, info, got "fatal"/],
    ],
    [
      "an option of the wrong type",
      'rule "require-create-before-destroy" {\n  exclude = "aws_instance"\n}\n',
      [/^2:3: rule "require-create-before-destroy": option "exclude" must be a list of strings, got string/],
    ],
    [
      "a list with a number in it",
      'rule "require-create-before-destroy" {\n  exclude = ["a", 1]\n}\n',
      [/^2:3: .*option "exclude" must be a list of strings, got list/],
    ],
    ["a size as a string", 'max_file_bytes = "10MB"\n', [/^1:1: "max_file_bytes" must be a positive whole number, got "10MB"/]],
    ["a negative size", "max_file_bytes = -1\n", [/^1:1: "max_file_bytes" must be (a positive whole number, got -1|a literal value)/]],
    ["a fractional depth", "max_nesting_depth = 1.5\n", [/^1:1: "max_nesting_depth" must be a positive whole number, got 1.5/]],
    ["a zero depth", "max_nesting_depth = 0\n", [/^1:1: "max_nesting_depth" must be a positive whole number, got 0/]],
    ["ignore_paths as a string", 'ignore_paths = "vendor/**"\n', [/^1:1: "ignore_paths" must be a list of strings, got string/]],
    ["a reference", "max_file_bytes = var.limit\n", [/^1:1: "max_file_bytes" must be a literal value \(no references or functions\)/]],
    ["arithmetic", "max_file_bytes = 64 * 1024 * 1024\n", [/^1:1: "max_file_bytes" must be a literal value/]],
    ["a function call", 'rule "hcl-syntax" {\n  severity = lower("ERROR")\n}\n', [/^2:3: "severity" must be a literal value/]],
    [
      "several problems at once, each on its own line",
      'max_bytes = 1\nrule "nope" {\n}\nrule "hcl-syntax" {\n  enabled = 1\n}\n',
      [
        /^1:1: unknown setting "max_bytes"/,
        /^5:3: rule "hcl-syntax": "enabled" must be true or false, got number/,
        /^2:1: unknown rule "nope"/,
      ],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const errors = configErrors(linter, text);
      assert.equal(errors.length, expected.length, errors.join("\n"));
      // Errors come out in a fixed order (attributes, then blocks); match them as a set all the same.
      for (const pattern of expected)
        assert.ok(
          errors.some((e) => pattern.test(e)),
          `${pattern} not in:\n${errors.join("\n")}`,
        );
    });
  }

  it("accepts a byte order mark before the settings", () => {
    const config = parseConfig(CONFIG, "\uFEFFmax_file_bytes = 100000\n", linter.rules);
    assert.equal(config.maxFileBytes, 100000);
  });
});

describe("configuration errors (CLI)", () => {
  before(() => {
    assert.ok(fs.existsSync(cli), "dist/cli.js is missing: npm test builds it first");
  });

  function lint(dir: string, args: string[] = [], spawnAs: { uid?: number; gid?: number } = {}) {
    // SIGKILL, because a process stuck in a synchronous read does not run its SIGTERM handler.
    const r = spawnSync(process.execPath, [cli, "lint", "--format", "json", ...args], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      killSignal: "SIGKILL",
      env: { ...process.env, NO_COLOR: "1" },
      ...spawnAs,
    });
    assert.equal(r.signal, null, `killed (a hang); stderr: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "a stack trace reached the user");
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function workspace(config?: string | Buffer): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-config-"));
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, "main.tf"), 'resource "aws_instance" "a" {\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n');
    if (config !== undefined) fs.writeFileSync(path.join(dir, ".immutably.hcl"), config);
    return dir;
  }

  it("a malformed file: exit 2, every problem as path:line:column, nothing on stdout", () => {
    const dir = workspace(
      'max_file_bytes = "big"\nrule "require-create-before-destroy" {\n  exclude = "aws_instance"\n  colour = "red"\n}\n',
    );
    const r = lint(dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    const file = path.join(dir, ".immutably.hcl");
    assert.equal(
      r.stderr,
      [
        "immutably: configuration error",
        `${file}:1:1: "max_file_bytes" must be a positive whole number, got "big"`,
        `${file}:3:3: rule "require-create-before-destroy": option "exclude" must be a list of strings, got string`,
        `${file}:4:3: rule "require-create-before-destroy" has no option "colour" (options: resources, exclude)`,
        "",
      ].join("\n"),
    );
  });

  it("a syntax error: exit 2 with the position", () => {
    const r = lint(workspace('rule "hcl-syntax" {\n  enabled = \n}\n'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.immutably\.hcl:\d+:\d+: syntax error: /);
  });

  it("--config naming a missing file or a folder: exit 2 naming the path and the reason", () => {
    const dir = workspace();
    const missing = lint(dir, ["--config", "nowhere.hcl"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read configuration .*nowhere\.hcl: ENOENT/);
    fs.mkdirSync(path.join(dir, "folder.hcl"));
    const folder = lint(dir, ["--config", "folder.hcl"]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /configuration .*folder\.hcl/);
  });

  it(
    "a configuration file that is a FIFO is refused instead of waiting for a writer",
    { skip: process.platform === "win32" ? "no FIFOs on Windows" : false },
    () => {
      const dir = workspace();
      spawnSync("mkfifo", [path.join(dir, ".immutably.hcl")]);
      assert.ok(fs.statSync(path.join(dir, ".immutably.hcl")).isFIFO(), "mkfifo failed");
      const r = lint(dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /configuration .*\.immutably\.hcl: not a regular file/);
    },
  );

  // As root, chmod 000 does not stop reads, so the CLI runs as nobody then.
  it(
    "an unreadable configuration file (chmod 000): exit 2 with EACCES",
    { skip: process.platform === "win32" ? "no POSIX permissions" : false },
    () => {
      const dir = workspace("max_file_bytes = 1000\n");
      fs.chmodSync(path.join(dir, "main.tf"), 0o644);
      fs.chmodSync(path.join(dir, ".immutably.hcl"), 0o000);
      const r = lint(dir, [], process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {});
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read configuration .*\.immutably\.hcl: EACCES/);
    },
  );
});
