// The code lens and hover over the variable (or tfvars entry) a generation writes its image to: the live generation, its history, and the roll actions.
import * as vscode from "vscode";
import type { GenerationChoice } from "../generation-choice.ts";
import type { Range } from "../../../server/src/engine/model.ts";
import type { GenerationConfig } from "../../../server/src/roll/config.ts";
import type { GenerationRecord } from "../../../server/src/roll/history.ts";
import { historyMarkdown, imageEntries, liveSummary } from "../../../server/src/roll/live-generation.ts";
import { listGenerations } from "../../../server/src/roll/pipeline.ts";
import { GenerationNameNode } from "./generations.ts";

/** The files a generation's image variable can be declared or given a value in. */
export const IMAGE_VARIABLE_FILES: vscode.DocumentSelector = [
  { scheme: "file", pattern: "**/*.{tf,tf.json,tofu,tofu.json,tfvars,tfvars.json}" },
];

function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** The history of a generation; an unreadable one reads as empty (the commands that write it report it). */
function recordsOf(generation: GenerationConfig): GenerationRecord[] {
  try {
    return listGenerations(generation);
  } catch {
    return [];
  }
}

export class LiveGenerationLens implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** The workspace's generation blocks, read once per refresh (a change to .immutably.hcl refreshes). */
  private choices: Promise<GenerationChoice[]> | undefined;

  constructor(private readonly load: () => Promise<GenerationChoice[]>) {}

  /** History or configuration changed: read them again and redraw the lenses. */
  refresh(): void {
    this.choices = undefined;
    this.changed.fire();
  }

  private async entries(document: vscode.TextDocument) {
    const choices = await (this.choices ??= this.load());
    const configPaths = new Map(choices.map((c) => [c.generation, c.configPath]));
    return imageEntries(
      choices.map((c) => c.generation),
      document.uri.fsPath,
      document.getText(),
    ).map((e) => ({ ...e, configPath: configPaths.get(e.generation) ?? "" }));
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const now = new Date();
    return (await this.entries(document)).flatMap((e) => {
      const range = toRange(e.range);
      const node = new GenerationNameNode(e.configPath, e.generation);
      return [
        new vscode.CodeLens(range, {
          title: `$(layers) ${liveSummary(e.generation, recordsOf(e.generation), now)}`,
          command: "immutably.generations.focus",
          tooltip: "Show the Generations view",
        }),
        new vscode.CodeLens(range, { title: "Roll New Generation", command: "immutably.rollNewGeneration", arguments: [node] }),
        new vscode.CodeLens(range, { title: "Roll Back", command: "immutably.rollBack", arguments: [node] }),
        new vscode.CodeLens(range, { title: "Show Generations", command: "immutably.generations.focus" }),
      ];
    });
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const entry = (await this.entries(document)).find((e) => toRange(e.range).contains(position));
    if (!entry) return undefined;
    return new vscode.Hover(
      new vscode.MarkdownString(historyMarkdown(entry.generation, recordsOf(entry.generation), new Date())),
      toRange(entry.range),
    );
  }
}
