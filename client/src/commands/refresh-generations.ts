// "Refresh Generations": reads the histories and `.immutably.hcl` files again and redraws the Generations view, status bar and code lens.
import * as vscode from "vscode";
import type { GenerationViews } from "../views/generation-views.ts";

export function registerRefreshGenerations(context: vscode.ExtensionContext, views: GenerationViews): void {
  context.subscriptions.push(vscode.commands.registerCommand("immutably.refreshGenerations", () => views.refresh()));
}
