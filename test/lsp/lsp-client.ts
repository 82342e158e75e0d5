// A minimal editor for protocol tests and the benchmark: spawns dist/server.js --stdio and speaks JSON-RPC as VS Code does.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type {
  CodeAction,
  ConfigurationParams,
  Diagnostic,
  InitializeParams,
  PublishDiagnosticsParams,
  Range,
  ShowMessageParams,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { TextDocument } from "vscode-languageserver-textdocument";
import { SERVER_NODE_OPTIONS } from "../../server/src/lsp/protocol.ts";

export const ROOT = path.resolve(__dirname, "../..");
export const SERVER = path.join(ROOT, "dist/server.js");

export const uriOf = (p: string): string => pathToFileURL(p).href;

/** Writes files (relative path → text) into a fresh temporary workspace folder and returns its path. */
export function makeWorkspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "immutably-lsp-")));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

interface Waiter {
  uri: string;
  test: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
}

export interface StartOptions {
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Another build of the server, e.g. dist/server.js inside an unpacked .vsix. */
  server?: string;
  /** Node options before the server's file: the extension's own (`SERVER_NODE_OPTIONS`) unless given. */
  nodeOptions?: readonly string[];
  /** Variables added to the server's environment (`IMMUTABLY_PARSER`). */
  env?: Record<string, string>;
}

/** Applies LSP text edits to a text, as an editor would. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create("file:///x", "plaintext", 0, text), edits);
}

/** The edits a WorkspaceEdit makes to one URI (documentChanges or changes). */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.documentChanges) {
    return edit.documentChanges
      .filter((c): c is TextDocumentEdit => "textDocument" in c && c.textDocument.uri === uri)
      .flatMap((c) => c.edits as TextEdit[]);
  }
  return edit.changes?.[uri] ?? [];
}

export class LspClient {
  readonly connection: MessageConnection;
  /** Every publishDiagnostics, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  /** Every window/logMessage text (the Immutably output channel). */
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  /** Every client/registerCapability the server sent (file watchers, configuration). */
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  settings: Record<string, unknown>;
  private readonly waiters: Waiter[] = [];
  private readonly otherWaiters: Array<{ kind: "message" | "progress"; test: (p: unknown) => boolean; resolve: (p: unknown) => void }> = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  stderr = "";

