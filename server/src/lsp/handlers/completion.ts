// textDocument/completion: rule ids in suppression comments and in `.immutably.hcl` (see config-file.ts).
import type { CompletionItem, CompletionParams } from "vscode-languageserver/node";
import { isConfigPath } from "../../engine/index.ts";
import { configCompletions, suppressionCompletions } from "../config-file.ts";
import { pathOfUri } from "../documents.ts";
import type { ImmutablyServer } from "../server.ts";

// Completion needs only the rules, so it waits for them rather than answering nothing while the server starts.
export async function completion(server: ImmutablyServer, params: CompletionParams): Promise<CompletionItem[]> {
  const p = pathOfUri(params.textDocument.uri);
  const { rules } = await server.linterReady;
  const text = server.store.documents.get(params.textDocument.uri)?.getText();
  if (!p || server.services?.configs.settings.enable === false || text === undefined) return [];
  if (isConfigPath(p)) return configCompletions(p, text, params.position, rules);
  return suppressionCompletions(text, params.position, rules) ?? [];
}
