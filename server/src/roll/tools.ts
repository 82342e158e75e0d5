// Which executable runs each tool, and the logged, redacted way the pipeline runs them.
import { runTool, succeeded, ToolFailedError, type StartedTool, type ToolResult } from "./runner.ts";
import { processIdentity, type ProcessIdentity } from "./process-identity.ts";
import type { Redactor } from "./redact.ts";

export type ToolName = "packer" | "terraform" | "tofu" | "aws" | "gcloud" | "az" | "doctl" | "git";
export const TOOL_NAMES: readonly ToolName[] = ["packer", "terraform", "tofu", "aws", "gcloud", "az", "doctl", "git"];
export type ToolPaths = Record<ToolName, string>;

/** The VS Code setting for each tool (machine-scoped, so a workspace cannot point it at its own binary). */
export const TOOL_SETTINGS: Record<Exclude<ToolName, "git">, string> = {
  packer: "immutably.packerPath",
  terraform: "immutably.terraformPath",
  tofu: "immutably.tofuPath",
  aws: "immutably.awsPath",
  gcloud: "immutably.gcloudPath",
  az: "immutably.azPath",
  doctl: "immutably.doctlPath",
};

/**
 * Resolves each executable: an explicit path (CLI flag or VS Code setting) first, then the environment
 * (`IMMUTABLY_PACKER`, `IMMUTABLY_TERRAFORM`, ...), then the bare name, which the OS looks up on PATH.
 */
export function resolveToolPaths(explicit: Partial<Record<ToolName, string | undefined>>, env: NodeJS.ProcessEnv): ToolPaths {
  const out = {} as ToolPaths;
  for (const tool of TOOL_NAMES) {
    const fromEnv = env[`IMMUTABLY_${tool.toUpperCase()}`];
    out[tool] = nonEmpty(explicit[tool]) ?? nonEmpty(fromEnv) ?? tool;
  }
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** How to tell the user to point immutably at a tool. */
export function notFoundHint(tool: ToolName): string {
  if (tool === "git") return "Install git or add it to PATH.";
  return `Install it, add it to PATH, or set ${TOOL_SETTINGS[tool]} (VS Code), --${tool} PATH or IMMUTABLY_${tool.toUpperCase()} (CLI).`;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  env?: Record<string, string>;
  /** Do not stream stdout (large JSON such as `terraform show -json`); stderr still streams. */
  quietStdout?: boolean;
  /** Return a failed result instead of throwing ToolFailedError. */
  allowFailure?: boolean;
  /** Rewrites a streamed line for display (packer machine-readable to text); undefined hides it. */
  display?: (line: string) => string | undefined;
}

/** A tool the runner has started and that has not exited yet. */
export interface RunningTool {
  /** Its PID, which is also its process group on POSIX (the runner starts each tool in its own group). */
  pid: number;
  /** The command line as displayed in the logs: redacted. */
  command: string;
  started_at: string;
  /** Its boot and start time where the OS tells (Linux), so a reused PID is not taken for it. */
  process?: ProcessIdentity;
  /** The files its stdout and stderr go to, so a later run can show what a tool left by a killed run is doing. */
  stdout?: string;
  stderr?: string;
}

/** Runs tools for the pipeline: logs the exact command, streams its output, throws on failure. */
export class ToolRunner {
  /** Told which tool is running (PID and redacted command line; the newest if several) or none, on every start and end: the run's lock records it. */
  onChild?: (child: RunningTool | undefined) => void;
  private readonly running = new Map<number, RunningTool>();

  /** The private folder tool output files go to (the run's folder); a temporary one when unset. */
  outputDir?: string;

  private childStarted(started: StartedTool, command: string): void {
    const pid = started.pid;
    this.running.set(pid, {
      pid,
      process: processIdentity(pid),
      command,
      started_at: new Date().toISOString(),
      stdout: started.stdout,
      stderr: started.stderr,
    });
    this.onChild?.([...this.running.values()].at(-1));
  }

  private childEnded(pid: number | undefined): void {
    if (pid !== undefined) this.running.delete(pid);
    this.onChild?.([...this.running.values()].at(-1));
  }

  constructor(
    readonly paths: ToolPaths,
    readonly redactor: Redactor,
    private readonly log: (line: string) => void,
    private readonly baseEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The command line exactly as it will run, redacted, for logs, dry runs and confirmations. */
  display(tool: string, args: readonly string[]): string {
    const file = (this.paths as Record<string, string>)[tool] ?? tool;
    return this.redactor.renderCommand(file, args);
  }

  async run(tool: ToolName, args: readonly string[], options: RunOptions): Promise<ToolResult> {
    return this.runFile(this.paths[tool], tool, args, options, notFoundHint(tool));
  }

  /** Runs a program that is not one of the known tools (the verify command). */
  async runFile(file: string, label: string, args: readonly string[], options: RunOptions, hint = ""): Promise<ToolResult> {
    const shown = this.redactor.renderCommand(file, args);
    this.log(`$ ${shown}`);
    let childPid: number | undefined;
    const result = await runTool(
      {
        file,
        args,
        cwd: options.cwd,
        env: { ...options.env, AWS_PAGER: "", CHECKPOINT_DISABLE: "1", PACKER_NO_COLOR: "1", TF_IN_AUTOMATION: "1" },
        baseEnv: this.baseEnv,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        redactor: this.redactor,
        streamStdout: true,
        outputDir: this.outputDir,
        onStart: (started) => {
          childPid = started.pid;
          this.childStarted(started, shown);
        },
        onEnd: () => this.childEnded(childPid),
        onLine: (line, stream) => {
          if (stream === "stdout" && options.quietStdout) return;
          const text = options.display && stream === "stdout" ? options.display(line) : line;
          if (text !== undefined) this.log(`  ${text}`);
        },
      },
      label,
      hint,
    );
    if (!options.allowFailure && !succeeded(result)) throw new ToolFailedError(shown, result);
    return result;
  }
}
