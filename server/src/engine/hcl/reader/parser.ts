// Parses HCL native syntax tokens into the engine's model, making the decisions HashiCorp's hclsyntax parser makes (and so its accept/reject verdict).
import { rangeOf, type Attribute, type Body, type Comment, type Expr, type ObjectEntry, type Range, type SyntaxError } from "../../model.ts";
import { ReaderAttribute, ReaderBlock, type ReaderSource } from "./nodes.ts";
import {
  FIRST_ALWAYS_INVALID,
  T_AND,
  T_BANG,
  T_CBRACE,
  T_CBRACK,
  T_CHEREDOC,
  T_COLON,
  T_COMMA,
  T_COMMENT,
  T_CPAREN,
  T_CQUOTE,
  T_DOT,
  T_DOUBLE_COLON,
  T_ELLIPSIS,
  T_EOF,
  T_EQUAL,
  T_EQUAL_OP,
  T_FAT_ARROW,
  T_GREATER,
  T_GREATER_EQ,
  T_IDENT,
  T_INVALID,
  T_LESS,
  T_LESS_EQ,
  T_MINUS,
  T_NEWLINE,
  T_NOT_EQUAL,
  T_NUMBER,
  T_OBRACE,
  T_OBRACK,
  T_OHEREDOC,
  T_OPAREN,
  T_OQUOTE,
  T_OR,
  T_PERCENT,
  T_PLUS,
  T_QUESTION,
  T_QUOTED_LIT,
  T_QUOTED_NEWLINE,
  T_SLASH,
  T_STAR,
  T_STRING_LIT,
  T_TEMPLATE_CONTROL,
  T_TEMPLATE_INTERP,
  T_TEMPLATE_SEQ_END,
  Tokens,
  isGoSpace,
  scan,
} from "./scanner.ts";
import {
  flushHeredocLines,
  TT_ELSE,
  TT_END,
  TT_ENDFOR,
  TT_ENDIF,
  TT_FOR,
  TT_IF,
  TT_INTERP,
  TT_LITERAL,
  unescapeTemplateLiteral,
  validNumberLiteral,
  type TemplateToken,
} from "./literals.ts";

/**
 * The precedence level of each binary operator token (0: none), loosest first, as the spec's table
 * orders them: `||`, `&&`, `== !=`, `> >= < <=`, `+ -`, `* / %`. Operators of one level are
 * left-associative.
 */
const BINARY_LEVEL = new Uint8Array(64);
[[T_OR], [T_AND], [T_EQUAL_OP, T_NOT_EQUAL], [T_GREATER, T_GREATER_EQ, T_LESS, T_LESS_EQ], [T_PLUS, T_MINUS], [T_STAR, T_SLASH, T_PERCENT]].forEach((ops, i) => {
  for (const t of ops) BINARY_LEVEL[t] = i + 1;
});

// eslint-disable-next-line no-control-regex -- every code point below 0x80 is ASCII, NUL included.
const NON_ASCII = /[^\x00-\x7f]/;

const EMPTY_BODY = (): Body => ({ attributes: [], blocks: [] });

/** Tokens shared by every parse (scanning and parsing are synchronous); a nested parse gets its own. */
let sharedTokens: Tokens | undefined;
let sharedInUse = false;

/** The result of reading a whole file. */
export interface ReadFile {
  body: Body;
  comments: Comment[];
  errors: SyntaxError[];
}

/**
 * Reads a whole file (a configuration body) from `start` (past a byte order mark). `lineStarts`
 * give the positions of offsets; `path` names the file in messages that cite another position.
 */
export function readBody(text: string, lineStarts: number[], path: string, start: number): ReadFile {
  const tokens = takeTokens();
  try {
    scan(text, tokens, start);
    const parser = new Parser(text, lineStarts, tokens, false, path);
    parser.checkTokens();
    const body = parser.parseBody(T_EOF);
    const comments = text.includes("immutably-ignore") ? parser.comments() : [];
    return { body, comments, errors: parser.errors };
  } finally {
    releaseTokens(tokens);
  }
}

/**
 * Builds the expression at [start, end) of a file, an attribute's value that `readBody` has read
 * (and found valid): it is scanned and parsed again on its own, as an expression is context-free.
 */
export function readExpression(source: ReaderSource, start: number, end: number): Expr {
  const tokens = takeTokens();
  try {
    scan(source.text, tokens, start, source.text.length, end);
    const parser = new Parser(source.text, source.lineStarts, tokens, true, "");
    return parser.parseExpression();
  } catch (error) {
    // A value nested deeper than the stack allows is read as an opaque expression.
    if (!(error instanceof RangeError)) throw error;
    return { kind: "other", range: rangeOf(source.lineStarts, start, end) };
  } finally {
    releaseTokens(tokens);
  }
}

/** The shared token arrays (grown as files need; a cold run reading one small file allocates little). */
function takeTokens(): Tokens {
  if (sharedInUse) return new Tokens();
  sharedInUse = true;
  sharedTokens ??= new Tokens(256);
  return sharedTokens;
}

function releaseTokens(tokens: Tokens): void {
  if (tokens === sharedTokens) sharedInUse = false;
}

const OTHER_PLACEHOLDER: Expr = { kind: "other", range: rangeOf([0], 0, 0) };

class Parser {
  private readonly types: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly count: number;
  /** Index of the next token to read (the peeker's position). */
  private next = 0;
  /** Whether newlines are tokens here (bodies, objects) or ignored (brackets, parentheses, templates). */
  private newlines: boolean[] = [true];
  private includeNewlines = true;
  // The last peek, so that peeking twice at one position skips comments once.
  private peekedFrom = -1;
  private peekedMode = false;
  private peekedAt = 0;
  private peekedType = 0;
  /** Range of the last token read. */
  private prevStart = 0;
  private prevEnd = 0;
  /** Set after an error, as hclsyntax does: later errors in the same region are not reported. */
  private recovery = false;
  readonly errors: SyntaxError[] = [];
  /** Every error found, also past the 20 kept: "did this part fail" compares counts. */
  private errorCount = 0;
  /** Whether the term just parsed was parenthesised or had traversal steps (it then is no plain literal). */
  private termParenthesised = false;
  /** The last `-<number>` folded into a literal: a negative number is an operation in HCL, not an index key. */
  private foldedNegative: Expr | undefined;

  /** Where attribute values are read from when built. */
  private readonly source: ReaderSource;

