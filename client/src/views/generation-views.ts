// The views of the generations (the Generations tree, the status bar entry, the code lens over image variables) and when they refresh.
import * as vscode from "vscode";
import type { GenerationChoice } from "../generation-choice.ts";
import { GenerationsProvider } from "./generations.ts";
import { IMAGE_VARIABLE_FILES, LiveGenerationLens } from "./live-generation-lens.ts";
import { LiveGenerationStatusBar } from "./status-bar.ts";

export class GenerationViews {
  private readonly tree: GenerationsProvider;
  private readonly statusBar: LiveGenerationStatusBar;
  private readonly lens: LiveGenerationLens;

  constructor(load: () => Promise<GenerationChoice[]>) {
    this.tree = new GenerationsProvider(load);
    this.statusBar = new LiveGenerationStatusBar(load);
    this.lens = new LiveGenerationLens(load);
  }

  /** Registers the views, and refreshes them whenever a history or a `.immutably.hcl` changes on disk (another run, the CLI, an edit). */
  register(context: vscode.ExtensionContext): void {
    const watcher = vscode.workspace.createFileSystemWatcher("**/{.immutably/generations.json,.immutably.hcl}");
    const refresh = (): void => this.refresh();
    context.subscriptions.push(
      this.statusBar,
      watcher,
      watcher.onDidChange(refresh),
      watcher.onDidCreate(refresh),
      watcher.onDidDelete(refresh),
      vscode.window.registerTreeDataProvider("immutably.generations", this.tree),
      vscode.languages.registerCodeLensProvider(IMAGE_VARIABLE_FILES, this.lens),
      vscode.languages.registerHoverProvider(IMAGE_VARIABLE_FILES, this.lens),
    );
    void this.statusBar.refresh();
  }

  refresh(): void {
    this.tree.refresh();
    void this.statusBar.refresh();
    this.lens.refresh();
  }
}
