// Lints large inputs on worker threads: files are split by module (a folder's files stay together) and balanced by size.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createLinter, type Finding, type ResolvedConfig, type SourceInput } from "../engine/index.ts";
import type { RuleFailure } from "../engine/linter.ts";
import type { Suppression } from "../engine/suppress.ts";

/** Below this many bytes a worker's start-up (about 100 ms to load the bundle and the grammar) is not worth it. */
export const PARALLEL_MIN_BYTES = 1_500_000;

export interface PortableResult {
  findings: Finding[];
  unusedSuppressions: Array<Omit<Suppression, "used"> & { used: string[] }>;
  ruleFailures: RuleFailure[];
  reads: Array<{ dir: string; path: string }>;
}

export interface WorkerJob {
  kind: "immutably-lint";
  inputs: SourceInput[];
  config: ResolvedConfig;
}

/** Splits inputs into groups of whole modules (same folder), largest first into the lightest group. */
export function partitionByModule(inputs: SourceInput[], groups: number): SourceInput[][] {
  const byDir = new Map<string, SourceInput[]>();
  for (const input of inputs) {
    const dir = path.dirname(input.path);
    const list = byDir.get(dir) ?? [];
    list.push(input);
    byDir.set(dir, list);
  }
  const modules = [...byDir.values()].map((files) => ({ files, bytes: files.reduce((n, f) => n + f.text.length, 0) }));
  modules.sort((a, b) => b.bytes - a.bytes);
  const buckets = Array.from({ length: groups }, () => ({ files: [] as SourceInput[], bytes: 0 }));
  for (const m of modules) {
    const lightest = buckets.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.files.push(...m.files);
    lightest.bytes += m.bytes;
  }
  return buckets.map((b) => b.files).filter((f) => f.length > 0);
}

/** How many threads to use for these inputs: 1 means lint in this thread. */
export function threadCount(inputs: SourceInput[]): number {
  const bytes = inputs.reduce((n, f) => n + f.text.length, 0);
  if (bytes < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

/** Runs one job per group on worker threads started from this same bundle, and merges the results. */
export async function lintOnWorkers(groups: SourceInput[][], config: ResolvedConfig, signal: AbortSignal): Promise<PortableResult> {
  const workers: Worker[] = [];
  const abort = () => workers.forEach((w) => void w.terminate());
  signal.addEventListener("abort", abort);
  try {
    const results = await Promise.all(
      groups.map(
        (inputs) =>
          new Promise<PortableResult>((resolve, reject) => {
            const job: WorkerJob = { kind: "immutably-lint", inputs, config };
            const worker = new Worker(__filename, { workerData: job });
            workers.push(worker);
            worker.once("message", (m: PortableResult) => resolve(m));
            worker.once("error", reject);
            worker.once("exit", (code) => {
              if (code !== 0) reject(new Error(`lint worker exited with code ${code}`));
            });
          }),
      ),
    );
    return {
      findings: results.flatMap((r) => r.findings),
      unusedSuppressions: results.flatMap((r) => r.unusedSuppressions),
      ruleFailures: results.flatMap((r) => r.ruleFailures),
      reads: results.flatMap((r) => r.reads),
    };
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

/** The worker side: lint the job's files (reading file() targets from disk) and post the portable result. */
export async function runLintJob(job: WorkerJob): Promise<PortableResult> {
  const texts = new Map(job.inputs.map((i) => [i.path, i.text]));
  const linter = await createLinter();
  const result = await linter.lint(job.inputs, job.config, {
    readFile: (p) => {
      if (texts.has(p)) return texts.get(p);
      try {
        return fs.readFileSync(p, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  return {
    findings: result.findings,
    unusedSuppressions: result.unusedSuppressions.map((s) => ({ ...s, used: [...s.used] })),
    ruleFailures: result.ruleFailures,
    reads: result.reads,
  };
}
