// The one runner for every external command of the roll: argv only (no shell), timeout, cancellation, streamed and redacted lines.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FileFollower } from "./follow.ts";
import type { Redactor } from "./redact.ts";
import { setLongTimeout } from "./timers.ts";

export type OutputStream = "stdout" | "stderr";

export interface ToolCommand {
  /** The executable: a path from settings, flags or env, or a bare name looked up on PATH. */
  file: string;
  args: readonly string[];
  cwd: string;
  /** Extra environment on top of `baseEnv`. */
  env?: Record<string, string>;
  /** The environment the tool inherits; defaults to the runner's. */
  baseEnv?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with each complete output line, already redacted. */
  onLine?: (line: string, stream: OutputStream) => void;
  /** Keep stdout in the result (for JSON output); lines are still streamed unless `streamStdout` is false. */
  streamStdout?: boolean;
  redactor: Redactor;
  /** How long a cancelled or timed-out tool gets between SIGTERM and SIGKILL (default 5 s). */
  killGraceMs?: number;
  /**
   * A private folder (0700) for the tool's output files; a fresh temporary folder when absent. The files
   * are removed once the tool has ended and its output was read.
   */
  outputDir?: string;
  /** Called once the tool has started: its PID (its process group on POSIX) and the files its output goes to. */
  onStart?: (started: StartedTool) => void;
  /** Called once the tool has exited (or could not start). */
  onEnd?: () => void;
}

export interface StartedTool {
  pid: number;
  stdout: string;
  stderr: string;
}

export interface ToolResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Unredacted stdout, for parsing; never log it without redaction. */
  stdout: string;
  /** Redacted stderr tail (last 64 KB), for error messages. */
  stderrTail: string;
  durationMs: number;
}

/** A tool that could not be started at all (not installed, not executable). */
export class ToolNotFoundError extends Error {
  constructor(
    readonly tool: string,
    readonly file: string,
    readonly hint: string,
  ) {
    super(`${tool} was not found (tried "${file}"). ${hint}`);
    this.name = "ToolNotFoundError";
  }
}

/** A tool that ran and failed, timed out or was cancelled. */
export class ToolFailedError extends Error {
  constructor(
    readonly display: string,
    readonly result: ToolResult,
  ) {
    const why = result.cancelled
      ? "was cancelled"
      : result.timedOut
        ? `timed out after ${Math.round(result.durationMs / 1000)} s`
        : result.signal
          ? `was killed by ${result.signal}`
          : `exited with code ${result.exitCode}`;
    const tail = result.stderrTail.trim().split("\n").slice(-5).join("\n");
    super(`${display} ${why}${tail ? `:\n${tail}` : ""}`);
    this.name = "ToolFailedError";
  }
}

const STDERR_TAIL = 64 * 1024;
/** How often output files are read while a tool runs. */
const FOLLOW_INTERVAL_MS = 50;
let sequence = 0;

/**
 * Runs one command and resolves when it has exited, whatever the outcome; never rejects except when
 * the executable cannot be started.
 *
 * The tool is detached from immutably's lifetime: it gets its own session and process group (POSIX),
 * so a closed terminal's SIGHUP and Ctrl+C reach immutably only, and cancelling stops whatever it
 * started (packer plugins, terraform providers); its stdout and stderr go to files in a private
 * folder, which immutably follows. When immutably is killed (SIGKILL, an extension host restart), the
 * tool writes on into its files instead of into a pipe nobody reads, so `terraform apply` and
 * `packer build` are not killed by SIGPIPE halfway; the run's lock names the tool and its files for
 * the next run.
 */
export function runTool(command: ToolCommand, toolName = command.file, notFoundHint = ""): Promise<ToolResult> {
  const started = Date.now();
  return new Promise<ToolResult>((resolve, reject) => {
    if (command.signal?.aborted) {
      resolve({ exitCode: null, signal: null, timedOut: false, cancelled: true, stdout: "", stderrTail: "", durationMs: 0 });
      return;
    }
    const posix = process.platform !== "win32";
    const temporary = command.outputDir === undefined;
    const dir = command.outputDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "immutably-tool-"));
    const base = path.join(
      dir,
      `${Date.now().toString(36)}-${process.pid}-${++sequence}-${path
        .basename(toolName)
        .replace(/[^A-Za-z0-9_.-]/g, "_")
        .slice(0, 40)}`,
    );
    const files = { stdout: `${base}.out`, stderr: `${base}.err` };
    // Created private: a tool's output can hold secrets (terraform show -json prints variable values).
    const outFd = fs.openSync(files.stdout, "wx", 0o600);
    const errFd = fs.openSync(files.stderr, "wx", 0o600);
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command.file, [...command.args], {
        cwd: command.cwd,
        env: { ...(command.baseEnv ?? process.env), ...command.env },
        shell: false,
        detached: posix,
        stdio: ["ignore", outFd, errFd],
        windowsHide: true,
      });
    } finally {
      // The child has its own copies of the descriptors.
      fs.closeSync(outFd);
      fs.closeSync(errFd);
    }
    if (child.pid !== undefined) command.onStart?.({ pid: child.pid, ...files });
    let stderrTail = "";
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const stdout = new FileFollower(
      files.stdout,
      (line) => {
        if (command.streamStdout !== false) command.onLine?.(command.redactor.redact(line), "stdout");
      },
      true,
    );
    const stderr = new FileFollower(files.stderr, (line) => {
      const shown = command.redactor.redact(line);
      stderrTail = `${stderrTail}${shown}\n`.slice(-STDERR_TAIL);
      command.onLine?.(shown, "stderr");
    });
    const follow = setInterval(() => {
      stdout.poll();
      stderr.poll();
    }, FOLLOW_INTERVAL_MS);

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (posix) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // The group is already gone; nothing left to stop.
      }
    };
    const stop = (): void => {
      // SIGTERM first: terraform and packer treat it as an interrupt and release state locks cleanly.
      killGroup("SIGTERM");
      killTimer ??= setTimeout(() => killGroup("SIGKILL"), command.killGraceMs ?? 5000);
    };
    const timeout = setLongTimeout(() => {
      timedOut = true;
      stop();
    }, command.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    command.signal?.addEventListener("abort", onAbort, { once: true });

    /** Reads the rest of the output, removes the files and stops every timer; once. */
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearInterval(follow);
      timeout.clear();
      if (killTimer) clearTimeout(killTimer);
      command.signal?.removeEventListener("abort", onAbort);
      stdout.poll(true);
      stderr.poll(true);
      stdout.close();
      stderr.close();
      fs.rmSync(files.stdout, { force: true });
      fs.rmSync(files.stderr, { force: true });
      if (temporary) fs.rmSync(dir, { recursive: true, force: true });
      command.onEnd?.();
      return true;
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (!finish()) return;
      if (error.code === "ENOENT" || error.code === "EACCES") reject(new ToolNotFoundError(toolName, command.file, notFoundHint));
      else reject(error);
    });
    child.on("close", (exitCode, signal) => {
      if (!finish()) return;
      // The tool itself is gone; stop anything it left behind in its group.
      if (posix && child.pid !== undefined && (cancelled || timedOut)) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // No process left in the group.
        }
      }
      resolve({ exitCode, signal, timedOut, cancelled, stdout: stdout.text, stderrTail, durationMs: Date.now() - started });
    });
  });
}

/** Whether a result is a clean success. */
export function succeeded(result: ToolResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.cancelled;
}
