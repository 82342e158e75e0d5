// Builds the typed syntax model from HCL native syntax with the tree-sitter HCL grammar, in one pass per file.
import type { Node, Parser, Query, Tree, TreeCursor } from "web-tree-sitter";
import { LazyAttribute, shiftBlock, type FileSource, type LiveTree, type Shift, type TextChange } from "./reuse.ts";
import { hclRuntime } from "./runtime.ts";
import {
  computeLineStarts,
  positionAt,
  rangeOf,
  type Attribute,
  type Block,
  type Body,
  type Comment,
  type Expr,
  type ObjectEntry,
  type Range,
  type SourceFile,
  type SyntaxError,
} from "../model.ts";

/** Converts expressions from tree nodes; the line table is computed once per file. */
class Converter {
  /**
   * Each call to `namedChildren` crosses into WASM and builds new node objects; profiling showed
   * repeated calls per node costing as much as the parse itself, so each node's list is fetched once.
   */
  private readonly namedCache = new Map<number, Node[]>();

  /** @param shift where `text` starts in the file (non-zero when converting a re-parsed expression) */
  constructor(
    readonly text: string,
    readonly lineStarts: number[],
    readonly shift = 0,
  ) {}

  named(node: Node): Node[] {
    let list = this.namedCache.get(node.id);
    if (!list) {
      list = node.namedChildren.filter((c): c is Node => c !== null);
      this.namedCache.set(node.id, list);
    }
    return list;
  }

  range(node: Node): Range {
    return rangeOf(this.lineStarts, node.startIndex + this.shift, node.endIndex + this.shift);
  }

  /** The value of a `string_lit` (a label): its template literal, unescaped. */
  stringLiteral(node: Node): string {
    let out = "";
    for (const child of this.named(node)) {
      if (child?.type === "template_literal") out += unescapeQuoted(child.text);
    }
    return out;
  }

  expr(node: Node): Expr {
    const range = this.range(node);
    if (node.type === "expression")
      return this.term(
        this.named(node).filter((c) => c.type !== "comment"),
        range,
      );
    return this.primary(node, range);
  }

  /**
   * An expression written as a primary followed by get_attr / index / splat parts (the children of
   * an `expression` node, or one operand of an operation, which the grammar does not wrap).
   */
  term(kids: Node[], range: Range): Expr {
    if (kids.length === 0) return { kind: "other", range };
    if (kids.length === 1) return this.primary(kids[0], range);
    let splatAt = -1;
    for (let i = 1; i < kids.length && splatAt < 0; i++) if (kids[i].type === "splat") splatAt = i;
    if (splatAt > 0) {
      const head = kids.slice(0, splatAt);
      const source = this.term(head, rangeOf(this.lineStarts, head[0].startIndex + this.shift, head[head.length - 1].endIndex + this.shift));
      const splat = this.named(kids[splatAt])[0];
      // Accessors inside the splat node and after it apply to each element.
      const path = this.accessors([...(splat ? this.named(splat) : []), ...kids.slice(splatAt + 1)]);
      return path ? { kind: "splat", source, path, range } : { kind: "other", range };
    }
    // A primary followed by get_attr / index parts is a traversal when it starts at a variable.
    const [head, ...rest] = kids;
    if (head.type !== "variable_expr") return { kind: "other", range };
    const path = this.accessors(rest);
    return path ? { kind: "traversal", root: head.text, path, range } : { kind: "other", range };
  }

  /** The names and literal keys of get_attr / index parts, or undefined when one is computed (or not an accessor). */
  accessors(parts: Node[]): Array<string | number> | undefined {
    const path: Array<string | number> = [];
    for (const part of parts) {
      if (part.type === "get_attr") {
        const id = this.named(part).find((c) => c?.type === "identifier");
        if (!id) return undefined;
        path.push(id.text);
      } else if (part.type === "index") {
        const idx = this.indexKey(part);
        if (idx === undefined) return undefined;
        path.push(idx);
      } else return undefined;
    }
    return path;
  }

