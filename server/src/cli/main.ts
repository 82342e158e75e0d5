// The `immutably` command line: lint, rules, explain, and the roll commands, all on the shared engine.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigurationError, createLinter, unusedSuppressionFindings } from "../engine/index.ts";
import { LINT_OPTIONS, preferBaselineWasmForSmallRun, wholeFolders } from "./small-run.ts";
import { preferFastStartForHashiCorpParser } from "../engine/hcl/hashicorp.ts";
import { renderRuleDoc } from "../rules/docs.ts";
import { ruleDocsFile } from "../host/rule-docs.ts";
import { serveLintWorker, type WorkerStart } from "./parallel.ts";
import { findConfig, UsageError } from "./files.ts";
import { ansi, formatStylish, plain } from "./format/stylish.ts";
import { runLint } from "./lint-run.ts";
import { PLAN_CHECKS } from "../engine/plan/checks.ts";
import { exitCodeOf, loadConfig, outputOptions, useColour, type Io } from "./io.ts";
import { StandardOutput } from "./output.ts";
import { isLintWorkerThread, workerThreads } from "./threads.ts";

export type { Io } from "./io.ts";
// The roll commands and the json and sarif formatters are imported where they are used: the bundle
// initialises them (and loads node:child_process and node:readline) only for the runs that need them.

const PLAN_CHECK_IDS: ReadonlySet<string> = new Set(PLAN_CHECKS.map((c) => c.meta.id));

declare const IMMUTABLY_VERSION: string | undefined;
const VERSION = typeof IMMUTABLY_VERSION === "string" ? IMMUTABLY_VERSION : "0.0.0-dev";

const LINT_USAGE = `  immutably lint [paths...]        lint files and folders (default: .)
      --format stylish|json|sarif  output format (default: stylish)
      --fix                        apply safe fixes, then report what is left
      --max-warnings N             exit 1 when there are more than N warnings
      --config PATH                use this .immutably.hcl instead of searching for one
      --report-unused-ignores      report suppression comments that suppress nothing
      --threads N                  lint threads (default for inputs over 1.5 MB: one per two cores, one per core with IMMUTABLY_PARSER=tree-sitter)
      --cache                      reuse the findings of folders that did not change since the last --cache run
      --cache-location PATH        the cache file (default: .immutably-cache/lint.json beside .immutably.hcl)
      --whole-folders              each path stands for its folder (a file for the folder holding it), linted
                                   without the folders below it: for pre-commit hooks, which pass changed files
`;
const PLAN_USAGE_LINE =
  "  immutably plan <plan> [--format F] [--dir PATH]  check a saved Terraform plan or its JSON (`immutably plan --help`)\n";
const RULES_USAGE = "  immutably rules [--format json]  list the rules\n";
const EXPLAIN_USAGE = "  immutably explain <rule>         print a rule's documentation\n";

const HELP = `immutably ${VERSION}: keeps Terraform and Packer configurations immutable

Usage:
${LINT_USAGE}${PLAN_USAGE_LINE}${RULES_USAGE}${EXPLAIN_USAGE}  immutably roll <name> [--yes] [--dry-run] [--config PATH]
  immutably rollback <name> [--to N] [--yes] [--config PATH]
  immutably generations <name> [--format json] [--config PATH]
  immutably prune <name> [--keep N] [--yes] [--config PATH]

Exit codes: 0 no errors and warnings within --max-warnings; 1 findings over that (or a failed roll);
2 usage, configuration or internal error.
`;

async function lintCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: LINT_OPTIONS });
  if (values.help) {
    io.stdout.write(`Usage:\n${LINT_USAGE}`);
    return 0;
  }
  const { format, maxWarnings } = outputOptions(values.format, values["max-warnings"]);
  const named = (positionals.length ? positionals : ["."]).map((p) => path.resolve(io.cwd, p));
  const recursive = !values["whole-folders"];
  const paths = recursive ? named : wholeFolders(named);
  preferBaselineWasmForSmallRun(paths);
  const linter = await createLinter();
  // With --whole-folders every named folder may be gone: then nothing is linted, from the working folder.
  const first = paths[0] ?? io.cwd;
  const root = fs.existsSync(first) && fs.statSync(first).isDirectory() ? first : path.dirname(first);
  const configPath = values.config ? path.resolve(io.cwd, values.config) : findConfig(root);
  const { config } = loadConfig(linter, configPath);
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new UsageError(`--threads takes a whole number from 1 to 64, got "${values.threads}"`);
  }
  const run = await runLint({
    paths,
    recursive,
    config,
    configRoot: configPath ? path.dirname(configPath) : root,
    linter,
    fix: Boolean(values.fix),
    fixEdits: format === "sarif",
    cache: Boolean(values.cache),
    cacheLocation: values["cache-location"] ? path.resolve(io.cwd, values["cache-location"]) : undefined,
    threads,
    version: VERSION,
    cwd: io.cwd,
    signal: io.signal,
    note: (line) => io.stderr.write(`${line}\n`),
  });
  const findings = run.findings;
  // A plan check's suppression is used by `immutably plan`, which lint cannot see.
  if (values["report-unused-ignores"])
    findings.push(...unusedSuppressionFindings(run.unusedSuppressions, (r) => !PLAN_CHECK_IDS.has(r), "warning"));
  for (const f of run.ruleFailures) io.stderr.write(`internal error in rule ${f.ruleId} (${f.moduleDir}): ${f.message}\n`);
  if (format === "json") {
    const { formatJson } = await import("./format/json.ts");
    io.stdout.write(formatJson(findings, run.problems, io.cwd, VERSION));
  } else if (format === "sarif") {
    const { formatSarif, sarifRules } = await import("./format/sarif.ts");
    io.stdout.write(formatSarif(findings, run.problems, sarifRules(linter.rules), run.texts, io.cwd, VERSION));
  } else {
    io.stdout.write(formatStylish(findings, run.problems, io.cwd, useColour(io) ? ansi : plain));
  }
  if (run.ruleFailures.length) return 2;
  return exitCodeOf(findings, maxWarnings);
}

