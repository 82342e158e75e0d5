// "Roll New Generation": drives the roll pipeline from VS Code (one progress notification per run, the output channel, a modal confirmation) and registers every roll command and view.
import * as vscode from "vscode";
import { ConfigurationError } from "../../../server/src/engine/config.ts";
import { loadRollConfig, type GenerationConfig } from "../../../server/src/roll/config.ts";
import { HistoryError } from "../../../server/src/roll/history.ts";
import { HISTORY_HINT } from "../../../server/src/roll/history-store.ts";
import { LockHeldError } from "../../../server/src/roll/lock.ts";
import { roll, type PipelineOptions } from "../../../server/src/roll/pipeline.ts";
import { ToolNotFoundError } from "../../../server/src/roll/runner.ts";
import { resolveToolPaths, TOOL_SETTINGS, type ToolName } from "../../../server/src/roll/tools.ts";
import type { ConfirmRequest, RollHost, RollOutcome } from "../../../server/src/roll/types.ts";
import { RunProgress, type OpenNotification } from "../run-progress.ts";
import { GenerationsProvider, type GenerationNameNode } from "../views/generations.ts";
import { IMAGE_VARIABLE_FILES, LiveGenerationLens } from "../views/live-generation-lens.ts";
import { LiveGenerationStatusBar } from "../views/status-bar.ts";
import { registerRollBack } from "./roll-back-generation.ts";
import { registerPruneImages } from "./prune-images.ts";

/** One generation block and the config file it came from. */
export interface GenerationChoice {
  configPath: string;
  generation: GenerationConfig;
}

/** What the three roll commands share: the output channel, the views to refresh, and a guard against overlapping runs. */
export interface RollCommandContext {
  output: vscode.OutputChannel;
  generations: GenerationsProvider;
  statusBar: LiveGenerationStatusBar;
  busy: boolean;
}

/**
 * Refuses to run tools in an untrusted workspace: a cloned repository's `.immutably.hcl` names templates,
 * folders and verify commands, and running them is running that repository's code.
 */
export function refuseUntrusted(action: string): boolean {
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
export function toolPathsFromSettings(): PipelineOptions["tools"] {
  const config = vscode.workspace.getConfiguration("immutably");
  const explicit: Partial<Record<ToolName, string>> = {};
  for (const [tool, setting] of Object.entries(TOOL_SETTINGS) as Array<[Exclude<ToolName, "git">, string]>) {
    const value = config.inspect<string>(setting.slice("immutably.".length))?.globalValue;
    if (typeof value === "string" && value.trim() !== "") explicit[tool] = value;
  }
  return resolveToolPaths(explicit, process.env);
}

/** Every generation block in the workspace's `.immutably.hcl` files; config errors are shown and skipped. */
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
      const open = await vscode.window.showErrorMessage(`Immutably: ${file.fsPath} has a configuration error: ${message.split("\n")[0]}`, "Open File");
      if (open) await vscode.window.showTextDocument(file);
    }
  }
  return choices;
}

/** The generation a command acts on: the tree item it was invoked on, the only one, or a quick pick. */
export async function pickGeneration(output: vscode.OutputChannel, node: GenerationNameNode | undefined, placeHolder: string): Promise<GenerationChoice | undefined> {
  if (node) return { configPath: node.configPath, generation: node.generation };
  const choices = await workspaceGenerations(output, true);
  if (choices.length === 0) {
    void vscode.window.showWarningMessage('Immutably: no generation blocks found. Add generation "name" { ... } to an .immutably.hcl file.');
    return undefined;
  }
  if (choices.length === 1) return choices[0];
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.generation.name, description: vscode.workspace.asRelativePath(c.configPath), detail: `strategy ${c.generation.strategy}`, choice: c })),
    { placeHolder },
  );
  return picked?.choice;
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
    const lines = outcome.declined ? outcome.summary.slice(0, 2).filter((l) => !l.startsWith("generations of ")) : outcome.summary.slice(0, 1);
    void vscode.window.showInformationMessage(`Immutably: ${lines.join(". ")}`);
    return;
  }
  const shown = await vscode.window.showErrorMessage(`Immutably: ${outcome.summary[0]}`, { modal: true, detail: outcome.summary.slice(1).join("\n") }, "Show Output");
  if (shown) output.show();
}

/** Runs one pipeline command with the shared guard and one progress notification, reporting the result and refreshing the views. */
export async function runRollAction(ctx: RollCommandContext, label: string, action: (host: RollHost) => Promise<RollOutcome>): Promise<void> {
  if (ctx.busy) {
    void vscode.window.showWarningMessage("Immutably: another roll command is still running; wait for it to finish.");
    return;
  }
  ctx.busy = true;
  ctx.output.show(true);
  const progress = new RunProgress(vscodeNotification(`Immutably: ${label}`), (line) => ctx.output.appendLine(line));
  try {
    let outcome: RollOutcome;
    try {
      outcome = await action(progress.host(confirmInModal(ctx.output)));
    } finally {
      progress.close();
    }
    await showResult(ctx.output, outcome);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.appendLine(`${label} failed: ${message}`);
    const known = error instanceof ConfigurationError || error instanceof LockHeldError || error instanceof HistoryError || error instanceof ToolNotFoundError;
    if (!known) ctx.output.appendLine(HISTORY_HINT);
    await vscode.window.showErrorMessage(`Immutably: ${label} failed`, {
      modal: true,
      detail: known ? message : `${message}\n\nSee the Immutably output for what the generation history recorded.`,
    });
  } finally {
    ctx.busy = false;
    ctx.generations.refresh();
    void ctx.statusBar.refresh();
  }
}

/** Registers Roll New Generation, Roll Back, Prune Images, the Generations view and the status bar entry. */
export function registerRollCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  const generations = new GenerationsProvider(() => workspaceGenerations(output, false));
  const statusBar = new LiveGenerationStatusBar(() => workspaceGenerations(output, false));
  const lens = new LiveGenerationLens(() => workspaceGenerations(output, false));
  const ctx: RollCommandContext = { output, generations, statusBar, busy: false };
  const watcher = vscode.workspace.createFileSystemWatcher("**/{.immutably/generations.json,.immutably.hcl}");
  const refresh = (): void => {
    generations.refresh();
    void statusBar.refresh();
    lens.refresh();
  };
  context.subscriptions.push(
    statusBar,
    watcher,
    watcher.onDidChange(refresh),
    watcher.onDidCreate(refresh),
    watcher.onDidDelete(refresh),
    vscode.window.registerTreeDataProvider("immutably.generations", generations),
    vscode.languages.registerCodeLensProvider(IMAGE_VARIABLE_FILES, lens),
    vscode.languages.registerHoverProvider(IMAGE_VARIABLE_FILES, lens),
    vscode.commands.registerCommand("immutably.refreshGenerations", refresh),
    vscode.commands.registerCommand("immutably.rollNewGeneration", async (node?: GenerationNameNode) => {
      if (refuseUntrusted("roll a new generation")) return;
      const choice = await pickGeneration(output, node, "Generation to roll");
      if (!choice) return;
      await runRollAction(ctx, `roll of ${choice.generation.name}`, (host) => roll({ generation: choice.generation, host, tools: toolPathsFromSettings(), env: process.env }));
    }),
  );
  registerRollBack(context, ctx);
  registerPruneImages(context, ctx);
  void statusBar.refresh();
}
