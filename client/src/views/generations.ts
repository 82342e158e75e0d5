// The "Generations" tree view: each generation name, then its generations newest first (status, image, date, commit).
import path from "node:path";
import * as vscode from "vscode";
import type { GenerationChoice } from "../generation-choice.ts";
import type { GenerationConfig } from "../../../server/src/roll/config.ts";
import { listGenerations } from "../../../server/src/roll/pipeline.ts";
import type { GenerationRecord, GenerationStatus } from "../../../server/src/roll/history.ts";

/** A generation block; its children are its recorded generations. */
export class GenerationNameNode {
  constructor(
    readonly configPath: string,
    readonly generation: GenerationConfig,
  ) {}
}

/** One recorded generation. */
export class GenerationNode {
  constructor(
    readonly parent: GenerationNameNode,
    readonly record: GenerationRecord,
  ) {}
}

type Node = GenerationNameNode | GenerationNode;

const ICONS: Record<GenerationStatus, [string, string | undefined]> = {
  live: ["pass-filled", "testing.iconPassed"],
  // Deployed but not verified: a run that was interrupted left the infrastructure running it.
  promoted: ["warning", "list.warningForeground"],
  previous: ["history", undefined],
  failed: ["error", "testing.iconFailed"],
  // The user said no: nothing went wrong, so no error colour.
  declined: ["circle-slash", undefined],
  pruned: ["trash", "disabledForeground"],
  isolated: ["debug-disconnect", "list.warningForeground"],
  pending: ["loading~spin", undefined],
};

/** The short form of an image for a tree row: a file path shows its name, anything else as is. */
export function shortImage(image: string): string {
  return image.startsWith("/") ? path.basename(image) : image;
}

export class GenerationsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => Promise<GenerationChoice[]>) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return (await this.load()).map((c) => new GenerationNameNode(c.configPath, c.generation));
    if (node instanceof GenerationNameNode) {
      try {
        return listGenerations(node.generation)
          .reverse()
          .map((r) => new GenerationNode(node, r));
      } catch {
        // A corrupt history is reported by the commands that write it; the view shows the name without children.
        return [];
      }
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node instanceof GenerationNameNode) {
      const item = new vscode.TreeItem(node.generation.name, vscode.TreeItemCollapsibleState.Expanded);
      let live: GenerationRecord | undefined;
      try {
        live = listGenerations(node.generation).find((g) => g.status === "live");
      } catch {
        live = undefined;
      }
      item.description = live ? `live #${live.number} · ${node.generation.strategy}` : node.generation.strategy;
      item.tooltip = `${vscode.workspace.asRelativePath(node.configPath)}: generation "${node.generation.name}" (strategy ${node.generation.strategy}, keep ${node.generation.keep}, retire ${node.generation.retire})`;
      item.contextValue = "immutablyGenerationName";
      item.iconPath = new vscode.ThemeIcon("layers");
      return item;
    }
    const r = node.record;
    const item = new vscode.TreeItem(`#${r.number} ${r.status}`, vscode.TreeItemCollapsibleState.None);
    item.description = [shortImage(r.image), r.created_at.slice(0, 16).replace("T", " "), r.git_commit.slice(0, 7)]
      .filter(Boolean)
      .join(" · ");
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${node.parent.generation.name} #${r.number}** — ${r.status}\n\n`);
    tooltip.appendText(
      `image: ${r.image}\nartifact: ${r.artifact_id} (${r.builder})\ncreated: ${r.created_at}\ncommit: ${r.git_commit || "(none)"}${r.note ? `\nnote: ${r.note}` : ""}`,
    );
    item.tooltip = tooltip;
    item.contextValue = `immutablyGeneration.${r.status}`;
    const [icon, color] = ICONS[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    return item;
  }
}
