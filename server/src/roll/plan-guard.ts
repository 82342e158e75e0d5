// Reads a saved Terraform plan through the roll's tool runner, and the roll's guard: refuse a plan that mutates the live generation in place.
import { terraformShowPlanArgs } from "./argv/terraform.ts";
import { Redactor } from "./redact.ts";
import { resolveToolPaths, ToolRunner } from "./tools.ts";

/** How long `terraform show -json` may take on a saved plan (it loads the providers' schemas). */
export const SAVED_PLAN_TIMEOUT_MS = 10 * 60 * 1000;

export interface SavedPlanOptions {
  /** The folder the plan was made in: terraform needs its providers to show the plan. */
  cwd: string;
  /** An explicit terraform executable; otherwise IMMUTABLY_TERRAFORM, then PATH. */
  terraform?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log(line: string): void;
  timeoutMs: number;
}

/** `terraform show -json <plan>` on a saved plan, run with an argv array in its own session; its JSON output. */
export async function readSavedPlan(planFile: string, options: SavedPlanOptions): Promise<string> {
  const redactor = new Redactor();
  redactor.addSecretsFromEnv(options.env);
  const runner = new ToolRunner(resolveToolPaths({ terraform: options.terraform }, options.env), redactor, options.log, options.env);
  const result = await runner.run("terraform", terraformShowPlanArgs(planFile), { cwd: options.cwd, timeoutMs: options.timeoutMs, signal: options.signal, quietStdout: true });
  return result.stdout;
}
