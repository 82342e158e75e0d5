// "Restart Language Server": restarts the server (or starts it after the crash budget ran out); a manual restart also refills the budget.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import type { RestartBudget } from "../restart-budget.ts";

export function registerRestartServer(context: vscode.ExtensionContext, client: LanguageClient, budget: RestartBudget): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.restartServer", async () => {
      budget.reset();
      await (client.isRunning() ? client.restart() : client.start());
    }),
  );
}