  /** `a op b` or `op a`: the grammar lists the operands' parts unwrapped, around an unnamed operator token. */
  operation(node: Node, range: Range): Expr {
    const inner = this.named(node)[0];
    if (!inner || (inner.type !== "binary_operation" && inner.type !== "unary_operation")) return { kind: "other", range };
    const operands: Node[][] = [[]];
    let operator: string | undefined;
    for (const child of inner.children) {
      if (!child || child.type === "comment") continue;
      if (child.isNamed) operands[operands.length - 1].push(child);
      else if (child.type !== "(" && child.type !== ")" && operator === undefined) {
        operator = child.type;
        if (operands[0].length > 0) operands.push([]);
      }
    }
    if (operator === undefined || operands.some((o) => o.length === 0)) return { kind: "other", range };
    const converted = operands.map((parts) => this.term(parts, rangeOf(this.lineStarts, parts[0].startIndex + this.shift, parts[parts.length - 1].endIndex + this.shift)));
    return { kind: "operation", operator, operands: converted, range };
  }

  /** The literal key of an index part (`[0]`, `["a"]`, legacy `.0`), or undefined when computed. */
  indexKey(part: Node): string | number | undefined {
    const inner = this.named(part)[0];
    if (!inner) return undefined;
    if (inner.type === "legacy_index") return Number(inner.text.replace(/^\./, ""));
    const e = this.named(inner).find((c) => c?.type === "expression");
    if (!e) return undefined;
    const v = this.expr(e);
    if (v.kind === "literal" && (typeof v.value === "number" || typeof v.value === "string")) return v.value;
    if (v.kind === "template" && v.parts.length === 1 && typeof v.parts[0] === "string") return v.parts[0];
    return undefined;
  }

  primary(node: Node, range: Range): Expr {
    switch (node.type) {
      case "expression":
        // Parenthesised expression.
        return this.expr(node);
      case "literal_value":
        return this.literal(node, range);
      case "variable_expr":
        return { kind: "traversal", root: node.text, path: [], range };
      case "conditional": {
        const [condition, whenTrue, whenFalse] = this.named(node).filter((c) => c.type === "expression");
        if (!condition || !whenTrue || !whenFalse) return { kind: "other", range };
        return { kind: "conditional", condition: this.expr(condition), whenTrue: this.expr(whenTrue), whenFalse: this.expr(whenFalse), range };
      }
      case "operation":
        return this.operation(node, range);
      case "template_expr": {
        const inner = this.named(node)[0];
        if (!inner) return { kind: "other", range };
        return inner.type === "heredoc_template" ? this.heredoc(inner, range) : this.quoted(inner, range);
      }
      case "function_call": {
        const name = this.named(node).find((c) => c?.type === "identifier");
        const argsNode = this.named(node).find((c) => c?.type === "function_arguments");
        const args: Expr[] = [];
        if (argsNode) for (const a of this.named(argsNode)) if (a?.type === "expression") args.push(this.expr(a));
        return { kind: "call", name: name ? name.text : "", args, range };
      }
      case "collection_value": {
        const inner = this.named(node)[0];
        if (!inner) return { kind: "other", range };
        if (inner.type === "tuple") {
          const items: Expr[] = [];
          for (const c of this.named(inner)) if (c?.type === "expression") items.push(this.expr(c));
          return { kind: "tuple", items, range };
        }
        if (inner.type === "object") {
          const entries: ObjectEntry[] = [];
          for (const elem of this.named(inner)) {
            if (elem?.type !== "object_elem") continue;
            // An object element's named children are its key and value expressions, in that order.
            const [keyNode, valNode] = this.named(elem).filter((c) => c.type === "expression");
            if (!keyNode || !valNode) continue;
            entries.push({ key: this.objectKey(keyNode), keyRange: this.range(keyNode), value: this.expr(valNode) });
          }
          return { kind: "object", entries, range };
        }
        return { kind: "other", range };
      }
      default:
        return { kind: "other", range };
    }
  }

  /** An object key as written: a bare name (`a = 1`) or a literal string (`"a" = 1`). */
  objectKey(keyNode: Node): string | undefined {
    const k = this.expr(keyNode);
    if (k.kind === "traversal" && k.path.length === 0) return k.root;
    if (k.kind === "literal" && typeof k.value === "string") return k.value;
    if (k.kind === "template" && k.parts.every((p) => typeof p === "string")) return k.parts.join("");
    return undefined;
  }

  literal(node: Node, range: Range): Expr {
    const inner = this.named(node)[0];
    if (!inner) return { kind: "other", range };
    switch (inner.type) {
      case "numeric_lit":
        return { kind: "literal", value: Number(inner.text), range };
      case "bool_lit":
        return { kind: "literal", value: inner.text === "true", range };
      case "null_lit":
        return { kind: "literal", value: null, range };
      case "string_lit":
        return { kind: "literal", value: this.stringLiteral(inner), range };
      default:
        return { kind: "other", range };
    }
  }

