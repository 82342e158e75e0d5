// "Prune Images": deletes images of generations beyond the configured `keep`, never the live one, after a modal confirmation.
import * as vscode from "vscode";
import { prune } from "../../../server/src/roll/pipeline.ts";
import type { EditorRollHost } from "../roll-host.ts";
import type { GenerationNameNode } from "../views/generations.ts";

export function registerPruneImages(context: vscode.ExtensionContext, host: EditorRollHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.pruneImages", async (node?: GenerationNameNode) => {
      if (host.refuseUntrusted("prune images")) return;
      const choice = await host.pickGeneration(node, "Generation whose old images to prune");
      if (!choice) return;
      await host.run(`prune of ${choice.generation.name}`, (pipelineHost) =>
        prune({ generation: choice.generation, host: pipelineHost, tools: host.toolPaths(), env: process.env }),
      );
    }),
  );
}
