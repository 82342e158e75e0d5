// The reader's attributes and blocks: offsets kept, ranges and values computed when first read (most never are).
import { rangeOf, type Attribute, type Block, type Expr, type Range } from "../../model.ts";
import { shiftExpr, shiftRange, type Shift } from "../reuse.ts";

/** The text an attribute's value is read from, and its line table. */
export interface ReaderSource {
  text: string;
  lineStarts: number[];
}

/** A body the reader read: its items can be moved into another version of the text. */
export interface ReaderBody {
  attributes: ReaderAttribute[];
  blocks: ReaderBlock[];
}

/**
 * Where a node read from one version of a text lies in the next: `delta` characters further, in
 * `source`. `shift` moves ranges and values already built (undefined when nothing moved).
 */
export interface Move {
  delta: number;
  source: ReaderSource;
  shift: Shift | undefined;
}

function movedBody(body: ReaderBody, move: Move): ReaderBody {
  const attributes = body.attributes.map((a) => a.moved(move));
  const blocks = body.blocks.map((b) => b.moved(move));
  return { attributes, blocks };
}

/**
 * An attribute read from HCL native syntax. Rules read few values and fewer ranges, and building
 * them for every attribute was most of the allocation of a parse (measured), so each is built on
 * first read and kept.
 */
export class ReaderAttribute implements Attribute {
  constructor(
    readonly name: string,
    private readonly source: ReaderSource,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    private readonly end: number,
    private readonly exprStart: number,
    private readonly exprEnd: number,
    /** Builds the value (undefined: the value had a syntax error and is `other`). */
    private readonly build: ((source: ReaderSource, start: number, end: number) => Expr) | undefined,
    private nameRangeValue?: Range,
    private rangeValue?: Range,
    private exprValue?: Expr,
  ) {}

  /** Where the attribute starts. */
  get startOffset(): number {
    return this.nameStart;
  }

  /** The same attribute in the next version of its text, with what was built of it moved along. */
  moved(move: Move): ReaderAttribute {
    const { delta, source, shift } = move;
    let { nameRangeValue, rangeValue, exprValue } = this;
    if (shift) {
      if (nameRangeValue) nameRangeValue = shiftRange(nameRangeValue, shift);
      if (rangeValue) rangeValue = shiftRange(rangeValue, shift);
      if (exprValue) exprValue = shiftExpr(exprValue, shift);
    }
    return new ReaderAttribute(
      this.name,
      source,
      this.nameStart + delta,
      this.nameEnd + delta,
      this.end + delta,
      this.exprStart + delta,
      this.exprEnd + delta,
      this.build,
      nameRangeValue,
      rangeValue,
      exprValue,
    );
  }

  get nameRange(): Range {
    return (this.nameRangeValue ??= rangeOf(this.source.lineStarts, this.nameStart, this.nameEnd));
  }

  get range(): Range {
    return (this.rangeValue ??= rangeOf(this.source.lineStarts, this.nameStart, this.end));
  }

  get expr(): Expr {
    if (!this.exprValue) {
      this.exprValue = this.build
        ? this.build(this.source, this.exprStart, this.exprEnd)
        : { kind: "other", range: rangeOf(this.source.lineStarts, this.exprStart, Math.max(this.exprStart, this.exprEnd)) };
    }
    return this.exprValue;
  }
}

/** A block read from HCL native syntax; its ranges are built on first read. */
export class ReaderBlock implements Block {
  constructor(
    readonly type: string,
    readonly labels: string[],
    readonly body: ReaderBody,
    private readonly lineStarts: number[],
    /** Where the block starts (its type). */
    readonly startOffset: number,
    private readonly headerEnd: number,
    /** Where the block ends (after its closing brace, when it has one). */
    readonly endOffset: number,
    readonly openBraceEnd: number | undefined,
    readonly closeBraceStart: number | undefined,
    private headerRangeValue?: Range,
    private rangeValue?: Range,
  ) {}

  /** The same block in the next version of its text, with what was built of it moved along. */
  moved(move: Move): ReaderBlock {
    const { delta, source, shift } = move;
    let { headerRangeValue, rangeValue } = this;
    if (shift) {
      if (headerRangeValue) headerRangeValue = shiftRange(headerRangeValue, shift);
      if (rangeValue) rangeValue = shiftRange(rangeValue, shift);
    }
    return new ReaderBlock(
      this.type,
      this.labels,
      movedBody(this.body, move),
      source.lineStarts,
      this.startOffset + delta,
      this.headerEnd + delta,
      this.endOffset + delta,
      this.openBraceEnd === undefined ? undefined : this.openBraceEnd + delta,
      this.closeBraceStart === undefined ? undefined : this.closeBraceStart + delta,
      headerRangeValue,
      rangeValue,
    );
  }

  get headerRange(): Range {
    return (this.headerRangeValue ??= rangeOf(this.lineStarts, this.startOffset, this.headerEnd));
  }

  get range(): Range {
    return (this.rangeValue ??= rangeOf(this.lineStarts, this.startOffset, this.endOffset));
  }
}
