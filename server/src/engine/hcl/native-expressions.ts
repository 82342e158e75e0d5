// Converts tree-sitter's expression nodes into the model's expressions, and an expression's text when its tree is gone.
import type { Node, Tree } from "web-tree-sitter";
import type { FileSource } from "./reuse.ts";
import { hclRuntime } from "./runtime.ts";
import { trimEndGoSpace, trimStartGoSpace } from "./reader/tokens.ts";
import { flushHeredocLines, nfc, TT_END, TT_IF, TT_INTERP, TT_LITERAL, type TemplateToken } from "./reader/literals.ts";
import { rangeOf, type Expr, type ObjectEntry, type Range } from "../model.ts";

/** Converts expressions from tree nodes; the line table is computed once per file. */
export class Converter {
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

  /**
   * The value of a `string_lit`: the text between its quotes, unescaped. The grammar's
   * `template_literal` leaves out spaces at its ends (`" a "` holds one of `a`), so the text is
   * read from the file, as it is for every literal part of a template.
   */
  stringLiteral(node: Node): string {
    const [start, end] = this.betweenQuotes(node);
    return nfc(unescapeQuoted(this.text.slice(start, end)));
  }

  /** Where the text between the quotes of a quoted template or string starts and ends. */
  betweenQuotes(node: Node): [number, number] {
    const kids = this.named(node);
    const first = kids[0];
    const last = kids[kids.length - 1];
    return [
      first?.type === "quoted_template_start" ? first.endIndex : node.startIndex + 1,
      last?.type === "quoted_template_end" ? last.startIndex : node.endIndex,
    ];
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
      // The source starts where the term does: at the parenthesis of `(a).b[*]`, before its first named part.
      const source = this.term(head, rangeOf(this.lineStarts, range.startOffset, head[head.length - 1].endIndex + this.shift));
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
    // Where each operand starts: at its opening parenthesis when it has one (`(a).b + 1`).
    const starts: number[] = [-1];
    let operator: string | undefined;
    for (const child of inner.children) {
      if (!child || child.type === "comment") continue;
      const current = operands.length - 1;
      if (child.isNamed) {
        operands[current].push(child);
        if (starts[current] < 0) starts[current] = child.startIndex;
      } else if (child.type === "(") {
        if (starts[current] < 0) starts[current] = child.startIndex;
      } else if (child.type !== ")" && operator === undefined) {
        operator = child.type;
        if (operands[0].length > 0) {
          operands.push([]);
          starts.push(-1);
        }
      }
    }
    if (operator === undefined || operands.some((o) => o.length === 0)) return { kind: "other", range };
    const converted = operands.map((parts, i) =>
      this.term(parts, rangeOf(this.lineStarts, starts[i] + this.shift, parts[parts.length - 1].endIndex + this.shift)),
    );
    return { kind: "operation", operator, operands: converted, range };
  }

  /**
   * The conditions and branches of a conditional, in order: `[c0, t0, c1, t1, ..., f]`. The grammar
   * groups `a ? b : c ? d : e` to the left, as `(a ? b : c) ? d : e`; HCL groups it to the right,
   * `a ? b : (c ? d : e)`, so a conditional that is the unparenthesised condition of another is
   * unfolded into the chain. Undefined when a part is missing.
   */
  conditionalChain(node: Node): Node[] | undefined {
    const [condition, whenTrue, whenFalse] = this.named(node).filter((c) => c.type === "expression");
    if (!condition || !whenTrue || !whenFalse) return undefined;
    const inner = this.named(condition);
    if (inner.length === 1 && inner[0].type === "conditional" && condition.firstChild?.type !== "(") {
      const chain = this.conditionalChain(inner[0]);
      return chain ? [...chain, whenTrue, whenFalse] : undefined;
    }
    return [condition, whenTrue, whenFalse];
  }

