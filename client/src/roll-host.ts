// What every roll command shares in VS Code: the trust check, tool paths, finding and picking a generation, one run at a time, one progress notification, the modal confirmation and the result.
import * as vscode from "vscode";
import { ConfigurationError } from "../../server/src/engine/config.ts";
import { loadRollConfig } from "../../server/src/roll/config.ts";
import { HistoryError } from "../../server/src/roll/history.ts";
import { HISTORY_HINT } from "../../server/src/roll/history-store.ts";
import { LockHeldError } from "../../server/src/roll/lock.ts";
import type { PipelineOptions } from "../../server/src/roll/pipeline.ts";
import { ToolNotFoundError } from "../../server/src/roll/runner.ts";
import { resolveToolPaths, TOOL_SETTINGS, type ToolName } from "../../server/src/roll/tools.ts";
import type { ConfirmRequest, RollHost, RollOutcome } from "../../server/src/roll/types.ts";
import type { GenerationChoice } from "./generation-choice.ts";
import { RunProgress, type OpenNotification } from "./run-progress.ts";
import type { GenerationNameNode } from "./views/generations.ts";

/** Every generation block in the workspace's `.immutably.hcl` files; config errors are shown (when asked) and skipped. */
export async function workspaceGenerations(output: vscode.OutputChannel, reportErrors: boolean): Promise<GenerationChoice[]> {
  const files = await vscode.workspace.findFiles("**/.immutably.hcl", "**/node_modules/**", 50);
  const choices: GenerationChoice[] = [];
  for (const file of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    try {
      const config = await loadRollConfig(file.fsPath);
      for (const generation of config.generations) choices.push({ configPath: config.path, generation });
    } catch (error) {
      if (!reportErrors) continue;
      const message = error instanceof Error ? error.message : String(error);
      output.appendLine(`configuration error in ${file.fsPath}:\n${message}`);
      const open = await vscode.window.showErrorMessage(
        `Immutably: ${file.fsPath} has a configuration error: ${message.split("\n")[0]}`,
        "Open File",
      );
      if (open) await vscode.window.showTextDocument(file);
    }
  }
  return choices;
}

/** Opens one VS Code progress notification; it stays until `close` (the run's stages report into it). */
function vscodeNotification(title: string): OpenNotification {
  return (cancellable, onCancel) => {
    let report: ((message: string) => void) | undefined;
    let last: string | undefined;
    let finish: (() => void) | undefined;
    let closed = false;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (progress, token) => {
      report = (message) => progress.report({ message });
      if (last !== undefined) report(last);
      const subscription = token.onCancellationRequested(onCancel);
      return new Promise<void>((resolve) => {
        finish = () => {
          subscription.dispose();
          resolve();
        };
        if (closed) finish();
      });
    });
    return {
      report: (message) => {
        last = message;
        report?.(message);
      },
      close: () => {
        closed = true;
        finish?.();
      },
    };
  };
}

/** The modal confirmation: the planned replacements and the exact commands, also written to the output channel. */
function confirmInModal(output: vscode.OutputChannel): (request: ConfirmRequest) => Promise<boolean> {
  return async (request) => {
    output.appendLine(`== ${request.title}`);
    for (const line of request.replacements) output.appendLine(`  ${line}`);
    for (const line of request.commands) output.appendLine(`  $ ${line}`);
    const detail = ["Planned replacements:", ...request.replacements.map((l) => `• ${l}`), "", "Commands:", ...request.commands].join("\n");
    const choice = await vscode.window.showWarningMessage(request.title, { modal: true, detail }, "Apply");
    const ok = choice === "Apply";
    output.appendLine(ok ? "confirmed" : "not confirmed");
    return ok;
  };
}

/**
 * Shows a run's result once its progress notification is closed, so that it cannot be lost: a failure
 * is a modal (it may need action on the infrastructure, and a modal is never dropped or hidden); a
 * success or a declined confirmation is a toast, the run's second and last (VS Code drops toasts only
 * beyond three within 800 ms). The output channel gets the full account either way.
 */
