// HCL's rules that tree-sitter's grammar does not enforce (newlines, number literals, white space), worded as HashiCorp's parser words them.
import type { Node } from "web-tree-sitter";
import { rangeOf, type SyntaxError } from "../model.ts";

/**
 * Newline rules of HCL's native syntax that tree-sitter's grammar does not enforce, worded as
 * HashiCorp's parser words them. They are provisional like every tree-sitter error: the CLI and
 * the language server ask HashiCorp's parser for the exact errors of a file that has any.
 */
export const NEWLINE_RULES = {
  afterArgument: ["Missing newline after argument", "An argument definition must end with a newline."],
  afterBlock: ["Missing newline after block definition", "A block definition must end with a newline."],
  argumentRequired: ["Argument or block definition required", "An argument or block definition is required here."],
  blockHeader: [
    "Invalid block definition",
    'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.',
  ],
  singleLineOnlyOne: ["Invalid single-argument block definition", "A single-line block definition can contain only a single argument."],
  singleLineNotClosed: [
    "Invalid single-argument block definition",
    "An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line.",
  ],
  labelTemplate: ["Invalid block label", "Template sequences (${ } and %{ }) are not allowed in a block label."],
  expressionStart: ["Invalid expression", "Expected the start of an expression, but found an invalid expression token."],
  multiLineString: [
    "Invalid multi-line string",
    'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
  ],
  missingValue: ["Missing attribute value", 'Expected an attribute value, introduced by an equals sign ("=").'],
  missingSeparator: ["Missing attribute separator", "Expected a newline or comma to mark the beginning of the next attribute."],
  blockLabel: ["Invalid block definition", 'Either a quoted string block label or an opening brace ("{") is expected here.'],
  numberLiteral: ["Invalid number literal", "Failed to recognize the value of this number literal."],
  legacyIndexChain: [
    "Invalid legacy index syntax",
    "When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [1][2].",
  ],
  invalidCharacter: ["Invalid character", "This character is not used within the language."],
} as const;

