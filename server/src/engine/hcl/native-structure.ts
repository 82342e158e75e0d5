// Reads a file's blocks and attributes from tree-sitter's tree with one cursor, checking HCL's newline rules on the way.
import type { TreeCursor } from "web-tree-sitter";
import { LazyAttribute, type FileSource } from "./reuse.ts";
import { convertExpression, unescapeQuoted } from "./native-expressions.ts";
import {
  checkObjects,
  mayHoldMultiLineString,
  newlineOutside,
  NEWLINE_RULES,
  OBJECT_HINT,
  OPENERS,
  TEMPLATE_ISLANDS,
  UNESCAPED_TEMPLATE,
} from "./native-newline-rules.ts";
import { positionAt, rangeOf, type Attribute, type Block, type Body, type Range, type SyntaxError } from "../model.ts";

/**
 * Reads a file's blocks and attributes with one tree cursor. Node objects cost an allocation and
 * several WASM calls each (profiled: building them cost a third of parsing), so the structure is
 * read from the cursor and values are left to be converted from their nodes when a rule reads them.
 */
export class StructureReader {
  /** Newline rules of HCL that tree-sitter's grammar does not enforce (see `NEWLINE_RULES`). */
  readonly problems: SyntaxError[] = [];

  constructor(
    private readonly cursor: TreeCursor,
    private readonly source: FileSource,
  ) {}

  private range(start: number, end: number): Range {
    return rangeOf(this.source.lineStarts, start, end);
  }

  private line(offset: number): number {
    return positionAt(this.source.lineStarts, offset).line;
  }

  private problem(message: string, start: number, end: number): void {
    if (this.problems.length < 20) this.problems.push({ message, range: this.range(start, end) });
  }

  /** Reports one of `NEWLINE_RULES` at [start, end). */
  private report([summary, detail]: readonly [string, string], start: number, end: number): void {
    this.problem(`${summary}: ${detail}`, start, end);
  }

  /**
   * The body the cursor is on; the cursor is back on it afterwards.
   * @param reuse may give, for a block child at [start, end), an already converted block to use instead
   */
  body(reuse?: (start: number, end: number) => Block | undefined): Body {
    const c = this.cursor;
    const body: Body = { attributes: [], blocks: [] };
    if (!c.gotoFirstChild()) return body;
    const names = new Map<string, Attribute>();
    let previous: Attribute | Block | undefined;
    do {
      const type = c.nodeType;
      let item: Attribute | Block | undefined;
      if (type === "attribute") {
        item = this.attribute();
        if (item) {
          this.checkUnique(names, item);
          body.attributes.push(item);
        }
      } else if (type === "block") {
        item = reuse?.(c.startIndex, c.endIndex) ?? this.block();
        if (item) body.blocks.push(item);
      }
      if (item) {
        if (previous) this.checkSeparated(previous, item);
        previous = item;
      }
    } while (c.gotoNextSibling());
    c.gotoParent();
    return body;
  }

  /** An argument may be set only once in a body; `names` holds the body's arguments so far. */
  private checkUnique(names: Map<string, Attribute>, attribute: Attribute): void {
    const first = names.get(attribute.name);
    if (!first) {
      names.set(attribute.name, attribute);
      return;
    }
    const where = `line ${first.nameRange.start.line + 1}, column ${first.nameRange.start.character + 1}`;
    this.problem(
      `Attribute redefined: The argument "${attribute.name}" was already set at ${where}. Each argument may be set only once.`,
      attribute.nameRange.startOffset,
      attribute.nameRange.endOffset,
    );
  }

  /**
   * tree-sitter's identifiers take `::` (provider functions, `provider::aws::arn_parse`), which only
   * an expression may hold: a block type, an unquoted label or an argument name with it is an error.
   */
  private checkPlainName(name: string, start: number, rule: readonly [string, string]): void {
    const colon = name.indexOf(":");
    if (colon >= 0) this.report(rule, start + colon, start + name.length);
  }

  /** Two items of a body must be on separate lines. */
  private checkSeparated(previous: Attribute | Block, next: Attribute | Block): void {
    if (next.range.start.line > previous.range.end.line) return;
    this.report(
      "type" in previous ? NEWLINE_RULES.afterBlock : NEWLINE_RULES.afterArgument,
      next.range.startOffset,
      next.range.startOffset + 1,
    );
  }

