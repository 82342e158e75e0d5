// workspace/executeCommand: the server's one command, lint the workspace (rescanned, every cache dropped); answers how many folders it holds.
import type { ExecuteCommandParams } from "vscode-languageserver/node";
import { LINT_WORKSPACE_COMMAND } from "../protocol.ts";
import type { ImmutablyServer } from "../server.ts";

export async function executeCommand(server: ImmutablyServer, params: ExecuteCommandParams): Promise<number | null> {
  const { services } = server;
  if (params.command !== LINT_WORKSPACE_COMMAND || !services) return null;
  server.store.invalidateAll();
  services.configs.invalidate();
  await server.lintEverything(true);
  return server.index.dirs().length;
}
