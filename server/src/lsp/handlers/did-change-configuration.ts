// workspace/didChangeConfiguration: the `immutably` settings changed; they are read again and the workspace is linted with them.
import type { DidChangeConfigurationParams } from "vscode-languageserver/node";
import type { ImmutablyServer } from "../server.ts";

export async function didChangeConfiguration(server: ImmutablyServer, params: DidChangeConfigurationParams): Promise<void> {
  if (!server.services) return;
  await server.loadSettings(server.services, (params.settings as Record<string, unknown> | undefined)?.immutably);
  server.store.invalidateAll();
  await server.lintEverything(false);
}