  /** The attribute the cursor is on (`name = expression`). */
  attribute(): Attribute | undefined {
    const c = this.cursor;
    const start = c.startIndex;
    const end = c.endIndex;
    let nameStart = -1;
    let nameEnd = -1;
    let exprStart = -1;
    let exprEnd = -1;
    let equals = -1;
    if (c.gotoFirstChild()) {
      do {
        const type = c.nodeType;
        if (type === "identifier" && nameStart < 0) {
          nameStart = c.startIndex;
          nameEnd = c.endIndex;
        } else if (type === "=" && equals < 0) {
          equals = c.startIndex;
        } else if (type === "expression" && exprStart < 0) {
          exprStart = c.startIndex;
          exprEnd = c.endIndex;
          // Only a value over several lines can break HCL's newline rules; most values are one line.
          if (equals >= 0 && this.line(equals) !== this.line(exprEnd)) this.checkValue(equals, exprStart, exprEnd);
        }
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    if (nameStart < 0) return undefined;
    if (equals >= 0 && this.line(equals) !== this.line(nameStart)) this.report(NEWLINE_RULES.argumentRequired, nameStart, nameEnd);
    const name = this.source.text.slice(nameStart, nameEnd);
    this.checkPlainName(name, nameStart, NEWLINE_RULES.argumentRequired);
    const range = this.range(start, end);
    if (exprStart < 0) return { name, nameRange: this.range(nameStart, nameEnd), range, expr: { kind: "other", range } };
    return new LazyAttribute(name, this.range(nameStart, nameEnd), range, this.source, exprStart, exprEnd, convertExpression);
  }

  /** The block the cursor is on (`type "label" ... { body }`). */
  block(): Block | undefined {
    const c = this.cursor;
    const start = c.startIndex;
    const end = c.endIndex;
    let type: string | undefined;
    const labels: string[] = [];
    let headerEnd = start;
    let openBraceEnd: number | undefined;
    let closeBraceStart: number | undefined;
    let body: Body | undefined;
    const headerLine = this.line(start);
    let headerSplit = false;
    if (c.gotoFirstChild()) {
      do {
        switch (c.nodeType) {
          case "identifier": {
            const name = this.source.text.slice(c.startIndex, c.endIndex);
            if (type === undefined) type = name;
            else labels.push(name);
            this.checkPlainName(name, c.startIndex, NEWLINE_RULES.blockLabel);
            headerEnd = c.endIndex;
            if (this.line(c.endIndex) !== headerLine) headerSplit = true;
            break;
          }
          case "string_lit":
            headerEnd = c.endIndex;
            if (this.line(c.endIndex) !== headerLine) headerSplit = true;
            labels.push(this.stringLiteral());
            break;
          case "block_start":
            openBraceEnd = c.endIndex;
            if (this.line(c.startIndex) !== headerLine) headerSplit = true;
            break;
          case "body":
            body = this.body();
            break;
          case "block_end":
            // A MISSING brace inserted by error recovery has no width and is not a real brace.
            if (!c.nodeIsMissing) closeBraceStart = c.startIndex;
            break;
        }
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    if (type === undefined) return undefined;
    const block: Block = {
      type,
      labels,
      headerRange: this.range(start, headerEnd),
      range: this.range(start, end),
      body: body ?? { attributes: [], blocks: [] },
      openBraceEnd,
      closeBraceStart,
    };
    if (headerSplit) this.report(NEWLINE_RULES.blockHeader, start, openBraceEnd ?? headerEnd);
    else if (openBraceEnd !== undefined && closeBraceStart !== undefined) this.checkBraces(block, openBraceEnd, closeBraceStart);
    return block;
  }

  /**
   * A block is either on one line with at most one argument (`a { b = 1 }`), or has its first item
   * on a line after `{` and its last item on a line before `}`.
   */
  private checkBraces(block: Block, openBraceEnd: number, closeBraceStart: number): void {
    const open = this.line(openBraceEnd);
    const close = this.line(closeBraceStart);
    const items = [...block.body.attributes, ...block.body.blocks].sort((a, b) => a.range.startOffset - b.range.startOffset);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (first.range.start.line === open) {
      // An item on the brace's line makes a one-line block: one argument, closed right after it
      // (the argument itself may span lines: `a { b = [` ... `] }`).
      if (items.length === 1 && !("type" in first)) {
        if (first.range.end.line !== close) {
          this.report(NEWLINE_RULES.singleLineNotClosed, first.range.startOffset, first.range.endOffset);
        }
        return;
      }
      const extra = items.length > 1 ? items[1] : first;
      this.report(NEWLINE_RULES.singleLineOnlyOne, extra.range.startOffset, extra.range.endOffset);
    } else if (last.range.end.line === close) {
      this.report("type" in last ? NEWLINE_RULES.afterBlock : NEWLINE_RULES.afterArgument, closeBraceStart, closeBraceStart + 1);
    }
  }

  /**
   * A value that runs over several lines: outside brackets, strings and heredocs a newline ends it
   * (`a = 1 +` then `2` on the next line is an error), and no quoted string may contain a newline.
   * The cursor is on the value's expression node and is left there.
   */
  private checkValue(equals: number, exprStart: number, exprEnd: number): void {
    const line = this.line(equals);
    this.valueLine = line;
    if (this.line(exprStart) !== line || !this.onLine()) {
      this.report(NEWLINE_RULES.expressionStart, equals, exprEnd);
      return;
    }
    const text = this.source.text.slice(exprStart, exprEnd);
    if (mayHoldMultiLineString(text)) {
      for (const node of this.cursor.currentNode.descendantsOfType(["quoted_template", "string_lit"])) {
        if (!node || node.startPosition.row === node.endPosition.row) continue;
        const at = newlineOutside(this.source.text, node.startIndex, node.endIndex, node.descendantsOfType(TEMPLATE_ISLANDS));
        if (at >= 0) {
          this.report(NEWLINE_RULES.multiLineString, node.startIndex, at + 1);
          return;
        }
      }
    }
    if (OBJECT_HINT.test(text)) checkObjects(this.cursor.currentNode, (rule, start, end) => this.report(rule, start, end));
  }

  /** The line a value has reached so far while `onLine` walks it. */
  private valueLine = 0;

  /**
   * Whether the cursor's node continues its value on the line the value has reached (`valueLine`),
   * token by token: a newline outside brackets, strings and heredocs ends a value in HCL. What an
   * opening bracket, quote or heredoc start encloses may span lines; the value then continues on the
   * line of its closing bracket (`cond ? {` ... `} : {}` is one value).
   */
  private onLine(): boolean {
    const c = this.cursor;
    if (!c.gotoFirstChild()) {
      // A comment does not end a value; a block comment may carry it to a later line.
      if (c.nodeType !== "comment" && this.line(c.startIndex) !== this.valueLine) return false;
      this.valueLine = this.line(c.endIndex);
      return true;
    }
    let ok = true;
    do {
      if (OPENERS.has(c.nodeType)) {
        ok = this.line(c.startIndex) === this.valueLine;
        c.gotoParent();
        // The enclosing node ends with the closing bracket, quote or heredoc identifier.
        this.valueLine = this.line(c.endIndex);
        return ok;
      }
      if (!this.onLine()) {
        ok = false;
        break;
      }
    } while (c.gotoNextSibling());
    c.gotoParent();
    return ok;
  }

  /**
   * The value of the `string_lit` the cursor is on (a label): the text between its quotes,
   * unescaped (read from the file: the grammar's `template_literal` leaves out spaces at its ends).
   */
  private stringLiteral(): string {
    const c = this.cursor;
    let start = c.startIndex + 1;
    let end = c.endIndex;
    if (c.gotoFirstChild()) {
      do {
        if (c.nodeType === "quoted_template_start") start = c.endIndex;
        else if (c.nodeType === "quoted_template_end") end = c.startIndex;
        else if (c.nodeType === "template_literal") {
          // tree-sitter reads `${` in a label as text; HCL starts a template sequence there, which a label may not hold.
          if (UNESCAPED_TEMPLATE.test(this.source.text.slice(c.startIndex, c.endIndex))) {
            this.report(NEWLINE_RULES.labelTemplate, c.startIndex, c.endIndex);
          }
        }
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return unescapeQuoted(this.source.text.slice(start, Math.max(start, end)));
  }

  /** Moves the cursor from the root to its `body` child; false when the file has none. */
  enterTopBody(): boolean {
    const c = this.cursor;
    if (!c.gotoFirstChild()) return false;
    do if (c.nodeType === "body") return true;
    while (c.gotoNextSibling());
    return false;
  }
}