  /** The conditional that starts at `chain[at]` (see `conditionalChain`). */
  conditional(chain: Node[], at: number, range: Range): Expr {
    const whenFalse =
      at + 3 === chain.length
        ? this.expr(chain[at + 2])
        : this.conditional(
            chain,
            at + 2,
            rangeOf(this.lineStarts, chain[at + 2].startIndex + this.shift, chain[chain.length - 1].endIndex + this.shift),
          );
    return { kind: "conditional", condition: this.expr(chain[at]), whenTrue: this.expr(chain[at + 1]), whenFalse, range };
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
        const chain = this.conditionalChain(node);
        return chain ? this.conditional(chain, 0, range) : { kind: "other", range };
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

  /** An object key as written: a bare name (`a = 1`, and `true = 1` as HCL reads keywords there) or a literal string (`"a" = 1`). */
  objectKey(keyNode: Node): string | undefined {
    // A parenthesised key is an expression whose value is the key: `(a) = 1` is keyed by a's value.
    if (keyNode.firstChild?.type === "(") return undefined;
    const k = this.expr(keyNode);
    if (k.kind === "traversal" && k.path.length === 0) return k.root;
    if (k.kind === "literal" && typeof k.value === "string") return k.value;
    if (k.kind === "literal" && typeof k.value !== "number") return this.text.slice(keyNode.startIndex, keyNode.endIndex);
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
    const [start, end] = this.betweenQuotes(node);
    const model: Array<TemplateToken | Expr> = [];
    this.templateTokens(node, start, end, false, [], model);
    return { kind: "template", parts: templateModel(model), heredoc: false, range };
  }

  /**
   * The tokens of a template's content [start, end), as hclsyntax's scanner splits it: literal
   * text (unescaped, strip markers applied; a heredoc's split after each line break, which is
   * what strip markers and `<<-` work on), interpolations and directive markers, directives'
   * insides included, go to `all`; the literal tokens and expressions of the template's own level
   * (each directive one `other`) go to `model`.
   */
  templateTokens(
    node: Node,
    start: number,
    end: number,
    heredoc: boolean,
    all: TemplateToken[],
    model?: Array<TemplateToken | Expr>,
  ): void {
    let cursor = start;
    let stripStart = false;
    for (const child of this.named(node)) {
      const type = child.type;
      // The grammar's literals leave out spaces at their ends: literal text is what lies between the other parts.
      if (!STRUCTURAL_TEMPLATE_PARTS.has(type)) continue;
      // `${~` and `%{~` strip the spaces before them, `~}` those after them.
      const stripEnd = this.text.charCodeAt(child.startIndex + 2) === 0x7e;
      this.literalTokens(cursor, child.startIndex, heredoc, stripStart, stripEnd, all, model);
      if (type === "template_interpolation") {
        all.push({ kind: TT_INTERP, text: "", start: child.startIndex, end: child.endIndex });
        model?.push(this.interpolation(child));
      } else if (type === "template_directive") {
        const inner = this.named(child)[0];
        if (inner) this.templateTokens(inner, child.startIndex, child.endIndex, heredoc, all);
        model?.push({ kind: "other", range: this.range(child) });
      } else {
        // A directive's marker (`%{ if … }`, `%{ else }`, `%{ endfor }`): no literal text.
        all.push({ kind: TT_IF, text: "", start: child.startIndex, end: child.endIndex });
      }
      stripStart = this.text.charCodeAt(child.endIndex - 2) === 0x7e;
      cursor = child.endIndex;
    }
    this.literalTokens(cursor, end, heredoc, stripStart, false, all, model);
  }

  /** The literal tokens of the text [start, end) of a template (see `templateTokens`). */
  literalTokens(
    start: number,
    end: number,
    heredoc: boolean,
    stripStart: boolean,
    stripEnd: boolean,
    all: TemplateToken[],
    model?: Array<TemplateToken | Expr>,
  ): void {
    if (start >= end) return;
    const first = all.length;
    for (let at = start; at < end;) {
      const lineEnd = heredoc ? this.text.indexOf("\n", at) : -1;
      const tokenEnd = lineEnd < 0 || lineEnd >= end ? end : lineEnd + 1;
      const raw = this.text.slice(at, tokenEnd);
      const token: TemplateToken = {
        kind: TT_LITERAL,
        text: heredoc ? unescapeHeredoc(raw) : unescapeQuoted(raw),
        start: at,
        end: tokenEnd,
      };
      all.push(token);
      model?.push(token);
      at = tokenEnd;
    }
    if (stripStart) all[first].text = trimStartGoSpace(all[first].text);
    if (stripEnd) all[all.length - 1].text = trimEndGoSpace(all[all.length - 1].text);
  }

  interpolation(node: Node): Expr {
    const e = this.named(node).find((c) => c?.type === "expression");
    return e ? this.expr(e) : { kind: "other", range: this.range(node) };
  }

  heredoc(node: Node, range: Range): Expr {
    const start = this.named(node).find((c) => c?.type === "heredoc_start");
    const ids = this.named(node).filter((c): c is Node => c?.type === "heredoc_identifier");
    const flush = start ? this.text.startsWith("<<-", start.startIndex) : false;
    if (ids.length < 2) return { kind: "other", range };
    // Content runs from the line after the opening identifier to the start of the closing line.
    let contentStart = ids[0].endIndex;
    while (contentStart < this.text.length && this.text[contentStart] !== "\n") contentStart++;
    contentStart++;
    let contentEnd = ids[ids.length - 1].startIndex;
    while (contentEnd > contentStart && (this.text[contentEnd - 1] === " " || this.text[contentEnd - 1] === "\t")) contentEnd--;
    // Line ends are kept as written (CRLF too), as HCL's value keeps them.
    const all: TemplateToken[] = [];
    const model: Array<TemplateToken | Expr> = [];
    this.templateTokens(node, contentStart, contentEnd, true, all, model);
    if (flush) {
      all.push({ kind: TT_END, text: "", start: contentEnd, end: contentEnd });
      flushHeredocLines(all);
    }
    return { kind: "template", parts: templateModel(model), heredoc: true, range };
  }
}

/** The nodes of a template that are no literal text: interpolations, directives and directives' markers. */
const STRUCTURAL_TEMPLATE_PARTS = new Set([
  "template_interpolation",
  "template_directive",
  "template_if_intro",
  "template_else_intro",
  "template_if_end",
  "template_for_start",
  "template_for_end",
]);

/** A template's parts from its tokens: consecutive literal tokens are one string (empty ones dropped), in Unicode normal form C. */
function templateModel(tokens: Array<TemplateToken | Expr>): Array<string | Expr> {
  const parts: Array<string | Expr> = [];
  for (const t of tokens) {
    if (typeof t.kind === "number") pushText(parts, t.text);
    else parts.push(t);
  }
  return parts.map(nfc);
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
 * Converts the expression at [start, end) of a file: from its node while the file's tree is alive,
 * otherwise by parsing it alone as `x = <expression>`. Expressions are context-free in HCL, so both
 * give the same result.
 */
export function convertExpression(source: FileSource, start: number, end: number): Expr {
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
