// Parses HCL native syntax tokens into the engine's model, making the decisions HashiCorp's hclsyntax parser makes (and so its accept/reject verdict).
import { rangeOf, type Attribute, type Comment, type Expr, type SyntaxError } from "../../model.ts";
import { ReaderAttribute, ReaderBlock, type ReaderBody, type ReaderSource } from "./nodes.ts";
import { ExpressionParser } from "./expressions.ts";
import {
  Tokens,
  T_CBRACE,
  T_COMMA,
  T_CQUOTE,
  T_EOF,
  T_EQUAL,
  T_IDENT,
  T_NEWLINE,
  T_OBRACE,
  T_OQUOTE,
  T_QUOTED_LIT,
  T_TEMPLATE_CONTROL,
  T_TEMPLATE_INTERP,
  T_TEMPLATE_SEQ_END,
} from "./tokens.ts";
import { scan } from "./scanner.ts";

const EMPTY_BODY = (): ReaderBody => ({ attributes: [], blocks: [] });

/** Tokens shared by every parse (scanning and parsing are synchronous); a nested parse gets its own. */
let sharedTokens: Tokens | undefined;
let sharedInUse = false;

/** The result of reading a body. */
export interface ReadFile {
  body: ReaderBody;
  comments: Comment[];
  errors: SyntaxError[];
}

/**
 * Reads a configuration body at [start, end) of `text`: a whole file from `start` (past a byte
 * order mark), or a part of one read again after an edit. `lineStarts` (the whole text's) give the
 * positions of offsets; `path` names the file in messages that cite another position; comments
 * are listed when `withComments`.
 */
export function readBody(
  text: string,
  lineStarts: number[],
  path: string,
  start: number,
  end = text.length,
  withComments = text.includes("immutably-ignore"),
): ReadFile {
  const tokens = takeTokens();
  try {
    scan(text, tokens, start, end);
    const parser = new Parser(text, lineStarts, tokens, false, path);
    parser.checkTokens();
    const body = parser.parseBody(T_EOF);
    const comments = withComments ? parser.comments() : [];
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

class Parser extends ExpressionParser {
  // ---- structure -----------------------------------------------------------------------------

  /** A body up to `end` (a closing brace, or the end of the file). */
  parseBody(end: number): ReaderBody {
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
  /** An attribute or a block, starting at its name; undefined after an error that left nothing to keep. */
  protected parseBodyItem(): ReaderAttribute | ReaderBlock | undefined {
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

  protected finishAttribute(nameStart: number, nameEnd: number, singleLine: boolean): ReaderAttribute {
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
              ? [
                  "Unexpected comma after argument",
                  "Argument definitions must be separated by newlines, not commas. An argument definition must end with a newline.",
                ]
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
    return new ReaderAttribute(
      name,
      this.source,
      nameStart,
      nameEnd,
      Math.max(exprEnd, nameEnd),
      exprStart,
      exprEnd,
      valid ? readExpression : undefined,
    );
  }

  protected finishBlock(typeStart: number, typeEnd: number): ReaderBlock {
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
      if (t === T_EQUAL)
        this.error(
          "Invalid block definition",
          'The equals sign "=" indicates an argument definition, and must not be used when defining a block.',
          start,
          end,
        );
      else if (t === T_NEWLINE)
        this.error(
          "Invalid block definition",
          'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.',
          start,
          end,
        );
      else if (!this.recovery)
        this.error(
          "Invalid block definition",
          'Either a quoted string block label or an opening brace ("{") is expected here.',
          start,
          end,
        );
      this.recoverAfterBodyItem();
      return new ReaderBlock(type, labels, EMPTY_BODY(), this.lineStarts, typeStart, headerEnd, headerEnd, undefined, undefined);
    }
    this.read(); // {
    const openStart = this.prevStart;
    const openBraceEnd = this.prevEnd;
    let body: ReaderBody;
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
      if (!this.recovery)
        this.error(
          "Missing newline after block definition",
          "A block definition must end with a newline.",
          this.peekStart(),
          this.peekEnd(),
        );
      this.recoverAfterBodyItem();
    }
    return new ReaderBlock(
      type,
      labels,
      body,
      this.lineStarts,
      typeStart,
      headerEnd,
      Math.max(blockEnd, headerEnd),
      openBraceEnd,
      closeBraceStart,
    );
  }

  /** The body of `a { b = 1 }`: one attribute, on the line of the braces. */
  protected parseSingleAttrBody(): ReaderBody {
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
  protected parseQuotedStringLiteral(): string {
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
        this.error(
          "Unterminated string literal",
          "Unable to find the closing quote mark before the end of the file.",
          openStart,
          this.prevEnd,
        );
        break;
      }
      this.error("Invalid string literal", "This item is not valid in a string literal.", this.prevStart, this.prevEnd);
      this.recover(T_CQUOTE);
      break;
    }
    return value;
  }
}
