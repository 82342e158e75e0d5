// "Roll New Generation": bakes a new image and replaces the generation picked (tree item, the only one, or a quick pick).
import * as vscode from "vscode";
import { roll } from "../../../server/src/roll/pipeline.ts";
import type { EditorRollHost } from "../roll-host.ts";
import type { GenerationNameNode } from "../views/generations.ts";

export function registerRollNewGeneration(context: vscode.ExtensionContext, host: EditorRollHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("immutably.rollNewGeneration", async (node?: GenerationNameNode) => {
      if (host.refuseUntrusted("roll a new generation")) return;
      const choice = await host.pickGeneration(node, "Generation to roll");
      if (!choice) return;
      await host.run(`roll of ${choice.generation.name}`, (pipelineHost) =>
        roll({ generation: choice.generation, host: pipelineHost, tools: host.toolPaths(), env: process.env }),
      );
    }),
  );
}
