// Re-parse support for editors: lazily converted attributes that can be moved, and copies of converted blocks at new offsets.
import type { Tree } from "web-tree-sitter";
import { mapExprRanges, rangeOf, type Attribute, type Block, type Body, type Expr, type Range } from "../model.ts";

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

  /** The same attribute moved by `shift` into a new text, keeping an already converted value. */
  moved(shift: Shift, source: FileSource): LazyAttribute {
    return new LazyAttribute(
      this.name,
      shiftRange(this.nameRange, shift),
      shiftRange(this.range, shift),
      source,
      this.exprStart + shift.delta,
      this.exprEnd + shift.delta,
      this.convert,
      this.converted && shiftExpr(this.converted, shift),
    );
  }
}

/**
 * How text moved between two versions: by `delta` characters and `lineDelta` lines. A range that
 * starts on a line after `afterLine` (in the old text) lies wholly after the change, so its columns
 * are unchanged and its lines move by `lineDelta`; others are located again in `lineStarts`.
 */
export interface Shift {
  delta: number;
  lineDelta: number;
  afterLine: number;
  lineStarts: number[];
}

export function shiftRange(r: Range, s: Shift): Range {
  if (r.start.line > s.afterLine) {
    if (s.delta === 0 && s.lineDelta === 0) return r;
    // Typing within a line moves offsets only: the positions (never mutated) are shared.
    if (s.lineDelta === 0) return { start: r.start, end: r.end, startOffset: r.startOffset + s.delta, endOffset: r.endOffset + s.delta };
    return {
      start: { line: r.start.line + s.lineDelta, character: r.start.character },
      end: { line: r.end.line + s.lineDelta, character: r.end.character },
      startOffset: r.startOffset + s.delta,
      endOffset: r.endOffset + s.delta,
    };
  }
  return rangeOf(s.lineStarts, r.startOffset + s.delta, r.endOffset + s.delta);
}

/** A copy of a converted expression moved by `shift`. */
export function shiftExpr(e: Expr, s: Shift): Expr {
  return mapExprRanges(e, (r) => shiftRange(r, s));
}

function shiftBody(body: Body, shift: Shift, source: FileSource): Body {
  return {
    attributes: body.attributes.map((a) =>
      a instanceof LazyAttribute
        ? a.moved(shift, source)
        : { ...a, nameRange: shiftRange(a.nameRange, shift), range: shiftRange(a.range, shift), expr: shiftExpr(a.expr, shift) },
    ),
    blocks: body.blocks.map((b) => shiftBlock(b, shift, source)),
  };
}

/** A copy of a converted block moved by `shift` into a new text. */
export function shiftBlock(block: Block, shift: Shift, source: FileSource): Block {
  return {
    type: block.type,
    labels: block.labels,
    headerRange: shiftRange(block.headerRange, shift),
    range: shiftRange(block.range, shift),
    body: shiftBody(block.body, shift, source),
    openBraceEnd: block.openBraceEnd === undefined ? undefined : block.openBraceEnd + shift.delta,
    closeBraceStart: block.closeBraceStart === undefined ? undefined : block.closeBraceStart + shift.delta,
    ...(block.jsonPath && { jsonPath: block.jsonPath }),
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
  // Whole chunks are compared natively first (a character loop over a large file cost about a
  // millisecond per edit, profiled), then the last chunk character by character.
  const CHUNK = 1024;
  let start = 0;
  while (start + CHUNK <= max && oldText.slice(start, start + CHUNK) === newText.slice(start, start + CHUNK)) start += CHUNK;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let suffix = 0;
  const room = max - start;
  while (
    suffix + CHUNK <= room &&
    oldText.slice(oldText.length - suffix - CHUNK, oldText.length - suffix) ===
      newText.slice(newText.length - suffix - CHUNK, newText.length - suffix)
  )
    suffix += CHUNK;
  while (suffix < room && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  return { start, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}
