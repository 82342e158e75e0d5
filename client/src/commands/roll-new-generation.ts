// "Roll New Generation": drives the roll pipeline from VS Code (progress per stage, the output channel, a modal confirmation) and registers every roll command and view.
import * as vscode from "vscode";
import { ConfigurationError } from "../../../server/src/engine/config.ts";
import { loadRollConfig, type GenerationConfig } from "../../../server/src/roll/config.ts";
import { HistoryError } from "../../../server/src/roll/history.ts";
import { HISTORY_HINT } from "../../../server/src/roll/history-store.ts";
import { LockHeldError } from "../../../server/src/roll/lock.ts";
import { roll, type PipelineOptions } from "../../../server/src/roll/pipeline.ts";
import { ToolNotFoundError } from "../../../server/src/roll/runner.ts";
import { resolveToolPaths, TOOL_SETTINGS, type ToolName } from "../../../server/src/roll/tools.ts";
import type { ConfirmRequest, RollHost, RollOutcome, StageInfo } from "../../../server/src/roll/types.ts";
import { GenerationsProvider, type GenerationNameNode } from "../views/generations.ts";
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
  void vscode.window.showErrorMessage(`Immutably does not ${action} in an untrusted workspace: it would run packer, terraform, cloud CLIs and verify commands named by this workspace. Trust the workspace first (Workspaces: Manage Workspace Trust).`);
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

/** The VS Code front end of the pipeline: a cancellable progress notification per stage, the output channel, a modal confirmation. */
export function vscodeHost(output: vscode.OutputChannel): RollHost {
  return {
    log: (line) => output.appendLine(line),
    stage: <T>(info: StageInfo, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
      Promise.resolve(
        vscode.window.withProgress<T>({ location: vscode.ProgressLocation.Notification, title: `Immutably: ${info.title}`, cancellable: info.cancellable }, (_progress, token) => {
          output.appendLine(`== ${info.title}`);
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => {
            output.appendLine(`cancelling ${info.name}…`);
            controller.abort();
          });
          return work(controller.signal).finally(() => {
            subscription.dispose();
          });
        }),
      ),
    confirm: async (request: ConfirmRequest): Promise<boolean> => {
      output.appendLine(`== ${request.title}`);
      for (const line of request.replacements) output.appendLine(`  ${line}`);
      for (const line of request.commands) output.appendLine(`  $ ${line}`);
      const detail = ["Planned replacements:", ...request.replacements.map((l) => `• ${l}`), "", "Commands:", ...request.commands].join("\n");
      const choice = await vscode.window.showWarningMessage(request.title, { modal: true, detail }, "Apply");
      const ok = choice === "Apply";
      output.appendLine(ok ? "confirmed" : "not confirmed");
      return ok;
    },
  };
}

/** Runs one pipeline command with the shared guard, reporting the outcome and refreshing the views. */
export async function runRollAction(ctx: RollCommandContext, label: string, action: () => Promise<RollOutcome>): Promise<void> {
  if (ctx.busy) {
    void vscode.window.showWarningMessage("Immutably: another roll command is still running; wait for it to finish.");
    return;
  }
  ctx.busy = true;
  ctx.output.show(true);
  try {
    const outcome = await action();
    for (const line of outcome.summary) ctx.output.appendLine(line);
    if (outcome.exitCode === 0) void vscode.window.showInformationMessage(`Immutably: ${outcome.summary[0]}`);
    else {
      const shown = await vscode.window.showErrorMessage(`Immutably: ${outcome.summary.slice(0, 2).join(". ")}`, "Show Output");
      if (shown) ctx.output.show();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.appendLine(`${label} failed: ${message}`);
    const known = error instanceof ConfigurationError || error instanceof LockHeldError || error instanceof HistoryError || error instanceof ToolNotFoundError;
    if (!known) ctx.output.appendLine(HISTORY_HINT);
    void vscode.window.showErrorMessage(`Immutably: ${label} failed: ${known ? message : `${message} (see the Immutably output for what the generation history recorded)`}`);
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
  const ctx: RollCommandContext = { output, generations, statusBar, busy: false };
  const watcher = vscode.workspace.createFileSystemWatcher("**/{.immutably/generations.json,.immutably.hcl}");
  const refresh = (): void => {
    generations.refresh();
    void statusBar.refresh();
  };
  context.subscriptions.push(
    statusBar,
    watcher,
    watcher.onDidChange(refresh),
    watcher.onDidCreate(refresh),
    watcher.onDidDelete(refresh),
    vscode.window.registerTreeDataProvider("immutably.generations", generations),
    vscode.commands.registerCommand("immutably.refreshGenerations", refresh),
    vscode.commands.registerCommand("immutably.rollNewGeneration", async (node?: GenerationNameNode) => {
      if (refuseUntrusted("roll a new generation")) return;
      const choice = await pickGeneration(output, node, "Generation to roll");
      if (!choice) return;
      await runRollAction(ctx, `roll of ${choice.generation.name}`, () => roll({ generation: choice.generation, host: vscodeHost(output), tools: toolPathsFromSettings(), env: process.env }));
    }),
  );
  registerRollBack(context, ctx);
  registerPruneImages(context, ctx);
  void statusBar.refresh();
}
