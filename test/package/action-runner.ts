// Runs the GitHub Action (action.yml) as a runner runs a composite action: its run step with the
// step's env evaluated from the inputs, in bash, with GITHUB_ACTION_PATH, GITHUB_OUTPUT and
// RUNNER_TEMP set; then the upload step's condition, decided from the outputs. GitHub's upload itself
// (github/codeql-action/upload-sarif) cannot run here: the caller checks the SARIF file it would upload.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT, runIn, type Run } from "./packed.ts";

export interface Step {
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
export interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

export const action = parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as Action;
export const UPLOAD_IF = "${{ !cancelled() && steps.lint.outputs.sarif-file != '' }}";

export interface ActionRun extends Run {
  outputs: Record<string, string>;
  /** The SARIF the upload step would send, when its condition holds. */
  uploaded?: { file: string; category: string; sarif: Sarif };
}
export interface Sarif {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }>;
  }>;
}

/** Runs the action with `inputs` (the workflow's `with:`) in `workspace`, as a runner would; `scratch` holds the runner's temporary folder. */
export function runAction(workspace: string, inputs: Record<string, string>, scratch: string, actionPath = ROOT): ActionRun {
  for (const name of Object.keys(inputs)) assert.ok(name in action.inputs, `unknown input ${name}`);
  const values = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, inputs[name] ?? spec.default ?? ""]));
  const runnerTemp = fs.mkdtempSync(path.join(scratch, "runner-temp-"));
  const outputFile = path.join(runnerTemp, "github-output");
  fs.writeFileSync(outputFile, "");
  const [lint, upload] = action.runs.steps;

  // The step's env: each value is one input, substituted as the runner evaluates `${{ inputs.x }}`.
  const stepEnv: Record<string, string> = {};
  for (const [key, expression] of Object.entries(lint.env ?? {})) {
    const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(expression);
    assert.ok(m && m[1] in action.inputs, `${key}: ${expression}`);
    stepEnv[key] = values[m[1]];
  }
  // A runner writes `run` to a file and starts `bash --noprofile --norc -eo pipefail <file>`.
  const script = path.join(runnerTemp, "step.sh");
  fs.writeFileSync(script, lint.run!);
  const r = runIn(workspace, "bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
    ...stepEnv,
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_OUTPUT: outputFile,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTIONS: "true",
  });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  // The upload step's condition, `!cancelled() && steps.lint.outputs.sarif-file != ''` (nothing is cancelled here).
  assert.equal(upload.if, UPLOAD_IF);
  let uploaded: ActionRun["uploaded"];
  if ((outputs["sarif-file"] ?? "") !== "") {
    const file = upload.with!.sarif_file.replace("${{ steps.lint.outputs.sarif-file }}", outputs["sarif-file"]);
    const category = upload.with!.category.replace("${{ inputs.category }}", values.category);
    uploaded = { file, category, sarif: JSON.parse(fs.readFileSync(file, "utf8")) as Sarif };
  }
  return { ...r, outputs, uploaded };
}
