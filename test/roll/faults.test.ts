// Faults around the pipeline, with stand-in tools: a missing tool, a full disk while recording, and a run killed outright (stale lock + stranded pending generation).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { after, test } from "node:test";
import { runRollCommand } from "../../server/src/cli/roll-commands.ts";
import { nodeAtomicWriteFs } from "../../server/src/host/atomic-write.ts";
import { validateHistory } from "../../server/src/roll/history.ts";
import { rollback, roll } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { configFrom, recorded, RecordingHost, ROOT, standInGeneration } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function setup(prefix: string, verify = ""): Promise<{ dir: string; log: string; packer: string; terraform: string }> {
  const made = standInGeneration(prefix, verify);
  dirs.push(made.dir);
  return made;
}

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  return { stream: new Writable({ write: (c, _e, cb) => ((text += String(c)), cb()) }), text: () => text };
}

test("fault: a missing tool stops the roll at that stage with a message saying how to point immutably at it", async () => {
  const { dir, terraform } = await setup("missing");
  const out = sink();
  const err = sink();
  const code = await runRollCommand("roll", ["web", "--yes", "--terraform", terraform], {
    stdout: out.stream,
    stderr: err.stream,
    cwd: dir,
    isTTY: false,
    signal: new AbortController().signal,
    env: { PATH: "/nonexistent", IMMUTABLY_PACKER: "/nonexistent/packer" },
  });
  assert.equal(code, 1);
  assert.match(
    out.text(),
    /roll of web failed at bake: packer was not found \(tried "\/nonexistent\/packer"\)\. Install it, add it to PATH, or set immutably\.packerPath \(VS Code\), --packer PATH or IMMUTABLY_PACKER \(CLI\)\.\nnothing was recorded or changed/,
  );
});

/** History file operations whose writes fail with ENOSPC from the `from`-th write on, up to the `to`-th. */
function fullDisk(
  from: number,
  to = Infinity,
): { historyFs: { writeNewFile: typeof nodeAtomicWriteFs.writeNewFile }; writes: () => number } {
  let writes = 0;
  return {
    writes: () => writes,
    historyFs: {
      writeNewFile: (file, data, mode, exact) => {
        writes += 1;
        if (writes >= from && writes <= to) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        nodeAtomicWriteFs.writeNewFile(file, data, mode, exact);
      },
    },
  };
}

