// The `immutably` command line: lint, rules, explain, and the roll commands, all on the shared engine.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import {
  byFolder,
  ConfigurationError,
  createLinter,
  type Finding,
  type Linter,
  type SourceInput,
  unusedSuppressionFindings,
} from "../engine/index.ts";
import { LINT_OPTIONS, preferBaselineWasmForSmallRun, wholeFolders } from "./small-run.ts";
import { parseWithHashiCorp, preferFastStartForHashiCorpParser } from "../engine/hcl/hashicorp.ts";
import { renderRuleDoc } from "../rules/docs.ts";
import { ruleDocsFile } from "../host/rule-docs.ts";
import { compareFindings } from "../engine/linter.ts";
import {
  defaultThreads,
  lintOnWorkers,
  merged,
  PARALLEL_MIN_BYTES,
  partitionByModule,
  portable,
  serveLintWorker,
  threadCount,
  WorkerPool,
  type FolderStream,
  type PortableResult,
  type WorkerStart,
} from "./parallel.ts";
import { writeFileAtomic } from "../host/atomic-write.ts";
import { diskLintHost } from "../host/lint-host.ts";
import { collectFiles, findConfig, lintedFolders, UsageError } from "./files.ts";
import { ansi, formatStylish, plain } from "./format/stylish.ts";
import { PLAN_CHECKS } from "../engine/plan/checks.ts";
import { exitCodeOf, loadConfig, outputOptions, useColour, type Io } from "./io.ts";

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
      --threads N                  worker threads (default: one per core for inputs over 1.5 MB)
      --cache                      reuse the findings of folders that did not change since the last --cache run
      --cache-location PATH        the cache file (default: .immutably-cache/lint.json beside .immutably.hcl)
      --whole-folders              each path stands for its folder (a file for the folder holding it), linted
                                   without the folders below it: for pre-commit hooks, which pass changed files
