// Follows module calls: reads the module a call names (a local folder, or one `terraform init` / `tofu init` downloaded),
// lints it with the call's arguments bound to its variables, and reports what those values cause at the call's arguments.
import path from "node:path";
import { attr, type Attribute, type Block, type Expr, type Range, type SourceFile } from "./model.ts";
import { realFilesOf } from "./override.ts";
import type { Binding } from "./resolve.ts";
import { ModuleScope, type ScopeServices } from "./scope.ts";
import type { Finding, Module, ModuleCallSite, Origin } from "./types.ts";

/** Arguments of a module block that configure the call itself, not the module's variables. */
const META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

/** A source Terraform reads from the local file system, relative to the calling module. */
export function isLocalSource(source: string): boolean {
  return /^\.\.?([/\\]|$)/.test(source);
}

/**
 * The folders `terraform init` (or `tofu init`) installed modules into, from the root module's
 * `.terraform/modules/modules.json`: the key is the path of call names (`web`, `web.asg`).
 */
export function parseInstalledModules(rootDir: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return out;
  }
  const modules = (data as { Modules?: unknown } | null)?.Modules;
  if (!Array.isArray(modules)) return out;
  for (const m of modules as Array<{ Key?: unknown; Dir?: unknown }>) {
    if (typeof m?.Key === "string" && m.Key !== "" && typeof m.Dir === "string") out.set(m.Key, path.resolve(rootDir, m.Dir));
  }
  return out;
}

/** What the follower needs from the linter: reading a folder as a module, running the rules over a scope. */
export interface FollowerServices extends Omit<ScopeServices, "callsNotFollowed"> {
  /** The Terraform module in a folder, read through the host; undefined when the folder cannot be read or lies outside the read root. */
  loadModule(dir: string): Module | undefined;
  /** Every enabled rule over one scope, or only `ruleId`. */
  runRules(scope: ModuleScope, ruleId?: string): Finding[];
}

/** How a relocated finding's message is built: the rule's own message, and the path from the call to the flagged attribute. */
interface Through {
  message: string;
  chain: string[];
}

const rangeWithin = (inner: Range, outer: Range) => inner.startOffset >= outer.startOffset && inner.endOffset <= outer.endOffset;

/**
 * Follows the module calls of one folder's lint. Each module instance (a call, or a call with one
 * argument's value made unknown) is linted once and remembered.
 */
export class ModuleFollower {
  private readonly modules = new Map<string, Module | undefined>();
  private readonly installed = new Map<string, Map<string, string>>();
  private readonly targets = new WeakMap<Block, { dir: string; module: Module } | null>();
  private readonly evaluated = new Map<string, Finding[]>();
  /** Folders whose module calls are being followed, innermost last: a module that calls itself is not followed again. */
  private readonly active: string[] = [];
  private readonly through = new WeakMap<Finding, Through>();
  private scopes = 0;

  constructor(private readonly services: FollowerServices) {}

  /** The scope of a module linted as a root module (its own folder). */
  root(module: Module): ModuleScope {
    return new ModuleScope(module, { rootDir: module.dir, keyPath: [], id: ++this.scopes }, this.scopeServices);
  }

  private readonly scopeServices: ScopeServices = {
    readFile: (p, within) => this.services.readFile(p, within),
    readRoot: (dir) => this.services.readRoot(dir),
    refused: (at, relativePath, reason) => this.services.refused(at, relativePath, reason),
    callsNotFollowed: (scope: ModuleScope) => scope.moduleCalls().filter((call) => !this.target(scope, call)),
  };

  /**
   * Findings the values of a scope's module calls cause in the modules they call, reported at the
   * calls' arguments; `ruleId` limits them to one rule's.
   */
  throughCalls(scope: ModuleScope, ruleId?: string): Finding[] {
    const calls = scope.moduleCalls();
    if (calls.length === 0) return [];
    this.active.push(scope.module.dir);
    try {
      const out: Finding[] = [];
      for (const call of calls) {
        const target = this.target(scope, call);
        // A module that calls itself, directly or through others, is linted once.
        if (!target || this.active.includes(target.dir)) continue;
        out.push(...this.followCall(scope, call, target.module, ruleId));
      }
      return out;
    } finally {
      this.active.pop();
    }
  }

  /** The folder a call reads and its module, or undefined when the call is not followed. */
  private target(scope: ModuleScope, call: ModuleCallSite): { dir: string; module: Module } | undefined {
    const known = this.targets.get(call.block);
    if (known !== undefined) return known ?? undefined;
    const dir = this.calledDir(scope, call);
    const module = dir === undefined ? undefined : this.load(dir);
    const target = dir !== undefined && module ? { dir, module } : undefined;
    this.targets.set(call.block, target ?? null);
    return target;
  }

