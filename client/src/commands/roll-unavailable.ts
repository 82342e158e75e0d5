// Stands in for "Roll New Generation" until the roll pipeline's commands are built into the extension.
import * as vscode from "vscode";

export function registerRollUnavailable(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.rollNewGeneration", () =>
      vscode.window.showInformationMessage("Roll New Generation is not available in this version of Immutably yet. Linting works as usual."),
    ),
  );
}
