// "Show Output": reveals the Immutably output channel (server log and roll output).
import * as vscode from "vscode";

export function registerShowOutput(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand("immutably.showOutput", () => output.show(true)));
}
