// Resolves expressions to literal values, and follows them to what they are, through variables (module call arguments, tfvars, defaults), locals, operators and common functions.
import { ModuleIndex } from "./module-index.ts";
import path from "node:path";
import { asBool, asText, evaluateFunction, evaluateOperator, PASS_THROUGH_FUNCTIONS } from "./functions.ts";
import { attr, type Attribute, type Expr, type SourceFile, type TraversalExpr, type Value } from "./model.ts";
import type { Followed, Module, Origin, Resolved, Scope } from "./types.ts";

/** A module's variable given at a module call: the argument, read in the caller's scope. */
export interface Binding {
  /** The argument (`name = value`) in the module block. */
  attribute: Attribute;
  /** The caller's file. */
  file: SourceFile;
  /** The caller's scope, where the argument's references are read. */
  scope: Scope;
  /** How messages name the call: `module.web`. */
  call: string;
}

interface Definition {
  /** The attribute holding the value: its (lazily converted) expression is read only when resolved. */
  attribute: Attribute;
  file: SourceFile;
  /** What the value is, for the origin's description (made only when an origin is). */
  kind: "default" | "tfvars" | "local" | "argument";
  /** The variable's or local's name. */
  name: string;
  /** The module call giving the argument (`module.web`). */
  call?: string;
  /** The scope the value is written in, when it is another module's (a module call's argument). */
  scope?: Scope;
}

/** How an origin describes where a value was written. */
function describe(def: Definition): string {
  switch (def.kind) {
    case "default":
      return `default of variable "${def.name}"`;
    case "tfvars":
      return `${path.basename(def.file.path)} (${def.name})`;
    case "local":
      return `local "${def.name}"`;
    case "argument":
      return `argument "${def.name}" of ${def.call}`;
  }
}

