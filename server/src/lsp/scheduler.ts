// Lint scheduling: when a folder is linted after a change (leading edge, coalescing, a bounded wait), which folders a change affects, and the workspace pass; what is sent is the publisher's.
import path from "node:path";
import type { CancellationToken, Connection } from "vscode-languageserver/node";
import { isLintablePath, type Linter, type SourceInput } from "../engine/index.ts";
import type { ConfigStore, FolderConfig } from "./configuration.ts";
import type { DocumentStore } from "./documents.ts";
import { EditedSince } from "./edited-since.ts";
import type { DiagnosticsPublisher, FileLintResult, FolderLint } from "./publisher.ts";
import type { WorkspaceIndex } from "./workspace.ts";

interface FolderState {
  /** Bumped by every change in the folder; a lint whose generation is no longer current is thrown away. */
  generation: number;
  /** The debounce timer (debounceMs > 0 only). */
  timer: NodeJS.Timeout | undefined;
  /** The event-loop turn that waits for queued messages to be handled before a lint starts (debounceMs = 0). */
  turn: NodeJS.Immediate | undefined;
  /** A change arrived while a scheduled lint was running; the newest text is linted when it settles. */
  changedWhileRunning: boolean;
  /** The scheduled lint in flight, if any. */
  running: Promise<void> | undefined;
  /** When the oldest change still waiting for a lint arrived, so that steady typing cannot starve linting. */
  pendingSince: number | undefined;
  /** Files read through the host by the folder's last lint (scripts named by `file()`, called modules' files). */
  scripts: Set<string>;
  /** How long the folder's last lint took, which sets how long a never-pausing burst waits between lints. */
  lastLintMs: number;
  /** Folders of called modules listed by the folder's last lint. */
  modules: Set<string>;
}

/** Quiet time before HashiCorp's parser is asked for the exact wording of a syntax error. */
const EXACT_SYNTAX_QUIET_MS = 400;

/** The longest a change waits while newer changes keep arriving (resetting the debounce timer, or filling every event-loop turn). */
const MAX_WAIT_MS = 250;
/**
 * ...unless the folder's lint costs more: then a burst that never pauses waits this many times the
 * last lint's duration, so that linting takes at most a quarter of the server's time during it and
 * the edits and requests queued behind are handled (a 1 s lint every 250 ms would keep them
 * waiting for seconds).
 */
const LINT_COST_FACTOR = 3;

export interface SchedulerOptions {
  /**
   * 0: lint as soon as the messages already received are handled (leading edge); changes that arrive
   * while that lint runs are coalesced into one lint of the newest text. Above 0: quiet time after a
   * change before linting, which newer changes reset (trailing debounce). Either way no change waits
   * more than MAX_WAIT_MS (or three times the folder's last lint, when that is longer).
   */
  debounceMs: number;
  /** Called when the set of scripts read through `file()` changes, so that watchers follow it. */
  onScriptsChanged(): void;
  /** The clock in milliseconds (tests hand in their own). */
  now?(): number;
}

export class LintScheduler {
  private readonly folders = new Map<string, FolderState>();
  /** Script path → folders whose lint read it, so that editing the script re-lints them. */
  private readonly scriptReaders = new Map<string, Set<string>>();
  /** Called module's folder → folders whose lint followed a call into it, so that any change in it (a file added too) re-lints them. */
  private readonly moduleCallers = new Map<string, Set<string>>();
  /** Resolved when the folder's lint in flight settles; lets requests wait for fresh results. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly index: WorkspaceIndex,
    private readonly configs: ConfigStore,
    private readonly linter: Linter,
    private readonly publisher: DiagnosticsPublisher,
    private readonly options: SchedulerOptions,
  ) {}

  private state(dir: string): FolderState {
    let s = this.folders.get(dir);
    if (!s) {
      s = {
        generation: 0,
        timer: undefined,
        turn: undefined,
        changedWhileRunning: false,
        running: undefined,
        pendingSince: undefined,
        scripts: new Set(),
        lastLintMs: 0,
        modules: new Set(),
      };
      this.folders.set(dir, s);
    }
    return s;
  }

  /**
   * The folders a change to `filePath` affects: its own (when it is configuration), every folder that
   * read it (via `file()`, or as a called module's file) and every folder that calls a module in its folder.
   */
  affectedFolders(filePath: string): string[] {
    const out = new Set<string>();
    if (isLintablePath(filePath)) out.add(path.dirname(filePath));
    for (const dir of this.scriptReaders.get(filePath) ?? []) out.add(dir);
    if (isLintablePath(filePath)) for (const dir of this.moduleCallers.get(path.dirname(filePath)) ?? []) out.add(dir);
    return [...out];
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }

  /** How long a change may wait while newer ones keep coming: MAX_WAIT_MS, or more for a folder whose lint is slow. */
  private maxWait(s: FolderState): number {
    return Math.max(MAX_WAIT_MS, LINT_COST_FACTOR * s.lastLintMs);
  }