/** HCL reads a carriage return only before a line feed; tree-sitter's grammar skips any as blank space. */
export function loneCarriageReturn(text: string, lineStarts: number[]): SyntaxError[] {
  for (let i = text.indexOf("\r"); i >= 0; i = text.indexOf("\r", i + 1)) {
    if (text.charCodeAt(i + 1) === 10) continue;
    // Comments may hold one; a line with a comment marker before it is left to HashiCorp's parser.
    const lineStart = Math.max(text.lastIndexOf("\n", i), text.lastIndexOf("\r", i - 1)) + 1;
    if (/#|\/\/|\/\*/.test(text.slice(lineStart, i))) continue;
    return [{ message: "Invalid character: This character is not used within the language.", range: rangeOf(lineStarts, i, i + 1) }];
  }
  return [];
}

/**
 * A number followed by more dotted digits where a value starts (`cidr = 10.11.10.12/32`): HCL reads
 * `10.11.10.12` as one number literal and rejects it, tree-sitter reads a number and legacy indexes.
 * Values start after `=`, `(`, `[`, `,`, `?`, `:` or `{`; a version in a string ("~> 1.2.3") does not.
 */
const NUMBER_HINT = /(?:[=([,?:{]|^)[ \t]*-?(?:\d+\.\d+\.\d|0x)/m;
/** A name followed by two legacy indexes (`a.1.2`), which HCL does not chain. */
const LEGACY_CHAIN_HINT = /[A-Za-z_\]]\.\d+\.\d/;
/** An empty interpolation, `${}`. */
const EMPTY_INTERPOLATION_HINT = /\$\{~?[ \t\r\n]*~?\}/;
/** Something after a heredoc's opening marker on its line (`<<EOT  `, `<<-EOT(`). */
const HEREDOC_HINT = /<<-?[A-Za-z_][\w-]*[^\w\r\n-]/;
/** White space tree-sitter's grammar skips (JavaScript's \s) that HCL does not accept outside strings and comments. */
const UNUSUAL_SPACE = /[\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;
/** HCL's number literal. */
const HCL_NUMBER = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Rules of HCL's expressions that tree-sitter's grammar does not enforce, found by the fuzzer. Each is
 * looked for in the text first; the tree is only searched when the text holds a hint of it, so a file
 * without one costs a few regular expression scans (about half a millisecond for 3,000 lines, measured).
 * @param scope the part of the text to look for hints in: while typing, the lines around the edit of
 * a version that had no error (every hint lies within a line or two, and the rest was clean before)
 */
export function expressionProblems(text: string, root: Node, lineStarts: number[], scope: { start: number; end: number }): SyntaxError[] {
  const problems: SyntaxError[] = [];
  const add = ([summary, detail]: readonly [string, string], start: number, end: number) => {
    if (problems.length < 20) problems.push({ message: `${summary}: ${detail}`, range: rangeOf(lineStarts, start, end) });
  };
  const hints = scope.start === 0 && scope.end === text.length ? text : text.slice(scope.start, scope.end);
  if (NUMBER_HINT.test(hints) || LEGACY_CHAIN_HINT.test(hints)) {
    // Indexes already part of a reported error (descendants come in text order).
    let coveredTo = -1;
    for (const legacy of root.descendantsOfType("legacy_index")) {
      const index = legacy?.parent;
      const before = index?.previousNamedSibling;
      if (!index || !before || index.startIndex < coveredTo) continue;
      // The literal or chain runs on through every legacy index written right after it.
      let end = index;
      for (
        let next = index.nextNamedSibling;
        next?.type === "index" && next.startIndex === end.endIndex && next.firstNamedChild?.type === "legacy_index";
        next = next.nextNamedSibling
      )
        end = next;
      if (before.type === "literal_value" && before.firstNamedChild?.type === "numeric_lit") {
        add(NEWLINE_RULES.numberLiteral, before.startIndex, end.endIndex);
        coveredTo = end.endIndex;
      } else if (before.type === "index" && before.firstNamedChild?.type === "legacy_index") {
        add(NEWLINE_RULES.legacyIndexChain, before.startIndex + 1, end.endIndex);
        coveredTo = end.endIndex;
      }
    }
    for (const number of root.descendantsOfType("numeric_lit")) {
      if (number && !HCL_NUMBER.test(number.text)) add(NEWLINE_RULES.numberLiteral, number.startIndex, number.endIndex);
    }
  }
  if (EMPTY_INTERPOLATION_HINT.test(hints)) {
    for (const interpolation of root.descendantsOfType("template_interpolation")) {
      if (interpolation && !interpolation.namedChildren.some((c) => c?.type === "expression")) {
        add(NEWLINE_RULES.expressionStart, interpolation.endIndex - 1, interpolation.endIndex);
      }
    }
  }
  if (HEREDOC_HINT.test(hints)) {
    for (const heredoc of root.descendantsOfType("heredoc_template")) {
      const marker = heredoc?.namedChildren.find((c) => c?.type === "heredoc_identifier");
      if (!heredoc || !marker) continue;
      // The opening marker ends its line: a line feed, or a carriage return and a line feed.
      const after = text.charCodeAt(marker.endIndex) === 13 ? marker.endIndex + 1 : marker.endIndex;
      if (after < text.length && text.charCodeAt(after) !== 10)
        add(NEWLINE_RULES.expressionStart, heredoc.startIndex, heredoc.startIndex + 1);
    }
  }
  for (const m of hints.matchAll(UNUSUAL_SPACE)) {
    const at = scope.start + m.index;
    // A byte order mark opens a file; HCL skips it there.
    if (at === 0 && m[0] === "\ufeff") continue;
    if (!inTextOrComment(root.descendantForIndex(at, at + 1))) add(NEWLINE_RULES.invalidCharacter, at, at + 1);
  }
  // The top level is a body; tree-sitter also takes a bare object there (` {` at the start of a file).
  for (const child of root.namedChildren) {
    if (child && child.type !== "body" && child.type !== "comment")
      add(NEWLINE_RULES.argumentRequired, child.startIndex, child.startIndex + 1);
  }
  return problems;
}

/** Node types that hold text or a comment, where any character may stand. */
const TEXT_NODES = new Set(["template_literal", "comment", "string_lit", "quoted_template", "heredoc_template"]);

/**
 * Whether a node is (inside) a string's text, a heredoc or a comment, not an interpolation of one.
 * tree-sitter skips white space at the edge of a string's text, so the smallest node spanning it may
 * be the string itself.
 */
function inTextOrComment(node: Node | null): boolean {
  for (let n = node; n; n = n.parent) {
    if (n.type === "template_interpolation" || n.type === "template_directive") return false;
    if (TEXT_NODES.has(n.type)) return true;
  }
  return false;
}

/** `${` or `%{` not escaped as `$${` / `%%{`. */
export const UNESCAPED_TEMPLATE = /(?<!\$)\$\{|(?<!%)%\{/;

/** Tokens after which the rest of their node may span lines: brackets, quotes and heredoc starts. */
export const OPENERS = new Set(["(", "[", "{", "object_start", "tuple_start", "quoted_template_start", "heredoc_start"]);

/** Parts of a quoted template that may span lines: interpolations and directive tags (`${ }`, `%{ }`). */
export const TEMPLATE_ISLANDS = [
  "template_interpolation",
  "template_if_intro",
  "template_else_intro",
  "template_if_end",
  "template_for_start",
  "template_for_end",
];

/** The first newline in [start, end) of `text` outside the given nodes, or -1. */
export function newlineOutside(text: string, start: number, end: number, islands: Array<Node | null>): number {
  const spans = islands.filter((n): n is Node => n !== null).map((n) => [n.startIndex, n.endIndex] as const);
  for (let i = text.indexOf("\n", start); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) {
    if (!spans.some(([s, e]) => i >= s && i < e)) return i;
  }
  return -1;
}

/**
 * Whether a value's text can hold a quoted string split over lines: some line has an odd number of
 * unescaped quotes. Cheap; it misses a split string only when a stray quote (in a comment) shares its
 * line, and what it lets through is checked on the tree.
 */
export function mayHoldMultiLineString(text: string): boolean {
  let quotes = 0;
  // A string nested in an interpolation (`"a-${f("b` newline `c")}"`) keeps the quotes of a line even;
  // a line that opens more braces than it closes after a `${` or `%{` is checked on the tree too.
  let braces = 0;
  let template = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 92) i++;
    else if (ch === 34) quotes++;
    else if (ch === 123) {
      braces++;
      if (i > 0 && (text.charCodeAt(i - 1) === 36 || text.charCodeAt(i - 1) === 37)) template = true;
    } else if (ch === 125) braces--;
    else if (ch === 10) {
      if (quotes % 2 === 1 || (template && braces > 0)) return true;
      quotes = 0;
      braces = 0;
      template = false;
    }
  }
  return false;
}

/**
 * Hints that a multi-line value may break a rule of HCL's object constructors, which tree-sitter's
 * grammar does not enforce: a line that starts with `=`, `,` or an operator, an `=` or an operator at
 * the end of a line, or a second `name =` after a value on one line. Only a value with a hint is walked on the tree.
 */
export const OBJECT_HINT =
  /\n[ \t]*[-+*/%<>&|!?:.=,]|[-+*/%<>&|!?:.=][ \t]*(?:(?:#|\/\/)[^\n]*)?\r?\n|[\w"\])}][ \t]+[\w"-]+[ \t]*=(?![=>])/;

/** Whether `node` lies inside a template interpolation below `top`. */
function insideInterpolation(node: Node, top: Node): boolean {
  for (let n = node.parent; n && n.id !== top.id; n = n.parent) if (n.type === "template_interpolation") return true;
  return false;
}

/** The row of a node's start and end, as tree-sitter counts lines (line feeds). */
const rowOf = (node: Node, end = false): number => (end ? node.endPosition.row : node.startPosition.row);

/**
 * Whether `node` continues a value on the row it has reached (`state.row`), token by token, as
 * `StructureReader.onLine` does with its cursor: used for the values of object elements, which are
 * walked only when `OBJECT_HINT` matched.
 */
function continuesOnRow(node: Node, state: { row: number }): boolean {
  if (node.childCount === 0) {
    if (node.type !== "comment" && rowOf(node) !== state.row) return false;
    state.row = rowOf(node, true);
    return true;
  }
  for (const child of node.children) {
    if (!child) continue;
    if (OPENERS.has(child.type)) {
      const ok = rowOf(child) === state.row;
      state.row = rowOf(node, true);
      return ok;
    }
    if (!continuesOnRow(child, state)) return false;
  }
  return true;
}

/** Reports one of `NEWLINE_RULES` at [start, end). */
export type ReportRule = (rule: readonly [string, string], start: number, end: number) => void;

/**
 * Inside an object constructor (unlike brackets and parentheses) newlines count: an element's key,
 * `=` and value start on one line, the value ends on its line (outside brackets), and elements are
 * separated by a newline or a comma on the line of the element before it. Reports the first break only.
 */
export function checkObjects(value: Node, report: ReportRule): void {
  for (const object of value.descendantsOfType("object")) {
    // Inside `${ }` HCL ignores newlines again; such objects are left to HashiCorp's parser.
    if (!object || insideInterpolation(object, value)) continue;
    let previousEnd: number | undefined;
    let comma = false;
    for (const child of object.children) {
      if (!child) continue;
      if (child.type === ",") {
        if (previousEnd !== undefined && rowOf(child) !== previousEnd)
          return report(NEWLINE_RULES.expressionStart, child.startIndex, child.endIndex);
        comma = true;
      } else if (child.type === "object_elem") {
        if (previousEnd !== undefined && !comma && rowOf(child) === previousEnd)
          return report(NEWLINE_RULES.missingSeparator, child.startIndex, child.endIndex);
        if (!elementOnItsLine(child, report)) return;
        previousEnd = rowOf(child, true);
        comma = false;
      }
    }
  }
}

/** Checks one object element's key, `=` and value (see `checkObjects`); false when it reported one. */
function elementOnItsLine(element: Node, report: ReportRule): boolean {
  const key = element.childForFieldName("key");
  const value = element.childForFieldName("val");
  const equals = element.children.find((c) => c?.type === "=" || c?.type === ":");
  if (!key || !value || !equals) return true;
  const row = rowOf(equals);
  if (rowOf(key, true) !== row) report(NEWLINE_RULES.missingValue, key.endIndex, equals.startIndex);
  else if (rowOf(key) !== row) report(NEWLINE_RULES.expressionStart, key.startIndex, key.endIndex);
  else if (rowOf(value) !== row) report(NEWLINE_RULES.expressionStart, equals.startIndex, value.startIndex);
  else if (!continuesOnRow(value, { row })) report(NEWLINE_RULES.expressionStart, value.startIndex, value.endIndex);
  else return true;
  return false;
}