`;
const PLAN_USAGE_LINE = "  immutably plan <plan> [--format F] [--dir PATH]  check a saved Terraform plan or its JSON (`immutably plan --help`)\n";
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

/** Why a fix must not be written (HashiCorp's parser rejects the original or the result), or undefined. */
async function hashiCorpRejects(file: string, original: string, fixed: string): Promise<string | undefined> {
  if (file.endsWith(".json")) return undefined; // JSON fixes are checked by jsonc-parser's parse in the engine.
  const name = path.basename(file);
  try {
    await parseWithHashiCorp(name, original);
  } catch {
    return "HashiCorp's parser rejects the file as it is; fix the syntax error first";
  }
  try {
    await parseWithHashiCorp(name, fixed);
  } catch (error) {
    return `the fix would not parse (${error instanceof Error ? error.message : String(error)}); please report this`;
  }
  return undefined;
}

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
  const configRoot = configPath ? path.dirname(configPath) : root;
  let explicitThreads: number | undefined;
  if (values.threads !== undefined) {
    explicitThreads = Number(values.threads);
    if (!Number.isInteger(explicitThreads) || explicitThreads < 1 || explicitThreads > 64) throw new UsageError(`--threads takes a whole number from 1 to 64, got "${values.threads}"`);
  }
  // Workers for a large input start while the files are still being read, and lint each folder as
  // soon as it is read; not for --fix, which lints in this thread first, nor --cache, which may lint little.
  const pool = new WorkerPool();
  // Folders stream to workers only when every path is a folder: a file named beside its folder would
  // otherwise reach the workers apart from the rest of its module.
  const allFolders = paths.every((p) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
  const streamToWorkers = !values.fix && !values.cache && explicitThreads !== 1 && allFolders;
  try {
    return await lintWith();
  } finally {
    pool.close();
  }

  async function lintWith(): Promise<number> {
    // Folders read before the input is known to be large wait here; then they go to the workers,
    // and every folder after them as soon as it is read.
    const waiting: SourceInput[][] = [];
    let bytesRead = 0;
    let stream: FolderStream | undefined;
    const lintRoots = lintedFolders(paths);
    const collected = collectFiles(paths, configRoot, config.ignorePaths, config.maxFileBytes, recursive, (_dir, inputs) => {
      if (!streamToWorkers) return;
      if (stream) return stream.add(inputs);
      waiting.push(inputs);
      bytesRead += inputs.reduce((n, i) => n + i.text.length, 0);
      if (explicitThreads !== undefined || bytesRead >= PARALLEL_MIN_BYTES) {
        stream = pool.stream(explicitThreads ?? defaultThreads(), config, lintRoots, io.signal);
        for (const folder of waiting.splice(0)) stream.add(folder);
      }
    });
    // Loaded only with --cache: it needs node:crypto, which a plain run does not load.
    const cacheModule = values.cache ? await import("./cache.ts") : undefined;
    const cacheFile = cacheModule && (values["cache-location"] ? path.resolve(io.cwd, values["cache-location"]) : cacheModule.defaultCacheLocation(configRoot));
    // A cache file placed inside the linted tree is not configuration (nor a legacy Packer template).
    if (cacheFile) collected.inputs = collected.inputs.filter((i) => i.path !== cacheFile);
    const texts = new Map(collected.inputs.map((i) => [i.path, i.text]));
    // Files named by file()/templatefile() and called modules are read on demand, inside the repository, as the engine's host decides.
    const host = diskLintHost(texts, lintRoots, config.maxFileBytes);
    // The cache compares what a folder's rules read and listed, through the same host (a refusal is remembered as one).
    const cacheDisk = (dir: string) => ({
      readFile: (p: string) => {
        const read = host.readFile(p, host.readRoot(dir));
        return typeof read === "object" ? `\0refused: ${read.refused}` : read;
      },
      listFiles: (folder: string) => host.listFiles(folder, host.readRoot(dir)),
    });
    if (values.fix) {
      const { changed } = await linter.fix(collected.inputs, config, host, ["safe"]);
      for (const [file, text] of changed) {
        // The engine misses a few syntax errors HashiCorp's parser reports (0.3% of the fuzzer's broken
        // inputs), so before writing, HashiCorp's parser must accept both the original and the fix.
        const problem = await hashiCorpRejects(file, texts.get(file)!, text);
        if (problem) {
          io.stderr.write(`not fixed: ${path.relative(io.cwd, file) || file}: ${problem}\n`);
          changed.delete(file);
          continue;
        }
        writeFileAtomic(file, (collected.bom.has(file) ? "\uFEFF" : "") + text);
        texts.set(file, text);
      }
      if (changed.size) io.stderr.write(`fixed ${changed.size} file${changed.size === 1 ? "" : "s"}\n`);
    }
    const allInputs = [...texts].map(([p, text]) => ({ path: p, text }));
    // With --cache, folders whose files, scripts and configuration are unchanged are not linted again.
    const cache = cacheModule && cacheFile ? new cacheModule.LintCache(cacheFile, cacheModule.cacheSalt(VERSION, config)) : undefined;
    const folderKeys = new Map<string, string>();
    const cached = merged([]);
    let inputs = allInputs;
    if (cache) {
      inputs = [];
      for (const [dir, folderInputs] of byFolder(allInputs, (i) => path.dirname(i.path))) {
        // The read root is part of the key: a repository created around a folder changes what its rules may read.
        const key = `${cacheModule!.LintCache.keyOf(folderInputs)}:${host.readRoot(dir)}`;
        const hit = cache.get(dir, key, cacheDisk(dir));
        if (hit) {
          cached.findings.push(...hit.findings);
          cached.unusedSuppressions.push(...hit.unusedSuppressions);
        } else {
          folderKeys.set(dir, key);
          inputs.push(...folderInputs);
        }
      }
    }
    const threads = explicitThreads ?? threadCount(inputs);
    let fresh: PortableResult;
    if (stream) fresh = await stream.finish();
    else if (inputs.length === 0) fresh = merged([]);
    else if (threads > 1) {
      // Large inputs: whole modules are linted on worker threads, so cross-file resolution still holds.
      fresh = await lintOnWorkers(partitionByModule(inputs, threads), config, lintRoots, io.signal, pool);
    } else {
      fresh = portable(await linter.lint(inputs, config, host, { dropFiles: true }));
    }
    if (cache) {
      const failed = new Set(fresh.ruleFailures.map((f) => f.moduleDir));
      const findingsByDir = byFolder(fresh.findings, (f) => path.dirname(f.path));
      const unusedByDir = byFolder(fresh.unusedSuppressions, (s) => path.dirname(s.path));
      const readsByDir = byFolder(fresh.reads, (r) => r.dir);
      const listingsByDir = byFolder(fresh.listings, (l) => l.dir);
      for (const [dir, key] of folderKeys) {
        // A folder where a rule failed is linted again next time, so the failure is reported again.
        if (failed.has(dir)) continue;
        cache.set(
          dir,
          {
            key,
            findings: findingsByDir.get(dir) ?? [],
            unusedSuppressions: unusedByDir.get(dir) ?? [],
            reads: (readsByDir.get(dir) ?? []).map((r) => r.path),
            listed: (listingsByDir.get(dir) ?? []).map((l) => l.folder),
          },
          cacheDisk(dir),
        );
      }
      cache.forgetMissing((dir) => fs.existsSync(dir));
      const problem = cache.save();
      if (problem) io.stderr.write(`immutably: ${problem}\n`);
    }
    const findings: Finding[] = [...cached.findings, ...fresh.findings].sort(compareFindings);
    const unused: Awaited<ReturnType<Linter["lint"]>>["unusedSuppressions"] = [...cached.unusedSuppressions, ...fresh.unusedSuppressions]
      .map((s) => ({ ...s, used: new Set(s.used) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.range.startOffset - b.range.startOffset));
    const failures = fresh.ruleFailures;
    // A plan check's suppression is used by `immutably plan`, which lint cannot see.
    if (values["report-unused-ignores"]) findings.push(...unusedSuppressionFindings(unused, (r) => !PLAN_CHECK_IDS.has(r), "warning"));
    for (const f of failures) io.stderr.write(`internal error in rule ${f.ruleId} (${f.moduleDir}): ${f.message}\n`);
    if (format === "json") {
      const { formatJson } = await import("./format/json.ts");
      io.stdout.write(formatJson(findings, collected.problems, io.cwd, VERSION));
    } else if (format === "sarif") {
      const { formatSarif, sarifRules } = await import("./format/sarif.ts");
      io.stdout.write(formatSarif(findings, collected.problems, sarifRules(linter.rules), texts, io.cwd, VERSION));
    } else {
      io.stdout.write(formatStylish(findings, collected.problems, io.cwd, useColour(io) ? ansi : plain));
    }
    if (failures.length) return 2;
    return exitCodeOf(findings, maxWarnings);
  }
}

async function rulesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: "string", default: "table" }, help: { type: "boolean", short: "h", default: false } } });
  if (values.help) {
    io.stdout.write(`Usage:\n${RULES_USAGE}`);
    return 0;
  }
  const linter = await createLinter();
  if (values.format === "json") {
    io.stdout.write(JSON.stringify(linter.rules.map((r) => ({ id: r.meta.id, severity: r.meta.severity, recommended: r.meta.recommended, fix: r.meta.fix, appliesTo: r.meta.appliesTo, summary: r.meta.docs.summary, docs: ruleDocsFile(r.meta.id) })), null, 2) + "\n");
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
        return await runRollCommand(command, rest, { stdout: io.stdout, stderr: io.stderr, cwd: io.cwd, isTTY: Boolean(io.stdout.isTTY), signal: io.signal, env: io.env });
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

if (!isMainThread && (workerData as WorkerStart | undefined)?.kind === "immutably-lint-worker") {
  // This bundle is also the lint worker (see parallel.ts).
  preferFastStartForHashiCorpParser();
  serveLintWorker(parentPort!);
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
  const io: Io = {
    stdout: process.stdout,
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
      process.stdout.write("", () => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`immutably: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
