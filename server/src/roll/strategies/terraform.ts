// The terraform strategy: the image goes into immutably.auto.tfvars.json, then plan, show the replacements, apply that plan.
import fs from "node:fs";
import path from "node:path";
import { loadedTerraformFiles, type LanguageSetting } from "../../engine/files.ts";
import type { RetireMode } from "../config.ts";
import { writeFileAtomic } from "../../host/atomic-write.ts";
import {
  terraformApplyArgs,
  terraformInitArgs,
  terraformPlanArgs,
  terraformShowPlanArgs,
  terraformStateRmArgs,
} from "../argv/terraform.ts";
import { CONFIG_FILE_NAME } from "../config-reader.ts";
import { actionStep, commandStep, Slot, withBefore, type CommandStepSpec, type Step } from "../steps.ts";
import type { ReplacedConfig } from "../history.ts";
import type { Promotion, PromotionTarget, StageName, Strategy, StrategyContext } from "../types.ts";
import { isValid, PATTERNS } from "../validate.ts";
import { requiredSetting, type StrategyDefinition } from "./definition.ts";

export const TFVARS_FILE = "immutably.auto.tfvars.json";
const PRIVATE = { mode: 0o600, forceMode: true };

/** One resource change from `terraform show -json`. */
export interface PlannedChange {
  address: string;
  actions: string[];
  /** The resource's current id (`change.before.id`), naming the machine a replacement retires. */
  id?: string;
}

/** Reads the resource changes of a plan (`terraform show -json` output), skipping no-ops and reads. */
export function plannedChanges(showJson: string): PlannedChange[] {
  const data = JSON.parse(showJson) as {
    resource_changes?: Array<{ address?: unknown; change?: { actions?: unknown; before?: { id?: unknown } | null } }>;
  };
  const out: PlannedChange[] = [];
  for (const rc of data.resource_changes ?? []) {
    const actions = Array.isArray(rc.change?.actions) ? rc.change.actions.filter((a): a is string => typeof a === "string") : [];
    if (typeof rc.address !== "string" || actions.length === 0 || actions.every((a) => a === "no-op" || a === "read")) continue;
    const id = rc.change?.before?.id;
    out.push({ address: rc.address, actions, ...(typeof id === "string" && id !== "" ? { id } : {}) });
  }
  return out;
}

/** Whether a change replaces the resource (`["create","delete"]` is create-before-destroy, `["delete","create"]` the reverse). */
export function isReplacement(change: PlannedChange): boolean {
  return change.actions.includes("create") && change.actions.includes("delete");
}

/** Describes a change for the confirmation: `terraform_data.web: replace (create before destroy)`. */
export function describeChange(change: PlannedChange): string {
  if (isReplacement(change))
    return `${change.address}: replace (${change.actions[0] === "create" ? "create before destroy" : "destroy before create"})`;
  return `${change.address}: ${change.actions.join(", ")}`;
}

/** The tfvars JSON with the image variable set and every other key kept as it was. */
export function mergeTfvars(existing: string | undefined, variable: string, image: string | null): string {
  const data = parseTfvars(existing);
  if (image === null) delete data[variable];
  else data[variable] = image;
  return `${JSON.stringify(data, null, 2)}\n`;
}

