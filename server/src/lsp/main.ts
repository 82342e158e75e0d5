// The language server's entry point (dist/server.js): wires the document store, configuration, diagnostics, code actions and hover.
// The transport comes from the command line as vscode-languageserver reads it: --stdio, --node-ipc or --socket=<port>.
import path from "node:path";
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Disposable,
  type InitializeResult,
} from "vscode-languageserver/node";
import { CONFIG_FILE_NAME, createLinter, defaultConfig, isConfigPath, overlayRuleLevels, type Linter } from "../engine/index.ts";
import { FIX_ALL_KIND, provideCodeActions, type CodeActionDeps } from "./code-actions.ts";
import { ConfigStore, normalizeSettings } from "./configuration.ts";
import { checkedDocumentEvents } from "./document-sync.ts";
import { DocumentStore, pathOfUri } from "./documents.ts";
import { FrameFilter } from "./frames.ts";
import { configCompletions, configHover, suppressionCompletions } from "./config-file.ts";
import { commandDocsLink, fileDocsLink, provideHover } from "./hover.ts";
import { asksOnlyForFixAll, LINT_WORKSPACE_COMMAND, RULE_DOCUMENTATION_REQUEST, type InitializationOptions, type RuleDocumentationParams } from "./protocol.ts";
import { ruleDocumentation } from "./rule-docs.ts";
import { EditTimings } from "./timings.ts";
import { DiagnosticsPublisher } from "./publisher.ts";
import { LintScheduler } from "./scheduler.ts";
import { pickSample, warmUpEditPath } from "./warm-up.ts";
import { WorkspaceIndex } from "./workspace.ts";

/**
 * Over stdio the frames pass a filter that drops malformed ones (see frames.ts); over IPC (what the
 * extension uses) and sockets, vscode-languageserver reads the transport from the command line.
 */
const connection = process.argv.includes("--stdio")
  ? createConnection(ProposedFeatures.all, process.stdin.pipe(new FrameFilter((why) => connection.console.error(`immutably: dropped ${why} from the client`))), process.stdout)
  : createConnection(ProposedFeatures.all);
const store = new DocumentStore();
const index = new WorkspaceIndex();
// The server lints the same files again and again: keep parses, and re-parse edited files incrementally.
const linterReady: Promise<Linter> = createLinter().then((linter) => {
  linter.enableParseCache();
  return linter;
});

let capabilities: ClientCapabilities = {};
let initOptions: InitializationOptions = {};
let roots: string[] = [];
/** Edit-to-diagnostics timings, only when a benchmark asks for them (`reportTimings`). */
let timings: EditTimings | undefined;
interface Services {
  linter: Linter;
  configs: ConfigStore;
  scheduler: LintScheduler;
  publisher: DiagnosticsPublisher;
  actions: CodeActionDeps;
}
// Set in onInitialized once the linter has loaded and the settings have arrived; handlers that run earlier answer with nothing.
let services: Services | undefined;
let scriptWatchers: Disposable | undefined;
let watchedScriptsKey = "";
const shownConfigErrors = new Set<string>();
/** URIs whose didOpen is being handled: TextDocuments fires onDidChangeContent for an open too, which must not lint twice. */
const opening = new Set<string>();

connection.onInitialize((params): InitializeResult => {
  capabilities = params.capabilities;
  initOptions = (params.initializationOptions ?? {}) as InitializationOptions;
  if (initOptions.reportTimings) timings = new EditTimings(connection);
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "root" }] : []);
  roots = folders.map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined);
  store.setWorkspaceFolders(roots);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      // Rule ids after `rule "` and in suppression comments (after the colon, a comma or a space).
      completionProvider: { triggerCharacters: ['"', ":", ",", " "] },
      executeCommandProvider: { commands: [LINT_WORKSPACE_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: "immutably" },
  };
});

/** Reads the `immutably` settings: pulled per workspace/configuration when the client supports it. */
async function loadSettings(into: Services, pushed?: unknown): Promise<void> {
  let raw: unknown = pushed;
  if (capabilities.workspace?.configuration) raw = await connection.workspace.getConfiguration({ section: "immutably" });
  into.configs.setSettings(normalizeSettings(raw));
  const unknown = overlayRuleLevels(defaultConfig(into.linter.rules), into.configs.settings.rules).unknown;
  if (unknown.length) void connection.window.showWarningMessage(`immutably.rules names unknown rules or levels: ${unknown.join(", ")}. Levels are off, info, warning or error.`);
}