  private constructor(
    readonly process: ChildProcess,
    readonly root: string,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification("window/showMessage", (p: ShowMessageParams) => this.record("message", this.messages, p));
    this.connection.onNotification("window/logMessage", (p: { message: string }) => void this.logs.push(p.message));
    this.connection.onNotification("$/progress", (p: unknown) => this.record("progress", this.progress, p));
    this.connection.onRequest("window/workDoneProgress/create", () => null);
    this.connection.onRequest("client/registerCapability", (p: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onRequest("client/unregisterCapability", () => null);
    this.connection.onRequest("window/showMessageRequest", (p: ShowMessageParams) => {
      this.record("message", this.messages, p);
      return null;
    });
    this.connection.onRequest("workspace/configuration", (p: ConfigurationParams) => p.items.map(() => this.settings));
    this.connection.listen();
  }

  /** Starts the server on a workspace folder and completes the initialize handshake. */
  static async start(root: string, options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(
      process.execPath,
      [
        ...(options.nodeOptions ?? SERVER_NODE_OPTIONS),
        ...(process.env.IMMUTABLY_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
        options.server ?? SERVER,
        "--stdio",
      ],
      {
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, ...options.env },
      },
    );
    const client = new LspClient(child, root, options.settings ?? {});
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ["create"] },
        },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } },
            isPreferredSupport: true,
          },
          hover: { contentFormat: ["markdown"] },
        },
      },
    };
    await client.connection.sendRequest("initialize", params);
    await client.connection.sendNotification("initialized", {});
    return client;
  }

  private record<T>(kind: "message" | "progress", list: T[], item: T): void {
    list.push(item);
    for (const w of [...this.otherWaiters]) {
      if (w.kind === kind && w.test(item)) {
        this.otherWaiters.splice(this.otherWaiters.indexOf(w), 1);
        w.resolve(item);
      }
    }
  }

  /** Resolves with the first window/showMessage (or showMessageRequest) whose text matches. */
  waitForMessage(pattern: RegExp): Promise<ShowMessageParams> {
    const seen = this.messages.find((m) => pattern.test(m.message));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) =>
      this.otherWaiters.push({
        kind: "message",
        test: (m) => pattern.test((m as ShowMessageParams).message),
        resolve: (m) => resolve(m as ShowMessageParams),
      }),
    );
  }

  /** Resolves when the `count`-th work done progress ends (the workspace lint at start is the first). */
  waitForProgressEnd(count = 1): Promise<void> {
    const ends = () => this.progress.filter((p) => (p as { value?: { kind?: string } }).value?.kind === "end").length;
    if (ends() >= count) return Promise.resolve();
    return new Promise((resolve) => this.otherWaiters.push({ kind: "progress", test: () => ends() >= count, resolve: () => resolve() }));
  }

  /** Tells the server that files changed on disk, as the editor's file watcher does. */
  async filesChanged(changes: Array<{ path: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.connection.sendNotification("workspace/didChangeWatchedFiles", {
      changes: changes.map((c) => ({ uri: uriOf(c.path), type: c.type })),
    });
  }

  /** Changes the `immutably` settings and notifies the server, which pulls them. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification("workspace/didChangeConfiguration", { settings: { immutably: settings } });
  }

  /** Resolves with the first diagnostics for `uri` (already received or future) that satisfy `test`. */
  waitForDiagnostics(
    uri: string,
    test: (p: PublishDiagnosticsParams) => boolean = () => true,
    since = 0,
  ): Promise<PublishDiagnosticsParams> {
    const seen = this.published.slice(since).find((p) => p.uri === uri && test(p));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ uri, test, resolve }));
  }

  /** The last diagnostics published for a URI. */
  latest(uri: string): Diagnostic[] | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i].diagnostics;
    return undefined;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? "";
  }

  async open(filePath: string, text = fs.readFileSync(filePath, "utf8"), languageId = "terraform"): Promise<string> {
    const uri = uriOf(filePath);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends an incremental change (a list of range edits, as VS Code sends them) and returns the new version. */
  async change(uri: string, edits: Array<{ range: Range; text: string }>): Promise<number> {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    this.texts.set(
      uri,
      applyTextEdits(
        this.text(uri),
        edits.map((e) => ({ range: e.range, newText: e.text })),
      ),
    );
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: edits });
    return version;
  }

  /** Applies LSP text edits to an open document through didChange, as an editor applying a code action does. */
  async applyEdits(uri: string, edits: TextEdit[]): Promise<number> {
    // Edits are sent last-first so that each range still refers to the text it was computed on.
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    return this.change(
      uri,
      sorted.map((e) => ({ range: e.range, text: e.newText })),
    );
  }

  async codeActions(uri: string, range: Range, only?: string[]): Promise<CodeAction[]> {
    const diagnostics = (this.latest(uri) ?? []).filter(
      (d) => !(d.range.end.line < range.start.line || d.range.start.line > range.end.line),
    );
    return await this.connection.sendRequest<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    } catch {
      // The server may already be gone; the process is killed below either way.
    }
    // A server that exits on its own (as it should after `exit`) can write what it was asked to,
    // such as a CPU profile; one that does not is killed after two seconds.
    if (this.process.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        this.process.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

export interface RawMessage {
  id?: number;
  method?: string;
  params?: { uri?: string; version?: number; diagnostics?: Array<{ code?: string; range: unknown }> };
  result?: unknown;
}

/**
 * The server over raw frames, without a JSON-RPC library in between: what it sends, in order, and a
 * way to write many frames in one write (as an editor under load delivers them). It answers the
 * server's own requests (settings, progress tokens) with defaults.
 */
export function rawServer(server = SERVER): {
  received: RawMessage[];
  write(messages: object[]): void;
  waitFor(test: (m: RawMessage) => boolean): Promise<RawMessage>;
  stop(): void;
} {
  // Started as the extension starts it (see SERVER_NODE_OPTIONS).
  const child = spawn(process.execPath, [...SERVER_NODE_OPTIONS, server, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  const received: RawMessage[] = [];
  const waiters: Array<{ test: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }> = [];
  let buffer = Buffer.alloc(0);
  child.stdout.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as RawMessage;
      buffer = buffer.subarray(headerEnd + 4 + length);
      received.push(message);
      // The server asks for settings and progress tokens; an editor answers.
      if (message.method && message.id !== undefined)
        write([{ jsonrpc: "2.0", id: message.id, result: message.method === "workspace/configuration" ? [{}] : null }]);
      for (const w of [...waiters]) {
        if (!w.test(message)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  const write = (messages: object[]) => {
    child.stdin.write(
      Buffer.concat(
        messages.map((m) => {
          const body = Buffer.from(JSON.stringify(m));
          return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
        }),
      ),
    );
  };
  return {
    received,
    write,
    waitFor: (test) => {
      const seen = received.find(test);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
    },
    stop: () => child.kill(),
  };
}

/**
 * A didChange notification as one keystroke on line 2, inside `name = "web-0"` of the benchmark's
 * files: a character typed at even versions and deleted at odd ones, so the file stays valid.
 */
export function typingChange(uri: string, version: number): object {
  const at = { line: 2, character: 17 };
  const range = version % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: 2, character: 18 } };
  return {
    jsonrpc: "2.0",
    method: "textDocument/didChange",
    params: { textDocument: { uri, version }, contentChanges: [{ range, text: version % 2 === 0 ? "x" : "" }] },
  };
}

/**
 * Starts a raw server on a workspace folder as an editor does: initialize, initialized, then opens
 * one document and waits for its first diagnostics.
 */
export async function openOnRawServer(
  server: ReturnType<typeof rawServer>,
  root: string,
  uri: string,
  text: string,
  initializationOptions?: object,
): Promise<void> {
  server.write([
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        processId: process.pid,
        rootUri: uriOf(root),
        workspaceFolders: [{ uri: uriOf(root), name: "w" }],
        capabilities: { workspace: { configuration: true } },
        ...(initializationOptions ? { initializationOptions } : {}),
      },
    },
  ]);
  await server.waitFor((m) => m.id === 1);
  server.write([
    { jsonrpc: "2.0", method: "initialized", params: {} },
    { jsonrpc: "2.0", method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "terraform", version: 1, text } } },
  ]);
  await server.waitFor((m) => m.method === "textDocument/publishDiagnostics" && m.params?.uri === uri && m.params.version === 1);
}
