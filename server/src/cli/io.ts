// What every CLI command is handed (streams, folder, environment, cancellation), and the colour and configuration choices they share.
import fs from "node:fs";
import { parseConfig, defaultConfig, type Linter, type ResolvedConfig } from "../engine/index.ts";
import { UsageError } from "./files.ts";

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
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

