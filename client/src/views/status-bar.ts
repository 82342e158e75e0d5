// The status bar entry that names the live generation of each generation block; clicking it opens the Generations view.
import * as vscode from "vscode";
import type { GenerationChoice } from "../generation-choice.ts";
import { listGenerations } from "../../../server/src/roll/pipeline.ts";

export class LiveGenerationStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("immutably.liveGeneration", vscode.StatusBarAlignment.Left, 10);

  constructor(private readonly load: () => Promise<GenerationChoice[]>) {
    this.item.name = "Immutably: Live Generation";
    this.item.command = "immutably.generations.focus";
  }

  async refresh(): Promise<void> {
    const choices = await this.load();
    if (choices.length === 0) {
      this.item.hide();
      return;
    }
    const parts: string[] = [];
    const tips: string[] = [];
    for (const { generation } of choices) {
      let live: string;
      try {
        // The deployed generation: live, or promoted by a run that did not finish and never verified.
        const record = listGenerations(generation).find((g) => g.status === "live" || g.status === "promoted");
        live = record ? `#${record.number}${record.status === "promoted" ? " (not verified)" : ""}` : "none";
        tips.push(
          `${generation.name}: ${record ? `generation #${record.number} is ${record.status === "live" ? "live" : "deployed but not verified"} (${record.image})` : "no live generation yet"}`,
        );
      } catch (error) {
        live = "?";
        tips.push(`${generation.name}: history unreadable (${error instanceof Error ? error.message : String(error)})`);
      }
      parts.push(`${generation.name} ${live}`);
    }
    this.item.text = `$(layers) ${parts.slice(0, 3).join(", ")}${parts.length > 3 ? ` +${parts.length - 3}` : ""}`;
    this.item.tooltip = `${tips.join("\n")}\nClick to open the Generations view.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
