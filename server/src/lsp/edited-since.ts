// How a document changed since a lint read it, as one edited span: positions and ranges of the lint's result are carried across it.
import { computeLineStarts, diffTexts, positionAt, type Range as EngineRange } from "../engine/index.ts";

export interface Position {
  line: number;
  character: number;
}

/**
 * The span in which two texts differ (what a burst of edits changed, found by comparing the texts
 * once): what lies before it is where it was, what lies after it moved by the length difference, and
 * nothing is known inside it until the next lint.
 */
export class EditedSince {
  private readonly start: number;
  private readonly oldEnd: number;
  private readonly newEnd: number;
  private lineStarts: number[] | undefined;

  constructor(
    linted: string,
    private readonly current: string,
  ) {
    ({ start: this.start, oldEnd: this.oldEnd, newEnd: this.newEnd } = diffTexts(linted, current));
  }

  /** Whether the document is exactly what was linted. */
  get unchanged(): boolean {
    return this.start === this.oldEnd && this.start === this.newEnd;
  }

  /** The offset in the linted text of a position in the current text, or undefined inside the edited span. */
  lintedOffset(position: Position): number | undefined {
    const starts = this.currentLineStarts();
    const line = Math.min(Math.max(position.line, 0), starts.length - 1);
    const lineEnd = line + 1 < starts.length ? starts[line + 1] : this.current.length;
    const offset = Math.min(starts[line] + Math.max(position.character, 0), lineEnd);
    if (offset <= this.start) return offset;
    if (offset >= this.newEnd) return offset - this.newEnd + this.oldEnd;
    return undefined;
  }

  /** A range of the linted text as it stands in the current text, or undefined when it reaches into the edited span. */
  currentRange(range: EngineRange): { start: Position; end: Position } | undefined {
    if (this.unchanged) return { start: range.start, end: range.end };
    let shift: number;
    if (range.endOffset <= this.start) shift = 0;
    else if (range.startOffset >= this.oldEnd) shift = this.newEnd - this.oldEnd;
    else return undefined;
    const starts = this.currentLineStarts();
    return { start: positionAt(starts, range.startOffset + shift), end: positionAt(starts, range.endOffset + shift) };
  }

  private currentLineStarts(): number[] {
    return (this.lineStarts ??= computeLineStarts(this.current));
  }
}