  constructor(
    private readonly text: string,
    private readonly lineStarts: number[],
    tokens: Tokens,
    /** Build expressions (an attribute's value being read) or only check them (a file being read). */
    private readonly build: boolean,
    private readonly path: string,
  ) {
    this.types = tokens.types;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.count = tokens.count;
    this.source = { text, lineStarts };
  }

  // ---- errors --------------------------------------------------------------------------------

  private error(summary: string, detail: string, start: number, end: number): void {
    this.errorCount++;
    if (this.errors.length < 20) this.errors.push({ message: `${summary}: ${detail}`, range: rangeOf(this.lineStarts, start, Math.max(start, end)) });
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

  private range(start: number, end: number): Range {
    return rangeOf(this.lineStarts, start, end);
  }

  // ---- the peeker ----------------------------------------------------------------------------

  private pushNewlines(include: boolean): void {
    this.newlines.push(include);
    this.includeNewlines = include;
  }

  private popNewlines(): void {
    this.newlines.pop();
    this.includeNewlines = this.newlines[this.newlines.length - 1];
  }

  /**
   * The type of the next token: comments are skipped (a line comment stands for the newline that
   * ends it where newlines count), and so are newlines where they do not count.
   */
  private peek(): number {
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

  private peekStart(): number {
    this.peek();
    return this.starts[this.peekedAt];
  }

  private peekEnd(): number {
    this.peek();
    return this.ends[this.peekedAt];
  }

  private read(): number {
    const type = this.peek();
    const at = this.peekedAt;
    this.prevStart = this.starts[at];
    this.prevEnd = this.ends[at];
    this.next = at + 1 < this.count ? at + 1 : this.count;
    return type;
  }

  // ---- recovery (as hclsyntax recovers, so that what follows an error parses as it does there) ----

  /** Skips to the token after `end`, counting nested brackets of its kind; returns the type found (end or EOF). */
  private recover(end: number): number {
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
  private recoverOver(start: number): void {
    for (;;) {
      const t = this.read();
      if (t === start || t === T_EOF) break;
    }
    this.recover(closerOf(start));
  }

  /** Skips to the newline that ends the current body item, skipping bracketed regions whole. */
  private recoverAfterBodyItem(): void {
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

  // ---- structure -----------------------------------------------------------------------------

  /** A body up to `end` (a closing brace, or the end of the file). */
  parseBody(end: number): Body {
    const body = EMPTY_BODY();
    // Bodies are small: names are looked up in the list until one holds enough to warrant a map.
    let names: Map<string, Attribute> | undefined;
    for (;;) {
      const t = this.peek();
      if (t === end) {
        this.read();
        break;
      }
      if (t === T_NEWLINE) {
        this.read();
        continue;
      }
      if (t === T_IDENT) {
        const item = this.parseBodyItem();
        if (!item) continue;
        if (item instanceof ReaderBlock) {
          body.blocks.push(item);
          continue;
        }
        const attributes = body.attributes;
        let first: Attribute | undefined;
        if (names) first = names.get(item.name);
        else for (let i = 0; i < attributes.length && !first; i++) if (attributes[i].name === item.name) first = attributes[i];
        if (first) {
          this.error(
            "Attribute redefined",
            `The argument "${item.name}" was already set at ${this.where(first.nameRange)}. Each argument may be set only once.`,
            item.nameRange.startOffset,
            item.nameRange.endOffset,
          );
        } else if (names) names.set(item.name, item);
        attributes.push(item);
        if (!names && attributes.length === 16) names = new Map([...attributes].reverse().map((a) => [a.name, a]));
        continue;
      }
      const start = this.peekStart();
      const badEnd = this.peekEnd();
      this.read();
      if (!this.recovery) {
        if (t === T_OQUOTE) this.error("Invalid argument name", "Argument names must not be quoted.", start, badEnd);
        else if (t === T_EOF) {
          this.error(
            "Unclosed configuration block",
            "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
            start,
            badEnd,
          );
        } else this.error("Argument or block definition required", "An argument or block definition is required here.", start, badEnd);
      }
      if (t === T_EOF) break;
      // hclsyntax skips the rest of the body here. The verdict is already an error; skipping only
      // this line keeps the items after it for the rules (what an editor shows while one types).
      this.recoverAfterBodyItem();
    }
    return body;
  }

  private where(range: Range): string {
    return `${this.path ? `${this.path}:` : ""}${range.start.line + 1},${range.start.character + 1}-${range.end.character + 1}`;
  }

  /** An attribute or a block, starting at its name; undefined after an error that left nothing to keep. */
  private parseBodyItem(): ReaderAttribute | ReaderBlock | undefined {
    this.read();
    const nameStart = this.prevStart;
    const nameEnd = this.prevEnd;
    const t = this.peek();
    if (t === T_EQUAL) return this.finishAttribute(nameStart, nameEnd, false);
    if (t === T_OQUOTE || t === T_OBRACE || t === T_IDENT) return this.finishBlock(nameStart, nameEnd);
    this.recoverAfterBodyItem();
    this.error(
      "Argument or block definition required",
      'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
      nameStart,
      nameEnd,
    );
    return undefined;
  }

  private finishAttribute(nameStart: number, nameEnd: number, singleLine: boolean): ReaderAttribute {
    this.read(); // =
    const exprStart = this.peekStart();
    const errorsBefore = this.errorCount;
    this.parseExpression();
    const failed = this.errorCount > errorsBefore;
    let exprEnd = this.prevEnd;
    if (this.recovery && failed) {
      this.recoverAfterBodyItem();
    } else if (!singleLine) {
      const t = this.peek();
      if (t !== T_NEWLINE && t !== T_EOF) {
        if (!this.recovery) {
          const [summary, detail] =
            t === T_COMMA
              ? ["Unexpected comma after argument", "Argument definitions must be separated by newlines, not commas. An argument definition must end with a newline."]
              : ["Missing newline after argument", "An argument definition must end with a newline."];
          this.error(summary, detail, this.peekStart(), this.peekEnd());
        }
        exprEnd = this.prevEnd;
        this.recoverAfterBodyItem();
      } else this.read();
    }
    const name = this.text.slice(nameStart, nameEnd);
    // A value whose error left its structure whole (a malformed escape or number) is still built, as hclsyntax builds it.
    const valid = exprEnd > exprStart && !(failed && this.recovery);
    return new ReaderAttribute(name, this.source, nameStart, nameEnd, Math.max(exprEnd, nameEnd), exprStart, exprEnd, valid ? readExpression : undefined);
  }

  private finishBlock(typeStart: number, typeEnd: number): ReaderBlock {
    const type = this.text.slice(typeStart, typeEnd);
    const labels: string[] = [];
    let headerEnd = typeEnd;
    for (;;) {
      const t = this.peek();
      if (t === T_OBRACE) break;
      if (t === T_OQUOTE) {
        labels.push(this.parseQuotedStringLiteral());
        headerEnd = this.prevEnd;
        continue;
      }
      if (t === T_IDENT) {
        this.read();
        labels.push(this.text.slice(this.prevStart, this.prevEnd));
        headerEnd = this.prevEnd;
        continue;
      }
      const start = this.peekStart();
      const end = this.peekEnd();
      if (t === T_EQUAL) this.error("Invalid block definition", 'The equals sign "=" indicates an argument definition, and must not be used when defining a block.', start, end);
      else if (t === T_NEWLINE)
        this.error("Invalid block definition", 'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.', start, end);
      else if (!this.recovery) this.error("Invalid block definition", 'Either a quoted string block label or an opening brace ("{") is expected here.', start, end);
      this.recoverAfterBodyItem();
      return new ReaderBlock(type, labels, EMPTY_BODY(), this.lineStarts, typeStart, headerEnd, headerEnd, undefined, undefined);
    }
    this.read(); // {
    const openStart = this.prevStart;
    const openBraceEnd = this.prevEnd;
    let body: Body;
    let closeBraceStart: number | undefined;
    const t = this.peek();
    if (t === T_NEWLINE || t === T_EOF || t === T_CBRACE) {
      body = this.parseBody(T_CBRACE);
      if (this.types[this.next - 1] === T_CBRACE && this.prevStart >= openBraceEnd) closeBraceStart = this.prevStart;
    } else {
      body = this.parseSingleAttrBody();
      const after = this.peek();
      if (after === T_CBRACE) {
        this.read();
        closeBraceStart = this.prevStart;
      } else {
        const start = this.peekStart();
        const end = this.peekEnd();
        if (after === T_COMMA) {
          this.error(
            "Invalid single-argument block definition",
            "Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.",
            start,
            end,
          );
        } else if (after === T_NEWLINE) {
          this.error(
            "Invalid single-argument block definition",
            "An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line. Place the block's closing brace immediately after the argument definition.",
            start,
            end,
          );
        } else if (!this.recovery) {
          if (after === T_EOF)
            this.error(
              "Unclosed configuration block",
              "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
              openStart,
              openBraceEnd,
            );
          else
            this.error(
              "Invalid single-argument block definition",
              "A single-line block definition must end with a closing brace immediately after its single argument definition.",
              start,
              end,
            );
        }
        if (this.recover(T_CBRACE) === T_CBRACE) closeBraceStart = this.prevStart;
      }
    }
    const blockEnd = this.prevEnd;
    const eol = this.peek();
    if (eol === T_NEWLINE || eol === T_EOF) this.read();
    else {
      if (!this.recovery) this.error("Missing newline after block definition", "A block definition must end with a newline.", this.peekStart(), this.peekEnd());
      this.recoverAfterBodyItem();
    }
    return new ReaderBlock(type, labels, body, this.lineStarts, typeStart, headerEnd, Math.max(blockEnd, headerEnd), openBraceEnd, closeBraceStart);
  }

  /** The body of `a { b = 1 }`: one attribute, on the line of the braces. */
  private parseSingleAttrBody(): Body {
    const t = this.read();
    const nameStart = this.prevStart;
    const nameEnd = this.prevEnd;
    if (t !== T_IDENT) {
      this.recoverAfterBodyItem();
      this.error("Argument or block definition required", "An argument or block definition is required here.", nameStart, nameEnd);
      return EMPTY_BODY();
    }
    const next = this.peek();
    if (next === T_EQUAL) return { attributes: [this.finishAttribute(nameStart, nameEnd, true)], blocks: [] };
    const nextEnd = this.peekEnd();
    this.recoverAfterBodyItem();
    if (next === T_OQUOTE || next === T_OBRACE || next === T_IDENT) {
      this.error(
        "Argument definition required",
        `A single-line block definition can contain only a single argument. If you meant to define argument "${this.text.slice(nameStart, nameEnd)}", use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.`,
        nameStart,
        nextEnd,
      );
    } else {
      this.error(
        "Argument or block definition required",
        'An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value.',
        nameStart,
        nameEnd,
      );
    }
    return EMPTY_BODY();
  }

  /** A block label: a quoted string without template sequences. */
  private parseQuotedStringLiteral(): string {
    this.read(); // "
    const openStart = this.prevStart;
    let value = "";
    for (;;) {
      const t = this.read();
      if (t === T_CQUOTE) break;
      if (t === T_QUOTED_LIT) {
        value += this.literalText(this.prevStart, this.prevEnd, true);
        continue;
      }
      if (t === T_TEMPLATE_INTERP || t === T_TEMPLATE_CONTROL) {
        const which = t === T_TEMPLATE_CONTROL ? "%" : "$";
        this.error(
          "Invalid string literal",
          `Template sequences are not allowed in this string. To include a literal "${which}", double it (as "${which}${which}") to escape it.`,
          this.prevStart,
          this.prevEnd,
        );
        value += `${which}{ ... }`;
        this.recover(T_TEMPLATE_SEQ_END);
        continue;
      }
      if (t === T_EOF) {
        this.error("Unterminated string literal", "Unable to find the closing quote mark before the end of the file.", openStart, this.prevEnd);
        break;
      }
      this.error("Invalid string literal", "This item is not valid in a string literal.", this.prevStart, this.prevEnd);
      this.recover(T_CQUOTE);
      break;
    }
    return value;
  }

  /** The value of a literal token, with escapes resolved; a malformed escape is an error. */
  private literalText(start: number, end: number, quoted: boolean): string {
    const { value, problem } = unescapeTemplateLiteral(this.text, start, end, quoted);
    if (problem) this.error("Invalid escape sequence", problem.detail, problem.start, problem.end);
    return value;
  }

  // ---- expressions ---------------------------------------------------------------------------

  parseExpression(): Expr {
    return this.parseConditional();
  }

  private parseConditional(): Expr {
    const start = this.peekStart();
    const errorsBefore = this.errorCount;
    const cond = this.parseBinary();
    if (this.recovery && this.errorCount > errorsBefore) return cond;
    if (this.peek() !== T_QUESTION) return cond;
    this.read();
    const trueBefore = this.errorCount;
    this.parseExpression();
    if (this.recovery && this.errorCount > trueBefore) return cond;
    if (this.peek() !== T_COLON) {
      this.error(
        "Missing false expression in conditional",
        "The conditional operator (...?...:...) requires a false expression, delimited by a colon.",
        this.peekStart(),
        this.peekEnd(),
      );
      return cond;
    }
    this.read();
    const falseBefore = this.errorCount;
    this.parseExpression();
    if (this.recovery && this.errorCount > falseBefore) return cond;
    return this.other(start);
  }

  /**
   * Binary operations by precedence climbing, which decides as hclsyntax's one function per level
   * does (left-associative within a level, tighter levels first) with one call per operand.
   * After an error in recovery the whole operation stops, as every level there returns.
   */
  private parseBinary(): Expr {
    const start = this.peekStart();
    const before = this.errorCount;
    const first = this.parseTermWithTraversals();
    if (!BINARY_LEVEL[this.peek()] || (this.recovery && this.errorCount > before)) return first;
    return this.climb(first, 1, start, before);
  }

  private climb(lhs: Expr, minLevel: number, start: number, before: number): Expr {
    for (;;) {
      const level = BINARY_LEVEL[this.peek()];
      if (level === 0 || level < minLevel) return lhs;
      this.read();
      const rhsStart = this.peekStart();
      this.parseTermWithTraversals();
      lhs = this.other(start);
      if (this.recovery && this.errorCount > before) return lhs;
      while (BINARY_LEVEL[this.peek()] > level) {
        this.climb(OTHER_PLACEHOLDER, level + 1, rhsStart, before);
        lhs = this.other(start);
        if (this.recovery && this.errorCount > before) return lhs;
      }
    }
  }

  private other(start: number): Expr {
    return this.build ? { kind: "other", range: this.range(start, this.prevEnd) } : OTHER_PLACEHOLDER;
  }

  private parseTermWithTraversals(): Expr {
    const start = this.peekStart();
    const parenthesised = this.peek() === T_OPAREN;
    const term = this.parseTerm();
    return this.parseTraversals(term, parenthesised, start);
  }

  /**
   * Attribute access, indexes and splats after a term that starts at `start`. A variable followed
   * only by attribute names and literal keys stays a traversal; anything else becomes `other`.
   */
  private parseTraversals(from: Expr, parenthesised: boolean, start: number): Expr {
    let ret = from;
    // Whether `ret` can still grow as a traversal (a variable, not parenthesised, no splat or computed key yet).
    let traversal = this.build && from.kind === "traversal" && !parenthesised;
    let stepped = false;
    for (;;) {
      const t = this.peek();
      if (t === T_DOT) {
        this.read();
        const dotEnd = this.prevEnd;
        const a = this.peek();
        if (a === T_IDENT) {
          this.read();
          stepped = true;
          if (traversal) ret = this.extend(ret, this.text.slice(this.prevStart, this.prevEnd), start);
          else ret = this.other(start);
          continue;
        }
        if (a === T_NUMBER) {
          this.read();
          stepped = true;
          const numStart = this.prevStart;
          const numEnd = this.prevEnd;
          const dot = this.text.indexOf(".", numStart);
          if (dot >= 0 && dot < numEnd) {
            this.error(
              "Invalid legacy index syntax",
              `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [${this.text.slice(numStart, dot)}][${this.text.slice(dot + 1, numEnd)}].`,
              numStart,
              numEnd,
            );
            ret = this.other(start);
            traversal = false;
            continue;
          }
          this.checkNumber(numStart, numEnd);
          if (traversal) ret = this.extend(ret, Number(this.text.slice(numStart, numEnd)), start);
          else ret = this.other(start);
          continue;
        }
        if (a === T_STAR) {
          // Attribute-only splat: `.*` then attribute names (or legacy numeric indexes).
          this.read();
          stepped = true;
          traversal = false;
          while (this.peek() === T_DOT) {
            this.read();
            const n = this.peek();
            if (n === T_NUMBER) {
              this.read();
              const numStart = this.prevStart;
              const numEnd = this.prevEnd;
              const dot = this.text.indexOf(".", numStart);
              if (dot >= 0 && dot < numEnd) {
                this.error(
                  "Invalid legacy index syntax",
                  `When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax with a full splat expression [*] instead, like [${this.text.slice(numStart, dot)}][${this.text.slice(dot + 1, numEnd)}].`,
                  numStart,
                  numEnd,
                );
                continue;
              }
              this.checkNumber(numStart, numEnd);
              continue;
            }
            if (n !== T_IDENT) {
              if (!this.recovery) {
                if (n === T_STAR)
                  this.error(
                    "Nested splat expression not allowed",
                    "A splat expression (*) cannot be used inside another attribute-only splat expression.",
                    this.peekStart(),
                    this.peekEnd(),
                  );
                else this.error("Invalid attribute name", "An attribute name is required after a dot.", this.peekStart(), this.peekEnd());
              }
              this.recovery = true;
              break;
            }
            this.read();
          }
          ret = this.other(start);
          continue;
        }
        this.error("Invalid attribute name", "An attribute name is required after a dot.", this.peekStart(), this.peekEnd());
        this.recovery = true;
        ret = this.build ? { kind: "other", range: this.range(start, dotEnd) } : OTHER_PLACEHOLDER;
        traversal = false;
        stepped = true;
        continue;
      }
      if (t === T_OBRACK) {
        this.read();
        stepped = true;
        if (this.peek() === T_STAR) {
          // Full splat: `[*]` and then any traversal steps, applied to each element.
          this.read();
          const close = this.read();
          if (close !== T_CBRACK && !this.recovery) {
            this.error(
              "Missing close bracket on splat index",
              'The star for a full splat operator must be immediately followed by a closing bracket ("]").',
              this.prevStart,
              this.prevEnd,
            );
            this.recover(T_CBRACK);
          }
          this.parseTraversals(OTHER_PLACEHOLDER, false, start);
          ret = this.other(start);
          traversal = false;
          continue;
        }
        this.pushNewlines(false);
        const keyBefore = this.errorCount;
        const key = this.parseExpression();
        if (this.recovery && this.errorCount > keyBefore) this.recover(T_CBRACK);
        else {
          const close = this.read();
          if (close !== T_CBRACK && !this.recovery) {
            this.error("Missing close bracket on index", 'The index operator must end with a closing bracket ("]").', this.prevStart, this.prevEnd);
            this.recover(T_CBRACK);
          }
        }
        this.popNewlines();
        if (traversal) {
          const k = this.literalKey(key);
          if (k === undefined) {
            traversal = false;
            ret = this.other(start);
          } else ret = this.extend(ret, k, start);
        } else ret = this.other(start);
        continue;
      }
      break;
    }
    this.termParenthesised = parenthesised || stepped;
    return ret;
  }

  /** The key of an index that hclsyntax keeps in a traversal: a number or a quoted string, written as such. */
  private literalKey(key: Expr): string | number | undefined {
    if (key === this.foldedNegative) return undefined;
    if (key.kind === "literal" && (typeof key.value === "number" || typeof key.value === "string") && !this.termParenthesised) return key.value;
    return undefined;
  }

  private extend(ret: Expr, step: string | number, start: number): Expr {
    if (ret.kind !== "traversal") return this.other(start);
    return { kind: "traversal", root: ret.root, path: [...ret.path, step], range: this.range(start, this.prevEnd) };
  }

  private parseTerm(): Expr {
    const t = this.peek();
    switch (t) {
      case T_OPAREN: {
        this.read();
        this.pushNewlines(false);
        const before = this.errorCount;
        const inner = this.parseExpression();
        if (this.errorCount > before) {
          this.recover(T_CPAREN);
          this.popNewlines();
          return inner;
        }
        if (this.peek() !== T_CPAREN) {
          this.error("Unbalanced parentheses", "Expected a closing parenthesis to terminate the expression.", this.peekStart(), this.peekEnd());
          this.recovery = true;
        }
        this.read();
        this.popNewlines();
        // The model reads through parentheses: `(1)` is the number 1 (it is no traversal root or index key, though).
        return inner;
      }
      case T_NUMBER: {
        this.read();
        const start = this.prevStart;
        const end = this.prevEnd;
        const valid = this.checkNumber(start, end);
        if (!this.build) return OTHER_PLACEHOLDER;
        return valid ? { kind: "literal", value: Number(this.text.slice(start, end)), range: this.range(start, end) } : { kind: "other", range: this.range(start, end) };
      }
      case T_IDENT: {
        this.read();
        const start = this.prevStart;
        const end = this.prevEnd;
        const after = this.peek();
        if (after === T_OPAREN || after === T_DOUBLE_COLON) return this.finishCall(start, end);
        if (!this.build) return OTHER_PLACEHOLDER;
        const name = this.text.slice(start, end);
        const range = this.range(start, end);
        if (name === "true") return { kind: "literal", value: true, range };
        if (name === "false") return { kind: "literal", value: false, range };
        if (name === "null") return { kind: "literal", value: null, range };
        return { kind: "traversal", root: name, path: [], range };
      }
      case T_OQUOTE:
      case T_OHEREDOC:
        return this.parseTemplate(t);
      case T_MINUS:
      case T_BANG: {
        this.read();
        const start = this.prevStart;
        const operand = this.parseTermWithTraversals();
        if (!this.build) return OTHER_PLACEHOLDER;
        // `-7` is a number to HashiCorp's JSON conversion and to the rules; any other operand is an operation.
        if (t === T_MINUS && operand.kind === "literal" && typeof operand.value === "number" && !this.termParenthesised && operand !== this.foldedNegative) {
          const folded: Expr = { kind: "literal", value: -operand.value, range: this.range(start, this.prevEnd) };
          this.foldedNegative = folded;
          return folded;
        }
        return this.other(start);
      }
      case T_OBRACK:
        return this.parseTuple();
      case T_OBRACE:
        return this.parseObject();
    }
    if (!this.recovery) {
      if (t === T_EOF) this.error("Missing expression", "Expected the start of an expression, but found the end of the file.", this.peekStart(), this.peekEnd());
      else this.error("Invalid expression", "Expected the start of an expression, but found an invalid expression token.", this.peekStart(), this.peekEnd());
    }
    this.recovery = true;
    const at = this.peekStart();
    return this.build ? { kind: "other", range: this.range(at, this.peekEnd()) } : OTHER_PLACEHOLDER;
  }

  /** Whether a number token's value is one HashiCorp's parser accepts; reports it when not. */
  private checkNumber(start: number, end: number): boolean {
    if (validNumberLiteral(this.text, start, end)) return true;
    this.error("Invalid number literal", "Failed to recognize the value of this number literal.", start, end);
    return false;
  }

  private finishCall(nameStart: number, nameEnd: number): Expr {
    let open = this.read();
    let name = this.text.slice(nameStart, nameEnd);
    while (open === T_DOUBLE_COLON) {
      const part = this.read();
      if (part !== T_IDENT) {
        this.error("Missing function name", "Function scope resolution symbol :: must be followed by a function name in this scope.", this.prevStart, this.prevEnd);
        this.recoverOver(T_OPAREN);
        return this.other(nameStart);
      }
      name += "::" + this.text.slice(this.prevStart, this.prevEnd);
      open = this.read();
    }
    if (open !== T_OPAREN) {
      this.error("Missing open parenthesis", "Function selector must be followed by an open parenthesis to begin the function call.", this.prevStart, this.prevEnd);
      this.recoverOver(T_OPAREN);
      return this.other(nameStart);
    }
    const args: Expr[] = [];
    this.pushNewlines(false);
    for (;;) {
      if (this.peek() === T_CPAREN) {
        this.read();
        break;
      }
      const before = this.errorCount;
      const arg = this.parseExpression();
      if (this.build) args.push(arg);
      if (this.recovery && this.errorCount > before) {
        this.recover(T_CPAREN);
        break;
      }
      const sep = this.read();
      if (sep === T_CPAREN) break;
      if (sep === T_ELLIPSIS) {
        if (this.peek() !== T_CPAREN) {
          if (!this.recovery)
            this.error(
              "Missing closing parenthesis",
              "An expanded function argument (with ...) must be immediately followed by closing parentheses.",
              this.prevStart,
              this.prevEnd,
            );
          this.recover(T_CPAREN);
        } else this.read();
        break;
      }
      if (sep !== T_COMMA) {
        if (sep === T_EOF)
          this.error(
            "Unterminated function call",
            "There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file.",
            nameStart,
            nameEnd,
          );
        else this.error("Missing argument separator", "A comma is required to separate each function argument from the next.", this.prevStart, this.prevEnd);
        this.recover(T_CPAREN);
        break;
      }
      if (this.peek() === T_CPAREN) {
        this.read();
        break;
      }
    }
    this.popNewlines();
    return this.build ? { kind: "call", name, args, range: this.range(nameStart, this.prevEnd) } : OTHER_PLACEHOLDER;
  }

  private isForKeyword(): boolean {
    return this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 3 && this.text.startsWith("for", this.peekStart());
  }

  private parseTuple(): Expr {
    this.read(); // [
    const open = this.prevStart;
    const openEnd = this.prevEnd;
    this.pushNewlines(false);
    try {
      if (this.isForKeyword()) return this.finishFor(open, T_CBRACK);
      const items: Expr[] = [];
      for (;;) {
        if (this.peek() === T_CBRACK) {
          this.read();
          break;
        }
        const before = this.errorCount;
        const item = this.parseExpression();
        if (this.build) items.push(item);
        if (this.recovery && this.errorCount > before) {
          this.recover(T_CBRACK);
          break;
        }
        const next = this.peek();
        if (next === T_CBRACK) {
          this.read();
          break;
        }
        if (next !== T_COMMA) {
          if (!this.recovery) {
            if (next === T_EOF)
              this.error(
                "Unterminated tuple constructor expression",
                "There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.",
                open,
                openEnd,
              );
            else this.error("Missing item separator", "Expected a comma to mark the beginning of the next item.", this.peekStart(), this.peekEnd());
          }
          this.recover(T_CBRACK);
          break;
        }
        this.read();
      }
      return this.build ? { kind: "tuple", items, range: this.range(open, this.prevEnd) } : OTHER_PLACEHOLDER;
    } finally {
      this.popNewlines();
    }
  }

  private parseObject(): Expr {
    this.read(); // {
    const open = this.prevStart;
    const openEnd = this.prevEnd;
    // A `for` is looked for across newlines: for expressions are not newline-sensitive.
    this.pushNewlines(false);
    const isFor = this.isForKeyword();
    this.popNewlines();
    if (isFor) {
      this.pushNewlines(false);
      try {
        return this.finishFor(open, T_CBRACE);
      } finally {
        this.popNewlines();
      }
    }
    this.pushNewlines(true);
    const entries: ObjectEntry[] = [];
    try {
      for (;;) {
        const next = this.peek();
        if (next === T_NEWLINE) {
          this.read();
          continue;
        }
        if (next === T_CBRACE) {
          this.read();
          break;
        }
        const keyStart = this.peekStart();
        const parenthesised = next === T_OPAREN;
        const keyBefore = this.errorCount;
        const key = this.parseExpression();
        const keyEnd = this.prevEnd;
        if (this.recovery && this.errorCount > keyBefore) {
          this.recover(T_CBRACE);
          break;
        }
        const sep = this.peek();
        if (sep !== T_EQUAL && sep !== T_COLON) {
          if (!this.recovery) {
            if (sep === T_NEWLINE || sep === T_COMMA)
              this.error("Missing attribute value", 'Expected an attribute value, introduced by an equals sign ("=").', this.peekStart(), this.peekEnd());
            else if (sep === T_EOF)
              this.error(
                "Unterminated object constructor expression",
                "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                open,
                openEnd,
              );
            else this.error("Missing key/value separator", 'Expected an equals sign ("=") to mark the beginning of the attribute value.', this.peekStart(), this.peekEnd());
          }
          this.recover(T_CBRACE);
          break;
        }
        this.read();
        const valueBefore = this.errorCount;
        const value = this.parseExpression();
        if (this.recovery && this.errorCount > valueBefore) {
          this.recover(T_CBRACE);
          break;
        }
        if (this.build) entries.push({ key: parenthesised ? undefined : this.objectKey(key, keyStart, keyEnd), keyRange: this.range(keyStart, keyEnd), value });
        const after = this.peek();
        if (after === T_CBRACE) {
          this.read();
          break;
        }
        if (after !== T_COMMA && after !== T_NEWLINE) {
          if (!this.recovery) {
            if (after === T_EOF)
              this.error(
                "Unterminated object constructor expression",
                "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
                open,
                openEnd,
              );
            else this.error("Missing attribute separator", "Expected a newline or comma to mark the beginning of the next attribute.", this.peekStart(), this.peekEnd());
          }
          this.recover(T_CBRACE);
          break;
        }
        this.read();
      }
    } finally {
      this.popNewlines();
    }
    return this.build ? { kind: "object", entries, range: this.range(open, this.prevEnd) } : OTHER_PLACEHOLDER;
  }

  /** An object key as written: a bare name (`a = 1`, and `true`/`null` as names), or a literal string. */
  private objectKey(key: Expr, start: number, end: number): string | undefined {
    if (key.kind === "traversal" && key.path.length === 0) return key.root;
    if (key.kind === "literal" && typeof key.value === "string") return key.value;
    if (key.kind === "literal" && typeof key.value !== "number" && key !== this.foldedNegative) {
      // `true = 1` names its key "true": hclsyntax reads keywords in key position as names.
      const written = this.text.slice(start, end);
      if (written === "true" || written === "false" || written === "null") return written;
    }
    if (key.kind === "template" && key.parts.every((p) => typeof p === "string")) return key.parts.join("");
    return undefined;
  }

  private finishFor(open: number, close: number): Expr {
    this.read(); // for
    const bail = (): Expr => this.abandonFor(open, close);
    if (this.peek() !== T_IDENT) {
      if (!this.recovery) this.error("Invalid 'for' expression", "For expression requires variable name after 'for'.", this.peekStart(), this.peekEnd());
      return bail();
    }
    this.read();
    if (this.peek() === T_COMMA) {
      this.read();
      if (this.peek() !== T_IDENT) {
        if (!this.recovery) this.error("Invalid 'for' expression", "For expression requires value variable name after comma.", this.peekStart(), this.peekEnd());
        return bail();
      }
      this.read();
    }
    if (!(this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 2 && this.text.startsWith("in", this.peekStart()))) {
      if (!this.recovery) this.error("Invalid 'for' expression", "For expression requires the 'in' keyword after its name declarations.", this.peekStart(), this.peekEnd());
      return bail();
    }
    this.read();
    const collBefore = this.errorCount;
    this.parseExpression();
    if (this.recovery && this.errorCount > collBefore) return bail();
    if (this.peek() !== T_COLON) {
      if (!this.recovery) this.error("Invalid 'for' expression", "For expression requires a colon after the collection expression.", this.peekStart(), this.peekEnd());
      return bail();
    }
    this.read();
    const valueBefore = this.errorCount;
    let keyStart = -1;
    let keyEnd = -1;
    const firstStart = this.peekStart();
    this.parseExpression();
    const firstEnd = this.prevEnd;
    if (this.peek() === T_FAT_ARROW) {
      this.read();
      keyStart = firstStart;
      keyEnd = firstEnd;
      this.parseExpression();
    }
    if (this.recovery && this.errorCount > valueBefore) return bail();
    let ellipsis = -1;
    let ellipsisEnd = -1;
    if (this.peek() === T_ELLIPSIS) {
      this.read();
      ellipsis = this.prevStart;
      ellipsisEnd = this.prevEnd;
    }
    if (this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 2 && this.text.startsWith("if", this.peekStart())) {
      this.read();
      const condBefore = this.errorCount;
      this.parseExpression();
      if (this.recovery && this.errorCount > condBefore) return bail();
    }
    if (this.peek() === close) this.read();
    else {
      if (!this.recovery) this.error("Invalid 'for' expression", "Extra characters after the end of the 'for' expression.", this.peekStart(), this.peekEnd());
      this.recover(close);
    }
    if (close === T_CBRACK) {
      if (keyStart >= 0) this.error("Invalid 'for' expression", "Key expression is not valid when building a tuple.", keyStart, keyEnd);
      if (ellipsis >= 0) this.error("Invalid 'for' expression", "Grouping ellipsis (...) cannot be used when building a tuple.", ellipsis, ellipsisEnd);
    } else if (keyStart < 0) {
      this.error("Invalid 'for' expression", "Key expression is required when building an object.", firstStart, firstEnd);
    }
    return this.other(open);
  }

  private abandonFor(open: number, close: number): Expr {
    this.recover(close);
    return this.other(open);
  }

  // ---- templates -----------------------------------------------------------------------------

  /** A quoted template or a heredoc, from its opening token. */
  private parseTemplate(opener: number): Expr {
    this.read();
    const start = this.prevStart;
    const flush = opener === T_OHEREDOC && this.text.charCodeAt(start + 2) === 0x2d;
    const close = opener === T_OQUOTE ? T_CQUOTE : T_CHEREDOC;
    const parts = this.parseTemplateParts(close);
    if (!this.build) {
      // Checking: only directives have a structure to check (literals and interpolations were).
      if (parts[0].kind !== TT_LITERAL) this.parseTemplateStructure(parts);
      return OTHER_PLACEHOLDER;
    }
    if (flush) flushHeredocLines(parts);
    const exprs = this.parseTemplateStructure(parts);
    const range = this.range(start, this.prevEnd);
    // Consecutive literal parts are one string, as hclsyntax melds them.
    const model: Array<string | Expr> = [];
    let literalOnly = true;
    for (const part of exprs) {
      if (typeof part === "string") {
        const last = model[model.length - 1];
        if (typeof last === "string") model[model.length - 1] = last + part;
        else model.push(part);
      } else {
        literalOnly = false;
        model.push(part);
      }
    }
    // HCL's string values are in Unicode normal form C (cty normalises every string it holds).
    for (let i = 0; i < model.length; i++) {
      const part = model[i];
      if (typeof part === "string" && NON_ASCII.test(part)) model[i] = part.normalize("NFC");
    }
    if (opener === T_OQUOTE && literalOnly) return { kind: "literal", value: model.length ? (model[0] as string) : "", range };
    return { kind: "template", parts: model.filter((p) => p !== ""), heredoc: opener === T_OHEREDOC, range };
  }

  /** The flat parts of a template up to `close`: literals (strip markers applied), interpolations, directive markers. */
  private parseTemplateParts(close: number): TemplateToken[] {
    const parts: TemplateToken[] = [];
    const templateStart = this.peekStart();
    let ltrimNext = false;
    let nextCanTrimPrev = false;
    let endStart: number;
    let endEnd: number;
    for (;;) {
      const t = this.read();
      if (t === close) {
        endStart = this.prevStart;
        endEnd = this.prevEnd;
        break;
      }
      const ltrim = ltrimNext;
      ltrimNext = false;
      const canTrimPrev = nextCanTrimPrev;
      nextCanTrimPrev = false;
      if (t === T_QUOTED_LIT || t === T_STRING_LIT) {
        if (!this.build) {
          // Checking a file needs no values: only a backslash escape can be malformed.
          if (t === T_QUOTED_LIT && this.hasBackslash(this.prevStart, this.prevEnd)) this.literalText(this.prevStart, this.prevEnd, true);
          continue;
        }
        let value = this.literalText(this.prevStart, this.prevEnd, t === T_QUOTED_LIT);
        if (ltrim) value = trimStartGoSpace(value);
        parts.push({ kind: TT_LITERAL, text: value, start: this.prevStart, end: this.prevEnd });
        nextCanTrimPrev = true;
        continue;
      }
      if (t === T_TEMPLATE_INTERP || t === T_TEMPLATE_CONTROL) {
        const seqStart = this.prevStart;
        if (canTrimPrev && this.prevEnd - this.prevStart === 3 && parts.length > 0) {
          const prev = parts[parts.length - 1];
          if (prev.kind === TT_LITERAL) prev.text = trimEndGoSpace(prev.text);
        }
        this.pushNewlines(false);
        if (t === T_TEMPLATE_INTERP) {
          const expr = this.parseExpression();
          const closeType = this.peek();
          if (closeType !== T_TEMPLATE_SEQ_END) {
            if (!this.recovery) {
              if (closeType === T_EOF)
                this.error(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.",
                  templateStart,
                  templateStart,
                );
              else if (closeType === T_COLON)
                this.error(
                  "Extra characters after interpolation expression",
                  'Template interpolation doesn\'t expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${".',
                  this.peekStart(),
                  this.peekEnd(),
                );
              else if ((closeType === T_CQUOTE || closeType === T_OQUOTE) && close === T_CQUOTE)
                this.error(
                  "Unclosed template interpolation sequence",
                  "There is no closing brace for this interpolation sequence before the end of the quoted template. This might be caused by incorrect nesting inside the given expression.",
                  templateStart,
                  templateStart,
                );
              else
                this.error(
                  "Extra characters after interpolation expression",
                  'Expected a closing brace to end the interpolation expression, but found extra characters.\n\nThis can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${".',
                  this.peekStart(),
                  this.peekEnd(),
                );
            }
            this.recover(T_TEMPLATE_SEQ_END);
          } else {
            this.read();
            if (this.prevEnd - this.prevStart === 2) ltrimNext = true; // `~}`
          }
          this.popNewlines();
          if (this.build) parts.push({ kind: TT_INTERP, text: "", expr, start: seqStart, end: this.prevEnd });
          continue;
        }
        // A directive: `%{ if … }`, `%{ else }`, `%{ endif }`, `%{ for … in … }`, `%{ endfor }`.
        if (this.peek() !== T_IDENT) {
          if (!this.recovery)
            this.error(
              "Invalid template directive",
              'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
              this.peekStart(),
              this.peekEnd(),
            );
          this.recover(T_TEMPLATE_SEQ_END);
          this.popNewlines();
          continue;
        }
        this.read();
        const keyword = this.text.slice(this.prevStart, this.prevEnd);
        let kind: number;
        if (keyword === "if") {
          this.parseExpression();
          kind = TT_IF;
        } else if (keyword === "else") kind = TT_ELSE;
        else if (keyword === "endif") kind = TT_ENDIF;
        else if (keyword === "endfor") kind = TT_ENDFOR;
        else if (keyword === "for") {
          if (this.peek() !== T_IDENT) {
            if (!this.recovery) this.error("Invalid 'for' directive", "For directive requires variable name after 'for'.", this.peekStart(), this.peekEnd());
            this.recover(T_TEMPLATE_SEQ_END);
            this.popNewlines();
            continue;
          }
          this.read();
          if (this.peek() === T_COMMA) {
            this.read();
            if (this.peek() !== T_IDENT) {
              if (!this.recovery) this.error("Invalid 'for' directive", "For directive requires value variable name after comma.", this.peekStart(), this.peekEnd());
              this.recover(T_TEMPLATE_SEQ_END);
              this.popNewlines();
              continue;
            }
            this.read();
          }
          if (!(this.peek() === T_IDENT && this.peekEnd() - this.peekStart() === 2 && this.text.startsWith("in", this.peekStart()))) {
            if (!this.recovery) this.error("Invalid 'for' directive", "For directive requires 'in' keyword after names.", this.peekStart(), this.peekEnd());
            this.recover(T_TEMPLATE_SEQ_END);
            this.popNewlines();
            continue;
          }
          this.read();
          this.parseExpression();
          kind = TT_FOR;
        } else {
          if (!this.recovery) this.error("Invalid template control keyword", `"${keyword}" is not a valid template control keyword.`, this.prevStart, this.prevEnd);
          this.recover(T_TEMPLATE_SEQ_END);
          this.popNewlines();
          continue;
        }
        parts.push({ kind, text: "", start: seqStart, end: this.peekStart() });
        if (this.peek() !== T_TEMPLATE_SEQ_END) {
          if (!this.recovery)
            this.error(`Extra characters in ${keyword} marker`, "Expected a closing brace to end the sequence, but found extra characters.", this.peekStart(), this.peekEnd());
          this.recover(T_TEMPLATE_SEQ_END);
        } else {
          this.read();
          if (this.prevEnd - this.prevStart === 2) ltrimNext = true;
        }
        parts[parts.length - 1].end = this.prevEnd;
        this.popNewlines();
        continue;
      }
      // Anything else (a line break in a quoted string, the end of the file) ends the template unclosed.
      if (!this.recovery) this.error("Unterminated template string", "No closing marker was found for the string.", this.prevStart, this.prevEnd);
      this.recover(close);
      endStart = this.prevStart;
      endEnd = this.prevEnd;
      break;
    }
    if (parts.length === 0) parts.push({ kind: TT_LITERAL, text: "", start: templateStart, end: templateStart });
    parts.push({ kind: TT_END, text: "", start: endStart, end: endEnd });
    return parts;
  }

  private hasBackslash(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.text.charCodeAt(i) === 0x5c) return true;
    return false;
  }

  /**
   * Matches `if`/`else`/`endif` and `for`/`endfor` markers (unbalanced ones are errors) and returns
   * the model's parts: literal text, interpolated expressions, and each directive as one `other`.
   */
  private parseTemplateStructure(parts: TemplateToken[]): Array<string | Expr> {
    const out: Array<string | Expr> = [];
    let i = 0;
    const parseItem = (): string | Expr | undefined => {
      const part = parts[i];
      switch (part.kind) {
        case TT_LITERAL:
          i++;
          return part.text;
        case TT_INTERP:
          i++;
          return part.expr ?? OTHER_PLACEHOLDER;
        case TT_IF:
        case TT_FOR:
          return parseDirective();
        case TT_END:
          i++;
          this.error("Unexpected end of template", "The control directives within this template are unbalanced.", part.start, part.end);
          return undefined;
        default:
          i++;
          this.error(`Unexpected ${directiveName(part.kind)} directive`, "The control directives within this template are unbalanced.", part.start, part.end);
          return undefined;
      }
    };
    const parseDirective = (): Expr | undefined => {
      const open = parts[i++];
      let inElse = false;
      for (;;) {
        const next = parts[i];
        if (next.kind === TT_END) {
          const what = open.kind === TT_IF ? "if" : "for";
          const closer = open.kind === TT_IF ? "endif" : "endfor";
          this.error(
            "Unexpected end of template",
            `The ${what} directive at ${this.where(this.range(open.start, open.end))} is missing its corresponding ${closer} directive.`,
            next.start,
            next.end,
          );
          return undefined;
        }
        if (next.kind === TT_ELSE || next.kind === TT_ENDIF || next.kind === TT_ENDFOR) {
          i++;
          if (open.kind === TT_IF && next.kind === TT_ELSE && !inElse) {
            inElse = true;
            continue;
          }
          if ((open.kind === TT_IF && next.kind === TT_ENDIF) || (open.kind === TT_FOR && next.kind === TT_ENDFOR)) {
            return this.build ? { kind: "other", range: this.range(open.start, next.end) } : OTHER_PLACEHOLDER;
          }
          this.error(`Unexpected ${directiveName(next.kind)} directive`, "The control directives within this template are unbalanced.", next.start, next.end);
          return undefined;
        }
        parseItem();
      }
    };
    while (parts[i].kind !== TT_END) {
      const item = parseItem();
      if (item !== undefined && this.build) out.push(item);
    }
    return out;
  }
}

function directiveName(kind: number): string {
  return kind === TT_ELSE ? "else" : kind === TT_ENDIF ? "endif" : kind === TT_ENDFOR ? "endfor" : kind === TT_IF ? "if" : "for";
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

function trimStartGoSpace(s: string): string {
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!isGoSpace(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i === 0 ? s : s.slice(i);
}

function trimEndGoSpace(s: string): string {
  let i = s.length;
  while (i > 0 && isGoSpace(s.charCodeAt(i - 1))) i--;
  return i === s.length ? s : s.slice(0, i);
}