test("fault: a full disk before the promotion is recorded stops the roll before anything is applied, says so, and the next roll finds the stranded generation", async () => {
  const { dir, log, packer, terraform } = await setup("diskfull");
  const generation = await configFrom(dir, fs.readFileSync(path.join(dir, ".immutably.hcl"), "utf8"), "web");
  const tools = resolveToolPaths({ packer, terraform }, {});
  assert.equal((await roll({ generation, host: new RecordingHost(), tools, env: {} })).exitCode, 0);
  const applies = () => recorded(log).filter((c) => c.argv[0] === "apply").length;
  assert.equal(applies(), 1);
  // The disk fills up after the new generation is recorded: recording its promotion fails, and so does everything after.
  const disk = fullDisk(2);
  const outcome = await roll({ generation, host: new RecordingHost(), tools, env: {}, historyFs: disk.historyFs });
  assert.equal(outcome.exitCode, 1);
  const summary = outcome.summary.join("\n");
  assert.match(
    summary,
    /roll of web to #2 failed at record: could not write \S+generations\.json: ENOSPC: no space left on device, write\nnothing was applied; #1 stays live/,
  );
  assert.match(summary, /could not record in history that #2 failed: could not write [^\n]*ENOSPC/);
  assert.doesNotMatch(summary, /intact/);
  assert.equal(applies(), 1, "nothing was applied without history saying so first");
  const history = JSON.parse(fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8"));
  assert.deepEqual(validateHistory(history), []);
  assert.deepEqual(
    history.generations.map((g: { number: number; status: string }) => `${g.number}:${g.status}`),
    ["1:live", "2:pending"],
  );
  assert.ok(!fs.existsSync(path.join(dir, ".immutably/web.lock")), "the roll lock was released");
  const host = new RecordingHost();
  const next = await roll({ generation, host, tools, env: {} });
  assert.equal(next.exitCode, 0);
  assert.match(
    host.text(),
    /warning: generation web #2 was left pending by an interrupted run; it was never promoted\. It is now marked failed\./,
  );
  assert.deepEqual(
    next.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:failed", "3:live"],
  );
});

test("fault: a full disk when recording that the new generation passed verify is reported as such; history says it is promoted, and rollback --to it records it", async () => {
  const { dir, packer, terraform } = await setup("diskfull-end");
  const generation = await configFrom(dir, fs.readFileSync(path.join(dir, ".immutably.hcl"), "utf8"), "web");
  const tools = resolveToolPaths({ packer, terraform }, {});
  assert.equal((await roll({ generation, host: new RecordingHost(), tools, env: {} })).exitCode, 0);
  // The third write of the roll (pending, promoted, then live) hits a full disk.
  const outcome = await roll({ generation, host: new RecordingHost(), tools, env: {}, historyFs: fullDisk(3, 3).historyFs });
  assert.equal(outcome.exitCode, 1);
  assert.match(
    outcome.summary.join("\n"),
    /rolled web to generation #2 [^\n]*\n#1 is previous\ncould not record in history that #2 passed verify: could not write \S+: ENOSPC[^\n]*; history still says it is promoted \(deployed, not verified\)/,
  );
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:promoted"],
    "history says what was recorded last, and says it truly",
  );
  const again = await rollback({ generation, host: new RecordingHost(), tools, env: {}, to: 2 });
  assert.equal(again.exitCode, 0, again.summary.join("\n"));
  assert.deepEqual(
    again.generations.map((g) => `${g.number}:${g.status}`),
    ["1:previous", "2:live"],
  );
});

test(
  "fault: a roll killed with SIGKILL mid-verify leaves its lock (naming the verify command still running) and a promoted generation; a new run waits for that command, then clears both with messages",
  { timeout: 120_000 },
  async () => {
    const { dir, packer, terraform } = await setup(
      "killed",
      `  verify {\n    command = ["node", "-e", "require('fs').writeFileSync('verify.pid', String(process.pid)); console.log('verifying'); setInterval(() => {}, 1000)"]\n  }`,
    );
    const script = path.join(dir, "run.mts");
    fs.writeFileSync(
      script,
      `import { runRollCommand } from ${JSON.stringify(path.join(ROOT, "server/src/cli/roll-commands.ts"))};\nprocess.exitCode = await runRollCommand("roll", ["web", "--yes", "--packer", ${JSON.stringify(packer)}, "--terraform", ${JSON.stringify(terraform)}], { stdout: process.stdout, stderr: process.stderr, cwd: ${JSON.stringify(dir)}, isTTY: false, signal: new AbortController().signal });\n`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (/\n {2}verifying\n/.test(stderr)) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error(`the roll ended before it could be killed:\n${stderr}`)));
    });
    await new Promise((r) => child.once("close", r));
    assert.ok(fs.existsSync(path.join(dir, ".immutably/web.lock")), "the killed run left its lock");
    // SIGKILL gives immutably no chance to stop its tools: the verify process, in its own group, lives
    // on. The lock names it, and a new run refuses to overlap it.
    const verifyPid = Number(fs.readFileSync(path.join(dir, "verify.pid"), "utf8"));
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, ".immutably/web.lock"), "utf8"));
    assert.equal(recorded.pid, child.pid);
    assert.equal(recorded.child?.pid, verifyPid, "the lock records the running verify command");
    assert.match(recorded.child.command, /^node -e /);
    const out = sink();
    const code = await runRollCommand("generations", ["web", "--format", "json"], {
      stdout: out.stream,
      stderr: sink().stream,
      cwd: dir,
      isTTY: false,
      signal: new AbortController().signal,
    });
    assert.equal(code, 0);
    assert.deepEqual(
      JSON.parse(out.text()).generations.map((g: { status: string }) => g.status),
      ["promoted"],
      "history is valid JSON and says the interrupted generation is deployed, not verified",
    );
    // A new run does not overlap the command: it names it, shows how to stop it and waits. Stopped, as the
    // message says, the lock is stale and the run goes on.
    fs.writeFileSync(
      path.join(dir, ".immutably.hcl"),
      fs.readFileSync(path.join(dir, ".immutably.hcl"), "utf8").replace(/ {2}verify \{[^]*?\n {2}\}/, ""),
    );
    let errText = "";
    const err = new Writable({
      write: (c, _e, cb) => {
        errText += String(c);
        if (/waiting for it to end/.test(errText) && !stopped) {
          stopped = true;
          process.kill(-verifyPid, "SIGTERM");
        }
        cb();
      },
    });
    let stopped = false;
    const code2 = await runRollCommand("roll", ["web", "--yes", "--packer", packer, "--terraform", terraform], {
      stdout: sink().stream,
      stderr: err,
      cwd: dir,
      isTTY: false,
      signal: new AbortController().signal,
    });
    assert.equal(code2, 0, errText);
    assert.match(
      errText,
      new RegExp(
        `process ${verifyPid}, started by a run that was killed \\(process ${child.pid}, roll web, started [^)]+\\), is still running: node -e `,
      ),
    );
    assert.match(errText, new RegExp(`kill -TERM -${verifyPid}`));
    assert.match(
      errText,
      new RegExp(
        `process ${verifyPid} has ended\n[^]*removed a stale lock .*web\\.lock: process ${child.pid} \\(roll web, started [^)]+\\) is no longer running`,
      ),
    );
    assert.match(errText, /generation web #1 was promoted by a run that did not finish and was never verified: the infrastructure runs it/);
    const history = JSON.parse(fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8"));
    assert.deepEqual(
      history.generations.map((g: { number: number; status: string }) => `${g.number}:${g.status}`),
      ["1:failed", "2:live"],
    );
  },
);
