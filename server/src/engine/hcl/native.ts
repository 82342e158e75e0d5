// Builds the typed syntax model from HCL native syntax with the tree-sitter HCL grammar, in one pass per file.
import type { Node, Parser, Query, Tree } from "web-tree-sitter";
import { LazyAttribute, shiftBlock, type FileSource, type TextChange } from "./reuse.ts";
import { hclRuntime } from "./runtime.ts";
import {
  computeLineStarts,
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

/** State for converting one tree; the line table is computed once per file. */
class Converter {
  /**
   * Each call to `namedChildren` crosses into WASM and builds new node objects; profiling showed
   * repeated calls per node costing as much as the parse itself, so each node's list is fetched once.
   */
  private readonly namedCache = new Map<number, Node[]>();

  /**
   * @param shift where `text` starts in the file (non-zero when converting a re-parsed expression)
   * @param source when given, attribute values are recorded as ranges of it and converted on first read
   */
  constructor(
    readonly text: string,
    readonly lineStarts: number[],
    readonly shift = 0,
    readonly source?: FileSource,
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

  rangeFromTo(start: number, end: number): Range {
    return rangeOf(this.lineStarts, start + this.shift, end + this.shift);
  }

  body(node: Node | null): Body {
    const body: Body = { attributes: [], blocks: [] };
    if (!node) return body;
    for (const child of this.named(node)) {
      if (!child) continue;
      if (child.type === "attribute") {
        const a = this.attribute(child);
        if (a) body.attributes.push(a);
      } else if (child.type === "block") {
        const b = this.block(child);
        if (b) body.blocks.push(b);
      }
    }
    return body;
  }

  attribute(node: Node): Attribute | undefined {
    const name = this.named(node).find((c) => c?.type === "identifier");
    const exprNode = this.named(node).find((c) => c?.type === "expression");
    if (!name) return undefined;
    const range = this.range(node);
    if (!exprNode) return { name: name.text, nameRange: this.range(name), range, expr: { kind: "other", range } };
    if (!this.source) return { name: name.text, nameRange: this.range(name), range, expr: this.expr(exprNode) };
    return new LazyAttribute(name.text, this.range(name), range, this.source, exprNode.startIndex, exprNode.endIndex, convertExpressionText);
  }

  block(node: Node): Block | undefined {
    let type: string | undefined;
    const labels: string[] = [];
    let headerEnd = node.startIndex;
    let openBraceEnd: number | undefined;
    let closeBraceStart: number | undefined;
    let bodyNode: Node | null = null;
    for (const child of node.children) {
      if (!child) continue;
      switch (child.type) {
        case "identifier":
          if (type === undefined) type = child.text;
          else labels.push(child.text);
          headerEnd = child.endIndex;
          break;
        case "string_lit":
          labels.push(this.stringLiteral(child));
          headerEnd = child.endIndex;
          break;
        case "block_start":
          openBraceEnd = child.endIndex;
          break;
        case "body":
          bodyNode = child;
          break;
        case "block_end":
          // A MISSING brace inserted by error recovery has no width and is not a real brace.
          if (!child.isMissing) closeBraceStart = child.startIndex;
          break;
      }
    }
    if (type === undefined) return undefined;
    return {
      type,
      labels,
      headerRange: this.rangeFromTo(node.startIndex, headerEnd),
      range: this.range(node),
      body: this.body(bodyNode),
      openBraceEnd,
      closeBraceStart,
    };
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
    const kids = this.named(node).filter((c): c is Node => c !== null && c.type !== "comment");
    if (node.type === "expression") {
      if (kids.length === 1) return this.primary(kids[0], range);
      // A primary followed by get_attr / index / splat parts is a traversal when it starts at a variable.
      const [head, ...rest] = kids;
      if (head.type === "variable_expr" && rest.every((k) => k.type === "get_attr" || k.type === "index")) {
        const path: Array<string | number> = [];
        for (const part of rest) {
          if (part.type === "get_attr") {
            const id = this.named(part).find((c) => c?.type === "identifier");
            if (!id) return { kind: "other", range };
            path.push(id.text);
          } else {
            const idx = this.indexKey(part);
            if (idx === undefined) return { kind: "other", range };
            path.push(idx);
          }
        }
        return { kind: "traversal", root: head.text, path, range };
      }
      return { kind: "other", range };
    }
    return this.primary(node, range);
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
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case '"': out += '"'; break;
        case "\\": out += "\\"; break;
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
        default: out += "\\" + n;
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

/** What is known of a file's previous version when it is parsed again (editors). */
export interface PreviousVersion {
  file: SourceFile;
  change: TextChange;
}

export function convertTree(path: string, text: string, tree: Tree, commentQuery: Query, previous?: PreviousVersion): SourceFile {
  const lineStarts = computeLineStarts(text);
  const source: FileSource = { text, lineStarts };
  const conv = new Converter(text, lineStarts, 0, source);
  const root = tree.rootNode;
  const bodyNode = root.namedChildren.find((c) => c?.type === "body") ?? null;
  // Comments are only read for suppression directives; the query cost 7% of parsing (profiled),
  // so it runs only when the text can hold a directive.
  const comments: Comment[] = text.includes("immutably-ignore")
    ? commentQuery.captures(root).map((c) => ({ text: c.node.text, range: conv.range(c.node) }))
    : [];
  return {
    path,
    text,
    syntax: "hcl",
    body: previous ? convertBodyReusing(conv, bodyNode, previous, source) : conv.body(bodyNode),
    comments,
    syntaxErrors: root.hasError ? collectErrorNodes(tree, conv) : [],
    lineStarts,
  };
}

/**
 * Converts the top-level body, reusing the previous version's top-level blocks that lie wholly
 * before or after the changed span: their text is unchanged, so only their offsets move. A block
 * whose boundaries differ (the edit changed how it parses) is converted again.
 */
function convertBodyReusing(conv: Converter, bodyNode: Node | null, previous: PreviousVersion, source: FileSource): Body {
  const body: Body = { attributes: [], blocks: [] };
  if (!bodyNode) return body;
  const { start, oldEnd, newEnd } = previous.change;
  const delta = newEnd - oldEnd;
  const oldByStart = new Map(previous.file.body.blocks.map((b) => [b.range.startOffset, b]));
  for (const child of conv.named(bodyNode)) {
    if (child.type === "attribute") {
      const a = conv.attribute(child);
      if (a) body.attributes.push(a);
      continue;
    }
    if (child.type !== "block") continue;
    let reused: Block | undefined;
    if (child.endIndex < start) {
      const old = oldByStart.get(child.startIndex);
      if (old && old.range.endOffset === child.endIndex) reused = shiftBlock(old, 0, source);
    } else if (child.startIndex > newEnd) {
      const old = oldByStart.get(child.startIndex - delta);
      if (old && old.range.endOffset === child.endIndex - delta) reused = shiftBlock(old, delta, source);
    }
    const b = reused ?? conv.block(child);
    if (b) body.blocks.push(b);
  }
  return body;
}

/**
 * Converts the expression at [start, end) of a file by parsing it alone as `x = <expression>`.
 * Expressions are context-free in HCL, so the result equals converting it within the file.
 */
function convertExpressionText({ text, lineStarts }: FileSource, start: number, end: number): Expr {
  const fallback: Expr = { kind: "other", range: rangeOf(lineStarts, start, end) };
  const snippet = "x = " + text.slice(start, end) + "\n";
  const tree = hclRuntime().parser.parse(snippet);
  if (!tree) return fallback;
  try {
    const conv = new Converter(snippet, lineStarts, start - 4);
    const bodyNode = tree.rootNode.namedChildren.find((c) => c?.type === "body") ?? null;
    return conv.body(bodyNode).attributes[0]?.expr ?? fallback;
  } finally {
    tree.delete();
  }
}

/** Converts the expression of the single attribute in a synthetic `x = <expr>` tree (JSON templates). */
export function convertSingleExpression(text: string, lineStarts: number[], tree: Tree): Expr | undefined {
  if (tree.rootNode.hasError) return undefined;
  const conv = new Converter(text, lineStarts);
  const body = conv.body(tree.rootNode.namedChildren.find((c) => c?.type === "body") ?? null);
  return body.attributes[0]?.expr;
}

export type { Parser };
