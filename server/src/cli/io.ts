// What every CLI command is handed (streams, folder, environment, cancellation), and the colour and configuration choices they share.
import fs from "node:fs";
import { parseConfig, defaultConfig, type Finding, type Linter, type ResolvedConfig } from "../engine/index.ts";
import { UsageError } from "./files.ts";
import type { Output } from "./output.ts";

export interface Io {
  stdout: Output;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

/** Colour on a terminal, unless NO_COLOR; FORCE_COLOR forces it (as ESLint and Node do). */
export function useColour(io: Io): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0") return true;
  return Boolean(io.stdout.isTTY);
}

/** The configuration a command runs with: `.immutably.hcl` at `configPath`, or the defaults when there is none. */
export function loadConfig(linter: Linter, configPath: string | undefined): { config: ResolvedConfig; path?: string } {
  if (!configPath) return { config: defaultConfig(linter.rules) };
  let text: string;
  try {
    // A FIFO or device would block this synchronous read forever (even SIGTERM waits), so only a regular file is read.
    if (!fs.statSync(configPath).isFile()) throw new UsageError(`cannot read configuration ${configPath}: not a regular file`);
    text = fs.readFileSync(configPath, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read configuration ${configPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return { config: parseConfig(configPath, text, linter.rules), path: configPath };
}

export type OutputFormat = "stylish" | "json" | "sarif";

/** `--format` and `--max-warnings`, checked: what `lint` and `plan` print and how many warnings they accept. */
export function outputOptions(format: string, maxWarnings: string | undefined): { format: OutputFormat; maxWarnings: number } {
  if (format !== "stylish" && format !== "json" && format !== "sarif")
    throw new UsageError(`unknown --format "${format}" (expected stylish, json or sarif)`);
  if (maxWarnings === undefined) return { format, maxWarnings: Infinity };
  const n = Number(maxWarnings);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--max-warnings takes a whole number, got "${maxWarnings}"`);
  return { format, maxWarnings: n };
}

/** 1 when there is an error or more warnings than allowed, else 0. */
export function exitCodeOf(findings: readonly Finding[], maxWarnings: number): 0 | 1 {
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}
