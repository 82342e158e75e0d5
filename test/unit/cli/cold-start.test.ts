// What a cold one-file lint loads: Node modules it does not need cost every pre-commit hook and CI step their load time.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { LINT_WORKER_ARGUMENT } from "../../../server/src/cli/threads.ts";
import { CLI, workspace } from "../../helpers/cli.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';

/** Runs the CLI with stdout a pipe, and the Node modules loaded by the time it exits. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; modules: string[] } {
  const dir = workspace({ "main.tf": DROPLET });
  const probe = path.join(dir, "probe.cjs");
  fs.writeFileSync(
    probe,
    'process.on("exit", () => require("node:fs").writeSync(2, `@@modules ${JSON.stringify(process.moduleLoadList)}\\n`));\n',
  );
  const r = spawnSync(process.execPath, ["--require", probe, CLI, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  const line = /@@modules (.*)/.exec(r.stderr);
  assert.ok(line, r.stderr);
  const modules = (JSON.parse(line[1]) as string[])
    .filter((m) => m.startsWith("NativeModule "))
    .map((m) => m.slice("NativeModule ".length));
  return { status: r.status, stdout: r.stdout, modules };
}

describe("a cold one-file lint", () => {
  it("requires each builtin once per bundle, not once per module that imports it", () => {
    // esbuild gave each module its own copy of a default-imported builtin's exports (esbuild.mjs).
    for (const bundle of ["cli.js", "cli-main.js", "server.js"]) {
      const text = fs.readFileSync(path.join(path.dirname(CLI), bundle), "utf8");
      for (const builtin of ["fs", "path", "os"]) {
        const count = text.split(`require("node:${builtin}")`).length - 1;
        assert.equal(count, 1, `${bundle} requires node:${builtin} ${count} times`);
      }
    }
  });

  it("writes piped output without Node's stdout stream (its socket loads `net`)", () => {
    const r = run(["lint", "--format", "json"]);
    assert.equal(r.status, 0);
    assert.equal((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length, 1);
    assert.ok(!r.modules.includes("net"), "net was loaded");
  });

  it("with the own reader, loads neither worker_threads nor v8", () => {
    const r = run(["lint", "main.tf", "--format", "json"], { IMMUTABLY_PARSER: "own" });
    assert.equal(r.status, 0);
    assert.equal((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length, 1);
    for (const m of ["worker_threads", "v8"]) assert.ok(!r.modules.includes(m), `${m} was loaded`);
  });

  it("still runs as the CLI on the main thread when given the lint worker's argument", () => {
    const r = run([LINT_WORKER_ARGUMENT]);
    // The argument is no command: the CLI says so (exit code 2) instead of waiting as a worker would.
    assert.equal(r.status, 2);
  });
});
