// "Lint Workspace": asks the server to rescan the workspace and lint every folder (it reports progress itself).
import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";
import { LINT_WORKSPACE_COMMAND } from "../../../server/src/lsp/protocol.ts";

export function registerLintWorkspace(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.lintWorkspace", async () => {
      const folders = (await client.sendRequest(ExecuteCommandRequest.type, { command: LINT_WORKSPACE_COMMAND, arguments: [] })) as
        number | null;
      void vscode.window.setStatusBarMessage(`Immutably: linted ${folders ?? 0} folder(s)`, 5000);
    }),
  );
}
