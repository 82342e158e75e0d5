// The plan checks: a machine-like resource updated in place where only a replacement should change it, or replaced destroy-first.
import { DEFAULT_MACHINE_LIKE, MACHINE_LIKE_TYPES, NEVER_REPLACEMENT_ONLY } from "../../rules/_machine-like.ts";
import type { Value } from "../model.ts";
import type { OptionSpec, RuleOptions, Severity } from "../types.ts";
import type { PlanModule, ResourceChange } from "./document.ts";

/** A plan check's metadata: configured like a rule (`rule "<id>" { ... }` in .immutably.hcl), documented in docs/plan.md. */
export interface PlanCheckMeta {
  id: string;
  severity: Severity;
  recommended: boolean;
  fix: "none";
  summary: string;
  /** Why the flagged change breaks immutability (Markdown). */
  why: string;
  reportedAt: string;
  options: Record<string, OptionSpec>;
}

export interface PlanCheck {
  meta: PlanCheckMeta;
  /** The finding's message for a change, or undefined when the change is fine. */
  check(change: ResourceChange, module: PlanModule | undefined, options: RuleOptions): string | undefined;
}

const REPORTED_AT =
  "the resource block's header in the configuration (through module calls, found from the plan's `configuration` section); the resource's address in the plan when the block cannot be found";

const RESOURCES_OPTION: OptionSpec = {
  type: "string[]",
  default: DEFAULT_MACHINE_LIKE,
  description: "Machine-like resource types: replaceable compute.",
};
const EXCLUDE_OPTION: OptionSpec = { type: "string[]", default: [], description: "Resource types to leave out of `resources`." };

/** The types an options object names machine-like: `resources` without `exclude`. */
function machineLike(options: RuleOptions): Set<string> {
  const types = new Set(options.resources as string[]);
  for (const type of options.exclude as string[]) types.delete(type);
  return types;
}

function isObject(v: Value | undefined): v is { [key: string]: Value } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The value at an attribute path (`metadata.startup-script`: the `startup-script` key of the `metadata` map). */
function at(value: Value | undefined, path: readonly string[]): Value | undefined {
  let v = value;
  for (const key of path) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** Whether any part of an `after_unknown` value is `true` (known only after apply). */
function anyUnknown(v: Value | undefined): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(anyUnknown);
  if (isObject(v)) return Object.values(v).some(anyUnknown);
  return false;
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether the change alters the attribute at `path`: a different known value, or one known only after apply. */
function alters(change: ResourceChange, path: readonly string[]): boolean {
  if (anyUnknown(at(change.afterUnknown, path))) return true;
  return !same(at(change.before, path), at(change.after, path));
}

/**
 * The attribute paths whose in-place change counts for a type: the table's, plus the `attributes` option's
 * `type.path` entries. A type declared machine-like without either counts every attribute its configuration
 * sets (from the plan's `configuration` section), tags and labels excepted.
 */
function countedAttributes(change: ResourceChange, module: PlanModule | undefined, options: RuleOptions): string[] {
  const prefix = `${change.type}.`;
  const listed = (options.attributes as string[]).filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length));
  const known = MACHINE_LIKE_TYPES[change.type];
  if (known) return [...known.replacementOnly, ...listed];
  if (listed.length > 0) return listed;
  const configured = module?.configured.get(`${change.type}.${change.name}`);
  const names = configured ? [...configured] : Object.keys(isObject(change.after) ? change.after : {}).filter((n) => n !== "id");
  return names.filter((n) => !NEVER_REPLACEMENT_ONLY.has(n));
}

/** What Terraform's `action_reason` says, for the message. */
const REPLACE_REASONS: Record<string, string> = {
  replace_because_cannot_update: "a changed attribute cannot be updated in place",
  replace_because_tainted: "it is tainted",
  replace_by_request: "`-replace` asked for it",
  replace_by_triggers: "`replace_triggered_by` or a trigger changed",
};

export const planInPlaceUpdate: PlanCheck = {
  meta: {
    id: "plan-in-place-update",
    severity: "error",
    recommended: true,
    fix: "none",
    summary: "A plan must not update a machine-like resource in place where its image, boot script or launch source changes.",
    why:
      "An immutable machine runs exactly the image it was started from; a new image or boot script means a new generation of machines. " +
      'When the plan updates such an attribute in place (`actions = ["update"]`), the running machine is changed instead: a droplet is rebuilt, ' +
      "an instance is stopped and started with new user data, new startup metadata runs on a machine that keeps its disk. There is no old " +
      "generation to go back to, and the result depends on the machine's history. Sizes, tags and labels change in place by design and are not findings.",
    reportedAt: REPORTED_AT,
    options: {
      resources: RESOURCES_OPTION,
      exclude: EXCLUDE_OPTION,
      attributes: {
        type: "string[]",
        default: [],
        description: "More attributes that change only by replacement, as `type.attribute` (`type.map.key` for a key of a map attribute).",
      },
    },
  },
  check(change, module, options) {
    if (change.actions.length !== 1 || change.actions[0] !== "update" || !machineLike(options).has(change.type)) return undefined;
    const touched = [...new Set(countedAttributes(change, module, options))].filter((a) => alters(change, a.split(".")));
    if (touched.length === 0) return undefined;
    return (
      `${change.address} is updated in place (${touched.join(", ")}): the running machine is changed instead of replaced by a new generation. ` +
      "Make the change replace it (for example `replace_triggered_by`, or `user_data_replace_on_change` on aws_instance) or bake it into a new image."
    );
  },
};

export const planDestroyFirstReplacement: PlanCheck = {
  meta: {
    id: "plan-destroy-first-replacement",
    severity: "warning",
    recommended: true,
    fix: "none",
    summary: "A plan must not replace a machine-like resource destroy-first.",
    why:
      '`actions = ["delete", "create"]` destroys the running generation before its replacement exists: the roll is an outage, and when the ' +
      'create fails nothing runs. `lifecycle { create_before_destroy = true }` makes Terraform plan `["create", "delete"]` instead, which is not a finding.',
    reportedAt: REPORTED_AT,
    options: { resources: RESOURCES_OPTION, exclude: EXCLUDE_OPTION },
  },
  check(change, _module, options) {
    const [first, second] = change.actions;
    if (change.actions.length !== 2 || first !== "delete" || second !== "create" || !machineLike(options).has(change.type))
      return undefined;
    const reason = change.actionReason && REPLACE_REASONS[change.actionReason];
    return (
      `${change.address} is replaced destroy-first${reason ? ` (${reason})` : ""}: the running machine is destroyed before its replacement exists. ` +
      "Set lifecycle { create_before_destroy = true }."
    );
  },
};

/** Every plan check, sorted by id. */
export const PLAN_CHECKS: readonly PlanCheck[] = [planDestroyFirstReplacement, planInPlaceUpdate];