  /** Schedules a lint of a folder after a change; every call makes the folder's older pending or running work stale. */
  schedule(dir: string): void {
    const s = this.state(dir);
    s.generation++;
    const now = this.now();
    s.pendingSince ??= now;
    if (this.options.debounceMs > 0) {
      if (s.timer) clearTimeout(s.timer);
      const wait = Math.max(0, Math.min(this.options.debounceMs, s.pendingSince + this.maxWait(s) - now));
      s.timer = setTimeout(() => void this.lintFolder(dir), wait);
      return;
    }
    if (s.running) s.changedWhileRunning = true;
    else s.turn ??= setImmediate(() => this.afterQueuedMessages(dir, undefined));
  }

  /**
   * Starts a scheduled lint once the messages already received have been handled. vscode-jsonrpc
   * handles one message per event-loop turn, so a burst of didChange notifications read in one chunk
   * (typically those that piled up while a lint ran) spans several turns: the lint waits until a whole
   * turn passes without a change, then reads the newest text, once. A single edit costs two turns
   * (microseconds); a stream of changes that never pauses is linted after `maxWait` anyway.
   * `generationBefore` is the folder's generation one turn earlier (undefined on the first turn).
   */
  private afterQueuedMessages(dir: string, generationBefore: number | undefined): void {
    const s = this.state(dir);
    s.turn = undefined;
    const starving = s.pendingSince !== undefined && this.now() - s.pendingSince >= this.maxWait(s);
    if (generationBefore !== s.generation && !starving) {
      const generation = s.generation;
      s.turn = setImmediate(() => this.afterQueuedMessages(dir, generation));
      return;
    }
    const run = this.lintFolder(dir);
    s.running = run;
    void run.finally(() => {
      if (s.running !== run) return;
      s.running = undefined;
      if (!s.changedWhileRunning) return;
      s.changedWhileRunning = false;
      // The lint that just ended read an older text (and published nothing): lint the newest now.
      s.turn ??= setImmediate(() => this.afterQueuedMessages(dir, undefined));
    });
  }

