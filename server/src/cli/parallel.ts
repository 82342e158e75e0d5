// Lints large inputs on worker threads: files are split by module (a folder's files stay together) and balanced by size.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MessagePort, Worker } from "node:worker_threads";
import { byFolder, createLinter, type Finding, type ResolvedConfig, type SourceInput } from "../engine/index.ts";
import type { LintResult, RuleFailure } from "../engine/linter.ts";
import { diskLintHost, readRootsOver } from "../host/lint-host.ts";
import { usesTreeSitter } from "../engine/hcl/parser-choice.ts";
import { withoutEdits } from "../engine/fix.ts";
import { LINT_WORKER_ARGUMENT, workerThreads } from "./threads.ts";
import type { Suppression } from "../engine/suppress.ts";

/** Below this many bytes a worker's start-up (about 100 ms to load the bundle and the grammar) is not worth it. */
export const PARALLEL_MIN_BYTES = 1_500_000;

export interface PortableResult {
  findings: Finding[];
  unusedSuppressions: Array<Omit<Suppression, "used"> & { used: string[] }>;
  ruleFailures: RuleFailure[];
  reads: Array<{ dir: string; path: string }>;
  listings: LintResult["listings"];
}

/**
 * A lint result in a form that survives postMessage and JSON (sets become arrays). Without
 * `fixEdits` (the lint was asked for none, see `LintOptions.fixEdits`), fixes keep their title and
 * kind and an empty list of edits: copying reads every property, and reading a dropped fix's edits throws.
 */
export function portable(result: LintResult, fixEdits = true): PortableResult {
  return {
    findings: fixEdits
      ? result.findings
      : result.findings.map((f) => (f.fix ? { ...f, fix: { title: f.fix.title, kind: f.fix.kind, changes: [] } } : f)),
    unusedSuppressions: result.unusedSuppressions.map((s) => ({ ...s, used: [...s.used] })),
    ruleFailures: result.ruleFailures,
    reads: result.reads,
    listings: result.listings,
  };
}

/** Several results as one (an empty one for none). */
export function merged(results: PortableResult[]): PortableResult {
  return {
    findings: results.flatMap((r) => r.findings),
    unusedSuppressions: results.flatMap((r) => r.unusedSuppressions),
    ruleFailures: results.flatMap((r) => r.ruleFailures),
    reads: results.flatMap((r) => r.reads),
    listings: results.flatMap((r) => r.listings),
  };
}

/** Splits inputs into groups of whole modules (same folder), largest first into the lightest group. */
export function partitionByModule(inputs: SourceInput[], groups: number): SourceInput[][] {
  const modules = [...byFolder(inputs, (i) => path.dirname(i.path)).values()].map((files) => ({
    files,
    bytes: files.reduce((n, f) => n + f.text.length, 0),
  }));
  modules.sort((a, b) => b.bytes - a.bytes);
  const buckets = Array.from({ length: groups }, () => ({ files: [] as SourceInput[], bytes: 0 }));
  for (const m of modules) {
    const lightest = buckets.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.files.push(...m.files);
    lightest.bytes += m.bytes;
  }
  return buckets.map((b) => b.files).filter((f) => f.length > 0);
}

/**
 * A lint worker's young generation: twice V8's default. A worker allocates fast and keeps little (a
 * folder's model lives until its findings are posted), so fewer, larger scavenges promote less;
 * measured on the bench corpus, garbage collection went from 15-27% of a worker's time to 12-14%,
 * for a few megabytes of peak RSS.
 */
const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * Lint threads for a large input, at most 8 (1: this thread, no workers). With tree-sitter, one per
 * core: its parse runs in WASM and leaves little garbage. With the own reader, one per two cores: a
 * lint thread keeps about 1.5 cores busy, as V8 collects garbage and compiles on helper threads
 * beside it (measured on the 5 MB bench corpus: 1.7-1.9 s of CPU in 1.2-1.3 s of wall time), and each
 * worker loads and warms the engine again. On 2 cores, two workers took 1.3-1.5 s where this thread
 * alone took 1.2-1.3 s, and 4.3-4.4 s against 3.8-3.9 s on 25 MB; tree-sitter's two workers took
 * 3.7 s against 4.7-4.9 s on one thread. Measured on 2 cores only: with more, the rule errs on fewer threads.
 */
export function defaultThreads(treeSitter = usesTreeSitter(), cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(treeSitter ? cores : Math.floor(cores / 2), 8));
}

/** How many threads to use for these inputs: 1 means lint in this thread. */
export function threadCount(inputs: SourceInput[]): number {
  const bytes = inputs.reduce((n, f) => n + f.text.length, 0);
  return bytes < PARALLEL_MIN_BYTES ? 1 : defaultThreads();
}

/** What a worker is started with; its work follows as messages, so it can start before the files are read. */
export interface WorkerStart {
  kind: "immutably-lint-worker";
}