function parseTfvars(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${TFVARS_FILE} does not hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/** What the tfvars file set the image variable to before a roll wrote it: a string, null when unset, undefined when it was not a string (it cannot be put back). */
function earlierValue(text: string | undefined, variable: string): string | null | undefined {
  const value = parseTfvars(text)[variable];
  if (value === undefined) return null;
  return typeof value === "string" ? value : undefined;
}

/**
 * Why terraform must not roll this folder, when OpenTofu reads it: terraform skips `.tofu` files and
 * reads the `.tf` files they replace, so it would plan and apply another configuration than the one
 * OpenTofu loads and immutably lints. The folder counts as OpenTofu's as lint decides it (`language`).
 */
function terraformOnOpenTofuFolder(
  settings: Readonly<Record<string, string>>,
  language: LanguageSetting,
  folderFiles: (folder: string) => string[],
): string | undefined {
  const dir = settings.terraform_dir;
  if (settings.tool === "tofu" || dir === undefined) return undefined;
  const files = folderFiles(dir);
  if (loadedTerraformFiles(files, language).language !== "opentofu") return undefined;
  const names = (paths: string[]) => {
    const sorted = paths.map((p) => path.basename(p)).sort();
    return sorted.length > 3 ? `${sorted.slice(0, 3).join(", ")} and ${sorted.length - 3} more` : sorted.join(", ");
  };
  const after = 'terraform would plan and apply another configuration than the one OpenTofu loads; set tool = "tofu"';
  const tofu = files.filter((f) => /\.tofu(\.json)?$/.test(f));
  if (tofu.length === 0) return `${dir} is OpenTofu's (language = "opentofu" in ${CONFIG_FILE_NAME}), and ${after}`;
  const shadowed = loadedTerraformFiles(files, "opentofu").notLoaded.map((n) => n.path);
  return `terraform does not read ${names(tofu)} in ${dir}${shadowed.length ? `, which OpenTofu reads instead of ${names(shadowed)}` : ""}: ${after}`;
}

/** The executables the strategy can run: OpenTofu's `tofu` takes the same commands and arguments as `terraform`. */
export const TERRAFORM_TOOLS = ["terraform", "tofu"] as const;
export type TerraformTool = (typeof TERRAFORM_TOOLS)[number];

export class TerraformStrategy implements Strategy {
  private readonly dir: string;
  private readonly variable: string;
  private readonly tool: TerraformTool;

  constructor(private readonly ctx: StrategyContext) {
    this.dir = requiredSetting(ctx, "terraform_dir");
    this.variable = requiredSetting(ctx, "image_variable");
    this.tool = ctx.generation.settings.tool === "tofu" ? "tofu" : "terraform";
  }

  private get allowInPlace(): boolean {
    return this.ctx.generation.settings.allow_in_place === "true";
  }

  private get planFile(): string {
    return path.join(this.ctx.runDir, `${this.ctx.generation.name}.tfplan`);
  }

  private get tfvarsFile(): string {
    return path.join(this.dir, TFVARS_FILE);
  }

  /** A folder counts as initialised once `terraform init` left `.terraform/` or a lock file behind. */
  private initialised(): boolean {
    return fs.existsSync(path.join(this.dir, ".terraform")) || fs.existsSync(path.join(this.dir, ".terraform.lock.hcl"));
  }

  promotion(target: PromotionTarget, retire: RetireMode): Promotion {
    const { redactor } = this.ctx;
    return this.steps(retire, {
      variable: this.variable,
      value: () => target.image.get(),
      show: () =>
        `write ${this.tfvarsFile}: "${this.variable}" = ${JSON.stringify(target.image.known ? redactor.redact(target.image.get()) : target.image.placeholder)} (other keys kept)`,
    });
  }

  /** Puts back the image variable as it was before the first roll: its earlier value, or unset. */
  restore(replaced: ReplacedConfig): { promotion: Promotion; image?: string } | undefined {
    const variable = replaced.image_variable;
    const value = replaced.value;
    if (typeof variable !== "string" || !isValid("variableName", variable) || value === undefined) return undefined;
    const promotion = this.steps("destroy", {
      variable,
      value: () => value,
      show: () =>
        value === null
          ? `remove "${variable}" from ${this.tfvarsFile} (it was not set there before the first roll)`
          : `write ${this.tfvarsFile}: "${variable}" = ${JSON.stringify(this.ctx.redactor.redact(value))} (as before the first roll)`,
    });
    return { promotion, image: value ?? undefined };
  }

  /** tfvars, plan, show, [isolate: state rm, plan,] apply: the steps of writing `tfvars.value` and applying it. */
  private steps(retire: RetireMode, tfvars: { variable: string; value: () => string | null; show: () => string }): Promotion {
    const { runner, redactor, log } = this.ctx;
    const timeouts = this.ctx.generation.timeouts;
    const planFile = this.planFile;
    const changes = new Slot<PlannedChange[]>("<the planned changes>", []);
    const planJson = new Slot<string>("<the plan>", "");
    const replaced = new Slot<string[]>("<each address the plan replaces>", ["terraform_data.each_replaced_address"]);
    // Out of state, the old resources are neither replaced nor destroyed by the apply: they stay running
    // for analysis. Terraform's built-in resources carry no tags; providers that do can be tagged by the
    // user's own configuration.
    const isolating = (): boolean => retire === "isolate" && (!replaced.known || replaced.get().length > 0);
    const terraform = (stage: StageName, args: CommandStepSpec["args"], timeoutMs: number, extra: Partial<CommandStepSpec> = {}): Step =>
      commandStep(runner, { stage, tool: this.tool, args, cwd: this.dir, showCwd: true, options: { timeoutMs }, ...extra });

    let original: { text: string | undefined } | undefined;
    const restore = (): void => {
      if (original) {
        if (original.text === undefined) fs.rmSync(this.tfvarsFile, { force: true });
        else writeFileAtomic(this.tfvarsFile, original.text, PRIVATE);
      }
      fs.rmSync(planFile, { force: true });
    };
    const writeTfvars = actionStep("plan", tfvars.show, () => {
      const text = fs.existsSync(this.tfvarsFile) ? fs.readFileSync(this.tfvarsFile, "utf8") : undefined;
      original = { text };
      const value = tfvars.value();
      // Private, like the plan: other keys of this file can be secrets.
      writeFileAtomic(this.tfvarsFile, mergeTfvars(text, tfvars.variable, value), PRIVATE);
      log(
        value === null
          ? `removed "${tfvars.variable}" from ${this.tfvarsFile}`
          : `wrote ${this.tfvarsFile}: "${tfvars.variable}" = ${JSON.stringify(redactor.redact(value))}`,
      );
    });
    const apply = terraform("promote", () => terraformApplyArgs(planFile), timeouts.applyMs);
    const stateRm = terraform("promote", (read) => terraformStateRmArgs(read(replaced)), timeouts.planMs, {
      skip: () => !isolating(),
      slots: [replaced],
    });
    /** The resources an isolating apply leaves running out of state, with their ids so that they can be found. */
    const machines = (): string[] =>
      changes
        .get()
        .filter(isReplacement)
        .map((c) => `${c.address}${c.id ? ` (id ${c.id})` : ""}`);
    // A saved plan holds variable values in clear text: the run folder is private, and so is the file.
    const privatePlan = (): void => {
      if (fs.existsSync(planFile)) fs.chmodSync(planFile, 0o600);
    };
    return {
      // The image reaches Terraform only inside the tfvars JSON, never on a command line.
      validate: () => {},
      prepare: [
        terraform("plan", () => terraformInitArgs(), timeouts.planMs, { skip: () => this.initialised() }),
        writeTfvars,
        terraform("plan", () => terraformPlanArgs(planFile), timeouts.planMs, { after: privatePlan }),
        terraform("plan", () => terraformShowPlanArgs(planFile), timeouts.planMs, {
          options: { timeoutMs: timeouts.planMs, quietStdout: true },
          after: (result) => {
            planJson.set(result.stdout);
            const planned = plannedChanges(result.stdout);
            changes.set(planned);
            replaced.set(planned.filter(isReplacement).map((c) => c.address));
          },
        }),
      ],
      apply: [
        // Recorded before they leave Terraform's state, so that whatever happens next they are never orphaned.
        withBefore(stateRm, () => this.ctx.recordIsolation?.(machines())),
        terraform("promote", () => terraformPlanArgs(planFile), timeouts.planMs, { skip: () => !isolating(), after: privatePlan }),
        {
          ...apply,
          run: async (signal) => {
            try {
              await apply.run(signal);
            } finally {
              // A saved plan holds variable values in clear text; it is not kept once it has been used.
              fs.rmSync(planFile, { force: true });
            }
          },
        },
      ],
      replacements: () =>
        changes.get().length ? changes.get().map(describeChange) : ["no changes: the infrastructure already runs this image"],
      isolated: () => (retire === "isolate" ? machines() : []),
      replaced: () => {
        const before = original ? earlierValue(original.text, tfvars.variable) : undefined;
        return before === undefined ? undefined : { image_variable: tfvars.variable, value: before };
      },
      // Nothing was applied: put the tfvars back so that a later plain `terraform apply` does not pick up this image.
      discard: restore,
      plan: { dir: this.dir, json: () => planJson.get(), allowInPlace: this.allowInPlace },
    };
  }
}

export const terraform: StrategyDefinition<"terraform"> = {
  name: "terraform",
  summary: "the image goes into immutably.auto.tfvars.json; terraform plan, show the replacements, apply that plan",
  attributes: [
    {
      name: "terraform_dir",
      what: `the Terraform folder, relative to ${CONFIG_FILE_NAME}`,
      required: true,
      read: (reader) => reader.insidePath("terraform_dir", true),
    },
    {
      name: "image_variable",
      what: "the Terraform variable that selects the image",
      required: true,
      read(reader) {
        const value = reader.string("image_variable");
        const a = reader.attribute("image_variable");
        if (value === undefined || !a) return undefined;
        if (!isValid("variableName", value))
          return reader.fail(a, `expected ${PATTERNS.variableName.expected}, got ${JSON.stringify(value)}`);
        return value;
      },
    },
    {
      name: "tool",
      what: 'the executable that plans and applies: "terraform" (default) or "tofu" (OpenTofu, found like terraform: --tofu, immutably.tofuPath, IMMUTABLY_TOFU, PATH)',
      required: false,
      read(reader) {
        const value = reader.string("tool");
        const a = reader.attribute("tool");
        if (value === undefined || !a) return undefined;
        if (!(TERRAFORM_TOOLS as readonly string[]).includes(value))
          return reader.fail(a, `expected "terraform" or "tofu", got ${JSON.stringify(value)}`);
        return value;
      },
    },
    {
      name: "allow_in_place",
      what: "true to let a plan update the running generation's machines in place (reported, not refused)",
      required: false,
      read(reader) {
        const a = reader.attribute("allow_in_place");
        if (!a) return undefined;
        const value = reader.literal(a);
        if (value === undefined) return undefined;
        if (typeof value !== "boolean") return reader.fail(a, `expected true or false, got ${JSON.stringify(value)}`);
        return String(value);
      },
    },
  ],
  check: ({ settings, language, folderFiles }) => {
    const problem = terraformOnOpenTofuFolder(settings, language, folderFiles);
    return problem ? [{ attribute: "tool", message: problem }] : [];
  },
  create: (ctx) => new TerraformStrategy(ctx),
};
