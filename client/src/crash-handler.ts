// What the client does when the language server dies on its own: restart it a few times, then stop and say so.
import * as vscode from "vscode";
import { CloseAction, ErrorAction, type ErrorHandler } from "vscode-languageclient/node";
import { MAX_RESTARTS, RESTART_WINDOW_MS, type RestartBudget } from "./restart-budget.ts";

/** An error handler that restarts a crashed server within the budget and otherwise tells the user what to do. */
export function crashHandler(budget: RestartBudget, output: vscode.OutputChannel, restart: () => Promise<void>): ErrorHandler {
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      if (budget.allow(Date.now())) {
        output.appendLine("The immutably language server stopped unexpectedly; restarting it.");
        return { action: CloseAction.Restart, handled: true };
      }
      const message = `The immutably language server crashed ${MAX_RESTARTS + 1} times in ${RESTART_WINDOW_MS / 60000} minutes and will not be restarted. The output has the details.`;
      output.appendLine(message);
      void vscode.window.showErrorMessage(message, "Restart", "Show Output").then((choice) => {
        if (choice === "Restart") void restart();
        else if (choice === "Show Output") output.show();
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}