  private calledDir(scope: ModuleScope, call: ModuleCallSite): string | undefined {
    const sourceAttr = attr(call.block.body, "source");
    const source = sourceAttr ? scope.resolve(sourceAttr.expr, call.file)?.value : undefined;
    if (typeof source !== "string") return undefined;
    if (isLocalSource(source)) return path.resolve(scope.module.dir, source);
    // Remote modules are followed where `terraform init` downloaded them for this root module.
    return this.installedModules(scope.placement.rootDir).get([...scope.placement.keyPath, call.name].join("."));
  }

  private installedModules(rootDir: string): Map<string, string> {
    let map = this.installed.get(rootDir);
    if (!map) {
      const text = this.services.readFile(path.join(rootDir, ".terraform", "modules", "modules.json"), this.services.readRoot(rootDir));
      map = typeof text === "string" ? parseInstalledModules(rootDir, text) : new Map();
      this.installed.set(rootDir, map);
    }
    return map;
  }

  private load(dir: string): Module | undefined {
    if (!this.modules.has(dir)) this.modules.set(dir, this.services.loadModule(dir));
    return this.modules.get(dir);
  }

  /**
   * The findings a call's values cause in the module it calls: those that an argument's value brings
   * about, each reported at that argument. An argument causes a finding when the finding (same rule,
   * same place) is gone once that argument's value is unknown: a module's own findings, and those of
   * a default the call leaves alone, stay with the module.
   */
  private followCall(scope: ModuleScope, call: ModuleCallSite, callee: Module, ruleId?: string): Finding[] {
    const keyPath = [...scope.placement.keyPath, call.name];
    const bindings = new Map<string, Binding>();
    for (const a of call.block.body.attributes) {
      if (!META_ARGUMENTS.has(a.name)) bindings.set(a.name, { attribute: a, file: call.file, scope, call: `module.${call.name}` });
    }
    if (bindings.size === 0) return [];
    const key = `${callee.dir}\0${keyPath.join(".")}\0${scope.placement.rootDir}\0${scope.placement.id}\0${call.file.path}:${call.block.range.startOffset}`;
    const evaluate = (given: ReadonlyMap<string, Binding>, variant: string, ruleId?: string) =>
      this.evaluate(`${key}\0${variant}\0${ruleId ?? ""}`, callee, scope.placement.rootDir, keyPath, given, ruleId);
    const out: Finding[] = [];
    for (const f of evaluate(bindings, "", ruleId)) {
      const argument = this.candidateArguments(f, call, callee, bindings).find((name) => {
        const without = new Map(bindings);
        without.set(name, { ...bindings.get(name)!, attribute: unknownArgument(bindings.get(name)!.attribute) });
        return !evaluate(without, `-${name}`, f.ruleId).some(
          (g) => g.ruleId === f.ruleId && g.path === f.path && sameRange(g.range, f.range),
        );
      });
      if (argument === undefined) continue;
      const attribute = bindings.get(argument)!.attribute;
      // A value several resources of the module receive is reported once per rule at its argument, by the first.
      if (out.some((g) => g.ruleId === f.ruleId && sameRange(g.range, attribute.range))) continue;
      out.push(this.relocate(f, call, callee, attribute));
    }
    return out;
  }

  private evaluate(
    key: string,
    module: Module,
    rootDir: string,
    keyPath: string[],
    bindings: ReadonlyMap<string, Binding>,
    ruleId?: string,
  ): Finding[] {
    const known = this.evaluated.get(key);
    if (known) return known;
    const scope = new ModuleScope(module, { rootDir, keyPath, bindings, id: ++this.scopes }, this.scopeServices);
    const findings = [...this.services.runRules(scope, ruleId), ...this.throughCalls(scope, ruleId)];
    this.evaluated.set(key, findings);
    return findings;
  }

