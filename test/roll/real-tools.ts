// Helpers for the real-tool suites: temp copies of examples/generation with fault-injecting wrappers around the real packer and terraform, the CLI in-process or in its own process, and readers of history and Terraform state.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Writable } from "node:stream";
import { after, before } from "node:test";
import { runRollCommand } from "../../server/src/cli/roll-commands.ts";
import type { History } from "../../server/src/roll/history.ts";
import { copyExample, requireTool, ROOT } from "./helpers.ts";

let realTerraform = "";
let realPacker = "";
const dirs: string[] = [];

/** Finds the real tools (failing, never skipping, when one is missing) and removes every workspace afterwards. */
export function useRealTools(): { packer: () => string; terraform: () => string } {
  before(() => {
    realPacker = requireTool("packer", "apt-get install -y packer");
    realTerraform = requireTool("terraform", "the terraform 1.11 binary at /usr/local/bin/terraform");
  });
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return { packer: () => realPacker, terraform: () => realTerraform };
}

/**
 * A temp copy of the example with wrappers around the real tools. A test drops a shell snippet into
 * `.faults/before-<subcommand>` (before-build, before-apply, before-plan); the wrapper runs it once,
 * then runs the real tool and records its exit status in `.faults/<subcommand>-status`.
 */
export interface Workspace {
  dir: string;
  faults: string;
  terraform: string;
  packer: string;
}

export function workspace(prefix: string): Workspace {
  const dir = copyExample(prefix);
  dirs.push(dir);
  const faults = path.join(dir, ".faults");
  fs.mkdirSync(faults);
  const wrapper = (real: string): string => `#!/bin/sh
F=${JSON.stringify(faults)}
if [ -f "$F/before-$1" ]; then . "$F/before-$1"; rm -f "$F/before-$1"; fi
${JSON.stringify(real)} "$@"
s=$?
echo $s > "$F/$1-status"
exit $s
`;
  const terraform = path.join(faults, "terraform");
  fs.writeFileSync(terraform, wrapper(realTerraform), { mode: 0o755 });
  const packer = path.join(faults, "packer");
  fs.writeFileSync(packer, wrapper(realPacker), { mode: 0o755 });
  // A verify that hangs for one chosen generation, else the example's own verify.
  fs.writeFileSync(
    path.join(dir, "scripts/test-verify.mjs"),
    `if (process.env.TEST_VERIFY_HANG && process.env.TEST_VERIFY_HANG === process.env.IMMUTABLY_GENERATION) { console.log("hanging"); setInterval(() => {}, 1000); } else { await import("./verify.mjs"); }\n`,
  );
  editConfig(dir, (c) => c.replace('["node", "scripts/verify.mjs"]', '["node", "scripts/test-verify.mjs"]'));
  return { dir, faults, terraform, packer };
}

export function editConfig(dir: string, change: (text: string) => string): void {
  const file = path.join(dir, ".immutably.hcl");
  fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI roll command in-process against a workspace. */
export async function cli(
  ws: Workspace,
  command: "roll" | "rollback" | "generations" | "prune",
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const out = new Writable({ write: (chunk, _enc, cb) => ((stdout += String(chunk)), cb()) });
  const err = new Writable({
    write: (chunk, _enc, cb) => {
      stderr += String(chunk);
      if (process.env.IMMUTABLY_TEST_VERBOSE) process.stderr.write(chunk);
      cb();
    },
  });
  const code = await runRollCommand(command, [...args, "--terraform", ws.terraform, "--packer", ws.packer], {
    stdout: out,
    stderr: err,
    cwd: ws.dir,
    isTTY: false,
    signal: new AbortController().signal,
    env: { ...process.env, ...env },
  });
  return { code, stdout, stderr };
}

/** The immutably CLI in its own process, as a user runs it (runCli: its own signal handling). */
export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr matches; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(ws: Workspace, args: string[], env: Record<string, string> = {}): Spawned {
  // A .ts entry (CommonJS for tsx), as dist/cli.js is: the CLI imports its roll commands lazily.
  const entry = path.join(ws.dir, ".faults/cli.ts");
  fs.writeFileSync(entry, `import { runCli } from ${JSON.stringify(path.join(ROOT, "server/src/cli/main.ts"))};\nrunCli();\n`);
  const child = spawn(
    process.execPath,
    ["--import", pathToFileURL(require.resolve("tsx")).href, entry, ...args, "--terraform", ws.terraform, "--packer", ws.packer],
    {
      cwd: ws.dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    },
  );
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ pattern: RegExp; resolve: () => void; reject: (e: Error) => void }> = [];
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
    if (process.env.IMMUTABLY_TEST_VERBOSE) process.stderr.write(c);
    for (const w of [...waiters]) {
      if (w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      for (const w of waiters)
        w.reject(new Error(`the CLI ended (${code ?? signal}) before stderr matched ${w.pattern}:\n${stderr.slice(0, 4000)}`));
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern) =>
      pattern.test(stderr) ? Promise.resolve() : new Promise<void>((resolve, reject) => waiters.push({ pattern, resolve, reject })),
    exited,
  };
}

export function history(ws: Workspace): History {
  return JSON.parse(fs.readFileSync(path.join(ws.dir, ".immutably/generations.json"), "utf8")) as History;
}
export function statuses(ws: Workspace): string {
  return history(ws)
    .generations.map((g) => `${g.number}:${g.status}`)
    .join(" ");
}
export function image(ws: Workspace, n: number): string {
  const g = history(ws).generations.find((x) => x.number === n);
  assert.ok(g, `generation ${n}`);
  return g.image;
}
export function state(ws: Workspace, infra = "infra"): { image: string; id: string } {
  const s = JSON.parse(fs.readFileSync(path.join(ws.dir, infra, "terraform.tfstate"), "utf8")) as {
    outputs: { image?: { value: string } };
    resources: Array<{ instances: Array<{ attributes: { id: string } }> }>;
  };
  return { image: s.outputs.image?.value ?? "", id: s.resources[0]?.instances[0]?.attributes.id ?? "" };
}
export function tfvarsImage(ws: Workspace, infra = "infra"): string {
  return (JSON.parse(fs.readFileSync(path.join(ws.dir, infra, "immutably.auto.tfvars.json"), "utf8")) as { image: string }).image;
}

/** Waits until no process of a group runs (a tool left behind by a killed run). */
export async function groupGone(pgid: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still runs after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function lockChild(ws: Workspace, name = "demo"): { pid: number; command: string } {
  const lock = JSON.parse(fs.readFileSync(path.join(ws.dir, `.immutably/${name}.lock`), "utf8")) as {
    child?: { pid: number; command: string };
  };
  assert.ok(lock.child, "the lock records the running tool");
  return lock.child;
}

/** Every file under a folder, relative to it. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}
