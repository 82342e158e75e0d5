// The reader's token cursor: peeking and reading tokens (newlines counted or not), errors as hclsyntax reports them, and recovery after an error.
import { rangeOf, type Comment, type Expr, type Range, type SyntaxError } from "../../model.ts";
import type { ReaderSource } from "./nodes.ts";
import {
  FIRST_ALWAYS_INVALID,
  Tokens,
  T_CBRACE,
  T_CBRACK,
  T_CHEREDOC,
  T_COMMENT,
  T_CPAREN,
  T_CQUOTE,
  T_EOF,
  T_INVALID,
  T_NEWLINE,
  T_OBRACE,
  T_OBRACK,
  T_OHEREDOC,
  T_OPAREN,
  T_OQUOTE,
  T_QUOTED_NEWLINE,
  T_TEMPLATE_CONTROL,
  T_TEMPLATE_INTERP,
  T_TEMPLATE_SEQ_END,
} from "./tokens.ts";
import { unescapeTemplateLiteral } from "./literals.ts";

/** The expression that stands for any value while only checking (nothing is built then). */
export const OTHER_PLACEHOLDER: Expr = { kind: "other", range: rangeOf([0], 0, 0) };

export abstract class ParserBase {
  protected readonly types: Uint8Array;
  protected readonly starts: Int32Array;
  protected readonly ends: Int32Array;
  protected readonly count: number;
  /** Index of the next token to read (the peeker's position). */
  protected next = 0;
  /** Whether newlines are tokens here (bodies, objects) or ignored (brackets, parentheses, templates). */
  protected newlines: boolean[] = [true];
  protected includeNewlines = true;
  // The last peek, so that peeking twice at one position skips comments once.
  protected peekedFrom = -1;
  protected peekedMode = false;
  protected peekedAt = 0;
  protected peekedType = 0;
  /** Range of the last token read. */
  protected prevStart = 0;
  protected prevEnd = 0;
  /** Set after an error, as hclsyntax does: later errors in the same region are not reported. */
  protected recovery = false;
  readonly errors: SyntaxError[] = [];
  /** Every error found, also past the 20 kept: "did this part fail" compares counts. */
  protected errorCount = 0;

  /** Where attribute values are read from when built. */
  protected readonly source: ReaderSource;

  constructor(
    protected readonly text: string,
    protected readonly lineStarts: number[],
    tokens: Tokens,
    /** Build expressions (an attribute's value being read) or only check them (a file being read). */
    protected readonly build: boolean,
    protected readonly path: string,
  ) {
    this.types = tokens.types;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.count = tokens.count;
    this.source = { text, lineStarts };
  }

  // ---- errors --------------------------------------------------------------------------------

  protected error(summary: string, detail: string, start: number, end: number): void {
    this.errorCount++;
    if (this.errors.length < 20)
      this.errors.push({ message: `${summary}: ${detail}`, range: rangeOf(this.lineStarts, start, Math.max(start, end)) });
  }

  /** Tokens that are an error wherever they appear (HashiCorp's lexer reports them before parsing). */
  checkTokens(): void {
    const types = this.types;
    for (let i = 0; i < this.count; i++) {
      const t = types[i];
      if (t < FIRST_ALWAYS_INVALID) continue;
      const start = this.starts[i];
      const end = this.ends[i];
      if (t === T_QUOTED_NEWLINE) {
        this.error(
          "Invalid multi-line string",
          'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
          start,
          end,
        );
      } else if (t === T_INVALID) {
        this.error("Invalid character", "This character is not used within the language.", start, end);
      } else this.error("Invalid character", "This character is not valid here.", start, end);
    }
  }

  comments(): Comment[] {
    const out: Comment[] = [];
    for (let i = 0; i < this.count; i++) {
      if (this.types[i] !== T_COMMENT) continue;
      const start = this.starts[i];
      let end = this.ends[i];
      // The token holds the line break that ends a line comment; the comment's text does not.
      if (this.text.charCodeAt(end - 1) === 0x0a) end--;
      if (this.text.charCodeAt(end - 1) === 0x0d && end - 1 > start) end--;
      out.push({ text: this.text.slice(start, end), range: rangeOf(this.lineStarts, start, end) });
    }
    return out;
  }

  protected range(start: number, end: number): Range {
    return rangeOf(this.lineStarts, start, end);
  }

  // ---- the peeker ----------------------------------------------------------------------------

  protected pushNewlines(include: boolean): void {
    this.newlines.push(include);
    this.includeNewlines = include;
  }

  protected popNewlines(): void {
    this.newlines.pop();
    this.includeNewlines = this.newlines[this.newlines.length - 1];
  }

