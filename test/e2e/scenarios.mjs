// The end-to-end scenarios, one test each. They test wiring (the extension activates,
// VS Code shows its diagnostics, applies its code actions, runs its commands), not rule logic,
// which the unit tests cover.
import { registerEditorScenarios } from "./scenarios/editor.mjs";
import { registerRollScenarios } from "./scenarios/roll.mjs";
import { registerWorkbenchScenarios } from "./scenarios/workbench.mjs";

/** Registers every scenario, in the order they run: the editor's, the roll's, then the rest of the workbench's. */
export function registerScenarios(runner) {
  registerEditorScenarios(runner);
  registerRollScenarios(runner);
  registerWorkbenchScenarios(runner);
}
