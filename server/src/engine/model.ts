// The typed syntax model shared by HCL native syntax and JSON syntax: files, bodies, blocks, attributes, expressions.

/** A zero-based position; `character` counts UTF-16 code units, as LSP does. */
export interface Position {
  line: number;
  character: number;
}

/** A range in one file: zero-based positions plus the matching string offsets. */
export interface Range {
  start: Position;
  end: Position;
  startOffset: number;
  endOffset: number;
}

/** A plain value as HCL and JSON can both express it. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

interface ExprBase {
  range: Range;
}
/** A string, number, bool or null written as a literal. */
export interface LiteralExpr extends ExprBase {
  kind: "literal";
  value: string | number | boolean | null;
}
/** A quoted string or heredoc with interpolations; `parts` alternate literal text and expressions. */
export interface TemplateExpr extends ExprBase {
  kind: "template";
  parts: Array<string | Expr>;
  heredoc: boolean;
}
/** A reference such as `var.x`, `local.y`, `aws_ami.web.id`, `path.module`, or a bare `ami`. */
export interface TraversalExpr extends ExprBase {
  kind: "traversal";
  root: string;
  path: Array<string | number>;
}
export interface CallExpr extends ExprBase {
  kind: "call";
  name: string;
  args: Expr[];
}
export interface TupleExpr extends ExprBase {
  kind: "tuple";
  items: Expr[];
}
export interface ObjectEntry {
  /** The key as written when it is a name or a literal string; undefined for computed keys. */
  key: string | undefined;
  keyRange: Range;
  value: Expr;
}
export interface ObjectExpr extends ExprBase {
  kind: "object";
  entries: ObjectEntry[];
}
/** `condition ? whenTrue : whenFalse`. */
export interface ConditionalExpr extends ExprBase {
  kind: "conditional";
  condition: Expr;
  whenTrue: Expr;
  whenFalse: Expr;
}
/** An operator and its operands: `a == b`, `a && b` (two operands), `!a`, `-a` (one). */
export interface OperationExpr extends ExprBase {
  kind: "operation";
  operator: string;
  operands: Expr[];
}
/** A splat: `source[*].path...` or `source.*.path...`, the path applied to each element of `source`. */
export interface SplatExpr extends ExprBase {
  kind: "splat";
  source: Expr;
  path: Array<string | number>;
}
/** Anything else (for expressions, computed indexes, accessors after a call): not interpreted. */
export interface OtherExpr extends ExprBase {
  kind: "other";
}
export type Expr =
  LiteralExpr | TemplateExpr | TraversalExpr | CallExpr | TupleExpr | ObjectExpr | ConditionalExpr | OperationExpr | SplatExpr | OtherExpr;

export interface Attribute {
  name: string;
  /** The attribute's name (JSON: the property key, quotes included). */
  nameRange: Range;
  /** The whole `name = value` (JSON: key and value). */
  range: Range;
  /** The value. In HCL files it is converted on first read (a getter), which callers need not notice. */
  expr: Expr;
}

export interface Block {
  type: string;
  labels: string[];
  /** From the block type to the end of the last label (JSON: the key that opens the block). */
  headerRange: Range;
  /** The whole block, header to closing brace. */
  range: Range;
  body: Body;
  /** Offset just after the opening brace, where new content may be inserted (HCL); undefined in JSON. */
  openBraceEnd?: number;
  /** Offset of the closing brace (HCL); undefined in JSON. */
  closeBraceStart?: number;
  /** The JSON object node's offset and path, for jsonc-parser `modify` edits; undefined in HCL. */
  jsonPath?: Array<string | number>;
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
}

export interface Comment {
  text: string;
  range: Range;
}

export type Syntax = "hcl" | "json";

export interface SyntaxError {
  message: string;
  range: Range;
}

/** One parsed file. `text` is exactly what was parsed (a BOM is kept in `text`, ranges count it). */
export interface SourceFile {
  path: string;
  text: string;
  syntax: Syntax;
  body: Body;
  /**
   * Comments, for suppression directives. HCL: every comment when the text contains
   * "immutably-ignore", else none (comments are not otherwise read). JSON: the "//" keys.
   */
  comments: Comment[];
  syntaxErrors: SyntaxError[];
  /** Offsets at which each line starts; lineStarts[0] = 0. */
  lineStarts: number[];
}

/**
 * How messages name a block: `aws_instance.web`, `data.aws_ami.ubuntu`, `module.vpc`,
 * `source.amazon-ebs.web`. A block written without its name label (which Terraform and Packer reject,
 * but which parses) is named as such, never with "undefined" in it.
 */
export function addressOf(block: Block): string {
  const [first, second] = block.labels;
  switch (block.type) {
    case "resource":
      return first !== undefined && second !== undefined ? `${first}.${second}` : `resource "${first ?? ""}" without a name`;
    case "data":
      return first !== undefined && second !== undefined ? `data.${first}.${second}` : `data "${first ?? ""}" without a name`;
    case "module":
      return first !== undefined ? `module.${first}` : "module without a name";
    case "source":
      return first !== undefined && second !== undefined ? `source.${first}.${second}` : `source "${first ?? ""}" without a name`;
    default:
      return [block.type, ...block.labels].join(".");
  }
}