/** Publishes problems of every `.immutably.hcl` read so far, and says once per distinct error that defaults apply. */
function reportConfigProblems(): void {
  if (!services) return;
  for (const configPath of services.configs.knownConfigFiles()) {
    const parsed = services.configs.parseFile(configPath);
    void connection.sendDiagnostics({ uri: store.uriOf(configPath), diagnostics: parsed.diagnostics });
    // The errors themselves are diagnostics in the file; the message only says that linting fell back
    // to the defaults (errors in generation blocks do not change linting, so they need no message).
    if (parsed.errorText && !parsed.config && !shownConfigErrors.has(parsed.errorText)) {
      shownConfigErrors.add(parsed.errorText);
      const count = parsed.diagnostics.length;
      void connection.window.showErrorMessage(`immutably: ${configPath} has errors (${count} marked in the file); the default configuration applies until they are fixed.`);
    }
  }
}

/** Registers file watchers for files that are not open: configuration kinds, `.immutably.hcl`, and scripts read via `file()`. */
async function registerWatchers(): Promise<void> {
  if (!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
  await connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: [{ globPattern: "**/*.{tf,tf.json,tofu,tofu.json,tfvars,tfvars.json,pkr.hcl,pkr.json,pkrvars.hcl,pkrvars.json,json}" }, { globPattern: `**/${CONFIG_FILE_NAME}` }],
  });
}

/** Keeps a watcher on exactly the scripts that some module reads, re-registering when that set changes. */
async function updateScriptWatchers(): Promise<void> {
  if (!services || !capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
  const scripts = services.scheduler.watchedScripts();
  const key = scripts.join("\0");
  if (key === watchedScriptsKey) return;
  watchedScriptsKey = key;
  scriptWatchers?.dispose();
  scriptWatchers = undefined;
  if (scripts.length === 0) return;
  // Glob metacharacters in a path are escaped by wrapping each in a character class.
  const escape = (p: string) =>
    p
      .split(path.sep)
      .join("/")
      .replace(/[*?[\]{}]/g, (c) => `[${c}]`);
  scriptWatchers = await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: scripts.map((s) => ({ globPattern: escape(s) })) });
}

/** The workspace lint in progress; a newer one (settings or configuration changed again) cancels it. */
let workspaceRun: { cancelled: boolean } | undefined;

/** Re-lints every known folder (settings or configuration changed), then reports configuration problems. */
async function lintEverything(rescan: boolean, alreadyLinted: ReadonlySet<string> = new Set()): Promise<void> {
  if (!services) return;
  const { scheduler, publisher, configs } = services;
  if (workspaceRun) workspaceRun.cancelled = true;
  const run = (workspaceRun = { cancelled: false });
  if (!configs.settings.enable) {
    publisher.clearAll();
    return;
  }
  if (rescan) index.scan(roots);
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin("Immutably", 0, "Linting the workspace", true);
  // Stops on the user's cancel button and when a newer workspace lint supersedes this one.
  const token = {
    get isCancellationRequested() {
      return run.cancelled || progress.token.isCancellationRequested;
    },
  };
  try {
    const done = await scheduler.lintWorkspace(token, alreadyLinted, (n, total, dir) => {
      progress.report(Math.round((n / Math.max(total, 1)) * 100), `${n}/${total} ${path.relative(roots[0] ?? "", dir) || "."}`);
    });
    connection.console.log(`immutably: linted ${done} folder(s) in the workspace`);
  } finally {
    progress.done();
  }
  if (run.cancelled) return;
  // Open documents outside the workspace folders are linted too.
  const dirs = new Set(
    store
      .openPaths()
      .filter((p) => !index.has(p))
      .map((p) => path.dirname(p)),
  );
  await Promise.all([...dirs].map((d) => scheduler.lintFolder(d)));
  reportConfigProblems();
  void updateScriptWatchers();
}

/** Reacts to a file's content changing (in the editor or on disk). */
function onFileChanged(filePath: string): void {
  if (!services) return;
  if (isConfigPath(filePath)) {
    services.configs.invalidate();
    void lintEverything(false);
    return;
  }
  if (!services.configs.settings.enable) return;
  for (const dir of services.scheduler.affectedFolders(filePath)) services.scheduler.schedule(dir);
}

