// Reads a saved Terraform plan through the roll's tool runner, and the roll's guard: refuse a plan that mutates the live generation in place.
import fs from "node:fs";
import path from "node:path";
import { parseConfig } from "../engine/config.ts";
import { planInPlaceUpdate } from "../engine/plan/checks.ts";
import { checkPlan } from "../engine/plan/index.ts";
import type { ResolvedConfig } from "../engine/types.ts";
import { diskPlanHost } from "../host/plan-host.ts";
import { allRules } from "../rules/index.ts";
import { terraformShowPlanArgs } from "./argv/terraform.ts";
import { CONFIG_FILE_NAME, type GenerationConfig } from "./config.ts";
import { actionStep, type Step } from "./steps.ts";
import type { PlannedPromotion, Promotion } from "./types.ts";
import { Redactor } from "./redact.ts";
import { resolveToolPaths, ToolRunner } from "./tools.ts";

/** How long `terraform show -json` may take on a saved plan (it loads the providers' schemas). */
export const SAVED_PLAN_TIMEOUT_MS = 10 * 60 * 1000;

export interface SavedPlanOptions {
  /** The folder the plan was made in: terraform needs its providers to show the plan. */
  cwd: string;
  /** The tool that made the plan: each reads only its own saved plans. */
  tool: "terraform" | "tofu";
  /** An explicit executable for that tool; otherwise IMMUTABLY_TERRAFORM or IMMUTABLY_TOFU, then PATH. */
  executable?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log(line: string): void;
  timeoutMs: number;
}

/** `terraform show -json <plan>` (or `tofu show`) on a saved plan, run with an argv array in its own session; its JSON output. */
export async function readSavedPlan(planFile: string, options: SavedPlanOptions): Promise<string> {
  const redactor = new Redactor();
  redactor.addSecretsFromEnv(options.env);
  const runner = new ToolRunner(
    resolveToolPaths({ [options.tool]: options.executable }, options.env),
    redactor,
    (line) => options.log(line),
    options.env,
  );
  const result = await runner.run(options.tool, terraformShowPlanArgs(planFile), {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    quietStdout: true,
  });
  return result.stdout;
}

/** The plan updates the running generation in place and the generation does not allow it. */
export class PlanRefusedError extends Error {
  override name = "PlanRefusedError";
}

const IN_PLACE = planInPlaceUpdate.meta.id;

/** The checks' settings from the generation's `.immutably.hcl`: the file lint and `immutably plan` read. */
function checkConfig(generation: GenerationConfig): ResolvedConfig {
  return parseConfig(generation.configPath, fs.readFileSync(generation.configPath, "utf8"), allRules);
}

/** What the guard will do, for the dry run and the confirmation: the verdict on in-place updates. */
export function describeGuard(generation: GenerationConfig, plan: PlannedPromotion): string {
  const setting = checkConfig(generation).rules[IN_PLACE];
  if (!setting.enabled || setting.severity !== "error")
    return `check the plan: in-place updates are not refused (${IN_PLACE} is ${setting.enabled ? `a${setting.severity === "info" ? "n" : ""} ${setting.severity}` : "disabled"} in ${CONFIG_FILE_NAME})`;
  const types = (setting.options.resources as string[]).filter((t) => !(setting.options.exclude as string[]).includes(t)).join(", ");
  if (plan.allowInPlace)
    return `check the plan (${IN_PLACE}): an in-place update of the running generation's machines is reported, not refused (allow_in_place = true)`;
  return `check the plan (${IN_PLACE}): refuse an in-place update of the running generation's machines (${types}); allow_in_place = true allows it`;
}

/**
 * The plan guard: checks the strategy's own plan with the plan checks, logs every finding, and refuses
 * (before the confirmation, so nothing is applied) a plan that updates a machine of the running
 * generation in place, unless the generation sets `allow_in_place = true`.
 */
export function planGuardStep(generation: GenerationConfig, plan: PlannedPromotion, log: (line: string) => void): Step {
  return actionStep(
    "plan",
    () => describeGuard(generation, plan),
    () => {
      const config = checkConfig(generation);
      const { findings } = checkPlan(
        { json: plan.json(), planPath: plan.dir, planIsJson: false, rootDir: plan.dir },
        config,
        diskPlanHost(plan.dir, config.maxFileBytes),
      );
      for (const f of findings) {
        const where =
          f.path === plan.dir
            ? ""
            : `${path.relative(generation.configDir, f.path)}:${f.range.start.line + 1}:${f.range.start.character + 1}: `;
        log(`plan check: ${where}${f.severity}: ${f.message} (${f.ruleId})`);
      }
      const inPlace = findings.filter((f) => f.ruleId === IN_PLACE && f.severity === "error");
      if (inPlace.length === 0) return;
      // "module.x.aws_instance.web[0] is updated in place (ami)": the address and the attributes, from each message.
      const what = inPlace.map((f) => f.message.split(":")[0]).join("; ");
      if (plan.allowInPlace) {
        log(`plan check: allowed by allow_in_place = true: ${what}`);
        return;
      }
      throw new PlanRefusedError(
        `the plan changes the running generation in place, which immutable infrastructure replaces instead: ${what}. Nothing was applied. ` +
          `Make these changes replace the machines (replace_triggered_by, triggers), or set allow_in_place = true in generation "${generation.name}"`,
      );
    },
  );
}

/**
 * A roll's or rollback's promotion with the plan guard after its preparation. Never an undo's: infrastructure
 * left between generations goes back whatever its plan does.
 */
export function guarded(promotion: Promotion, generation: GenerationConfig, log: (line: string) => void): Promotion {
  if (!promotion.plan) return promotion;
  return { ...promotion, prepare: [...promotion.prepare, planGuardStep(generation, promotion.plan, log)] };
}