/** Finds an attribute by name. */
export function attr(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/** All direct child blocks of a type. */
export function blocksOf(body: Body, type: string): Block[] {
  return body.blocks.filter((b) => b.type === type);
}

/** Converts an offset to a zero-based position using precomputed line starts. */
export function positionAt(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

/** Offsets at which each line of `text` starts (\n, \r\n and lone \r all end a line). */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  // Most files have no carriage return: then the native search for line feeds is enough.
  if (!text.includes("\r")) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * `computeLineStarts(text)` for a text that replaced [start, oldEnd) of the text `previous` was
 * computed for with [start, newEnd): only the changed span is scanned. Whether an offset starts a
 * line depends on the characters before and at it, which are unchanged outside that span.
 */
export function lineStartsAfterChange(
  text: string,
  previous: number[],
  change: { start: number; oldEnd: number; newEnd: number },
): number[] {
  // The first line start at or after the change.
  let lo = 1;
  let hi = previous.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (previous[mid] < change.start) lo = mid + 1;
    else hi = mid;
  }
  const inside: number[] = [];
  for (let at = Math.max(change.start, 1); at <= change.newEnd; at++) {
    const c = text.charCodeAt(at - 1);
    if (c === 10 || (c === 13 && text.charCodeAt(at) !== 10)) inside.push(at);
  }
  let after = lo;
  while (after < previous.length && previous[after] <= change.oldEnd) after++;
  // One array of the final length, filled in order (pushing thousands of starts grew it several times).
  const delta = change.newEnd - change.oldEnd;
  const starts = new Array<number>(lo + inside.length + previous.length - after);
  let n = 0;
  for (let i = 0; i < lo; i++) starts[n++] = previous[i];
  for (const at of inside) starts[n++] = at;
  for (let i = after; i < previous.length; i++) starts[n++] = previous[i] + delta;
  return starts;
}

/** A copy of an expression with every range (and object key range) passed through `map`. */
export function mapExprRanges(expr: Expr, map: (range: Range) => Range): Expr {
  const range = map(expr.range);
  switch (expr.kind) {
    case "template":
      return { ...expr, range, parts: expr.parts.map((p) => (typeof p === "string" ? p : mapExprRanges(p, map))) };
    case "call":
      return { ...expr, range, args: expr.args.map((a) => mapExprRanges(a, map)) };
    case "tuple":
      return { ...expr, range, items: expr.items.map((i) => mapExprRanges(i, map)) };
    case "object":
      return {
        ...expr,
        range,
        entries: expr.entries.map((e) => ({ key: e.key, keyRange: map(e.keyRange), value: mapExprRanges(e.value, map) })),
      };
    case "conditional":
      return {
        ...expr,
        range,
        condition: mapExprRanges(expr.condition, map),
        whenTrue: mapExprRanges(expr.whenTrue, map),
        whenFalse: mapExprRanges(expr.whenFalse, map),
      };
    case "operation":
      return { ...expr, range, operands: expr.operands.map((o) => mapExprRanges(o, map)) };
    case "splat":
      return { ...expr, range, source: mapExprRanges(expr.source, map) };
    default:
      return { ...expr, range };
  }
}

/** Builds a Range from two offsets. */
export function rangeOf(lineStarts: number[], startOffset: number, endOffset: number): Range {
  return {
    start: positionAt(lineStarts, startOffset),
    end: positionAt(lineStarts, endOffset),
    startOffset,
    endOffset,
  };
}

/** A number as HCL writes it into a string: plain decimal digits, never an exponent (`1e21` is "1000000000000000000000"). */
export function numberText(v: number): string {
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? "");
  const point = 1 + Number(m[4]);
  if (point >= digits.length) return m[1] + digits + "0".repeat(point - digits.length);
  if (point <= 0) return `${m[1]}0.${"0".repeat(-point)}${digits}`;
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The literal value of an expression when it is fully literal (no references or calls), else undefined. */
export function literalValue(expr: Expr): Value | undefined {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "template": {
      let out = "";
      for (const part of expr.parts) {
        if (typeof part === "string") out += part;
        else {
          const v = literalValue(part);
          if (v === undefined || (typeof v === "object" && v !== null)) return undefined;
          out += v === null ? "" : typeof v === "number" ? numberText(v) : String(v);
        }
      }
      return out;
    }
    case "tuple": {
      const items: Value[] = [];
      for (const item of expr.items) {
        const v = literalValue(item);
        if (v === undefined) return undefined;
        items.push(v);
      }
      return items;
    }
    case "object": {
      const obj: { [key: string]: Value } = {};
      for (const entry of expr.entries) {
        if (entry.key === undefined) return undefined;
        const v = literalValue(entry.value);
        if (v === undefined) return undefined;
        obj[entry.key] = v;
      }
      return obj;
    }
    default:
      return undefined;
  }
}
