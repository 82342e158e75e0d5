// The one runner, with real child processes (node): argv without a shell, streaming, timeout, cancellation of the whole process group, missing tools, redaction.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { Redactor } from "../../server/src/roll/redact.ts";
import { runTool, ToolNotFoundError } from "../../server/src/roll/runner.ts";
import { tempDir } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const node = process.execPath;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("arguments reach the program verbatim: no shell expands quotes, ;, $() or newlines", async () => {
  const hostile = ["a b", `"quoted"`, "x;touch /tmp/immutably-pwned", "$(id)", "`id`", "line1\nline2", "-rf", "*"];
  const result = await runTool({
    file: node,
    args: ["-e", "process.stdout.write(JSON.stringify(process.argv.slice(1)))", ...hostile],
    cwd: process.cwd(),
    timeoutMs: 10_000,
    redactor: new Redactor(),
  });
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), hostile);
  assert.ok(!fs.existsSync("/tmp/immutably-pwned"));
});

test("output is streamed line by line, redacted, with the full stdout kept for parsing", async () => {
  const lines: string[] = [];
  const result = await runTool({
    file: node,
    args: ["-e", "console.log('one AKIAIOSFODNN7EXAMPLE'); console.error('two'); process.stdout.write('three')"],
    cwd: process.cwd(),
    timeoutMs: 10_000,
    redactor: new Redactor(),
    onLine: (line, stream) => lines.push(`${stream}:${line}`),
  });
  assert.deepEqual(lines.sort(), ["stderr:two", "stdout:one [REDACTED]", "stdout:three"]);
  assert.equal(result.stdout, "one AKIAIOSFODNN7EXAMPLE\nthree", "stdout for parsing is unredacted; it is never logged as is");
});

test("fault: a hanging tool is stopped at its timeout, and so are its children", async () => {
  const dir = tempDir("runner");
  dirs.push(dir);
  const pidFile = path.join(dir, "child.pid");
  const script = `const { spawn } = require("node:child_process"); const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
  const started = Date.now();
  const result = await runTool({ file: node, args: ["-e", script], cwd: dir, timeoutMs: 1500, redactor: new Redactor(), killGraceMs: 500 });
  assert.equal(result.timedOut, true);
  assert.ok(Date.now() - started < 10_000);
  const grandchild = Number(fs.readFileSync(pidFile, "utf8"));
  // The group was killed; give the kernel a moment to reap.
  for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(grandchild), false, "the grandchild was stopped with its group");
});

test("cancellation through AbortSignal stops the tool and reports it as cancelled", async () => {
  const controller = new AbortController();
  const lines: string[] = [];
  const pending = runTool({
    file: node,
    args: ["-e", "console.log('started'); setInterval(() => {}, 1000)"],
    cwd: process.cwd(),
    timeoutMs: 60_000,
    signal: controller.signal,
    redactor: new Redactor(),
    onLine: (line) => {
      lines.push(line);
      if (line === "started") controller.abort();
    },
  });
  const result = await pending;
  assert.equal(result.cancelled, true);
  assert.equal(result.exitCode, null);
  assert.equal(result.signal, "SIGTERM");
});

test("fault: a tool killed mid-run is reported with its signal", async () => {
  const result = await runTool({
    file: node,
    args: ["-e", "process.kill(process.pid, 'SIGKILL')"],
    cwd: process.cwd(),
    timeoutMs: 10_000,
    redactor: new Redactor(),
  });
  assert.equal(result.signal, "SIGKILL");
  assert.equal(result.cancelled, false);
});

test("fault: a missing tool is a ToolNotFoundError that says how to point immutably at it", async () => {
  await assert.rejects(
    runTool(
      { file: "/nonexistent/packer", args: [], cwd: process.cwd(), timeoutMs: 1000, redactor: new Redactor() },
      "packer",
      "Set immutably.packerPath.",
    ),
    (e: unknown) =>
      e instanceof ToolNotFoundError &&
      /packer was not found \(tried "\/nonexistent\/packer"\)\. Set immutably\.packerPath\./.test(e.message),
  );
});

test("a timeout longer than setTimeout's limit (720h) is honoured, not turned into an immediate one", async () => {
  const result = await runTool({
    file: node,
    args: ["-e", "setTimeout(() => console.log('done'), 300)"],
    cwd: process.cwd(),
    timeoutMs: 720 * 3_600_000,
    redactor: new Redactor(),
  });
  assert.equal(result.timedOut, false);
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, "done\n");
});