async function showResult(output: vscode.OutputChannel, outcome: RollOutcome): Promise<void> {
  for (const line of outcome.summary) output.appendLine(line);
  if (outcome.exitCode === 0 || outcome.declined) {
    // A declined roll also says what became of the image it baked.
    const lines = outcome.declined
      ? outcome.summary.slice(0, 2).filter((l) => !l.startsWith("generations of "))
      : outcome.summary.slice(0, 1);
    void vscode.window.showInformationMessage(`Immutably: ${lines.join(". ")}`);
    return;
  }
  const shown = await vscode.window.showErrorMessage(
    `Immutably: ${outcome.summary[0]}`,
    { modal: true, detail: outcome.summary.slice(1).join("\n") },
    "Show Output",
  );
  if (shown) output.show();
}

/** The host of the roll commands: one per extension, so that two commands never run the pipeline at once. */
export class EditorRollHost {
  private busy = false;

  constructor(
    readonly output: vscode.OutputChannel,
    /** Redraws the views that show generations, after every run. */
    private readonly refreshViews: () => void,
  ) {}

  /**
   * Refuses to run tools in an untrusted workspace: a cloned repository's `.immutably.hcl` names templates,
   * folders and verify commands, and running them is running that repository's code.
   */
  refuseUntrusted(action: string): boolean {
    if (vscode.workspace.isTrusted) return false;
    void vscode.window.showErrorMessage(
      `Immutably does not ${action} in an untrusted workspace: it would run packer, terraform, cloud CLIs and verify commands named by this workspace. Trust the workspace first (Workspaces: Manage Workspace Trust).`,
    );
    return true;
  }

  /**
   * Tool paths from the machine-scoped settings only. VS Code already ignores workspace values of
   * machine-scoped settings; reading `globalValue` explicitly keeps that true even if the scope changes.
   */
  toolPaths(): PipelineOptions["tools"] {
    const config = vscode.workspace.getConfiguration("immutably");
    const explicit: Partial<Record<ToolName, string>> = {};
    for (const [tool, setting] of Object.entries(TOOL_SETTINGS) as Array<[Exclude<ToolName, "git">, string]>) {
      const value = config.inspect<string>(setting.slice("immutably.".length))?.globalValue;
      if (typeof value === "string" && value.trim() !== "") explicit[tool] = value;
    }
    return resolveToolPaths(explicit, process.env);
  }

  /** The generation a command acts on: the tree item it was invoked on, the only one, or a quick pick. */
  async pickGeneration(node: GenerationNameNode | undefined, placeHolder: string): Promise<GenerationChoice | undefined> {
    if (node) return { configPath: node.configPath, generation: node.generation };
    const choices = await workspaceGenerations(this.output, true);
    if (choices.length === 0) {
      void vscode.window.showWarningMessage(
        'Immutably: no generation blocks found. Add generation "name" { ... } to an .immutably.hcl file.',
      );
      return undefined;
    }
    if (choices.length === 1) return choices[0];
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({
        label: c.generation.name,
        description: vscode.workspace.asRelativePath(c.configPath),
        detail: `strategy ${c.generation.strategy}`,
        choice: c,
      })),
      { placeHolder },
    );
    return picked?.choice;
  }

  /** Runs one pipeline command under the guard with one progress notification, reports the result and refreshes the views. */
  async run(label: string, action: (host: RollHost) => Promise<RollOutcome>): Promise<void> {
    if (this.busy) {
      void vscode.window.showWarningMessage("Immutably: another roll command is still running; wait for it to finish.");
      return;
    }
    this.busy = true;
    this.output.show(true);
    const progress = new RunProgress(vscodeNotification(`Immutably: ${label}`), (line) => this.output.appendLine(line));
    try {
      let outcome: RollOutcome;
      try {
        outcome = await action(progress.host(confirmInModal(this.output)));
      } finally {
        progress.close();
      }
      await showResult(this.output, outcome);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.appendLine(`${label} failed: ${message}`);
      const known =
        error instanceof ConfigurationError ||
        error instanceof LockHeldError ||
        error instanceof HistoryError ||
        error instanceof ToolNotFoundError;
      if (!known) this.output.appendLine(HISTORY_HINT);
      await vscode.window.showErrorMessage(`Immutably: ${label} failed`, {
        modal: true,
        detail: known ? message : `${message}\n\nSee the Immutably output for what the generation history recorded.`,
      });
    } finally {
      this.busy = false;
      this.refreshViews();
    }
  }
}