/** Steps into a known value; undefined when a step is missing (an error in Terraform). */
function select(value: Value, steps: Array<string | number>): Value | undefined {
  let current: Value | undefined = value;
  for (const step of steps) {
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current)
      ? current[Number(step)]
      : Object.prototype.hasOwnProperty.call(current, String(step))
        ? current[String(step)]
        : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The expression inside `"${...}"` (how JSON syntax writes every reference), else the expression itself. */
export function unwrapInterpolation(expr: Expr): Expr {
  return expr.kind === "template" && expr.parts.length === 1 && typeof expr.parts[0] !== "string" ? expr.parts[0] : expr;
}

/**
 * The reference an expression makes to an object's attribute, with splats read as the element
 * (`data.aws_ami.x[*].id`, `data.aws_ami.x.*.id` and `data.aws_ami.x[0].id` all name the lookup's
 * `id`: a `count` of one or zero is how configurations make a lookup optional).
 */
export function referenceOf(expr: Expr): { root: string; path: Array<string | number>; range: Expr["range"] } | undefined {
  const e = unwrapInterpolation(expr);
  if (e.kind === "traversal") return { root: e.root, path: e.path, range: e.range };
  if (e.kind === "splat") {
    const source = referenceOf(e.source);
    return source ? { root: source.root, path: [...source.path, ...e.path], range: e.range } : undefined;
  }
  return undefined;
}

/** Marks the results of stepping into a value that has no such key (what `try()` falls back from). */
const missing = new WeakSet<Expr>();

/** Index of one module's variables and locals, and the values its variables are given. */
export class Resolver {
  private readonly defaults = new Map<string, Definition>();
  /** Variables declared `nullable = false`: given null, they take their default. */
  private readonly notNullable = new Set<string>();
  private readonly varValues = new Map<string, Definition>();
  private readonly locals = new Map<string, Definition>();
  private readonly active = new Set<string>();

  /** The scope this resolver serves: `follow` hands it back with the expressions it finds. */
  private readonly owner: Scope;
  /** The arguments of the module call that instantiates the module; none for a root module, whose variable files apply. */
  private readonly bindings: ReadonlyMap<string, Binding> | undefined;

  constructor(
    private readonly module: Module,
    options: { owner?: Scope; bindings?: ReadonlyMap<string, Binding> } = {},
  ) {
    this.owner = options.owner ?? bareScope(module, this);
    this.bindings = options.bindings;
  }

  private indexed = false;

  /** Indexes the module's variables and locals, on the first look-up: many modules never resolve anything. */
  private index(): void {
    if (this.indexed) return;
    this.indexed = true;
    const packer = this.module.kind === "packer";
    for (const file of this.module.files) {
      for (const block of file.body.blocks) {
        if (block.type === "variable") {
          const name = block.labels[0];
          if (name === undefined) continue;
          const def = attr(block.body, "default");
          if (def) this.defaults.set(name, { attribute: def, file, kind: "default", name });
          const nullable = attr(block.body, "nullable");
          if (nullable && nullable.expr.kind === "literal" && nullable.expr.value === false) this.notNullable.add(name);
        } else if (block.type === "locals") {
          for (const a of block.body.attributes) this.locals.set(a.name, { attribute: a, file, kind: "local", name: a.name });
        } else if (packer && block.type === "variables") {
          // Packer also declares variables with defaults in `variables { name = default }` blocks (HCL2 only).
          for (const a of block.body.attributes) this.defaults.set(a.name, { attribute: a, file, kind: "default", name: a.name });
        }
      }
    }
    // Variable files apply to the root module only; a called module gets its values from the call.
    // They are handed over already in the order in which they apply: later ones win.
    if (!this.bindings) {
      for (const file of this.module.varFiles) {
        for (const a of file.body.attributes) this.varValues.set(a.name, { attribute: a, file, kind: "tfvars", name: a.name });
        // In .tfvars.json files the whole top-level object is the variable map.
      }
    }
  }

  /** The literal value of `expr` and, when the value was written elsewhere, where. */
  resolve(expr: Expr, _file: SourceFile): Resolved | undefined {
    return this.resolveExpr(expr);
  }

  /** Where a variable's value or a local is written, or undefined when nothing gives it one. */
  private definition(root: string, name: string): Definition | undefined {
    this.index();
    if (root === "local") return this.locals.get(name);
    if (root !== "var") return undefined;
    const bound = this.bindings?.get(name);
    if (bound) {
      const definition: Definition = {
        attribute: bound.attribute,
        file: bound.file,
        kind: "argument",
        name,
        call: bound.call,
        scope: bound.scope,
      };
      // A null argument gives a variable declared `nullable = false` its default.
      if (!this.notNullable.has(name) || bound.scope.resolve(bound.attribute.expr, bound.file)?.value !== null) return definition;
    }
    return this.varValues.get(name) ?? this.defaults.get(name);
  }

  private resolveExpr(expr: Expr): Resolved | undefined {
    switch (expr.kind) {
      case "literal":
        return { value: expr.value };
      case "template": {
        let out = "";
        let origin: Origin | undefined;
        for (const part of expr.parts) {
          if (typeof part === "string") {
            out += part;
            continue;
          }
          const r = this.resolveExpr(part);
          if (!r) return undefined;
          const text = r.value === null ? "" : asText(r.value);
          if (text === undefined) return undefined;
          out += text;
          origin ??= r.origin;
        }
        return { value: out, origin };
      }
      case "tuple": {
        const items: Value[] = [];
        let origin: Origin | undefined;
        for (const item of expr.items) {
          const r = this.resolveExpr(item);
          if (!r) return undefined;
          items.push(r.value);
          origin ??= r.origin;
        }
        return { value: items, origin };
      }
      case "object": {
        const obj: { [key: string]: Value } = {};
        let origin: Origin | undefined;
        for (const entry of expr.entries) {
          if (entry.key === undefined) return undefined;
          const r = this.resolveExpr(entry.value);
          if (!r) return undefined;
          obj[entry.key] = r.value;
          origin ??= r.origin;
        }
        return { value: obj, origin };
      }
      case "traversal":
        return this.resolveTraversal(expr.root, expr.path);
      case "conditional": {
        const condition = this.resolveExpr(expr.condition);
        const chosen = condition ? asBool(condition.value) : undefined;
        if (chosen !== undefined) return this.resolveExpr(chosen ? expr.whenTrue : expr.whenFalse);
        // Both branches give the same value: the condition does not matter.
        const a = this.resolveExpr(expr.whenTrue);
        const b = a && this.resolveExpr(expr.whenFalse);
        return a && b && JSON.stringify(a.value) === JSON.stringify(b.value) ? a : undefined;
      }
      case "operation": {
        const values: Value[] = [];
        let origin: Origin | undefined;
        for (const operand of expr.operands) {
          const r = this.resolveExpr(operand);
          if (!r) {
            // `false && x` and `true || x` are decided whatever x is.
            const other =
              expr.operands.length === 2 && (expr.operator === "&&" || expr.operator === "||")
                ? this.resolveExpr(expr.operands[operand === expr.operands[0] ? 1 : 0])
                : undefined;
            const decided = other ? asBool(other.value) : undefined;
            if (decided === (expr.operator === "||")) return { value: decided, origin: other?.origin };
            return undefined;
          }
          values.push(r.value);
          origin ??= r.origin;
        }
        const value = evaluateOperator(expr.operator, values);
        return value === undefined ? undefined : { value, origin };
      }
      case "call":
        return this.resolveCall(expr);
      case "splat": {
        const source = this.resolveExpr(expr.source);
        if (!source) return undefined;
        // A splat over null is an empty list, over a single value a list of that value.
        const elements = source.value === null ? [] : Array.isArray(source.value) ? source.value : [source.value];
        const out: Value[] = [];
        for (const element of elements) {
          const v = select(element, expr.path);
          if (v === undefined) return undefined;
          out.push(v);
        }
        return { value: out, origin: source.origin };
      }
      default:
        return undefined;
    }
  }

  private resolveCall(expr: Expr & { kind: "call" }): Resolved | undefined {
    // Functions that look at some arguments only: a later argument may be unknown.
    if (expr.name === "coalesce") {
      for (const arg of expr.args) {
        const r = this.resolveExpr(arg);
        if (!r) return undefined;
        if (r.value !== null && r.value !== "") return r;
      }
      return undefined;
    }
    if (expr.name === "try") {
      for (const arg of expr.args) {
        if (this.fails(arg)) continue;
        return this.resolveExpr(arg);
      }
      return undefined;
    }
    const values: Value[] = [];
    let origin: Origin | undefined;
    for (const arg of expr.args) {
      const r = this.resolveExpr(arg);
      if (!r) return undefined;
      values.push(r.value);
      origin ??= r.origin;
    }
    const value = evaluateFunction(expr.name, values);
    return value === undefined ? undefined : { value, origin };
  }

  /** Whether an expression certainly fails (steps into a known value that has no such key): `try()` then moves on. */
  private fails(expr: Expr): boolean {
    const e = unwrapInterpolation(expr);
    const name = e.kind === "traversal" ? e.path[0] : undefined;
    if (e.kind !== "traversal" || (e.root !== "var" && e.root !== "local") || typeof name !== "string" || e.path.length < 2) return false;
    const def = this.definition(e.root, name);
    if (!def) return false;
    const followed = (
      def.scope ? def.scope.follow(def.attribute.expr, def.file) : this.followExpr(def.attribute.expr, def.file, 1)
    ).flatMap((f) => stepInto(f, e.path.slice(1)));
    return followed.length > 0 && followed.every((f) => missing.has(f.expr));
  }

  private resolveTraversal(root: string, rest: Array<string | number>): Resolved | undefined {
    const name = rest[0];
    if (typeof name !== "string") return undefined;
    const key = `${root}.${name}`;
    const def = this.definition(root, name);
    if (!def || this.active.has(key)) return undefined; // Unknown, or a reference cycle.
    this.active.add(key);
    try {
      const inner = def.scope ? def.scope.resolve(def.attribute.expr, def.file) : this.resolveExpr(def.attribute.expr);
      if (!inner) return undefined;
      const value = select(inner.value, rest.slice(1));
      if (value === undefined) return undefined;
      // The deepest origin is where the literal is written; report that one.
      const origin: Origin = inner.origin ?? { path: def.file.path, range: def.attribute.expr.range, description: describe(def) };
      return { value, origin };
    } finally {
      this.active.delete(key);
    }
  }

  /** What an expression is, seen through references and pass-through functions (see `Scope.follow`). */
  follow(expr: Expr, file: SourceFile): Followed[] {
    return this.followExpr(expr, file, 0);
  }

  private followExpr(expr: Expr, file: SourceFile, depth: number): Followed[] {
    const e = unwrapInterpolation(expr);
    const here = (): Followed[] => [{ expr: e, file, scope: this.owner }];
    if (depth > 24) return here();
    switch (e.kind) {
      case "traversal":
        return this.followReference(e, depth) ?? here();
      case "conditional": {
        const condition = this.resolveExpr(e.condition);
        const chosen = condition ? asBool(condition.value) : undefined;
        if (chosen !== undefined) return this.followExpr(chosen ? e.whenTrue : e.whenFalse, file, depth + 1);
        return [...this.followExpr(e.whenTrue, file, depth + 1), ...this.followExpr(e.whenFalse, file, depth + 1)];
      }
      case "call":
        return this.followCall(e, file, depth) ?? here();
      default:
        return here();
    }
  }

  /** A variable or local followed to its definition; undefined when it is something else or unknown. */
  private followReference(e: TraversalExpr, depth: number): Followed[] | undefined {
    const name = e.path[0];
    if ((e.root !== "var" && e.root !== "local") || typeof name !== "string") return undefined;
    const def = this.definition(e.root, name);
    if (!def) return undefined;
    const key = `${e.root}.${name}`;
    if (this.active.has(key)) return undefined;
    this.active.add(key);
    let inner: Followed[];
    try {
      inner = def.scope ? def.scope.follow(def.attribute.expr, def.file) : this.followExpr(def.attribute.expr, def.file, depth + 1);
    } finally {
      this.active.delete(key);
    }
    let origin: Origin | undefined;
    const withOrigin = inner.map((f) =>
      f.origin ? f : { ...f, origin: (origin ??= { path: def.file.path, range: def.attribute.expr.range, description: describe(def) }) },
    );
    return e.path.length === 1 ? withOrigin : withOrigin.flatMap((f) => stepInto(f, e.path.slice(1)));
  }

  /** A call that hands an argument on, followed to that argument; undefined for other calls. */
  private followCall(e: Expr & { kind: "call" }, file: SourceFile, depth: number): Followed[] | undefined {
    const [first, second] = e.args;
    if (PASS_THROUGH_FUNCTIONS.has(e.name) && e.args.length === 1) return this.followExpr(first, file, depth + 1);
    switch (e.name) {
      case "coalesce":
        // The first argument that is not null or empty; one that is not known stops the search.
        for (const arg of e.args) {
          const r = this.resolveExpr(arg);
          if (r && (r.value === null || r.value === "")) continue;
          return this.followExpr(arg, file, depth + 1);
        }
        return undefined;
      case "try":
        for (const arg of e.args) if (!this.fails(arg)) return this.followExpr(arg, file, depth + 1);
        return undefined;
      case "join":
      case "element": {
        // `join("", data.x[*].id)` and `element(data.x[*].id, 0)`: the one element of an optional lookup.
        const list = e.name === "join" ? second : first;
        if (!list || e.args.length !== 2 || this.resolveExpr(e)) return undefined;
        const followed = this.followExpr(list, file, depth + 1);
        if (!followed.every((f) => f.expr.kind === "splat" || (f.expr.kind === "tuple" && f.expr.items.length === 1))) return undefined;
        return followed.flatMap((f) =>
          f.expr.kind === "tuple" ? f.scope.follow(f.expr.items[0], f.file).map((g) => ({ ...g, origin: g.origin ?? f.origin })) : [f],
        );
      }
      default:
        return undefined;
    }
  }
}

/** Applies the remaining steps of a reference (`var.x.image`, `local.list[0]`) to what its root was followed to. */
function stepInto(f: Followed, steps: Array<string | number>): Followed[] {
  if (steps.length === 0) return [f];
  const [step, ...rest] = steps;
  const e = unwrapInterpolation(f.expr);
  const unknown = (): Followed[] => {
    const other: Expr = { kind: "other", range: e.range };
    return [{ ...f, expr: other }];
  };
  switch (e.kind) {
    case "object": {
      const entry = e.entries.find((x) => x.key === String(step));
      if (!entry) {
        if (e.entries.some((x) => x.key === undefined)) return unknown();
        const absent: Expr = { kind: "other", range: e.range };
        missing.add(absent);
        return [{ ...f, expr: absent }];
      }
      return f.scope.follow(entry.value, f.file).flatMap((g) => stepInto({ ...g, origin: g.origin ?? f.origin }, rest));
    }
    case "tuple": {
      const item = typeof step === "number" ? e.items[step] : undefined;
      if (!item) {
        const absent: Expr = { kind: "other", range: e.range };
        missing.add(absent);
        return [{ ...f, expr: absent }];
      }
      return f.scope.follow(item, f.file).flatMap((g) => stepInto({ ...g, origin: g.origin ?? f.origin }, rest));
    }
    case "traversal":
      return [{ ...f, expr: { ...e, path: [...e.path, ...steps] } }];
    case "splat":
      return [{ ...f, expr: { ...e, path: [...e.path, ...steps] } }];
    case "literal":
      // Stepping into null, a string or a number fails in Terraform.
      if (e.value === null || typeof e.value !== "object") {
        const absent: Expr = { kind: "other", range: e.range };
        missing.add(absent);
        return [{ ...f, expr: absent }];
      }
      return unknown();
    default:
      return unknown();
  }
}

/** A scope for a resolver used on its own: the module's blocks and values, no files read, no module calls followed. */
function bareScope(module: Module, resolver: Resolver): Scope {
  const index = new ModuleIndex(() => module.files.flatMap((file) => file.body.blocks.map((block) => ({ block, file }))));
  const scope: Scope = {
    module,
    resolve: (expr, file) => resolver.resolve(expr, file),
    follow: (expr, file) => resolver.follow(expr, file),
    readModuleFile: () => undefined,
    topBlocks: (type) => index.topBlocks(type),
    findTopBlock: (type, ...labels) => index.findTopBlock(type, labels),
    findLocal: (name) => index.findLocal(name),
    moduleCallsNotFollowed: () => [],
  };
  return scope;
}
