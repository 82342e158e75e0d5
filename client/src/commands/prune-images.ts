// "Prune Images": deletes images of generations beyond the configured `keep`, never the live one, after a modal confirmation.
import * as vscode from "vscode";
import { prune } from "../../../server/src/roll/pipeline.ts";
import type { GenerationNameNode } from "../views/generations.ts";
import { pickGeneration, refuseUntrusted, runRollAction, toolPathsFromSettings, type RollCommandContext } from "./roll-new-generation.ts";

export function registerPruneImages(context: vscode.ExtensionContext, ctx: RollCommandContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.pruneImages", async (node?: GenerationNameNode) => {
      if (refuseUntrusted("prune images")) return;
      const choice = await pickGeneration(ctx.output, node, "Generation whose old images to prune");
      if (!choice) return;
      await runRollAction(ctx, `prune of ${choice.generation.name}`, (host) => prune({ generation: choice.generation, host, tools: toolPathsFromSettings(), env: process.env }));
    }),
  );
}
