// textDocument/didOpen, didChange, didSave and didClose, as the document store reports them: which folders to lint and what to clear.
import path from "node:path";
import type { TextDocumentChangeEvent } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { isConfigPath } from "../../engine/index.ts";
import { pathOfUri } from "../documents.ts";
import type { ImmutablyServer } from "../server.ts";

type DocumentEvent = TextDocumentChangeEvent<TextDocument>;

export function didOpen(server: ImmutablyServer, e: DocumentEvent): void {
  const p = pathOfUri(e.document.uri);
  const { services } = server;
  if (!p || !services) return;
  server.opening.add(e.document.uri);
  if (isConfigPath(p)) return;
  server.index.add(p, e.document.getText());
  // The folder may have been linted from disk already; a lint now gives the open version its own result.
  if (services.configs.settings.enable) services.scheduler.schedule(path.dirname(p));
}

/** A document's content changed: opened (handled by didOpen) or edited. */
export function didChangeContent(server: ImmutablyServer, e: DocumentEvent): void {
  server.timings?.edited(e.document.uri, e.document.version);
  const p = pathOfUri(e.document.uri);
  const { services } = server;
  // didOpen also fires this event; didOpen has scheduled that lint.
  if (server.opening.delete(e.document.uri) || !p || !services) return;
  server.documentEdits++;
  if (isConfigPath(p)) {
    // Re-linting a whole workspace per keystroke is too much: show the config's own errors now, re-lint on save.
    services.configs.invalidate();
    const parsed = services.configs.parseFile(p);
    void server.connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: parsed.diagnostics });
    return;
  }
  if (services.configs.settings.lintOnType) server.fileChanged(p);
}

export function didSave(server: ImmutablyServer, e: DocumentEvent): void {
  const p = pathOfUri(e.document.uri);
  const { services } = server;
  if (p && services && (isConfigPath(p) || !services.configs.settings.lintOnType)) server.fileChanged(p);
}

export function didClose(server: ImmutablyServer, e: DocumentEvent): void {
  const p = pathOfUri(e.document.uri);
  const { services } = server;
  if (!p || !services) return;
  services.publisher.forget(p);
  if (isConfigPath(p)) {
    server.fileChanged(p);
    return;
  }
  // The disk may not hold what the editor showed: re-lint from disk, or clear a file that was never saved.
  server.index.add(p);
  if (!server.index.has(p)) services.publisher.clear(p);
  if (services.configs.settings.enable) services.scheduler.schedule(path.dirname(p));
}