async function rulesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { format: { type: "string", default: "table" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    io.stdout.write(`Usage:\n${RULES_USAGE}`);
    return 0;
  }
  const linter = await createLinter();
  if (values.format === "json") {
    io.stdout.write(
      JSON.stringify(
        linter.rules.map((r) => ({
          id: r.meta.id,
          severity: r.meta.severity,
          recommended: r.meta.recommended,
          fix: r.meta.fix,
          appliesTo: r.meta.appliesTo,
          summary: r.meta.docs.summary,
          docs: ruleDocsFile(r.meta.id),
        })),
        null,
        2,
      ) + "\n",
    );
    return 0;
  }
  const w = Math.max(...linter.rules.map((r) => r.meta.id.length));
  for (const r of linter.rules) {
    io.stdout.write(`${r.meta.id.padEnd(w)}  ${r.meta.severity.padEnd(7)}  fix:${r.meta.fix.padEnd(6)}  ${r.meta.docs.summary}\n`);
  }
  return 0;
}

async function explainCommand(args: string[], io: Io): Promise<number> {
  const id = args[0];
  if (id === "--help" || id === "-h") {
    io.stdout.write(`Usage:\n${EXPLAIN_USAGE}`);
    return 0;
  }
  if (!id) throw new UsageError("explain needs a rule id (see `immutably rules`)");
  const linter = await createLinter();
  const rule = linter.rulesById.get(id);
  if (!rule) throw new UsageError(`unknown rule "${id}" (see \`immutably rules\`)`);
  io.stdout.write(renderRuleDoc(rule));
  return 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "lint":
        return await lintCommand(rest, io);
      case "rules":
        return await rulesCommand(rest, io);
      case "explain":
        return await explainCommand(rest, io);
      case "plan": {
        const { planCommand } = await import("./plan-command.ts");
        return await planCommand(rest, io, VERSION);
      }
      case "roll":
      case "rollback":
      case "generations":
      case "prune": {
        const { runRollCommand } = await import("./roll-commands.ts");
        return await runRollCommand(command, rest, {
          stdout: io.stdout,
          stderr: io.stderr,
          cwd: io.cwd,
          isTTY: Boolean(io.stdout.isTTY),
          signal: io.signal,
          env: io.env,
        });
      }
      case "--version":
      case "-v":
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr.write(`immutably: configuration error\n${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`immutably: ${(error as Error).message}\nRun \`immutably --help\` for usage.\n`);
      return 2;
    }
    // An internal error: one clear line for users, the stack only when asked for.
    io.stderr.write(`immutably: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (io.env.IMMUTABLY_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

if (isLintWorkerThread() && (workerThreads().workerData as WorkerStart | undefined)?.kind === "immutably-lint-worker") {
  // This bundle is also the lint worker (see parallel.ts).
  preferFastStartForHashiCorpParser();
  serveLintWorker(workerThreads().parentPort!);
} else if (require.main === module) {
  runCli();
}

/** Runs the CLI with this process's arguments and streams, and exits with its code (dist/cli.js calls it after loading the bundle). */
export function runCli(): void {
  preferFastStartForHashiCorpParser();
  const controller = new AbortController();
  process.on("SIGINT", () => controller.abort());
  process.on("SIGTERM", () => controller.abort());
  // A closed terminal sends SIGHUP. It cancels like SIGTERM (a roll puts the previous generation back),
  // and the terminal can no longer take output: a failed write must not end the run halfway through.
  process.on("SIGHUP", () => {
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
    controller.abort();
  });
  const stdout = new StandardOutput();
  const io: Io = {
    stdout,
    // process.stderr is a stream Node creates on first access; a clean run never writes to it.
    get stderr() {
      return process.stderr;
    },
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      // HashiCorp's parser runs a Go WASM runtime that keeps the event loop alive; exit once output is flushed.
      stdout.flush(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`immutably: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
