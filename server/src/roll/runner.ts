// The one runner for every external command of the roll: argv only (no shell), timeout, cancellation, streamed and redacted lines.
import { spawn } from "node:child_process";
import type { Redactor } from "./redact.ts";

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
  /** Called once the tool has started, with its PID (its process group on POSIX). */
  onStart?: (pid: number) => void;
  /** Called once the tool has exited (or could not start). */
  onEnd?: () => void;
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

/**
 * Runs one command and resolves when it has exited, whatever the outcome; never rejects except when
 * the executable cannot be started. The child gets its own process group (on POSIX) so that cancelling
 * also stops whatever it started (packer plugins, terraform providers).
 */
export function runTool(command: ToolCommand, toolName = command.file, notFoundHint = ""): Promise<ToolResult> {
  const started = Date.now();
  return new Promise<ToolResult>((resolve, reject) => {
    if (command.signal?.aborted) {
      resolve({ exitCode: null, signal: null, timedOut: false, cancelled: true, stdout: "", stderrTail: "", durationMs: 0 });
      return;
    }
    const posix = process.platform !== "win32";
    const child = spawn(command.file, [...command.args], {
      cwd: command.cwd,
      env: { ...(command.baseEnv ?? process.env), ...command.env },
      shell: false,
      detached: posix,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    if (child.pid !== undefined) command.onStart?.(child.pid);
    let stdout = "";
    let stderrTail = "";
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const partial: Record<OutputStream, string> = { stdout: "", stderr: "" };

    const emit = (stream: OutputStream, chunk: string, flush: boolean): void => {
      const text = partial[stream] + chunk;
      const lines = text.split(/\r?\n/);
      partial[stream] = flush ? "" : (lines.pop() ?? "");
      for (const line of lines) {
        if (flush && line === "" && lines.length === 1) continue;
        if (stream === "stdout" && command.streamStdout === false) continue;
        command.onLine?.(command.redactor.redact(line), stream);
      }
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      emit("stdout", chunk, false);
    });
    child.stderr.on("data", (chunk: string) => {
      stderrTail = (stderrTail + command.redactor.redact(chunk)).slice(-STDERR_TAIL);
      emit("stderr", chunk, false);
    });

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
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, command.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    command.signal?.addEventListener("abort", onAbort, { once: true });

    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timeout);
      command.onEnd?.();
      command.signal?.removeEventListener("abort", onAbort);
      if (error.code === "ENOENT" || error.code === "EACCES") reject(new ToolNotFoundError(toolName, command.file, notFoundHint));
      else reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      command.signal?.removeEventListener("abort", onAbort);
      emit("stdout", "", true);
      emit("stderr", "", true);
      // The tool itself is gone; stop anything it left behind in its group.
      if (posix && child.pid !== undefined && (cancelled || timedOut)) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // No process left in the group.
        }
      }
      command.onEnd?.();
      resolve({ exitCode, signal, timedOut, cancelled, stdout, stderrTail, durationMs: Date.now() - started });
    });
  });
}

/** Whether a result is a clean success. */
export function succeeded(result: ToolResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.cancelled;
}
