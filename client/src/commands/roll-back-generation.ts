// "Roll Back": promotes the newest previous generation again, or the one picked in the Generations view.
import * as vscode from "vscode";
import { rollback } from "../../../server/src/roll/pipeline.ts";
import type { EditorRollHost } from "../roll-host.ts";
import { GenerationNode, type GenerationNameNode } from "../views/generations.ts";

export function registerRollBack(context: vscode.ExtensionContext, host: EditorRollHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.rollBack", async (node?: GenerationNameNode | GenerationNode) => {
      if (host.refuseUntrusted("roll back")) return;
      // On a generation item, roll back to that generation; on a name or from the palette, to the newest previous one.
      const to = node instanceof GenerationNode ? node.record.number : undefined;
      const choice = await host.pickGeneration(node instanceof GenerationNode ? node.parent : node, "Generation to roll back");
      if (!choice) return;
      await host.run(`rollback of ${choice.generation.name}`, (pipelineHost) =>
        rollback({ generation: choice.generation, host: pipelineHost, tools: host.toolPaths(), env: process.env, to }),
      );
    }),
  );
}
