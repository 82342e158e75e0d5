// "Restart Language Server", and the policy for a server that dies on its own: restart a few times, then stop and say so.
import * as vscode from "vscode";
import { CloseAction, ErrorAction, type ErrorHandler, type LanguageClient } from "vscode-languageclient/node";

/** How many crashes within the window are restarted before giving up (as vscode-eslint and rust-analyzer do). */
export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** Counts recent crashes; pure so that it can be tested without VS Code. */
export class RestartBudget {
  private crashes: number[] = [];

  constructor(
    private readonly max = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /** Records a crash at `now`; true while the crashes in the window stay within the budget. */
  allow(now: number): boolean {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.max;
  }

  reset(): void {
    this.crashes = [];
  }
}

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

/** Registers `immutably.restartServer`; a manual restart also refills the crash budget. */
export function registerRestartServer(context: vscode.ExtensionContext, client: LanguageClient, budget: RestartBudget): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.restartServer", async () => {
      budget.reset();
      await (client.isRunning() ? client.restart() : client.start());
    }),
  );
}