  quoted(node: Node, range: Range): Expr {
    const parts: Array<string | Expr> = [];
    for (const child of this.named(node)) {
      if (!child) continue;
      if (child.type === "template_literal") pushText(parts, unescapeQuoted(child.text));
      else if (child.type === "template_interpolation") parts.push(this.interpolation(child));
      else if (child.type === "template_directive") parts.push({ kind: "other", range: this.range(child) });
    }
    return { kind: "template", parts, heredoc: false, range };
  }

  interpolation(node: Node): Expr {
    const e = this.named(node).find((c) => c?.type === "expression");
    return e ? this.expr(e) : { kind: "other", range: this.range(node) };
  }

  heredoc(node: Node, range: Range): Expr {
    const start = this.named(node).find((c) => c?.type === "heredoc_start");
    const ids = this.named(node).filter((c): c is Node => c?.type === "heredoc_identifier");
    const flush = start ? start.text.startsWith("<<-") : false;
    if (ids.length < 2) return { kind: "other", range };
    // Content runs from the line after the opening identifier to the start of the closing line.
    let contentStart = ids[0].endIndex;
    while (contentStart < this.text.length && this.text[contentStart] !== "\n") contentStart++;
    contentStart++;
    let contentEnd = ids[ids.length - 1].startIndex;
    while (contentEnd > contentStart && (this.text[contentEnd - 1] === " " || this.text[contentEnd - 1] === "\t")) contentEnd--;
    const parts: Array<string | Expr> = [];
    let cursor = contentStart;
    for (const child of this.named(node)) {
      if (!child || (child.type !== "template_interpolation" && child.type !== "template_directive")) continue;
      if (child.startIndex > cursor) pushText(parts, unescapeHeredoc(this.text.slice(cursor, child.startIndex)));
      parts.push(child.type === "template_interpolation" ? this.interpolation(child) : { kind: "other", range: this.range(child) });
      cursor = child.endIndex;
    }
    if (contentEnd > cursor) pushText(parts, unescapeHeredoc(this.text.slice(cursor, contentEnd)));
    const normalised = parts.map((p) => (typeof p === "string" ? p.replace(/\r\n/g, "\n") : p));
    return { kind: "template", parts: flush ? dedentHeredoc(normalised) : normalised, heredoc: true, range };
  }
}

function pushText(parts: Array<string | Expr>, s: string): void {
  if (s === "") return;
  const last = parts[parts.length - 1];
  if (typeof last === "string") parts[parts.length - 1] = last + s;
  else parts.push(s);
}

/** Unescapes a quoted-string literal segment as HCL does (`\n`, `\"`, `\uXXXX`, `$${`, `%%{`). */
export function unescapeQuoted(s: string): string {
  if (!s.includes("\\") && !s.includes("$${") && !s.includes("%%{")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length) {
      const n = s[++i];
      switch (n) {
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case '"':
          out += '"';
          break;
        case "\\":
          out += "\\";
          break;
        case "u":
        case "U": {
          // HashiCorp rejects a malformed escape as a syntax error; here it is kept as written.
          const digits = n === "u" ? 4 : 8;
          const hex = s.slice(i + 1, i + 1 + digits);
          const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
          if (code <= 0x10ffff) {
            out += String.fromCodePoint(code);
            i += digits;
          } else out += "\\" + n;
          break;
        }
        default:
          out += "\\" + n;
      }
    } else if ((c === "$" || c === "%") && s[i + 1] === c && s[i + 2] === "{") {
      out += c + "{";
      i += 2;
    } else out += c;
  }
  return out;
}