connection.onInitialized(async () => {
  const linter = await linterReady;
  const configs = new ConfigStore(linter.rules, (p) => store.readText(p, 1024 * 1024));
  const debounceMs = typeof initOptions.debounceMs === "number" && initOptions.debounceMs >= 0 ? initOptions.debounceMs : 0;
  const onPublished = timings ? (uri: string, version: number | undefined) => timings?.published(uri, version) : undefined;
  const publisher = new DiagnosticsPublisher(connection, store, linter, onPublished);
  const scheduler = new LintScheduler(connection, store, index, configs, linter, publisher, { debounceMs, onScriptsChanged: () => void updateScriptWatchers() });
  const documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  const ready: Services = { linter, configs, scheduler, publisher, actions: { store, scheduler, configs, linter, documentChanges, log: (m) => connection.console.log(m) } };
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: "immutably" });
  }
  if (capabilities.workspace?.workspaceFolders) {
    // Only clients that announced workspace folder support may be asked for their change events.
    connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
      const removed = new Set(event.removed.map((f) => pathOfUri(f.uri)));
      roots = roots.filter((r) => !removed.has(r)).concat(event.added.map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined));
      store.setWorkspaceFolders(roots);
      await lintEverything(true);
    });
  }
  // Settings before services: a document opened while they are on their way would otherwise be
  // linted, and its diagnostics published, with the default rule levels.
  await loadSettings(ready);
  services = ready;
  await registerWatchers();
  // The documents open at start (the one whose opening started the server) get their diagnostics
  // first; then, before the workspace pass, the edit path is warmed on a copy of the largest of them
  // (see pickSample), so that typing in it is fast from the first keystroke. The workspace pass skips
  // their folders.
  index.scan(roots);
  // Open documents not saved yet belong to their folders too (scan only sees the disk).
  for (const p of store.openPaths()) index.add(p, store.openDocument(p)?.getText());
  const enabled = ready.configs.settings.enable;
  const openFolders = new Set(enabled ? store.openPaths().map((p) => path.dirname(p)) : []);
  await Promise.all([...openFolders].map((dir) => ready.scheduler.lintFolder(dir)));
  const warmUp = enabled && initOptions.warmUp !== false;
  const sample = pickSample(store.openPaths().map((p) => ({ path: p, text: store.openDocument(p)?.getText() ?? "" })));
  const runBefore = workspaceRun;
  // With a document open, someone is about to type: warm first (on the built-in document when the
  // open ones are small). With none open, the workspace comes first.
  const typingSoon = openFolders.size > 0;
  if (warmUp && typingSoon) await warmEditPath(ready, sample);
  // Settings or configuration that changed meanwhile started a full pass, which this one replaces: then
  // the open folders' results are stale too.
  await lintEverything(false, workspaceRun === runBefore ? openFolders : new Set());
  if (warmUp && !typingSoon) await warmEditPath(ready, undefined);
});

/** Runs the warm-up (see warm-up.ts) until it is done or someone types, and logs what it did. */
async function warmEditPath({ linter, publisher }: Services, sample: { path: string; text: string } | undefined): Promise<void> {
  // Once someone types, their own edits warm the path: the warm-up must never delay them.
  const editsBefore = documentEdits;
  const warmed = await warmUpEditPath(linter, defaultConfig(linter.rules), {
    stop: () => shuttingDown || documentEdits !== editsBefore,
    sample: sample?.text,
    convert: (findings) => JSON.stringify(publisher.toDiagnostics(findings)),
  });
  const what = sample ? `a copy of ${path.basename(sample.path)}` : "a built-in document";
  connection.console.log(
    `immutably: warmed the edit path (${warmed.edits} edits of ${what} in ${warmed.milliseconds.toFixed(0)} ms${documentEdits !== editsBefore ? "; stopped by the first edit" : ""})`,
  );
}

let shuttingDown = false;
/** Edits to open documents so far (not counting their opening). */
let documentEdits = 0;
connection.onShutdown(() => {
  shuttingDown = true;
});

store.documents.onDidOpen((e) => {
  const p = pathOfUri(e.document.uri);
  if (!p || !services) return;
  opening.add(e.document.uri);
  if (isConfigPath(p)) return;
  index.add(p, e.document.getText());
  // The folder may have been linted from disk already; a lint now gives the open version its own result.
  if (services.configs.settings.enable) services.scheduler.schedule(path.dirname(p));
});

