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

/** A body's items moved by `move`; with `drop`, what was built of them is left to be built again. */
function movedBody(body: ReaderBody, move: Move, drop = false): ReaderBody {
  const attributes = body.attributes.map((a) => a.moved(move, drop));
  const blocks = body.blocks.map((b) => b.moved(move, drop));
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

  /** The same attribute in the next version of its text, with what was built of it moved along (or, with `drop`, left to be built again). */
  moved(move: Move, drop = false): ReaderAttribute {
    const { delta, source, shift } = move;
    let { nameRangeValue, rangeValue, exprValue } = this;
    if (drop) nameRangeValue = rangeValue = exprValue = undefined;
    else if (shift) {
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

/**
 * A body moved into a later version of the text, built when first read: after an edit, most blocks'
 * bodies are read by no rule (their findings are kept, see rule-reuse.ts), and moving every item of
 * every block was most of the work of reading an edit. `shift` moves what was built of `body`'s
 * items; "drop" (a body moved again before it was read) builds them again from the text instead.
 */
interface PendingBody {
  body: ReaderBody;
  delta: number;
  source: ReaderSource;
  shift: Shift | undefined | "drop";
}

/** A block read from HCL native syntax; its ranges are built on first read, and its body too when it was moved. */
export class ReaderBlock implements Block {
  private bodyValue: ReaderBody | undefined;
  private pending: PendingBody | undefined;

  constructor(
    readonly type: string,
    readonly labels: string[],
    body: ReaderBody | PendingBody,
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
  ) {
    if ("attributes" in body) this.bodyValue = body;
    else this.pending = body;
  }

  get body(): ReaderBody {
    if (!this.bodyValue) {
      const { body, delta, source, shift } = this.pending!;
      this.bodyValue = movedBody(body, { delta, source, shift: shift === "drop" ? undefined : shift }, shift === "drop");
      this.pending = undefined;
    }
    return this.bodyValue;
  }

  /** The same block in the next version of its text (with `drop`, what was built of it is left to be built again); its body is moved when first read. */
  moved(move: Move, drop = false): ReaderBlock {
    const { delta, source, shift } = move;
    const pending: PendingBody =
      this.bodyValue && !drop
        ? { body: this.bodyValue, delta, source, shift }
        : this.bodyValue
          ? { body: this.bodyValue, delta, source, shift: "drop" }
          : { body: this.pending!.body, delta: this.pending!.delta + delta, source, shift: "drop" };
    let { headerRangeValue, rangeValue } = this;
    if (drop) headerRangeValue = rangeValue = undefined;
    else if (shift) {
      if (headerRangeValue) headerRangeValue = shiftRange(headerRangeValue, shift);
      if (rangeValue) rangeValue = shiftRange(rangeValue, shift);
    }
    return new ReaderBlock(
      this.type,
      this.labels,
      pending,
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
