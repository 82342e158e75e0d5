// initialize and initialized: the capabilities the server announces, then loading the linter and settings, the first lints and the warm-up.
import path from "node:path";
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { usesTreeSitter } from "../../engine/hcl/parser-choice.ts";
import { CONFIG_FILE_NAME, defaultConfig } from "../../engine/index.ts";
import { FIX_ALL_KIND } from "../code-actions.ts";
import { pathOfUri } from "../documents.ts";
import { LINT_WORKSPACE_COMMAND, type InitializationOptions } from "../protocol.ts";
import type { ImmutablyServer, Services } from "../server.ts";
import { EditTimings } from "../timings.ts";
import { pickSample, warmUpEditPath } from "../warm-up.ts";
import { didChangeWorkspaceFolders } from "./workspace-folders.ts";

export function initialize(server: ImmutablyServer, params: InitializeParams): InitializeResult {
  server.capabilities = params.capabilities;
  server.initOptions = (params.initializationOptions ?? {}) as InitializationOptions;
  if (server.initOptions.reportTimings) server.timings = new EditTimings(server.connection);
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: "root" }] : []);
  server.setRoots(folders.map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined));
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
}

export async function initialized(server: ImmutablyServer): Promise<void> {
  const { connection, capabilities, store, index, initOptions } = server;
  const linter = await server.linterReady;
  const ready = server.createServices(linter);
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: "immutably" });
  }
  if (capabilities.workspace?.workspaceFolders) {
    // Only clients that announced workspace folder support may be asked for their change events.
    connection.workspace.onDidChangeWorkspaceFolders((event) => didChangeWorkspaceFolders(server, event));
  }
  // Settings before services: a document opened while they are on their way would otherwise be
  // linted, and its diagnostics published, with the default rule levels.
  await server.loadSettings(ready);
  server.services = ready;
  await registerWatchers(server);
  // The documents open at start (the one whose opening started the server) get their diagnostics
  // first; then, before the workspace pass, the edit path is warmed on a copy of the largest of them
  // (see pickSample), so that typing in it is fast from the first keystroke. The workspace pass skips
  // their folders.
  index.scan(server.roots);
  // Open documents not saved yet belong to their folders too (scan only sees the disk).
  for (const p of store.openPaths()) index.add(p, store.openDocument(p)?.getText());
  const enabled = ready.configs.settings.enable;
  const openFolders = new Set(enabled ? store.openPaths().map((p) => path.dirname(p)) : []);
  await Promise.all([...openFolders].map((dir) => ready.scheduler.lintFolder(dir)));
  // The own reader reads only the edited block and the rules check only it, which is fast from the
  // first keystroke (bench: p95 2-3 ms over the first 450 edits of a 3,000-line file): only
  // tree-sitter's edit path is warmed unless the client asks.
  const warmUp = enabled && (initOptions.warmUp ?? usesTreeSitter());
  const sample = pickSample(store.openPaths().map((p) => ({ path: p, text: store.openDocument(p)?.getText() ?? "" })));
  const runBefore = server.workspaceRun;
  // With a document open, someone is about to type: warm first (on the built-in document when the
  // open ones are small). With none open, the workspace comes first.
  const typingSoon = openFolders.size > 0;
  if (warmUp && typingSoon) await warmEditPath(server, ready, sample);
  // Settings or configuration that changed meanwhile started a full pass, which this one replaces: then
  // the open folders' results are stale too.
  await server.lintEverything(false, server.workspaceRun === runBefore ? openFolders : new Set());
  if (warmUp && !typingSoon) await warmEditPath(server, ready, undefined);
}

/** Registers file watchers for files that are not open: configuration kinds and `.immutably.hcl` (scripts read via `file()` follow as they are read). */
async function registerWatchers(server: ImmutablyServer): Promise<void> {
  if (!server.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
  await server.connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: [
      { globPattern: "**/*.{tf,tf.json,tofu,tofu.json,tfvars,tfvars.json,pkr.hcl,pkr.json,pkrvars.hcl,pkrvars.json,json}" },
      { globPattern: `**/${CONFIG_FILE_NAME}` },
    ],
  });
}

/** Runs the warm-up (see warm-up.ts) until it is done or someone types, and logs what it did. */
async function warmEditPath(
  server: ImmutablyServer,
  { linter, publisher }: Services,
  sample: { path: string; text: string } | undefined,
): Promise<void> {
  // Once someone types, their own edits warm the path: the warm-up must never delay them.
  const editsBefore = server.documentEdits;
  const warmed = await warmUpEditPath(linter, defaultConfig(linter.rules), {
    stop: () => server.shuttingDown || server.documentEdits !== editsBefore,
    sample: sample?.text,
    convert: (findings) => JSON.stringify(publisher.toDiagnostics(findings)),
  });
  const what = sample ? `a copy of ${path.basename(sample.path)}` : "a built-in document";
  server.connection.console.log(
    `immutably: warmed the edit path (${warmed.edits} edits of ${what} in ${warmed.milliseconds.toFixed(0)} ms${server.documentEdits !== editsBefore ? "; stopped by the first edit" : ""})`,
  );
}