store.documents.onDidChangeContent((e) => {
  timings?.edited(e.document.uri, e.document.version);
  const p = pathOfUri(e.document.uri);
  // didOpen also fires this event; onDidOpen has scheduled that lint.
  if (opening.delete(e.document.uri) || !p || !services) return;
  documentEdits++;
  if (isConfigPath(p)) {
    // Re-linting a whole workspace per keystroke is too much: show the config's own errors now, re-lint on save.
    services.configs.invalidate();
    const parsed = services.configs.parseFile(p);
    void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: parsed.diagnostics });
    return;
  }
  if (services.configs.settings.lintOnType) onFileChanged(p);
});

store.documents.onDidSave((e) => {
  const p = pathOfUri(e.document.uri);
  if (p && services && (isConfigPath(p) || !services.configs.settings.lintOnType)) onFileChanged(p);
});

store.documents.onDidClose((e) => {
  const p = pathOfUri(e.document.uri);
  if (!p || !services) return;
  services.publisher.forget(p);
  if (isConfigPath(p)) {
    onFileChanged(p);
    return;
  }
  // The disk may not hold what the editor showed: re-lint from disk, or clear a file that was never saved.
  index.add(p);
  if (!index.has(p)) services.publisher.clear(p);
  if (services.configs.settings.enable) services.scheduler.schedule(path.dirname(p));
});

connection.onDidChangeWatchedFiles((params) => {
  if (!services) return;
  for (const change of params.changes) {
    const p = pathOfUri(change.uri);
    if (!p) continue;
    store.invalidate(p);
    // An open .immutably.hcl is applied by its didSave; the watcher's event for the same save would only repeat it.
    if (isConfigPath(p) && store.openDocument(p)) continue;
    if (!isConfigPath(p)) {
      if (change.type === FileChangeType.Deleted) {
        index.remove(p);
        if (!store.openDocument(p)) services.publisher.clear(p);
      } else index.add(p);
      // The editor's buffer wins over the disk for open files; siblings and readers still need a re-lint.
    }
    onFileChanged(p);
  }
});

connection.onDidChangeConfiguration(async (params) => {
  if (!services) return;
  await loadSettings(services, (params.settings as Record<string, unknown> | undefined)?.immutably);
  store.invalidateAll();
  await lintEverything(false);
});

connection.onCodeAction(async (params) => {
  const p = pathOfUri(params.textDocument.uri);
  if (!p || !services) {
    if (asksOnlyForFixAll(params.context.only)) connection.console.log(`fix-all: ${params.textDocument.uri} arrived before the server was ready; nothing offered`);
    return [];
  }
  return provideCodeActions(services.actions, params, p);
});

connection.onHover(async (params) => {
  const p = pathOfUri(params.textDocument.uri);
  if (p && isConfigPath(p) && services?.configs.settings.enable !== false) {
    const { rules } = await linterReady;
    const text = store.documents.get(params.textDocument.uri)?.getText();
    return text === undefined ? null : configHover(p, text, params.position, rules);
  }
  if (!p || !services || !services.configs.settings.enable) return null;
  const docsLink = initOptions.showDocumentationCommand ? commandDocsLink(initOptions.showDocumentationCommand) : fileDocsLink;
  return provideHover(services.scheduler, services.linter.rulesById, p, params.position, (filePath) => store.uriOf(filePath), docsLink);
});

// Completion needs only the rules, so it waits for them rather than answering nothing while the server starts.
connection.onCompletion(async (params) => {
  const p = pathOfUri(params.textDocument.uri);
  const { rules } = await linterReady;
  const text = store.documents.get(params.textDocument.uri)?.getText();
  if (!p || services?.configs.settings.enable === false || text === undefined) return [];
  if (isConfigPath(p)) return configCompletions(p, text, params.position, rules);
  return suppressionCompletions(text, params.position, rules) ?? [];
});

connection.onExecuteCommand(async (params) => {
  if (params.command !== LINT_WORKSPACE_COMMAND || !services) return null;
  store.invalidateAll();
  services.configs.invalidate();
  await lintEverything(true);
  return index.dirs().length;
});

connection.onRequest(RULE_DOCUMENTATION_REQUEST, async (params: RuleDocumentationParams) => ruleDocumentation((await linterReady).rules, params ?? {}));

// A bug must not take the server down with it: log, and keep serving the other files.
process.on("uncaughtException", (error) => connection.console.error(`immutably: uncaught ${error.stack ?? error.message}`));
process.on("unhandledRejection", (reason) => connection.console.error(`immutably: unhandled ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

store.documents.listen(checkedDocumentEvents(connection, (message) => connection.console.error(message)));
connection.listen();
