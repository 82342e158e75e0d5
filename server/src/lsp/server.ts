// The language server's state and the work its handlers share: settings, configuration problems, script watchers, the workspace pass and what a changed file re-lints.
import path from "node:path";
import { DidChangeWatchedFilesNotification, type ClientCapabilities, type Connection, type Disposable } from "vscode-languageserver/node";
import { createLinter, defaultConfig, isConfigPath, overlayRuleLevels, type Linter } from "../engine/index.ts";
import type { CodeActionDeps } from "./code-actions.ts";
import { ConfigStore, normalizeSettings } from "./configuration.ts";
import { DocumentStore } from "./documents.ts";
import type { InitializationOptions } from "./protocol.ts";
import { releaseMemory, untilMemorySettles } from "./memory.ts";
import { DiagnosticsPublisher } from "./publisher.ts";
import { LintScheduler } from "./scheduler.ts";
import type { EditTimings } from "./timings.ts";
import { WorkspaceIndex } from "./workspace.ts";

/** What the handlers need once the linter has loaded and the settings have arrived. */
export interface Services {
  linter: Linter;
  configs: ConfigStore;
  scheduler: LintScheduler;
  publisher: DiagnosticsPublisher;
  actions: CodeActionDeps;
}

export class ImmutablyServer {
  readonly store = new DocumentStore();
  readonly index = new WorkspaceIndex();
  /** Loading starts with the server, so that the rules are there by the time the client has initialized. */
  readonly linterReady: Promise<Linter>;
  /** From `initialize`. */
  capabilities: ClientCapabilities = {};
  /** From `initialize`. */
  initOptions: InitializationOptions = {};
  /** The workspace folders' paths. */
  roots: string[] = [];
  /** Edit-to-diagnostics timings, only when a benchmark asks for them (`reportTimings`). */
  timings: EditTimings | undefined;
  /** Set once the linter has loaded and the settings have arrived; handlers that run earlier answer with nothing. */
  services: Services | undefined;
  /** URIs whose didOpen is being handled: TextDocuments fires onDidChangeContent for an open too, which must not lint twice. */
  readonly opening = new Set<string>();
  /** Set by `shutdown`: the warm-up stops. */
  shuttingDown = false;
  /** Edits to open documents so far (not counting their opening): the warm-up stops at the first. */
  documentEdits = 0;
  /** The workspace lint in progress; a newer one (settings or configuration changed again) cancels it. */
  private currentRun: { cancelled: boolean } | undefined;
  private scriptWatchers: Disposable | undefined;
  private watchedScriptsKey = "";
  private readonly shownConfigErrors = new Set<string>();

  /** The newest workspace lint, so that a caller can tell whether another started meanwhile. */
  get workspaceRun(): { readonly cancelled: boolean } | undefined {
    return this.currentRun;
  }

  constructor(readonly connection: Connection) {
    // The server lints the same files again and again: keep parses, and re-parse edited files incrementally.
    this.linterReady = createLinter().then((linter) => {
      linter.enableParseCache();
      return linter;
    });
  }

  /** Sets the workspace folders; the store reads files inside them. */
  setRoots(roots: string[]): void {
    this.roots = roots;
    this.store.setWorkspaceFolders(roots);
  }

  /** Builds the services around the loaded linter; they are handed out once `loadSettings` has filled them in. */
  createServices(linter: Linter): Services {
    const { connection, store, index, initOptions, timings } = this;
    const configs = new ConfigStore(linter.rules, (p) => store.readText(p, 1024 * 1024));
    const debounceMs = typeof initOptions.debounceMs === "number" && initOptions.debounceMs >= 0 ? initOptions.debounceMs : 0;
    const onPublished = timings ? (uri: string, version: number | undefined) => timings.published(uri, version) : undefined;
    const publisher = new DiagnosticsPublisher(connection, store, linter, onPublished);
    const scheduler = new LintScheduler(connection, store, index, configs, linter, publisher, {
      debounceMs,
      onScriptsChanged: () => void this.updateScriptWatchers(),
    });
    const documentChanges = this.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    return {
      linter,
      configs,
      scheduler,
      publisher,
      actions: { store, scheduler, configs, linter, documentChanges, log: (m) => connection.console.log(m) },
    };
  }

