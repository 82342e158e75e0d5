// Pathological inputs through the real CLI (dist/cli.js): each is reported and skipped or linted, with valid output and no stack trace.
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { hclParserFromEnvironment } from "../../../server/src/engine/parse.ts";
import { READER_MAX_NESTING } from "../../../server/src/engine/hcl/reader/index.ts";
import { workspace as makeWorkspace } from "../../helpers/cli.ts";

const root = path.resolve(__dirname, "../../..");
const cli = path.join(root, "dist/cli.js");
/** Makes fs calls fail or files vanish on cue inside the CLI process (see the file's comment). */
const faultHook = path.join(__dirname, "fs-fault-hook.cjs");

/** A generous bound for one CLI run on two loaded cores; a hang shows as a kill, not a slow pass. */
const RUN_TIMEOUT_MS = 60_000;
/**
 * Files of megabytes of HCL tokens: tree-sitter's WASM parser read 1 MB in 7 to 10 s here with a
 * load average of 20 on two cores (about 1 s unloaded), so these runs get five minutes.
 */
const BIG_RUN_TIMEOUT_MS = 300_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(
  args: string[],
  cwd: string,
  extra: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; spawn?: SpawnSyncOptions; timeoutMs?: number } = {},
): Run {
  const started = Date.now();
  // SIGKILL, because a process stuck in a synchronous read does not run its SIGTERM handler.
  const r = spawnSync(process.execPath, [...(extra.nodeArgs ?? []), cli, ...args], {
    cwd,
    encoding: "utf8",
    timeout: extra.timeoutMs ?? RUN_TIMEOUT_MS,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", ...extra.env },
    ...extra.spawn,
  });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - started };
}

const workspace = (files: Record<string, string | Buffer> = {}) => makeWorkspace(files, "immutably-robust-");

interface JsonReport {
  findings: Array<{ ruleId: string; path: string; message: string; line: number; column: number }>;
  skipped: Array<{ path: string; message: string }>;
  summary: { errors: number; warnings: number; infos: number };
}

/** The checks every run must pass: it ended by itself, exit 0 or 1, JSON that parses, no stack trace. */
function lintJson(cwd: string, args: string[] = [], extra?: Parameters<typeof run>[2]): JsonReport & { run: Run } {
  const r = run(["lint", "--format", "json", ...args], cwd, extra);
  assert.equal(r.signal, null, `killed after ${r.ms} ms (a hang); stderr: ${r.stderr}`);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}; stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "a stack trace reached the user");
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.ok(Array.isArray(report.findings) && Array.isArray(report.skipped));
  return { ...report, run: r };
}

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';