  /** Lints a folder now (background scan, code actions on a stale result), superseding any pending lint. */
  lintFolder(dir: string, cacheDiskTexts = true, exactSyntax = false): Promise<void> {
    const s = this.state(dir);
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    if (s.turn) clearImmediate(s.turn);
    s.turn = undefined;
    // This lint reads the newest texts, so a scheduled lint still running need not be followed by another.
    s.changedWhileRunning = false;
    s.pendingSince = undefined;
    const generation = ++s.generation;
    const run = this.run(dir, generation, cacheDiskTexts, exactSyntax).catch((error: unknown) => {
      this.connection.console.error(
        `immutably: linting ${dir} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    });
    this.inFlight.set(dir, run);
    void run.finally(() => {
      if (this.inFlight.get(dir) === run) this.inFlight.delete(dir);
    });
    return run;
  }

  /** The folder's files to lint: those on disk plus open ones not yet saved, minus ignore_paths. */
  private folderFiles(dir: string): string[] {
    const paths = new Set(this.index.filesIn(dir));
    for (const p of this.store.openPaths()) if (path.dirname(p) === dir && isLintablePath(p)) paths.add(p);
    return [...paths].sort();
  }

  /** Reads the folder's files for a lint: open documents at their current version, the others from disk. */
  private readFolder(dir: string, folder: FolderConfig, cacheDiskTexts: boolean): Omit<FolderLint, "result"> {
    const settings = this.configs.settings;
    const inputs: SourceInput[] = [];
    const versions = new Map<string, number>();
    const skipped: FolderLint["skipped"] = [];
    for (const p of this.folderFiles(dir)) {
      const open = this.store.openDocument(p);
      if (open) versions.set(p, open.version);
      const read =
        folder.isIgnored(p) || !settings.enable ? undefined : this.store.readForLint(p, folder.config.maxFileBytes, cacheDiskTexts);
      if (read && "text" in read) inputs.push({ path: p, text: read.text });
      else skipped.push({ path: p, reason: read?.skipped });
    }
    return { inputs, versions, skipped };
  }

  private async run(dir: string, generation: number, cacheDiskTexts: boolean, exactSyntax: boolean): Promise<void> {
    const s = this.state(dir);
    const folder = this.configs.forFolder(dir);
    const read = this.readFolder(dir, folder, cacheDiskTexts);
    const started = this.now();
    const result = read.inputs.length
      ? await this.linter.lint(read.inputs, folder.config, this.store.hostFor(folder.config.maxFileBytes), {
          skipExactSyntax: !exactSyntax,
          // Open documents are the ones typed in: keep their trees so that every edit parses incrementally.
          keepTreesFor: new Set(read.versions.keys()),
        })
      : { findings: [], ruleFailures: [], files: [], unusedSuppressions: [], reads: [], listings: [], notLoaded: [] };
    // A folder nobody edits (the background pass) keeps no parsed files either: the parse cache serves
    // the folders being edited, and filling it with the workspace's last 512 files held about 20 MB.
    if (!cacheDiskTexts) for (const input of read.inputs) this.linter.forgetCached(input.path);

    s.lastLintMs = this.now() - started;
    // A newer change in the folder, or an edit to one of its open documents, makes this result stale.
    if (s.generation !== generation || !this.publisher.isCurrent(read.versions)) return;

    // What the engine read and listed for this folder: a change to any of it lints the folder again.
    this.trackScripts(dir, s, new Set(result.reads.map((r) => path.normalize(r.path))));
    this.trackModules(dir, s, new Set(result.listings.map((l) => path.normalize(l.folder))));
    // While someone types, a file is often briefly broken. tree-sitter's error ranges are published at
    // once; HashiCorp's parser (a Go WASM module, tens of milliseconds on a large file) is asked for
    // its exact message only once the folder has been quiet for a while, unless a newer change came.
    if (!exactSyntax && result.findings.some((f) => f.ruleId === "hcl-syntax" && !f.path.endsWith(".json"))) {
      setTimeout(() => {
        if (s.generation === generation) void this.lintFolder(dir, cacheDiskTexts, true);
      }, EXACT_SYNTAX_QUIET_MS);
    }
    this.publisher.publishFolder({ ...read, result }, cacheDiskTexts);
  }

  private trackScripts(dir: string, s: FolderState, scripts: Set<string>): void {
    const changed = scripts.size !== s.scripts.size || [...scripts].some((x) => !s.scripts.has(x));
    reindex(this.scriptReaders, dir, s.scripts, scripts);
    s.scripts = scripts;
    if (changed) this.options.onScriptsChanged();
  }

  private trackModules(dir: string, s: FolderState, modules: Set<string>): void {
    reindex(this.moduleCallers, dir, s.modules, modules);
    s.modules = modules;
  }

  /** Every script some folder read through `file()`, for the file watcher registration. */
  watchedScripts(): string[] {
    return [...this.scriptReaders]
      .filter(([, readers]) => readers.size > 0)
      .map(([script]) => script)
      .sort();
  }

  /**
   * The newest result for an open document without waiting for a lint, and how the document changed
   * since: during a burst of edits, hover reads it through the edited span instead of waiting for
   * the burst to be linted. Undefined when the document has no result yet.
   */
  newestResult(filePath: string): { result: FileLintResult; edited: EditedSince } | undefined {
    const result = this.publisher.result(filePath);
    const doc = this.store.openDocument(filePath);
    const linted = result?.folderInputs.find((i) => i.path === filePath)?.text;
    if (!result || !doc || linted === undefined) return undefined;
    return { result, edited: new EditedSince(linted, doc.getText()) };
  }

  /** The result for an open document at exactly its current version, linting first when it is missing or stale. */
  async currentResult(filePath: string): Promise<FileLintResult | undefined> {
    const doc = this.store.openDocument(filePath);
    if (!doc) return undefined;
    const dir = path.dirname(filePath);
    const s = this.state(dir);
    // A lint already running for this folder may produce the result; when the one awaited turns out to
    // have read an older version (seen once under load: fix-all on save then applied nothing), lint
    // again. Three rounds bound the work while the user keeps typing.
    for (let round = 0; round < 3; round++) {
      const current = this.store.openDocument(filePath);
      if (!current) return undefined;
      const cached = this.publisher.result(filePath);
      if (cached?.version === current.version) return cached;
      const pending = s.timer !== undefined || s.turn !== undefined || s.changedWhileRunning;
      if (round === 0 && !pending && this.inFlight.has(dir)) await this.inFlight.get(dir);
      else await this.lintFolder(dir);
    }
    const fresh = this.publisher.result(filePath);
    return fresh?.version === this.store.openDocument(filePath)?.version ? fresh : undefined;
  }

  /**
   * Lints every folder of the workspace in the background, yielding between folders so that typing
   * stays responsive. Folders in `alreadyLinted` (linted just before, with the same settings) count as done.
   */
  async lintWorkspace(
    token: Pick<CancellationToken, "isCancellationRequested">,
    alreadyLinted: ReadonlySet<string>,
    progress: (done: number, total: number, dir: string) => void,
  ): Promise<number> {
    const dirs = this.index.dirs();
    let done = 0;
    for (const dir of dirs) {
      if (token.isCancellationRequested) break;
      if (alreadyLinted.has(dir)) {
        progress(++done, dirs.length, dir);
        continue;
      }
      // Folders with open documents keep their texts cached; the rest are read, linted and dropped.
      const hasOpen = this.store.openPaths().some((p) => path.dirname(p) === dir);
      await this.lintFolder(dir, hasOpen);
      progress(++done, dirs.length, dir);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return done;
  }
}

/** Moves `dir` in a reverse index (a file read or a module folder called → the folders whose lint did) from what its last lint used to what this one used. */
function reindex(reverse: Map<string, Set<string>>, dir: string, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
  for (const old of before) if (!after.has(old)) reverse.get(old)?.delete(dir);
  for (const key of after) {
    let dependents = reverse.get(key);
    if (!dependents) reverse.set(key, (dependents = new Set()));
    dependents.add(dir);
  }
}