/** Messages to a worker: the configuration (and whether fixes' edits are wanted), then folders to lint, then the end of the work. */
export type WorkerMessage =
  | { kind: "config"; config: ResolvedConfig; roots: string[]; fixEdits: boolean }
  | { kind: "folder"; inputs: SourceInput[] }
  | { kind: "end" };

/** Work handed to workers a folder at a time, each folder to the worker with the fewest bytes so far. */
export interface FolderStream {
  add(inputs: SourceInput[]): void;
  /** Ends the work and merges the workers' results. */
  finish(): Promise<PortableResult>;
}

/**
 * Lint workers started from this same bundle. A stream starts them while the main thread still reads
 * files and hands them folders as they are read, so that reading, starting workers and linting overlap.
 */
/** The file a worker starts: the bin's loader beside the bundle (it reads the code cache), else this bundle. */
function workerEntry(): string {
  const loader = path.join(__dirname, "cli.js");
  return path.basename(__filename) === "cli-main.js" && fs.existsSync(loader) ? loader : __filename;
}

export class WorkerPool {
  private readonly all = new Set<Worker>();

  /** Starts `count` workers and hands them folders as they come; `fixEdits`: whether fixes keep their edits (see `portable`). */
  stream(count: number, config: ResolvedConfig, roots: string[], signal: AbortSignal, fixEdits: boolean): FolderStream {
    const workers = Array.from({ length: count }, () => {
      const start: WorkerStart = { kind: "immutably-lint-worker" };
      const worker = new (workerThreads().Worker)(workerEntry(), {
        argv: [LINT_WORKER_ARGUMENT],
        workerData: start,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      this.all.add(worker);
      const result = new Promise<PortableResult>((resolve, reject) => {
        worker.once("message", (m: PortableResult) => resolve(m));
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`lint worker exited with code ${code} before it answered`)));
      });
      // A failure is reported by finish(); until then it must not be an unhandled rejection.
      result.catch(() => undefined);
      const post = (m: WorkerMessage) => worker.postMessage(m);
      post({ kind: "config", config, roots, fixEdits });
      return { post, result, bytes: 0 };
    });
    const abort = () => this.close();
    signal.addEventListener("abort", abort);
    return {
      add: (inputs) => {
        const lightest = workers.reduce((a, b) => (b.bytes < a.bytes ? b : a));
        lightest.bytes += inputs.reduce((n, i) => n + i.text.length, 0);
        lightest.post({ kind: "folder", inputs });
      },
      finish: async () => {
        try {
          for (const w of workers) w.post({ kind: "end" });
          const result = merged(await Promise.all(workers.map((w) => w.result)));
          if (!fixEdits) for (const f of result.findings) if (f.fix) f.fix = withoutEdits(f.fix);
          return result;
        } finally {
          signal.removeEventListener("abort", abort);
          this.close();
        }
      },
    };
  }

  /** Stops every worker this pool started. */
  close(): void {
    for (const w of this.all) void w.terminate();
    this.all.clear();
  }
}

/** Runs one group of whole folders per worker thread, and merges the results. */
export function lintOnWorkers(
  groups: SourceInput[][],
  config: ResolvedConfig,
  roots: string[],
  signal: AbortSignal,
  fixEdits: boolean,
  pool = new WorkerPool(),
): Promise<PortableResult> {
  const stream = pool.stream(groups.length, config, roots, signal, fixEdits);
  // partitionByModule balanced the groups already; each goes whole to its own worker.
  groups.forEach((inputs) => stream.add(inputs));
  return stream.finish();
}

/** The worker side: load the engine at once, then lint each folder as it arrives and post the merged result at the end. */
export function serveLintWorker(port: MessagePort): void {
  const linter = createLinter();
  // Unhandled here, a failed load would surface as the worker's error event; keep it for the first folder.
  linter.catch(() => undefined);
  let config: ResolvedConfig | undefined;
  let roots: string[] = [];
  // One per worker, not per folder: each folder's host would look for `.git` in every folder above it again.
  let rootOf = readRootsOver(roots);
  let fixEdits = true;
  const results: PortableResult[] = [];
  // Folders are linted one after another, in the order they came.
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (m: WorkerMessage) => {
    if (m.kind === "config") {
      ({ config, roots, fixEdits } = m);
      rootOf = readRootsOver(roots);
    } else if (m.kind === "folder") {
      const { inputs } = m;
      const folderConfig = config!;
      queue = queue.then(async () => {
        // Files named by file() come from disk, by the main thread's policy; the folder's own files are in hand.
        const host = diskLintHost(new Map(inputs.map((i) => [i.path, i.text])), roots, folderConfig.maxFileBytes, rootOf);
        results.push(portable(await (await linter).lint(inputs, folderConfig, host, { dropFiles: true, fixEdits }), fixEdits));
      });
    } else {
      queue.then(
        () => {
          port.postMessage(merged(results));
          port.close();
        },
        (error: unknown) => {
          throw error;
        },
      );
    }
  });
}
