// workspace/didChangeWatchedFiles: files changed, created or deleted on disk; the index and the folders that depend on them follow.
import { FileChangeType, type DidChangeWatchedFilesParams } from "vscode-languageserver/node";
import { isConfigPath } from "../../engine/index.ts";
import { pathOfUri } from "../documents.ts";
import type { ImmutablyServer } from "../server.ts";

export function didChangeWatchedFiles(server: ImmutablyServer, params: DidChangeWatchedFilesParams): void {
  const { services, store, index } = server;
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
    server.fileChanged(p);
  }
}