describe("pathological files through the CLI", () => {
  before(() => {
    assert.ok(fs.existsSync(cli), "dist/cli.js is missing: npm test builds it first");
  });

  it("binary data with a .tf name is reported and skipped", () => {
    // Deterministic pseudo-random bytes with NULs, as a compiled binary renamed to main.tf would be.
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0, x = 12345; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const out = lintJson(workspace({ "main.tf": bytes, "ok.tf": DROPLET }));
    assert.equal(out.run.code, 0);
    assert.deepEqual(out.skipped, [{ path: "main.tf", message: "file contains NUL bytes (binary data), skipped" }]);
    assert.deepEqual(
      out.findings.map((f) => [f.path, f.ruleId]),
      [["ok.tf", "require-create-before-destroy"]],
    );
  });

  it("binary data without NUL bytes is reported as not UTF-8", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => 0x80 + (i % 0x7f)));
    const out = lintJson(workspace({ "main.tf": bytes }));
    assert.deepEqual(
      out.skipped.map((s) => s.message),
      ["file is not valid UTF-8 (Terraform and Packer read UTF-8 only), skipped"],
    );
  });

  it("an empty file lints clean", () => {
    const out = lintJson(workspace({ "main.tf": "", "web.pkr.hcl": "", "vars.tfvars": "" }));
    assert.equal(out.run.code, 0);
    assert.deepEqual([out.findings, out.skipped], [[], []]);
  });

  it("BOM and CRLF: findings at the right columns, and --fix keeps both", () => {
    const dir = workspace({ "main.tf": Buffer.from("\uFEFF" + DROPLET.replace(/\n/g, "\r\n"), "utf8") });
    const out = lintJson(dir);
    assert.deepEqual(
      out.findings.map((f) => [f.ruleId, f.line, f.column]),
      [["require-create-before-destroy", 1, 1]],
    );
    const fixed = lintJson(dir, ["--fix"]);
    assert.deepEqual(fixed.findings, []);
    const bytes = fs.readFileSync(path.join(dir, "main.tf"));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "the BOM was kept");
    const text = bytes.subarray(3).toString("utf8");
    assert.equal(text.replace(/\r\n/g, "").includes("\n"), false, "every line still ends in CRLF");
    assert.match(text, /create_before_destroy = true\r\n/);
  });

  it("a Latin-1 file is reported as not UTF-8, not linted with mangled text", () => {
    const out = lintJson(
      workspace({ "main.tf": Buffer.from('resource "aws_instance" "a" {\n  tags = { Name = "caf\xe9" }\n}\n', "latin1") }),
    );
    assert.deepEqual(out.skipped, [
      { path: "main.tf", message: "file is not valid UTF-8 (Terraform and Packer read UTF-8 only), skipped" },
    ]);
    assert.deepEqual(out.findings, []);
  });

  it("20,000 nested brackets: a finding names the limit and its setting; raising the limit lints the file", () => {
    const deep = `x = ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
    const dir = workspace({ "main.tf": deep });
    const out = lintJson(dir);
    assert.equal(out.run.code, 1);
    assert.deepEqual(
      out.findings.map((f) => [f.ruleId, f.line, f.column, f.message]),
      [["hcl-syntax", 1, 1, "Nesting deeper than 500 levels; the file was not analysed (setting max_nesting_depth)."]],
    );
    fs.writeFileSync(path.join(dir, ".immutably.hcl"), "max_nesting_depth = 30000\n");
    const raised = lintJson(dir);
    assert.ok(!raised.findings.some((f) => f.message.includes("max_nesting_depth")), JSON.stringify(raised.findings).slice(0, 500));
    // The own HCL reader recurses per level and reads at most READER_MAX_NESTING of them; it says so instead of the setting.
    if (hclParserFromEnvironment(process.env) === "own") {
      assert.deepEqual(
        raised.findings.map((f) => f.message),
        [`Nesting deeper than ${READER_MAX_NESTING} levels, the most the HCL reader reads; the file was not analysed.`],
      );
    }
  });

  it("a 3 MB line is linted, findings on it and after it keep their columns", () => {
    const text = `locals {\n  blob = "${"a".repeat(3 * 1024 * 1024)}"\n}\n${DROPLET}`;
    const out = lintJson(workspace({ "main.tf": text }), [], { timeoutMs: BIG_RUN_TIMEOUT_MS });
    assert.deepEqual(out.skipped, []);
    assert.deepEqual(
      out.findings.map((f) => [f.ruleId, f.line, f.column]),
      [["require-create-before-destroy", 4, 1]],
    );
  });

  it("a 30 MB file is skipped with the size and setting named; with max_file_bytes raised it is linted", () => {
    // 30 MiB of comment lines, then a resource, so a lint that read it shows a finding on the last lines.
    const line = `# ${"x".repeat(1021)}\n`;
    const text = line.repeat(30 * 1024) + DROPLET;
    const dir = workspace({
      "big.tf": text,
      "small.tf": 'resource "aws_instance" "b" {\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    });
    const size = Buffer.byteLength(text);
    const out = lintJson(dir);
    assert.deepEqual(out.skipped, [
      { path: "big.tf", message: `skipped: ${size} bytes is over the limit of ${10 * 1024 * 1024} (setting max_file_bytes)` },
    ]);
    assert.deepEqual(out.findings, []);
    fs.writeFileSync(path.join(dir, ".immutably.hcl"), `max_file_bytes = ${64 * 1024 * 1024}\n`);
    const raised = lintJson(dir);
    assert.deepEqual(raised.skipped, []);
    assert.deepEqual(
      raised.findings.map((f) => [f.path, f.ruleId, f.line]),
      [["big.tf", "require-create-before-destroy", 30 * 1024 + 1]],
    );
  });

  it("a symbolic link loop is reported once and the walk finishes", () => {
    const dir = workspace({ "main.tf": DROPLET, "mod/child.tf": "" });
    fs.symlinkSync("..", path.join(dir, "mod", "up"));
    fs.symlinkSync(".", path.join(dir, "self"));
    const out = lintJson(dir);
    assert.deepEqual(
      out.skipped.map((s) => [s.path, s.message]),
      [
        ["mod/up", "skipped: symbolic link loop (folder already visited)"],
        ["self", "skipped: symbolic link loop (folder already visited)"],
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => f.path),
      ["main.tf"],
    );
  });

  it("a dangling symbolic link is reported and skipped", () => {
    const dir = workspace({ "main.tf": DROPLET });
    fs.symlinkSync("gone.tf", path.join(dir, "link.tf"));
    const out = lintJson(dir);
    assert.deepEqual(out.skipped, [{ path: "link.tf", message: "skipped: broken symbolic link" }]);
    assert.equal(out.findings.length, 1);
  });

  it(
    "a FIFO named like configuration is reported, not read: reading it would wait for a writer forever",
    { skip: process.platform === "win32" ? "no FIFOs on Windows" : false },
    () => {
      const dir = workspace({ "main.tf": DROPLET });
      spawnSync("mkfifo", [path.join(dir, "pipe.tf")]);
      assert.ok(fs.statSync(path.join(dir, "pipe.tf")).isFIFO(), "mkfifo failed");
      const walked = lintJson(dir);
      assert.deepEqual(walked.skipped, [{ path: "pipe.tf", message: "skipped: not a regular file" }]);
      assert.equal(walked.findings.length, 1);
      const named = lintJson(dir, ["pipe.tf"]);
      assert.deepEqual(named.skipped, [{ path: "pipe.tf", message: "skipped: not a regular file" }]);
    },
  );

  it("a file that disappears between the walk and the read is reported as ENOENT", () => {
    const dir = workspace({ "main.tf": DROPLET, "vanishing.tf": DROPLET });
    const out = lintJson(dir, [], { nodeArgs: ["--require", faultHook], env: { IMMUTABLY_TEST_FS_FAULTS: "vanish:vanishing.tf" } });
    assert.deepEqual(out.skipped, [{ path: "vanishing.tf", message: "cannot read: ENOENT" }]);
    assert.deepEqual(
      out.findings.map((f) => f.path),
      ["main.tf"],
    );
    assert.equal(fs.existsSync(path.join(dir, "vanishing.tf")), false, "the hook did delete the file during the run");
  });

  it("a file that becomes unreadable during the run (EACCES, EIO) is reported and skipped", () => {
    const dir = workspace({ "main.tf": DROPLET, "denied.tf": DROPLET, "broken.tf": DROPLET });
    const out = lintJson(dir, [], {
      nodeArgs: ["--require", faultHook],
      env: { IMMUTABLY_TEST_FS_FAULTS: "EACCES:denied.tf,EIO:broken.tf" },
    });
    assert.deepEqual(out.skipped, [
      { path: "broken.tf", message: "cannot read: EIO" },
      { path: "denied.tf", message: "cannot read: EACCES" },
    ]);
    assert.deepEqual(
      out.findings.map((f) => f.path),
      ["main.tf"],
    );
  });

  it("a folder that cannot be listed is reported and the rest is linted", () => {
    const dir = workspace({ "main.tf": DROPLET, "locked/inner.tf": DROPLET });
    const out = lintJson(dir, [], { nodeArgs: ["--require", faultHook], env: { IMMUTABLY_TEST_FS_FAULTS: "EACCES:locked" } });
    assert.deepEqual(out.skipped, [{ path: "locked", message: "cannot read folder: EACCES" }]);
    assert.deepEqual(
      out.findings.map((f) => f.path),
      ["main.tf"],
    );
  });

  // Real permissions, not the hook: as root, chmod 000 does not stop reads, so the CLI runs as nobody.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const permissionsWork = process.platform !== "win32";
  it(
    "unreadable files and folders (chmod 000) are reported and skipped",
    { skip: permissionsWork ? false : "no POSIX permissions" },
    () => {
      const dir = workspace({ "main.tf": DROPLET, "secret.tf": DROPLET, "private/inner.tf": DROPLET });
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(path.join(dir, "main.tf"), 0o644);
      fs.chmodSync(path.join(dir, "secret.tf"), 0o000);
      fs.chmodSync(path.join(dir, "private"), 0o000);
      try {
        const out = lintJson(dir, [], { spawn: asUser });
        assert.deepEqual(out.skipped, [
          { path: "private", message: "cannot read folder: EACCES" },
          { path: "secret.tf", message: "cannot read: EACCES" },
        ]);
        assert.deepEqual(
          out.findings.map((f) => f.path),
          ["main.tf"],
        );
      } finally {
        fs.chmodSync(path.join(dir, "private"), 0o755);
      }
    },
  );

  it("SARIF output stays valid JSON with skipped files and a nesting finding", () => {
    const dir = workspace({ "main.tf": DROPLET, "bin.tf": Buffer.from([0, 1, 2, 0xff]), "deep.tf": `x = ${"{".repeat(1000)}` });
    const r = run(["lint", "--format", "sarif"], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const log = JSON.parse(r.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    assert.equal(log.version, "2.1.0");
    assert.deepEqual(log.runs[0].results.map((x) => x.ruleId).sort(), ["hcl-syntax", "require-create-before-destroy"]);
  });
});