  /**
   * A finding of a called module moved to the argument whose value causes it, with the path the value
   * takes into the module as related locations.
   */
  private relocate(f: Finding, call: ModuleCallSite, callee: Module, argument: Attribute): Finding {
    const file = realFilesOf(callee).find((x) => x.path === f.path);
    const site = file ? locate(file, f.range) : undefined;
    const inner = this.through.get(f);
    const steps: Origin[] = [];
    const variable = callee.files.flatMap((x) =>
      x.body.blocks.filter((b) => b.type === "variable" && b.labels[0] === argument.name).map((block) => ({ block, file: x })),
    )[0];
    if (variable)
      steps.push({
        path: variable.file.path,
        range: variable.block.headerRange,
        description: `variable "${argument.name}" of module.${call.name}`,
        step: "variable",
      });
    const address = site ? addressOf(site.top) : undefined;
    const what = site?.attribute ? `${address} ${site.attribute.name}` : (address ?? "the module");
    steps.push({ path: f.path, range: f.range, description: `${what} in module.${call.name}`, step: inner ? "argument" : "attribute" });
    // The value's own origin inside the argument is where the finding now is; other origins stay.
    const related = [...steps, ...(f.related ?? []).filter((o) => !(o.path === call.file.path && rangeWithin(o.range, argument.range)))];
    const base = inner ? inner.message : f.message;
    // The path names the flagged block unless the rule's message already does.
    const chain = [`module.${call.name}`, ...(inner ? inner.chain : address && !base.includes(address) ? [address] : [])];
    const moved: Finding = {
      ruleId: f.ruleId,
      severity: f.severity,
      message: `Passed to ${chain.join(" → ")}: ${base}`,
      path: call.file.path,
      range: argument.range,
      related,
    };
    this.through.set(moved, { message: base, chain });
    return moved;
  }

  /**
   * The call's arguments that may cause a finding of the called module, most likely first: one whose
   * value is named as the finding's origin, then the variables the flagged attribute (or block) reads,
   * directly or through locals and data sources, in the order it reads them.
   */
  private candidateArguments(f: Finding, call: ModuleCallSite, callee: Module, bindings: ReadonlyMap<string, Binding>): string[] {
    const out: string[] = [];
    for (const [name, b] of bindings)
      if (f.related?.some((o) => o.path === call.file.path && rangeWithin(o.range, b.attribute.range))) out.push(name);
    const file = realFilesOf(callee).find((x) => x.path === f.path);
    const site = file ? locate(file, f.range) : undefined;
    if (site)
      for (const name of variablesRead(callee, site.attribute ? [site.attribute.expr] : expressionsOf(site.block)))
        if (bindings.has(name) && !out.includes(name)) out.push(name);
    return out;
  }
}

/** The argument with its value replaced by one nothing is known of. */
function unknownArgument(attribute: Attribute): Attribute {
  const expr: Expr = { kind: "other", range: attribute.expr.range };
  return { name: attribute.name, nameRange: attribute.nameRange, range: attribute.range, expr };
}

const sameRange = (a: Range, b: Range) => a.startOffset === b.startOffset && a.endOffset === b.endOffset;

/** `resource.type.name`-style address of a top-level block: `aws_launch_template.this`, `module.asg`, `data.aws_ami.x`. */
function addressOf(block: Block): string {
  if (block.type === "resource") return block.labels.join(".");
  return [block.type, ...block.labels].join(".");
}

/** The top-level block, innermost block and innermost attribute of a file that contain a range. */
function locate(file: SourceFile, range: Range): { top: Block; block: Block; attribute?: Attribute } | undefined {
  const top = file.body.blocks.find((b) => rangeWithin(range, b.range));
  if (!top) return undefined;
  let block = top;
  for (;;) {
    const attribute = block.body.attributes.find((a) => rangeWithin(range, a.range));
    if (attribute) return { top, block, attribute };
    const inner = block.body.blocks.find((b) => rangeWithin(range, b.range));
    if (!inner) return { top, block };
    block = inner;
  }
}

/** Every attribute expression of a block, nested blocks included. */
function expressionsOf(block: Block): Expr[] {
  return [...block.body.attributes.map((a) => a.expr), ...block.body.blocks.flatMap(expressionsOf)];
}

/** The sub-expressions of an expression. */
function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case "template":
      return e.parts.filter((p): p is Expr => typeof p !== "string");
    case "call":
      return e.args;
    case "tuple":
      return e.items;
    case "object":
      return e.entries.map((x) => x.value);
    case "conditional":
      return [e.condition, e.whenTrue, e.whenFalse];
    case "operation":
      return e.operands;
    case "splat":
      return [e.source];
    default:
      return [];
  }
}

/** The module's variables that expressions read, in the order met, through locals and the data sources they read. */
function variablesRead(module: Module, exprs: Expr[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const blocks = module.files.flatMap((f) => f.body.blocks);
  const visit = (e: Expr): void => {
    const [name, label] = e.kind === "traversal" ? e.path : [];
    if (e.kind !== "traversal" || typeof name !== "string") return childrenOf(e).forEach(visit);
    const key = e.root === "data" ? `data.${name}.${String(label)}` : `${e.root}.${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (e.root === "var") out.push(name);
    else if (e.root === "local") {
      for (const b of blocks) if (b.type === "locals") for (const a of b.body.attributes) if (a.name === name) visit(a.expr);
    } else if (e.root === "data") {
      for (const b of blocks) if (b.type === "data" && b.labels[0] === name && b.labels[1] === label) expressionsOf(b).forEach(visit);
    }
  };
  exprs.forEach(visit);
  return out;
}