/** Heredocs process only the `$${` and `%%{` escapes. */
function unescapeHeredoc(s: string): string {
  return s.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/**
 * `<<-` heredocs drop the smallest indentation of their non-blank lines, as hclsyntax does. A line
 * that begins with an interpolation has no indentation; text inside parts after one is not a line start.
 */
function dedentHeredoc(parts: Array<string | Expr>): Array<string | Expr> {
  let min = Infinity;
  let atLineStart = true;
  for (const p of parts) {
    if (typeof p !== "string") {
      if (atLineStart) min = 0;
      atLineStart = false;
      continue;
    }
    const lines = p.split("\n");
    lines.forEach((line, i) => {
      if ((i > 0 || atLineStart) && line.trim() !== "") min = Math.min(min, line.length - line.trimStart().length);
    });
    atLineStart = p.endsWith("\n");
  }
  if (!isFinite(min) || min === 0) return parts;
  atLineStart = true;
  return parts.map((p) => {
    if (typeof p !== "string") {
      atLineStart = false;
      return p;
    }
    const out = p
      .split("\n")
      .map((line, i) => (i > 0 || atLineStart ? line.slice(Math.min(min, line.length - line.trimStart().length)) : line))
      .join("\n");
    atLineStart = p.endsWith("\n");
    return out;
  });
}

/** HCL reads a carriage return only before a line feed; tree-sitter's grammar skips any as blank space. */
function loneCarriageReturn(text: string, lineStarts: number[]): SyntaxError[] {
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
function expressionProblems(text: string, root: Node, lineStarts: number[], scope: { start: number; end: number }): SyntaxError[] {
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
      if (after < text.length && text.charCodeAt(after) !== 10) add(NEWLINE_RULES.expressionStart, heredoc.startIndex, heredoc.startIndex + 1);
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
    if (child && child.type !== "body" && child.type !== "comment") add(NEWLINE_RULES.argumentRequired, child.startIndex, child.startIndex + 1);
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

/** Error nodes of a tree, reported with a generic message until HashiCorp's parser names them. */
function collectErrorNodes(tree: Tree, conv: Converter): SyntaxError[] {
  const errors: SyntaxError[] = [];
  const visit = (node: Node): void => {
    if (errors.length >= 20) return;
    if (node.type === "ERROR" || node.isMissing) {
      errors.push({
        message: node.isMissing ? `Missing ${node.type}` : "Invalid syntax",
        range: conv.range(node),
      });
      return;
    }
    // Only subtrees that contain an error are entered, so this is cheap on valid files.
    for (const child of node.children) if (child && (child.hasError || child.isMissing)) visit(child);
  };
  visit(tree.rootNode);
  return errors;
}

/**
 * Newline rules of HCL's native syntax that tree-sitter's grammar does not enforce, worded as
 * HashiCorp's parser words them. They are provisional like every tree-sitter error: the CLI and
 * the language server ask HashiCorp's parser for the exact errors of a file that has any.
 */
const NEWLINE_RULES = {
  afterArgument: ["Missing newline after argument", "An argument definition must end with a newline."],
  afterBlock: ["Missing newline after block definition", "A block definition must end with a newline."],
  argumentRequired: ["Argument or block definition required", "An argument or block definition is required here."],
  blockHeader: ["Invalid block definition", 'A block definition must have block content delimited by "{" and "}", starting on the same line as the block header.'],
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

/** `${` or `%{` not escaped as `$${` / `%%{`. */
const UNESCAPED_TEMPLATE = /(?<!\$)\$\{|(?<!%)%\{/;

/** Tokens after which the rest of their node may span lines: brackets, quotes and heredoc starts. */
const OPENERS = new Set(["(", "[", "{", "object_start", "tuple_start", "quoted_template_start", "heredoc_start"]);

/** Parts of a quoted template that may span lines: interpolations and directive tags (`${ }`, `%{ }`). */
const TEMPLATE_ISLANDS = ["template_interpolation", "template_if_intro", "template_else_intro", "template_if_end", "template_for_start", "template_for_end"];

/** The first newline in [start, end) of `text` outside the given nodes, or -1. */
function newlineOutside(text: string, start: number, end: number, islands: Array<Node | null>): number {
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
function mayHoldMultiLineString(text: string): boolean {
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
const OBJECT_HINT = /\n[ \t]*[-+*/%<>&|!?:.=,]|[-+*/%<>&|!?:.=][ \t]*(?:(?:#|\/\/)[^\n]*)?\r?\n|[\w"\])}][ \t]+[\w"-]+[ \t]*=(?![=>])/;

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

/**
 * Reads a file's blocks and attributes with one tree cursor. Node objects cost an allocation and
 * several WASM calls each (profiled: building them cost a third of parsing), so the structure is
 * read from the cursor and values are left to be converted from their nodes when a rule reads them.
 */
class StructureReader {
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
    this.report("type" in previous ? NEWLINE_RULES.afterBlock : NEWLINE_RULES.afterArgument, next.range.startOffset, next.range.startOffset + 1);
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
    if (OBJECT_HINT.test(text)) this.checkObjects(this.cursor.currentNode);
  }

  /**
   * Inside an object constructor (unlike brackets and parentheses) newlines count: an element's key,
   * `=` and value start on one line, the value ends on its line (outside brackets), and elements are
   * separated by a newline or a comma on the line of the element before it.
   */
  private checkObjects(value: Node): void {
    for (const object of value.descendantsOfType("object")) {
      // Inside `${ }` HCL ignores newlines again; such objects are left to HashiCorp's parser.
      if (!object || insideInterpolation(object, value)) continue;
      let previousEnd: number | undefined;
      let comma = false;
      for (const child of object.children) {
        if (!child) continue;
        if (child.type === ",") {
          if (previousEnd !== undefined && rowOf(child) !== previousEnd) return this.report(NEWLINE_RULES.expressionStart, child.startIndex, child.endIndex);
          comma = true;
        } else if (child.type === "object_elem") {
          if (previousEnd !== undefined && !comma && rowOf(child) === previousEnd) return this.report(NEWLINE_RULES.missingSeparator, child.startIndex, child.endIndex);
          if (!this.elementOnItsLine(child)) return;
          previousEnd = rowOf(child, true);
          comma = false;
        }
      }
    }
  }

  /** Checks one object element's key, `=` and value (see `checkObjects`); false when it reported one. */
  private elementOnItsLine(element: Node): boolean {
    const key = element.childForFieldName("key");
    const value = element.childForFieldName("val");
    const equals = element.children.find((c) => c?.type === "=" || c?.type === ":");
    if (!key || !value || !equals) return true;
    const row = rowOf(equals);
    if (rowOf(key, true) !== row) this.report(NEWLINE_RULES.missingValue, key.endIndex, equals.startIndex);
    else if (rowOf(key) !== row) this.report(NEWLINE_RULES.expressionStart, key.startIndex, key.endIndex);
    else if (rowOf(value) !== row) this.report(NEWLINE_RULES.expressionStart, equals.startIndex, value.startIndex);
    else if (!continuesOnRow(value, { row })) this.report(NEWLINE_RULES.expressionStart, value.startIndex, value.endIndex);
    else return true;
    return false;
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

  /** The value of the `string_lit` the cursor is on (a label): its template literal, unescaped. */
  private stringLiteral(): string {
    const c = this.cursor;
    let out = "";
    if (c.gotoFirstChild()) {
      do {
        if (c.nodeType === "template_literal") {
          const raw = this.source.text.slice(c.startIndex, c.endIndex);
          // tree-sitter reads `${` in a label as text; HCL starts a template sequence there, which a label may not hold.
          if (UNESCAPED_TEMPLATE.test(raw)) {
            this.report(NEWLINE_RULES.labelTemplate, c.startIndex, c.endIndex);
          }
          out += unescapeQuoted(raw);
        }
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return out;
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

/** What is known of a file's previous version when it is parsed again (editors). */
export interface PreviousVersion {
  file: SourceFile;
  change: TextChange;
}

/**
 * Builds a file's model from its tree. The tree must stay alive until `live` is released: values
 * are converted from its nodes when first read.
 */
export function convertTree(path: string, text: string, tree: Tree, commentQuery: () => Query, live: LiveTree, previous?: PreviousVersion, knownLineStarts?: number[]): SourceFile {
  const lineStarts = knownLineStarts ?? computeLineStarts(text);
  const source: FileSource = { text, lineStarts, live };
  const conv = new Converter(text, lineStarts);
  const root = tree.rootNode;
  // Comments are only read for suppression directives; the query cost 7% of parsing (profiled),
  // so it runs only when the text can hold a directive.
  const comments: Comment[] = text.includes("immutably-ignore")
    ? commentQuery()
        .captures(root)
        .map((c) => ({ text: c.node.text, range: conv.range(c.node) }))
    : [];
  const cursor = tree.walk();
  const clean = previous !== undefined && previous.file.syntaxErrors.length === 0;
  let body: Body;
  let reader: StructureReader;
  try {
    reader = new StructureReader(cursor, source);
    // Reused blocks are not checked again, so a previous version with errors is not reused from.
    if (!reader.enterTopBody()) body = { attributes: [], blocks: [] };
    else body = clean ? convertBodyReusing(reader, previous, source) : reader.body();
  } finally {
    cursor.delete();
  }
  return {
    path,
    text,
    syntax: "hcl",
    body,
    comments,
    syntaxErrors: root.hasError
      ? collectErrorNodes(tree, conv)
      : [
          ...reader.problems,
          ...loneCarriageReturn(text, lineStarts),
          ...expressionProblems(text, root, lineStarts, clean ? linesAround(previous.change, lineStarts, text) : { start: 0, end: text.length }),
        ].slice(0, 20),
    lineStarts,
  };
}

/** The text from the line before a change to the line after it (offsets in the new text). */
function linesAround(change: TextChange, lineStarts: number[], text: string): { start: number; end: number } {
  const first = Math.max(0, positionAt(lineStarts, change.start).line - 1);
  const last = positionAt(lineStarts, change.newEnd).line + 2;
  return { start: lineStarts[first], end: last < lineStarts.length ? lineStarts[last] : text.length };
}

/**
 * Converts the top-level body, reusing the previous version's top-level blocks that lie wholly
 * before or after the changed span: their text is unchanged, so only their offsets move. A block
 * whose boundaries differ (the edit changed how it parses) is converted again.
 */
function convertBodyReusing(reader: StructureReader, previous: PreviousVersion, source: FileSource): Body {
  const { start, oldEnd, newEnd } = previous.change;
  const delta = newEnd - oldEnd;
  const oldByStart = new Map(previous.file.body.blocks.map((b) => [b.range.startOffset, b]));
  // Blocks before the change keep their positions; blocks after it move by whole lines when they start
  // on a line after the change's last line.
  const oldLines = previous.file.lineStarts;
  const before: Shift = { delta: 0, lineDelta: 0, afterLine: -1, lineStarts: source.lineStarts };
  const after: Shift = { delta, lineDelta: source.lineStarts.length - oldLines.length, afterLine: positionAt(oldLines, oldEnd).line, lineStarts: source.lineStarts };
  return reader.body((childStart, childEnd) => {
    if (childEnd < start) {
      const old = oldByStart.get(childStart);
      if (old && old.range.endOffset === childEnd) return shiftBlock(old, before, source);
    } else if (childStart > newEnd) {
      const old = oldByStart.get(childStart - delta);
      if (old && old.range.endOffset === childEnd - delta) return shiftBlock(old, after, source);
    }
    return undefined;
  });
}

/**
 * Converts the expression at [start, end) of a file: from its node while the file's tree is alive,
 * otherwise by parsing it alone as `x = <expression>`. Expressions are context-free in HCL, so both
 * give the same result.
 */
function convertExpression(source: FileSource, start: number, end: number): Expr {
  const tree = source.live?.tree;
  if (tree) {
    let node: Node | null = tree.rootNode.descendantForIndex(start, end);
    // The smallest node spanning the value may be inside it (`"a"` is a quoted template within an expression).
    while (node && !(node.type === "expression" && node.startIndex === start && node.endIndex === end)) {
      if (node.startIndex < start || node.endIndex > end) {
        node = null;
        break;
      }
      node = node.parent;
    }
    if (node) return new Converter(source.text, source.lineStarts).expr(node);
  }
  return convertExpressionText(source, start, end);
}

/** The expression of the first attribute of a tree's top-level body (`x = <expression>` snippets). */
function firstAttributeExpression(tree: Tree): Node | undefined {
  const body = tree.rootNode.namedChildren.find((c) => c?.type === "body");
  const attribute = body?.namedChildren.find((c) => c?.type === "attribute");
  return attribute?.namedChildren.find((c) => c?.type === "expression") ?? undefined;
}

/** Converts the expression at [start, end) of a file by parsing it alone as `x = <expression>`. */
function convertExpressionText({ text, lineStarts }: FileSource, start: number, end: number): Expr {
  const fallback: Expr = { kind: "other", range: rangeOf(lineStarts, start, end) };
  const snippet = "x = " + text.slice(start, end) + "\n";
  const tree = hclRuntime().parser.parse(snippet);
  if (!tree) return fallback;
  try {
    const node = firstAttributeExpression(tree);
    return node ? new Converter(snippet, lineStarts, start - 4).expr(node) : fallback;
  } finally {
    tree.delete();
  }
}

/** Converts the expression of the single attribute in a synthetic `x = <expr>` tree (JSON templates). */
export function convertSingleExpression(text: string, lineStarts: number[], tree: Tree): Expr | undefined {
  if (tree.rootNode.hasError) return undefined;
  const node = firstAttributeExpression(tree);
  return node ? new Converter(text, lineStarts).expr(node) : undefined;
}

export type { Parser };
