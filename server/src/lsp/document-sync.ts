// The document events the store listens to, checked first: an open, change, close or save with the wrong types is refused and logged instead of entering the store.
import type {
  Connection,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  DidSaveTextDocumentParams,
  NotificationHandler,
  TextDocuments,
  WillSaveTextDocumentParams,
} from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";

/** What `TextDocuments.listen` takes: the document events of a connection. */
type TextDocumentConnection = Parameters<TextDocuments<TextDocument>["listen"]>[0];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isWhole = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v);
const isPosition = (v: unknown): boolean => isObject(v) && isWhole(v.line) && isWhole(v.character);

/** Why a didOpen cannot be taken, or undefined when it can. */
function openProblem(p: unknown): string | undefined {
  const doc = isObject(p) ? p.textDocument : undefined;
  if (!isObject(doc)) return "no textDocument";
  if (typeof doc.uri !== "string") return "its uri is not a string";
  if (typeof doc.text !== "string") return "its text is not a string";
  if (!isWhole(doc.version)) return "its version is not a whole number";
  return undefined;
}

/** Why a didChange cannot be taken, or undefined when it can. */
function changeProblem(p: unknown): string | undefined {
  if (!isObject(p) || !isObject(p.textDocument) || typeof p.textDocument.uri !== "string") return "no textDocument uri";
  if (!isWhole(p.textDocument.version)) return "its version is not a whole number";
  if (!Array.isArray(p.contentChanges)) return "contentChanges is not a list";
  for (const change of p.contentChanges as unknown[]) {
    if (!isObject(change) || typeof change.text !== "string") return "a change's text is not a string";
    if (change.range !== undefined && !(isObject(change.range) && isPosition(change.range.start) && isPosition(change.range.end)))
      return "a change's range is not a range";
  }
  return undefined;
}

/** Why an event naming only a document (close, save) cannot be taken, or undefined when it can. */
function uriProblem(p: unknown): string | undefined {
  return isObject(p) && isObject(p.textDocument) && typeof p.textDocument.uri === "string" ? undefined : "no textDocument uri";
}

/**
 * The connection as `TextDocuments.listen` sees it, with every document event checked first. A
 * document opened with a text that is not a string used to enter the store, and every later lint of
 * its folder failed on it; a change with one left the document half-updated.
 */
export function checkedDocumentEvents(connection: Connection, log: (message: string) => void): TextDocumentConnection {
  const checked =
    <P>(method: string, problemOf: (p: unknown) => string | undefined) =>
    (handler: NotificationHandler<P>): NotificationHandler<P> =>
    (params: P) => {
      const problem = problemOf(params);
      if (problem) {
        log(`immutably: ignored a malformed ${method} (${problem})`);
        return;
      }
      // A notification handler's result is not awaited by the connection either; its errors are its own.
      void handler(params);
    };
  return {
    onDidOpenTextDocument: (handler) =>
      connection.onDidOpenTextDocument(checked<DidOpenTextDocumentParams>("textDocument/didOpen", openProblem)(handler)),
    onDidChangeTextDocument: (handler) =>
      connection.onDidChangeTextDocument(checked<DidChangeTextDocumentParams>("textDocument/didChange", changeProblem)(handler)),
    onDidCloseTextDocument: (handler) =>
      connection.onDidCloseTextDocument(checked<DidCloseTextDocumentParams>("textDocument/didClose", uriProblem)(handler)),
    onWillSaveTextDocument: (handler) =>
      connection.onWillSaveTextDocument(checked<WillSaveTextDocumentParams>("textDocument/willSave", uriProblem)(handler)),
    onWillSaveTextDocumentWaitUntil: (handler) => connection.onWillSaveTextDocumentWaitUntil(handler),
    onDidSaveTextDocument: (handler) =>
      connection.onDidSaveTextDocument(checked<DidSaveTextDocumentParams>("textDocument/didSave", uriProblem)(handler)),
  };
}
