// workspace/didChangeWorkspaceFolders: folders added or removed; the workspace is scanned and linted again.
import type { WorkspaceFoldersChangeEvent } from "vscode-languageserver/node";
import { pathOfUri } from "../documents.ts";
import type { ImmutablyServer } from "../server.ts";

export async function didChangeWorkspaceFolders(server: ImmutablyServer, event: WorkspaceFoldersChangeEvent): Promise<void> {
  const removed = new Set(event.removed.map((f) => pathOfUri(f.uri)));
  server.setRoots(
    server.roots
      .filter((r) => !removed.has(r))
      .concat(event.added.map((f) => pathOfUri(f.uri)).filter((p): p is string => p !== undefined)),
  );
  await server.lintEverything(true);
}
