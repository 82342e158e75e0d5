// Resolves expressions to literal values through variables (defaults, tfvars), locals and literal-only templates.
import path from "node:path";
import { attr, blocksOf, literalValue, type Attribute, type Expr, type SourceFile, type Value } from "./model.ts";
import type { Module, Origin, Resolved } from "./types.ts";

interface Definition {
  /** The attribute holding the value: its (lazily converted) expression is read only when resolved. */
  attribute: Attribute;
  file: SourceFile;
  description: string;
}

/** Index of one module's variables and locals, built once per lint. */
export class Resolver {
  private readonly defaults = new Map<string, Definition>();
  private readonly varValues = new Map<string, Definition>();
  private readonly locals = new Map<string, Definition>();
  private readonly active = new Set<string>();

  constructor(module: Module) {
    for (const file of module.files) {
      for (const v of blocksOf(file.body, "variable")) {
        const def = attr(v.body, "default");
        const name = v.labels[0];
        if (name !== undefined && def) this.defaults.set(name, { attribute: def, file, description: `default of variable "${name}"` });
      }
      // Packer also declares variables with defaults in `variables { name = default }` blocks (HCL2 only).
      if (module.kind === "packer") {
        for (const vs of blocksOf(file.body, "variables")) {
          for (const a of vs.body.attributes) this.defaults.set(a.name, { attribute: a, file, description: `default of variable "${a.name}"` });
        }
      }
      for (const l of blocksOf(file.body, "locals")) {
        for (const a of l.body.attributes) this.locals.set(a.name, { attribute: a, file, description: `local "${a.name}"` });
      }
    }
    // Variable files are handed over already in the order in which they apply: later ones win.
    for (const file of module.varFiles) {
      for (const a of file.body.attributes) {
        this.varValues.set(a.name, { attribute: a, file, description: `${path.basename(file.path)} (${a.name})` });
      }
      // In .tfvars.json files the whole top-level object is the variable map.
    }
  }

  /** The literal value of `expr` and, when the value was written elsewhere, where. */
  resolve(expr: Expr, _file: SourceFile): Resolved | undefined {
    return this.resolveExpr(expr);
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
          if (!r || (typeof r.value === "object" && r.value !== null)) return undefined;
          out += r.value === null ? "" : String(r.value);
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
        const literal = literalValue(expr);
        return literal === undefined ? undefined : { value: literal };
      }
      case "traversal":
        return this.resolveTraversal(expr.root, expr.path);
      default:
        return undefined;
    }
  }

  private resolveTraversal(root: string, rest: Array<string | number>): Resolved | undefined {
    let def: Definition | undefined;
    let key: string | undefined;
    if (root === "var" && typeof rest[0] === "string") {
      key = `var.${rest[0]}`;
      def = this.varValues.get(rest[0]) ?? this.defaults.get(rest[0]);
    } else if (root === "local" && typeof rest[0] === "string") {
      key = `local.${rest[0]}`;
      def = this.locals.get(rest[0]);
    }
    if (!def || !key || this.active.has(key)) return undefined; // Unknown, or a reference cycle.
    this.active.add(key);
    try {
      const inner = this.resolveExpr(def.attribute.expr);
      if (!inner) return undefined;
      let value: Value | undefined = inner.value;
      for (const step of rest.slice(1)) {
        if (value === null || typeof value !== "object") return undefined;
        value = Array.isArray(value) ? value[Number(step)] : (value as Record<string, Value>)[String(step)];
        if (value === undefined) return undefined;
      }
      // The deepest origin is where the literal is written; report that one.
      const origin: Origin = inner.origin ?? { path: def.file.path, range: def.attribute.expr.range, description: def.description };
      return { value, origin };
    } finally {
      this.active.delete(key);
    }
  }
}