  /**
   * The type of the next token: comments are skipped (a line comment stands for the newline that
   * ends it where newlines count), and so are newlines where they do not count.
   */
  protected peek(): number {
    if (this.peekedFrom === this.next && this.peekedMode === this.includeNewlines) return this.peekedType;
    const types = this.types;
    let i = this.next;
    let type = T_EOF;
    let at = this.count - 1;
    for (; i < this.count; i++) {
      const t = types[i];
      if (t === T_COMMENT) {
        if (this.includeNewlines && this.text.charCodeAt(this.ends[i] - 1) === 0x0a) {
          type = T_NEWLINE;
          at = i;
          break;
        }
        continue;
      }
      if (t === T_NEWLINE && !this.includeNewlines) continue;
      type = t;
      at = i;
      break;
    }
    this.peekedFrom = this.next;
    this.peekedMode = this.includeNewlines;
    this.peekedAt = at;
    this.peekedType = type;
    return type;
  }

  protected peekStart(): number {
    this.peek();
    return this.starts[this.peekedAt];
  }

  protected peekEnd(): number {
    this.peek();
    return this.ends[this.peekedAt];
  }

  protected read(): number {
    const type = this.peek();
    const at = this.peekedAt;
    this.prevStart = this.starts[at];
    this.prevEnd = this.ends[at];
    this.next = at + 1 < this.count ? at + 1 : this.count;
    return type;
  }

  // ---- recovery (as hclsyntax recovers, so that what follows an error parses as it does there) ----

  /** Skips to the token after `end`, counting nested brackets of its kind; returns the type found (end or EOF). */
  protected recover(end: number): number {
    const open = openerOf(end);
    this.recovery = true;
    let nest = 0;
    for (;;) {
      let t = this.read();
      if (end === T_TEMPLATE_SEQ_END && t === T_TEMPLATE_CONTROL) t = T_TEMPLATE_INTERP;
      if (t === open) nest++;
      else if (t === end) {
        if (nest < 1) return t;
        nest--;
      } else if (t === T_EOF) return t;
    }
  }

  /** Skips to the next bracketed region opened by `start` and past its end. */
  protected recoverOver(start: number): void {
    for (;;) {
      const t = this.read();
      if (t === start || t === T_EOF) break;
    }
    this.recover(closerOf(start));
  }

  /** Skips to the newline that ends the current body item, skipping bracketed regions whole. */
  protected recoverAfterBodyItem(): void {
    this.recovery = true;
    const open: number[] = [];
    for (;;) {
      const t = this.read();
      switch (t) {
        case T_NEWLINE:
          if (open.length === 0) return;
          break;
        case T_EOF:
          return;
        case T_OBRACE:
        case T_OBRACK:
        case T_OPAREN:
        case T_OQUOTE:
        case T_OHEREDOC:
        case T_TEMPLATE_INTERP:
        case T_TEMPLATE_CONTROL:
          open.push(t);
          break;
        case T_CBRACE:
        case T_CBRACK:
        case T_CPAREN:
        case T_CQUOTE:
        case T_CHEREDOC: {
          const opener = openerOf(t);
          while (open.length > 0 && open[open.length - 1] !== opener) open.pop();
          if (open.length > 0) open.pop();
          break;
        }
        case T_TEMPLATE_SEQ_END:
          while (open.length > 0 && open[open.length - 1] !== T_TEMPLATE_INTERP && open[open.length - 1] !== T_TEMPLATE_CONTROL) open.pop();
          if (open.length > 0) open.pop();
          break;
      }
    }
  }

  // ---- shared by every part ----------------------------------------------------------------

  protected where(range: Range): string {
    return `${this.path ? `${this.path}:` : ""}${range.start.line + 1},${range.start.character + 1}-${range.end.character + 1}`;
  }

  /** The value of a literal token, with escapes resolved; a malformed escape is an error. */
  protected literalText(start: number, end: number, quoted: boolean): string {
    const { value, problem } = unescapeTemplateLiteral(this.text, start, end, quoted);
    if (problem) this.error("Invalid escape sequence", problem.detail, problem.start, problem.end);
    return value;
  }

  protected other(start: number): Expr {
    return this.build ? { kind: "other", range: this.range(start, this.prevEnd) } : OTHER_PLACEHOLDER;
  }

  /** An expression, as the expression parser reads it; templates and collections hold expressions. */
  abstract parseExpression(): Expr;
}

function openerOf(close: number): number {
  switch (close) {
    case T_CBRACE:
      return T_OBRACE;
    case T_CBRACK:
      return T_OBRACK;
    case T_CPAREN:
      return T_OPAREN;
    case T_CQUOTE:
      return T_OQUOTE;
    case T_CHEREDOC:
      return T_OHEREDOC;
    case T_TEMPLATE_SEQ_END:
      return T_TEMPLATE_INTERP;
    default:
      return -1;
  }
}

function closerOf(open: number): number {
  switch (open) {
    case T_OBRACE:
      return T_CBRACE;
    case T_OBRACK:
      return T_CBRACK;
    case T_OPAREN:
      return T_CPAREN;
    case T_OQUOTE:
      return T_CQUOTE;
    case T_OHEREDOC:
      return T_CHEREDOC;
    default:
      return -1;
  }
}
