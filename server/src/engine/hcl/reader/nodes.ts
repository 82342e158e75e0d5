// The reader's attributes and blocks: offsets kept, ranges and values computed when first read (most never are).
import { rangeOf, type Attribute, type Block, type Body, type Expr, type Range } from "../../model.ts";

/** The text an attribute's value is read from, and its line table. */
export interface ReaderSource {
  text: string;
  lineStarts: number[];
}

/**
 * An attribute read from HCL native syntax. Rules read few values and fewer ranges, and building
 * them for every attribute was most of the allocation of a parse (measured), so each is built on
 * first read and kept.
 */
export class ReaderAttribute implements Attribute {
  private nameRangeValue: Range | undefined;
  private rangeValue: Range | undefined;
  private exprValue: Expr | undefined;

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
  ) {}

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
  private headerRangeValue: Range | undefined;
  private rangeValue: Range | undefined;

  constructor(
    readonly type: string,
    readonly labels: string[],
    readonly body: Body,
    private readonly lineStarts: number[],
    private readonly start: number,
    private readonly headerEnd: number,
    private readonly end: number,
    readonly openBraceEnd: number | undefined,
    readonly closeBraceStart: number | undefined,
  ) {}

  get headerRange(): Range {
    return (this.headerRangeValue ??= rangeOf(this.lineStarts, this.start, this.headerEnd));
  }

  get range(): Range {
    return (this.rangeValue ??= rangeOf(this.lineStarts, this.start, this.end));
  }
}