  /** Reads the `immutably` settings: pulled per workspace/configuration when the client supports it. */
  async loadSettings(into: Services, pushed?: unknown): Promise<void> {
    let raw: unknown = pushed;
    if (this.capabilities.workspace?.configuration) raw = await this.connection.workspace.getConfiguration({ section: "immutably" });
    into.configs.setSettings(normalizeSettings(raw));
    const unknown = overlayRuleLevels(defaultConfig(into.linter.rules), into.configs.settings.rules).unknown;
    if (unknown.length)
      void this.connection.window.showWarningMessage(
        `immutably.rules names unknown rules or levels: ${unknown.join(", ")}. Levels are off, info, warning or error.`,
      );
  }

  /** Publishes problems of every `.immutably.hcl` read so far, and says once per distinct error that defaults apply. */
  private reportConfigProblems(): void {
    if (!this.services) return;
    for (const configPath of this.services.configs.knownConfigFiles()) {
      const parsed = this.services.configs.parseFile(configPath);
      void this.connection.sendDiagnostics({ uri: this.store.uriOf(configPath), diagnostics: parsed.diagnostics });
      // The errors themselves are diagnostics in the file; the message only says that linting fell back
      // to the defaults (errors in generation blocks do not change linting, so they need no message).
      if (parsed.errorText && !parsed.config && !this.shownConfigErrors.has(parsed.errorText)) {
        this.shownConfigErrors.add(parsed.errorText);
        const count = parsed.diagnostics.length;
        void this.connection.window.showErrorMessage(
          `immutably: ${configPath} has errors (${count} marked in the file); the default configuration applies until they are fixed.`,
        );
      }
    }
  }

  /** Keeps a watcher on exactly the scripts that some module reads, re-registering when that set changes. */
  private async updateScriptWatchers(): Promise<void> {
    if (!this.services || !this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    const scripts = this.services.scheduler.watchedScripts();
    const key = scripts.join("\0");
    if (key === this.watchedScriptsKey) return;
    this.watchedScriptsKey = key;
    this.scriptWatchers?.dispose();
    this.scriptWatchers = undefined;
    if (scripts.length === 0) return;
    // Glob metacharacters in a path are escaped by wrapping each in a character class.
    const escape = (p: string) =>
      p
        .split(path.sep)
        .join("/")
        .replace(/[*?[\]{}]/g, (c) => `[${c}]`);
    this.scriptWatchers = await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: scripts.map((s) => ({ globPattern: escape(s) })),
    });
  }

  /** Re-lints every known folder (settings or configuration changed), then reports configuration problems. */
  async lintEverything(rescan: boolean, alreadyLinted: ReadonlySet<string> = new Set()): Promise<void> {
    if (!this.services) return;
    const { scheduler, publisher, configs } = this.services;
    if (this.currentRun) this.currentRun.cancelled = true;
    const run = (this.currentRun = { cancelled: false });
    if (!configs.settings.enable) {
      publisher.clearAll();
      return;
    }
    if (rescan) this.index.scan(this.roots);
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin("Immutably", 0, "Linting the workspace", true);
    // Stops on the user's cancel button and when a newer workspace lint supersedes this one.
    const token = {
      get isCancellationRequested() {
        return run.cancelled || progress.token.isCancellationRequested;
      },
    };
    try {
      const done = await scheduler.lintWorkspace(token, alreadyLinted, (n, total, dir) => {
        progress.report(Math.round((n / Math.max(total, 1)) * 100), `${n}/${total} ${path.relative(this.roots[0] ?? "", dir) || "."}`);
      });
      this.connection.console.log(`immutably: linted ${done} folder(s) in the workspace`);
    } finally {
      // Before the pass reports its end, so that whoever waits for it sees the memory it leaves.
      const released = releaseMemory();
      if (released) {
        await untilMemorySettles();
        this.connection.console.log(
          `immutably: collected garbage after the workspace pass: heap ${released.beforeMb.toFixed(0)} MB → ${released.afterMb.toFixed(0)} MB`,
        );
      }
      progress.done();
    }
    if (run.cancelled) return;
    // Open documents outside the workspace folders are linted too.
    const dirs = new Set(
      this.store
        .openPaths()
        .filter((p) => !this.index.has(p))
        .map((p) => path.dirname(p)),
    );
    await Promise.all([...dirs].map((d) => scheduler.lintFolder(d)));
    this.reportConfigProblems();
    void this.updateScriptWatchers();
  }

  /** Reacts to a file's content changing (in the editor or on disk). */
  fileChanged(filePath: string): void {
    if (!this.services) return;
    if (isConfigPath(filePath)) {
      this.services.configs.invalidate();
      void this.lintEverything(false);
      return;
    }
    if (!this.services.configs.settings.enable) return;
    for (const dir of this.services.scheduler.affectedFolders(filePath)) this.services.scheduler.schedule(dir);
  }
}
