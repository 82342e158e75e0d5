// One lint run between the CLI's arguments and the engine: collects the files, applies safe fixes, consults the cache, and lints on this thread or on workers. Formats nothing.
import fs from "node:fs";
import path from "node:path";
import { byFolder, type Finding, type Linter, type ResolvedConfig, type SourceInput } from "../engine/index.ts";
import { parseWithHashiCorp } from "../engine/hcl/hashicorp.ts";
import { compareFindings, type LintResult, type RuleFailure } from "../engine/linter.ts";
import { writeFileAtomic } from "../host/atomic-write.ts";
import { diskLintHost } from "../host/lint-host.ts";
import { collectFiles, lintedFolders, type ReadProblem } from "./files.ts";
import {
  defaultThreads,
  lintOnWorkers,
  merged,
  PARALLEL_MIN_BYTES,
  partitionByModule,
  portable,
  threadCount,
  WorkerPool,
  type FolderStream,
  type PortableResult,
} from "./parallel.ts";

export interface LintRunOptions {
  /** Absolute files and folders to lint. */
  paths: string[];
  /** false: only the files directly in the named folders (`--whole-folders`). */
  recursive: boolean;
  config: ResolvedConfig;
  /** The folder of `.immutably.hcl` (or the linted root): `ignore_paths` and the default cache file are relative to it. */
  configRoot: string;
  linter: Linter;
  fix: boolean;
  /** Whether the output shows fixes' edits (SARIF does): lint workers leave them out otherwise (see `portable`). */
  fixEdits: boolean;
  cache: boolean;
  cacheLocation?: string;
  /** `--threads`, when given. */
  threads?: number;
  version: string;
  /** The working folder, against which messages name files. */
  cwd: string;
  signal: AbortSignal;
  /** Lines for the user about the run itself (fixed files, cache problems), not findings. */
  note(line: string): void;
}

export interface LintRunResult {
  findings: Finding[];
  unusedSuppressions: LintResult["unusedSuppressions"];
  ruleFailures: RuleFailure[];
  /** Files that were not linted, and why. */
  problems: ReadProblem[];
  /** The texts linted (after fixes), by path: SARIF quotes them. */
  texts: Map<string, string>;
}

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

/** Runs one lint over the options' paths; the caller reports and formats what it returns. */
export async function runLint(o: LintRunOptions): Promise<LintRunResult> {
  const { config, linter, paths } = o;
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
  const streamToWorkers = !o.fix && !o.cache && (o.threads ?? defaultThreads()) > 1 && allFolders;
  // The cache keeps fixes whole: a later run may print them as SARIF.
  const fixEdits = o.fixEdits || o.cache;
  try {
    // Folders read before the input is known to be large wait here; then they go to the workers,
    // and every folder after them as soon as it is read.
    const waiting: SourceInput[][] = [];
    let bytesRead = 0;
    let stream: FolderStream | undefined;
    const lintRoots = lintedFolders(paths);
    const collected = collectFiles(paths, o.configRoot, config.ignorePaths, config.maxFileBytes, o.recursive, (_dir, inputs) => {
      if (!streamToWorkers) return;
      if (stream) return stream.add(inputs);
      waiting.push(inputs);
      bytesRead += inputs.reduce((n, i) => n + i.text.length, 0);
      if (o.threads !== undefined || bytesRead >= PARALLEL_MIN_BYTES) {
        stream = pool.stream(o.threads ?? defaultThreads(), config, lintRoots, o.signal, fixEdits);
        for (const folder of waiting.splice(0)) stream.add(folder);
      }
    });
    // Loaded only with --cache: it needs node:crypto, which a plain run does not load.
    const cacheModule = o.cache ? await import("./cache.ts") : undefined;
    const cacheFile = cacheModule && (o.cacheLocation ?? cacheModule.defaultCacheLocation(o.configRoot));
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
    if (o.fix) {
      const { changed } = await linter.fix(collected.inputs, config, host, ["safe"]);
      for (const [file, text] of changed) {
        // The engine misses a few syntax errors HashiCorp's parser reports (0.3% of the fuzzer's broken
        // inputs), so before writing, HashiCorp's parser must accept both the original and the fix.
        const problem = await hashiCorpRejects(file, texts.get(file)!, text);
        if (problem) {
          o.note(`not fixed: ${path.relative(o.cwd, file) || file}: ${problem}`);
          changed.delete(file);
          continue;
        }
        writeFileAtomic(file, (collected.bom.has(file) ? "\uFEFF" : "") + text);
        texts.set(file, text);
      }
      if (changed.size) o.note(`fixed ${changed.size} file${changed.size === 1 ? "" : "s"}`);
    }
    const allInputs = [...texts].map(([p, text]) => ({ path: p, text }));
    // With --cache, folders whose files, scripts and configuration are unchanged are not linted again.
    const cache = cacheModule && cacheFile ? new cacheModule.LintCache(cacheFile, cacheModule.cacheSalt(o.version, config)) : undefined;
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
    const threads = o.threads ?? threadCount(inputs);
    let fresh: PortableResult;
    if (stream) fresh = await stream.finish();
    else if (inputs.length === 0) fresh = merged([]);
    else if (threads > 1) {
      // Large inputs: whole modules are linted on worker threads, so cross-file resolution still holds.
      fresh = await lintOnWorkers(partitionByModule(inputs, threads), config, lintRoots, o.signal, fixEdits, pool);
    } else {
      fresh = portable(await linter.lint(inputs, config, host, { dropFiles: true, fixEdits }));
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
      if (problem) o.note(`immutably: ${problem}`);
    }
    return {
      findings: [...cached.findings, ...fresh.findings].sort(compareFindings),
      unusedSuppressions: [...cached.unusedSuppressions, ...fresh.unusedSuppressions]
        .map((s) => ({ ...s, used: new Set(s.used) }))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.range.startOffset - b.range.startOffset)),
      ruleFailures: fresh.ruleFailures,
      problems: collected.problems,
      texts,
    };
  } finally {
    pool.close();
  }
}
