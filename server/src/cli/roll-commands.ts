// `immutably roll | rollback | generations | prune`: flags, the terminal host (stages, --yes, prompts) and exit codes for the roll pipeline.
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { ConfigurationError } from "../engine/config.ts";
import { CONFIG_FILE_NAME, findConfigFile, loadRollConfig, selectGeneration, type GenerationConfig } from "../roll/config.ts";
import { HistoryError } from "../roll/history.ts";
import { HISTORY_HINT } from "../roll/history-store.ts";
import { LockHeldError } from "../roll/lock.ts";
import {
  describePrune,
  describeRoll,
  formatGenerationsTable,
  listGenerations,
  prune,
  roll,
  rollback,
  type PipelineOptions,
} from "../roll/pipeline.ts";
import { ToolNotFoundError } from "../roll/runner.ts";
import { resolveToolPaths, TOOL_NAMES, type ToolName } from "../roll/tools.ts";
import type { ConfirmRequest, RollHost, RollOutcome, StageInfo } from "../roll/types.ts";
import { Redactor } from "../roll/redact.ts";
import { parseDuration } from "../roll/validate.ts";
import type { Output } from "./output.ts";

export type RollCommand = "roll" | "rollback" | "generations" | "prune";

export interface RollIo {
  stdout: Output;
  stderr: NodeJS.WritableStream;
  cwd: string;
  isTTY: boolean;
  signal: AbortSignal;
  /** The environment for tools and IMMUTABLY_* settings; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where a confirmation prompt reads its answer when isTTY; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

export const ROLL_USAGE = `Usage:
  immutably roll <name> [--yes] [--dry-run] [--config PATH]
  immutably rollback <name> [--to N] [--yes] [--config PATH]
  immutably generations <name> [--format table|json] [--config PATH]
  immutably prune <name> [--keep N] [--yes] [--dry-run] [--config PATH]
Tool locations: --packer PATH, --terraform PATH, --tofu PATH, --aws PATH, --gcloud PATH, --az PATH,
--doctl PATH, or IMMUTABLY_PACKER, IMMUTABLY_TERRAFORM, IMMUTABLY_TOFU, ...; otherwise PATH.
`;

class RollUsageError extends Error {}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1)
    throw new RollUsageError(`${flag} expects a whole number of at least 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The terminal front end of the pipeline: progress on stderr, confirmation by --yes or a y/N prompt. */
export function terminalHost(io: RollIo, yes: boolean): RollHost {
  const err = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const never = new AbortController().signal;
  return {
    log: err,
    stage: async <T>(info: StageInfo, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
      err(`== ${info.title}`);
      return work(info.cancellable ? io.signal : never);
    },
    confirm: async (request: ConfirmRequest): Promise<boolean> => {
      err(`== ${request.title}`);
      err("planned replacements:");
      for (const line of request.replacements) err(`  ${line}`);
      err("commands:");
      for (const line of request.commands) err(`  ${line}`);
      if (yes) {
        err("confirmed by --yes");
        return true;
      }
      if (!io.isTTY) {
        err("not confirmed: pass --yes to apply when not running in a terminal");
        return false;
      }
      const rl = readline.createInterface({ input: io.stdin ?? process.stdin, output: io.stderr });
      try {
        const answer = await new Promise<string>((resolve) => rl.question("Apply these changes? [y/N] ", resolve));
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

function printOutcome(io: RollIo, outcome: RollOutcome): number {
  io.stdout.write(`${outcome.summary.join("\n")}\n`);
  return outcome.exitCode;
}

/**
 * Runs one roll command. Exit codes: 0 ok, 1 the roll (or rollback, or prune) failed and was undone where
 * possible, 2 usage, configuration, lock or history error.
 */
export async function runRollCommand(command: RollCommand, args: string[], io: RollIo): Promise<number> {
  const env = io.env ?? process.env;
  // Errors are printed through the same redaction as the pipeline's own lines.
  const redactor = new Redactor();
  redactor.addSecretsFromEnv(env);
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        yes: { type: "boolean", short: "y", default: false },
        "dry-run": { type: "boolean", default: false },
        to: { type: "string" },
        keep: { type: "string" },
        format: { type: "string", default: "table" },
        config: { type: "string" },
        packer: { type: "string" },
        terraform: { type: "string" },
        tofu: { type: "string" },
        aws: { type: "string" },
        gcloud: { type: "string" },
        az: { type: "string" },
        doctl: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      io.stdout.write(ROLL_USAGE);
      return 0;
    }
    if (positionals.length !== 1)
      throw new RollUsageError(
        positionals.length === 0 ? `${command} needs a generation name` : `${command} takes one generation name, got ${positionals.length}`,
      );
    const to = positiveInt("--to", values.to);
    const keep = positiveInt("--keep", values.keep);
    if (values.to !== undefined && command !== "rollback") throw new RollUsageError("--to applies to rollback only");
    if (values.keep !== undefined && command !== "prune") throw new RollUsageError("--keep applies to prune only");
    if (values["dry-run"] && command !== "roll" && command !== "prune") throw new RollUsageError("--dry-run applies to roll and prune");
    if (values.format !== "table" && values.format !== "json")
      throw new RollUsageError(`--format expects table or json, got ${JSON.stringify(values.format)}`);

    const configPath = values.config ? path.resolve(io.cwd, values.config) : findConfigFile(io.cwd);
    if (!configPath) throw new RollUsageError(`no ${CONFIG_FILE_NAME} in ${io.cwd} or its parents; pass --config PATH`);
    const config = await loadRollConfig(configPath);
    const generation: GenerationConfig = selectGeneration(config, positionals[0]);

    if (command === "generations") {
      const records = listGenerations(generation);
      if (values.format === "json")
        io.stdout.write(`${JSON.stringify({ name: generation.name, config: config.path, generations: records }, null, 2)}\n`);
      else io.stdout.write(formatGenerationsTable(records));
      return 0;
    }

    const explicit: Partial<Record<ToolName, string>> = {};
    for (const tool of TOOL_NAMES) {
      const value = (values as Record<string, unknown>)[tool];
      if (typeof value === "string") explicit[tool] = path.resolve(io.cwd, value);
    }
    const pollText = env.IMMUTABLY_POLL_INTERVAL;
    const options: PipelineOptions = {
      generation,
      host: terminalHost(io, values.yes === true),
      tools: resolveToolPaths(explicit, env),
      env,
      pollIntervalMs: pollText ? (parseDuration(pollText) ?? 10_000) : undefined,
    };

    if (values["dry-run"]) {
      if (command === "roll") {
        io.stdout.write(`dry run: \`immutably roll ${generation.name}\` would run, in order (nothing is changed):\n`);
        for (const [i, line] of describeRoll(options).entries()) io.stdout.write(`${String(i + 1).padStart(3)}. ${line}\n`);
        return 0;
      }
      io.stdout.write(`dry run: \`immutably prune ${generation.name}\` would run, in order (nothing is changed):\n`);
      for (const [i, line] of describePrune({ ...options, keep }).entries()) io.stdout.write(`${String(i + 1).padStart(3)}. ${line}\n`);
      return 0;
    }
    // Refuse before baking anything: without a terminal or --yes, the confirmation could never be given.
    if (!values.yes && !io.isTTY)
      throw new RollUsageError(`${command} changes infrastructure and needs a confirmation: pass --yes (not running in a terminal)`);

    switch (command) {
      case "roll":
        return printOutcome(io, await roll(options));
      case "rollback":
        return printOutcome(io, await rollback({ ...options, to }));
      case "prune":
        return printOutcome(io, await prune({ ...options, keep }));
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr.write(`immutably: configuration error\n${redactor.redact(error.message)}\n`);
      return 2;
    }
    if (error instanceof RollUsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`immutably: ${(error as Error).message}\n${ROLL_USAGE}`);
      return 2;
    }
    if (error instanceof LockHeldError || error instanceof HistoryError) {
      io.stderr.write(`immutably: ${redactor.redact(error.message)}\n`);
      return 2;
    }
    if (error instanceof ToolNotFoundError) {
      io.stderr.write(`immutably: ${redactor.redact(error.message)}\n`);
      return 2;
    }
    // An unexpected failure mid-roll. History is written before each step that changes the
    // infrastructure, so it shows the last step recorded, which is not necessarily the last step done.
    io.stderr.write(
      `immutably: ${command} failed: ${redactor.redact(error instanceof Error ? error.message : String(error))}\n${HISTORY_HINT}\n`,
    );
    return 1;
  }
}
