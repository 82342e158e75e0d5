// Re-parse support for editors: lazily converted attributes that can be moved, and copies of converted blocks at new offsets.
import type { Tree } from "web-tree-sitter";
import { rangeOf, type Attribute, type Block, type Body, type Expr, type Range } from "../model.ts";

/** The text an attribute's value is read from; replaced, never mutated, when the file changes. */
export interface FileSource {
  text: string;
  lineStarts: number[];
  /**
   * The file's tree-sitter tree while its owner keeps it alive: a value read then is converted from
   * the tree's nodes; after `release()` it is converted by parsing the value's text alone.
   */
  live?: LiveTree;
}

/** A tree shared by the lazily converted values of one file, and whether it has been deleted. */
export class LiveTree {
  constructor(private current: Tree | undefined) {}

  get tree(): Tree | undefined {
    return this.current;
  }

  /** Deletes the tree (WASM memory); values read afterwards fall back to re-parsing their text. */
  release(): void {
    this.current?.delete();
    this.current = undefined;
  }
}

/**
 * An attribute whose value is converted the first time `expr` is read. Rules read few values and
 * converting every expression cost as much as parsing (profiled), so this is the default in HCL files.
 */
export class LazyAttribute implements Attribute {
  private converted: Expr | undefined;

  constructor(
    readonly name: string,
    readonly nameRange: Range,
    readonly range: Range,
    readonly source: FileSource,
    readonly exprStart: number,
    readonly exprEnd: number,
    private readonly convert: (source: FileSource, start: number, end: number) => Expr,
    converted?: Expr,
  ) {
    this.converted = converted;
  }

  get expr(): Expr {
    this.converted ??= this.convert(this.source, this.exprStart, this.exprEnd);
    return this.converted;
  }

  /** The same attribute `delta` characters later in a new text, keeping an already converted value. */
  moved(delta: number, source: FileSource): LazyAttribute {
    const shift = (r: Range) => shiftRange(r, delta, source.lineStarts);
    return new LazyAttribute(
      this.name,
      shift(this.nameRange),
      shift(this.range),
      source,
      this.exprStart + delta,
      this.exprEnd + delta,
      this.convert,
      this.converted && shiftExpr(this.converted, delta, source.lineStarts),
    );
  }
}

export function shiftRange(r: Range, delta: number, lineStarts: number[]): Range {
  return rangeOf(lineStarts, r.startOffset + delta, r.endOffset + delta);
}

/** A copy of a converted expression `delta` characters later. */
export function shiftExpr(e: Expr, delta: number, lineStarts: number[]): Expr {
  const range = shiftRange(e.range, delta, lineStarts);
  switch (e.kind) {
    case "template":
      return { ...e, range, parts: e.parts.map((p) => (typeof p === "string" ? p : shiftExpr(p, delta, lineStarts))) };
    case "call":
      return { ...e, range, args: e.args.map((a) => shiftExpr(a, delta, lineStarts)) };
    case "tuple":
      return { ...e, range, items: e.items.map((i) => shiftExpr(i, delta, lineStarts)) };
    case "object":
      return {
        ...e,
        range,
        entries: e.entries.map((en) => ({ key: en.key, keyRange: shiftRange(en.keyRange, delta, lineStarts), value: shiftExpr(en.value, delta, lineStarts) })),
      };
    default:
      return { ...e, range };
  }
}

function shiftBody(body: Body, delta: number, source: FileSource): Body {
  return {
    attributes: body.attributes.map((a) => (a instanceof LazyAttribute ? a.moved(delta, source) : { ...a, nameRange: shiftRange(a.nameRange, delta, source.lineStarts), range: shiftRange(a.range, delta, source.lineStarts), expr: shiftExpr(a.expr, delta, source.lineStarts) })),
    blocks: body.blocks.map((b) => shiftBlock(b, delta, source)),
  };
}

/** A copy of a converted block `delta` characters later in a new text (delta may be 0 for a new line table). */
export function shiftBlock(block: Block, delta: number, source: FileSource): Block {
  return {
    type: block.type,
    labels: block.labels,
    headerRange: shiftRange(block.headerRange, delta, source.lineStarts),
    range: shiftRange(block.range, delta, source.lineStarts),
    body: shiftBody(block.body, delta, source),
    openBraceEnd: block.openBraceEnd === undefined ? undefined : block.openBraceEnd + delta,
    closeBraceStart: block.closeBraceStart === undefined ? undefined : block.closeBraceStart + delta,
  };
}

/** One contiguous change between two texts: the common prefix and suffix are left out. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

export function diffTexts(oldText: string, newText: string): TextChange {
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  return { start, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}
