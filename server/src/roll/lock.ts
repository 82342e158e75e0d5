// Lock files: one run per generation name, a short lock around history writes, and the tool a run has running.
import fs from "node:fs";
import os from "node:os";
import { writeFileAtomic } from "../host/atomic-write.ts";
import { goneReason, processAlive, processIdentity, type ProcessIdentity } from "./process-identity.ts";
import type { RunningTool } from "./tools.ts";

/** A lock is held by a running process. */
export class LockHeldError extends Error {
  override name = "LockHeldError";
  constructor(
    readonly lockFile: string,
    readonly pid: number,
    readonly since: string,
    message = `another immutably run (process ${pid}, started ${since}) holds ${lockFile}; wait for it to finish`,
  ) {
    super(message);
  }
}

/**
 * The run that held a lock is gone (killed, so it could not stop its tools), but the tool it had
 * started still runs: a second run now would overlap it (a second `terraform apply`, a second bake),
 * so the lock stays until that tool ends or someone stops it.
 */
export class OrphanedToolError extends LockHeldError {
  override name = "OrphanedToolError";
  constructor(
    lockFile: string,
    readonly held: LockInfo,
    readonly child: LockChild,
    message?: string,
  ) {
    const stop = stopCommand(child.pid);
    super(
      lockFile,
      held.pid,
      held.started_at,
      message ??
        `the run that held ${lockFile} (process ${held.pid}, ${held.command}, started ${held.started_at}) is gone, but a command it started is still running as process ${child.pid} (started ${child.started_at}): ${child.command}\n` +
          `a new run now would overlap it; wait for it to end, or stop it (${stop}), then run again`,
    );
  }
}

/** How to stop a tool left running by a killed run (its whole process group on POSIX). */
export function stopCommand(pid: number): string {
  return process.platform === "win32" ? `taskkill /PID ${pid} /T` : `kill -TERM -${pid}`;
}

/** A tool a locked run has running, recorded in the lock so that a run killed outright leaves a trace of it. */
type LockChild = RunningTool;

export interface LockInfo {
  pid: number;
  /** The holder's boot and start time where the OS tells (Linux): a PID alone may name another process later. */
  process?: ProcessIdentity;
  hostname: string;
  started_at: string;
  command: string;
  child?: LockChild;
}

/** A held lock: release it when the run ends; record the tool it is running, or none. */
export interface Lock {
  release(): void;
  recordChild(child: LockChild | undefined): void;
}

/** Whether any process of a tool's group (POSIX: the runner starts each tool in its own group) or the tool itself (Windows) still runs. */
export function toolAlive(child: LockChild): boolean {
  // A leader PID now naming another process means the tool is gone (Linux does not reuse a PID while its group lives).
  if (child.process && processAlive(child.pid) && goneReason(child.pid, child.process, child.started_at)) return false;
  return processAlive(process.platform === "win32" ? child.pid : -child.pid);
}

/**
 * Creates a lock file exclusively. A lock whose process is gone (same host, PID not running) is stale:
 * it is removed with a message and taken. A live holder makes this wait up to `waitMs`, then fail.
 */
export function acquireLock(lockFile: string, command: string, waitMs: number, log?: (line: string) => void): Lock {
  const deadline = Date.now() + waitMs;
  const info: LockInfo = {
    pid: process.pid,
    process: processIdentity(process.pid),
    hostname: os.hostname(),
    started_at: new Date().toISOString(),
    command,
  };
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, "wx", 0o644);
      fs.writeSync(fd, JSON.stringify(info));
      fs.closeSync(fd);
      const ours = (): boolean => {
        try {
          return (JSON.parse(fs.readFileSync(lockFile, "utf8")) as LockInfo).pid === process.pid;
        } catch {
          return false; // The lock file is already gone or unreadable.
        }
      };
      return {
        release: () => {
          // Only remove the lock if it is still ours (a stale-lock cleanup elsewhere may have replaced it).
          if (ours()) fs.rmSync(lockFile, { force: true });
        },
        recordChild: (child) => {
          // Rewritten whole (temporary file and rename), so a reader never sees half a lock.
          if (!ours()) return;
          try {
            writeFileAtomic(lockFile, JSON.stringify(child ? { ...info, child } : info));
          } catch {
            // Recording is a safety net for a run killed outright; a full disk must not stop the tool.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let held: LockInfo | undefined;
    try {
      held = JSON.parse(fs.readFileSync(lockFile, "utf8")) as LockInfo;
    } catch {
      // A lock being written right now reads as empty; treat it as held and retry.
    }
    const gone =
      held !== undefined && held.hostname === os.hostname() && held.pid !== process.pid
        ? goneReason(held.pid, held.process, held.started_at)
        : undefined;
    if (gone && held?.child && toolAlive(held.child)) throw new OrphanedToolError(lockFile, held, held.child);
    const unreadableForLong = held === undefined && Date.now() - safeMtime(lockFile) > 60_000;
    if (gone || unreadableForLong) {
      fs.rmSync(lockFile, { force: true });
      const message = held
        ? `removed a stale lock ${lockFile}: process ${held.pid} (${held.command}, started ${held.started_at}) ${gone}`
        : `removed an unreadable lock ${lockFile} older than a minute`;
      log?.(message);
      continue;
    }
    if (Date.now() >= deadline) throw new LockHeldError(lockFile, held?.pid ?? 0, held?.started_at ?? "at an unknown time");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
