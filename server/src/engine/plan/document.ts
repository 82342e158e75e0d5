// Reads `terraform show -json` output into the resource changes and module calls the plan checks need.
import type { Value } from "../model.ts";

/** One `resource_changes` entry: a managed resource the plan creates, updates, replaces or deletes. */
export interface ResourceChange {
  /** The full address: `module.x.aws_instance.web[0]`. */
  address: string;
  /** The module calls leading to it, by name without instance keys: `["x"]` for `module.x["a"]`. */
  modulePath: string[];
  type: string;
  name: string;
  /** `["update"]`, `["delete","create"]` (destroy first), `["create","delete"]` (create first), ... */
  actions: string[];
  before: Value;
  after: Value;
  /** Which parts of `after` are only known after apply (`true` at a path, or a structure of them). */
  afterUnknown: Value;
  /** Terraform's reason for a replacement: `replace_because_cannot_update`, `replace_by_triggers`, ... */
  actionReason?: string;
}

/** A module as the plan's `configuration` section describes it: its resources' configured attributes and its calls. */
export interface PlanModule {
  /** `type.name` → the attribute names the configuration sets (its `expressions`). */
  configured: Map<string, Set<string>>;
  calls: Map<string, { source: string; module: PlanModule }>;
}

export interface PlanDocument {
  terraformVersion?: string;
  changes: ResourceChange[];
  root: PlanModule;
}

/** A text that is not a plan in the JSON form `terraform show -json` prints. */
export class PlanFormatError extends Error {}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The call names of a module address: `module.a["k"].module.b[0]` → `["a", "b"]`. */
export function moduleCallPath(moduleAddress: string): string[] {
  const out: string[] = [];
  for (const m of moduleAddress.matchAll(/(?:^|\.)module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/g)) out.push(m[1]);
  return out;
}

function readModule(data: unknown): PlanModule {
  const module: PlanModule = { configured: new Map(), calls: new Map() };
  if (!isObject(data)) return module;
  for (const r of Array.isArray(data.resources) ? data.resources : []) {
    if (!isObject(r) || r.mode !== "managed" || typeof r.type !== "string" || typeof r.name !== "string") continue;
    module.configured.set(`${r.type}.${r.name}`, new Set(isObject(r.expressions) ? Object.keys(r.expressions) : []));
  }
  if (isObject(data.module_calls)) {
    for (const [name, call] of Object.entries(data.module_calls)) {
      if (!isObject(call)) continue;
      module.calls.set(name, { source: typeof call.source === "string" ? call.source : "", module: readModule(call.module) });
    }
  }
  return module;
}

/** Parses `terraform show -json` output of a saved plan; throws PlanFormatError for anything else. */
export function readPlanDocument(text: string): PlanDocument {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new PlanFormatError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  // A state (`terraform show -json` without a plan) has `values` but no `resource_changes` nor `planned_values`.
  if (!isObject(data) || !("planned_values" in data || Array.isArray(data.resource_changes))) {
    throw new PlanFormatError("not a Terraform plan in JSON: expected the output of `terraform show -json <saved plan>`");
  }
  const changes: ResourceChange[] = [];
  for (const rc of Array.isArray(data.resource_changes) ? data.resource_changes : []) {
    if (
      !isObject(rc) ||
      rc.mode !== "managed" ||
      typeof rc.address !== "string" ||
      typeof rc.type !== "string" ||
      typeof rc.name !== "string"
    )
      continue;
    const change = isObject(rc.change) ? rc.change : {};
    const actions = Array.isArray(change.actions) ? change.actions.filter((a): a is string => typeof a === "string") : [];
    changes.push({
      address: rc.address,
      modulePath: typeof rc.module_address === "string" ? moduleCallPath(rc.module_address) : [],
      type: rc.type,
      name: rc.name,
      actions,
      before: (change.before ?? null) as Value,
      after: (change.after ?? null) as Value,
      afterUnknown: (change.after_unknown ?? null) as Value,
      ...(typeof rc.action_reason === "string" ? { actionReason: rc.action_reason } : {}),
    });
  }
  const configuration = isObject(data.configuration) ? data.configuration : {};
  return {
    ...(typeof data.terraform_version === "string" ? { terraformVersion: data.terraform_version } : {}),
    changes,
    root: readModule(configuration.root_module),
  };
}

/** The module a change belongs to in the plan's configuration, when the plan carries it. */
export function planModuleOf(document: PlanDocument, modulePath: readonly string[]): PlanModule | undefined {
  let module: PlanModule | undefined = document.root;
  for (const name of modulePath) module = module?.calls.get(name)?.module;
  return module;
}
