// textDocument/codeAction: quick fixes, fix-all and suppressions (see code-actions.ts), or nothing before the server is ready.
import type { CodeAction, CodeActionParams } from "vscode-languageserver/node";
import { provideCodeActions } from "../code-actions.ts";
import { pathOfUri } from "../documents.ts";
import { asksOnlyForFixAll } from "../protocol.ts";
import type { ImmutablyServer } from "../server.ts";

export async function codeAction(server: ImmutablyServer, params: CodeActionParams): Promise<CodeAction[]> {
  const p = pathOfUri(params.textDocument.uri);
  if (!p || !server.services) {
    if (asksOnlyForFixAll(params.context.only))
      server.connection.console.log(`fix-all: ${params.textDocument.uri} arrived before the server was ready; nothing offered`);
    return [];
  }
  return provideCodeActions(server.services.actions, params, p);
}
