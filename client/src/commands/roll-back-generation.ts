// "Roll Back": promotes the newest previous generation again, or the one picked in the Generations view.
import * as vscode from "vscode";
import { rollback } from "../../../server/src/roll/pipeline.ts";
import { GenerationNode, type GenerationNameNode } from "../views/generations.ts";
import { pickGeneration, refuseUntrusted, runRollAction, toolPathsFromSettings, type RollCommandContext } from "./roll-new-generation.ts";

export function registerRollBack(context: vscode.ExtensionContext, ctx: RollCommandContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.rollBack", async (node?: GenerationNameNode | GenerationNode) => {
      if (refuseUntrusted("roll back")) return;
      // On a generation item, roll back to that generation; on a name or from the palette, to the newest previous one.
      const to = node instanceof GenerationNode ? node.record.number : undefined;
      const choice = await pickGeneration(ctx.output, node instanceof GenerationNode ? node.parent : node, "Generation to roll back");
      if (!choice) return;
      await runRollAction(ctx, `rollback of ${choice.generation.name}`, (host) =>
        rollback({ generation: choice.generation, host, tools: toolPathsFromSettings(), env: process.env, to }),
      );
    }),
  );
}
