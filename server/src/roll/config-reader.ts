// Reads typed values out of one `generation` block, collecting each problem with the file, line, block and attribute it is about.
import fs from "node:fs";
import path from "node:path";
import { errorAt, type ConfigError } from "../engine/config.ts";
import { attr, literalValue, type Attribute, type Block, type Body, type Range, type SourceFile, type Value } from "../engine/model.ts";
import { parseDuration } from "./validate.ts";

export { CONFIG_FILE_NAME, isInside } from "../engine/workspace.ts";
import { CONFIG_FILE_NAME, isInside } from "../engine/workspace.ts";

/** How a value is named in a message: `string "x"`, `a list`, `an object`. */
export function describeValue(v: Value): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * One block's attributes as typed values. Every reader reports its own problems (prefixed with the
 * block, and the attribute or nested block) and returns undefined for a value it refused, so that one
 * pass reports every mistake in the block.
 */
export class BlockReader {
  constructor(
    readonly file: SourceFile,
    /** The folder of `.immutably.hcl`: relative paths resolve against it and may not leave it. */
    readonly dir: string,
    readonly block: Block,
    /** `generation "web"`, or `generation "web", block "verify"` for a nested block. */
    readonly where: string,
    private readonly errors: ConfigError[],
  ) {}

  /** A reader for a block nested in this one (`verify`), reporting into the same list. */
  nested(block: Block, label: string): BlockReader {
    return new BlockReader(this.file, this.dir, block, `${this.where}, ${label}`, this.errors);
  }

  get body(): Body {
    return this.block.body;
  }

  attribute(name: string): Attribute | undefined {
    return attr(this.body, name);
  }

  /** A problem with the block as a whole (a missing attribute), reported at its header. */
  blockError(message: string, range: Range = this.block.headerRange): undefined {
    this.errors.push(errorAt(this.file, range, `${this.where}: ${message}`));
    return undefined;
  }

  /** A problem with one attribute or nested block, reported at its name. */
  fail(a: Attribute | Block, message: string): undefined {
    const range = "nameRange" in a ? a.nameRange : a.headerRange;
    const label = "nameRange" in a ? `attribute "${a.name}"` : `block "${a.type}"`;
    this.errors.push(errorAt(this.file, range, `${this.where}, ${label}: ${message}`));
    return undefined;
  }

  /** The literal value of an attribute; references, functions and interpolation are refused. */
  literal(a: Attribute): Value | undefined {
    const v = literalValue(a.expr);
    if (v === undefined) this.fail(a, "expected a literal value (no references, functions or interpolation)");
    return v;
  }

  /** A non-empty string attribute, or undefined when it is absent or refused. */
  string(name: string, expected = "a string"): string | undefined {
    const a = this.attribute(name);
    if (!a) return undefined;
    const v = this.literal(a);
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v === "") return this.fail(a, `expected ${expected}, got ${describeValue(v)}`);
    return v;
  }

  /** A string attribute that must be one of `choices`. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T, expected = `one of ${choices.join(" | ")}`): T {
    const text = this.string(name);
    const a = this.attribute(name);
    if (text === undefined || !a) return fallback;
    if ((choices as readonly string[]).includes(text)) return text as T;
    this.fail(a, `expected ${expected}, got ${JSON.stringify(text)}`);
    return fallback;
  }

  /**
   * A path relative to the config's folder. It may not leave that folder, even through a symbolic link:
   * a cloned repository must not be able to point the roll at files elsewhere on the machine.
   */
  insidePath(name: string, mustExist: boolean): string | undefined {
    const a = this.attribute(name);
    const v = this.string(name, "a path relative to the config file");
    if (v === undefined || !a) return undefined;
    if (v.includes("\0")) return this.fail(a, "expected a path without NUL characters");
    const resolved = path.resolve(this.dir, v);
    if (!isInside(this.dir, resolved))
      return this.fail(
        a,
        `the path ${JSON.stringify(v)} leaves the folder of ${CONFIG_FILE_NAME} (${this.dir}); expected a path inside it`,
      );
    if (fs.existsSync(resolved)) {
      const real = fs.realpathSync(resolved);
      if (!isInside(fs.realpathSync(this.dir), real))
        return this.fail(
          a,
          `the path ${JSON.stringify(v)} resolves through a symbolic link to ${real}, outside ${this.dir}; expected a path inside it`,
        );
    } else if (mustExist) {
      return this.fail(a, `the path ${JSON.stringify(v)} does not exist (resolved to ${resolved})`);
    }
    return resolved;
  }

  /** A duration such as "30s", "5m" or "1h"; `fallbackMs` when absent or refused. */
  duration(name: string, fallbackMs: number, expected = 'a duration such as "30s", "5m" or "1h"'): number {
    const a = this.attribute(name);
    const text = this.string(name, expected);
    if (text === undefined || !a) return fallbackMs;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      this.fail(a, `expected ${expected}, got ${JSON.stringify(text)}`);
      return fallbackMs;
    }
    return ms;
  }

  /** An object attribute's entries, or undefined when absent or not an object. */
  object(name: string, example: string): Array<[string, Value]> | undefined {
    const a = this.attribute(name);
    if (!a) return undefined;
    const v = this.literal(a);
    if (v === undefined) return undefined;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return this.fail(a, `expected ${example}, got ${describeValue(v)}`);
    return Object.entries(v);
  }

  /** Reports every attribute not in `known` and every nested block not in `blocks`. */
  refuseUnknown(known: readonly string[], blocks: readonly string[], hint: string): void {
    for (const a of this.body.attributes) if (!known.includes(a.name)) this.fail(a, `unknown attribute; expected ${hint}`);
    for (const b of this.body.blocks)
      if (!blocks.includes(b.type))
        this.fail(b, blocks.length ? `unknown block; expected only a ${blocks.join(" or ")} block` : "unknown block");
  }
}
