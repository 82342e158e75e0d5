// Compares the engine's own HCL reader with HashiCorp's parser on one text: the accept/reject verdict, and every literal value.
import { parseWithHashiCorp } from "../../server/src/engine/hcl/hashicorp.ts";
import { readHcl } from "../../server/src/engine/hcl/reader/index.ts";
import { scan } from "../../server/src/engine/hcl/reader/scanner.ts";
import { T_COMMENT, T_MINUS, T_NEWLINE, T_NUMBER, T_OPAREN, T_TEMPLATE_INTERP, Tokens } from "../../server/src/engine/hcl/reader/tokens.ts";
import { literalValue, type Body, type Expr, type Value } from "../../server/src/engine/model.ts";
import { walkBesideHcl2json } from "../helpers/hcl2json.ts";

/** HashiCorp's verdict: accepted (with hcl2json's JSON of the body, unless its conversion failed) or rejected. */
export type HashiCorpVerdict = { accepted: true; json?: Record<string, unknown> } | { accepted: false; message: string };

/**
 * Asks hcl2json. Its errors are of two kinds: "parse config: …" is the parser's rejection; any
 * other is hcl2json failing to convert an accepted body to JSON (a block type used with and
 * without labels), which is no verdict on the syntax.
 */
export async function hashicorpVerdict(text: string): Promise<HashiCorpVerdict> {
  try {
    return { accepted: true, json: (await parseWithHashiCorp("main.tf", text)) as Record<string, unknown> };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.startsWith("parse config") ? { accepted: false, message } : { accepted: true };
  }
}

/**
 * Whether HashiCorp's parser could not answer in reasonable time: Go's big.Float computes
 * 10^exponent for a number literal, which takes minutes from about 10^7 on.
 */
export function oracleWouldStall(text: string): boolean {
  if (!/[eE][+-]?0*[1-9][0-9]{6}/.test(text)) return false;
  const tokens = new Tokens();
  scan(text, tokens);
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.types[i] === T_NUMBER && /[eE][+-]?0*[1-9][0-9]{6}/.test(text.slice(tokens.starts[i], tokens.ends[i]))) return true;
  }
  return false;
}

export interface Comparison {
  /** Whether the reader accepts the text (HashiCorp's parser does too, unless `verdict` is set). */
  accepted: boolean;
  /** Our verdict and HashiCorp's differ. */
  verdict?: { ours: boolean; theirs: boolean; ourMessage?: string; theirMessage?: string };
  /** Literal values that differ (accepted texts only). */
  values: string[];
  /** Literal values compared. */
  compared: number;
}

/** Reads `text` with the engine's reader and compares it with HashiCorp's parser. */
export async function compare(text: string): Promise<Comparison> {
  const ours = readHcl("main.tf", text);
  const theirs = await hashicorpVerdict(text);
  const accepted = ours.syntaxErrors.length === 0;
  if (accepted !== theirs.accepted) {
    return {
      accepted,
      verdict: {
        ours: accepted,
        theirs: theirs.accepted,
        ourMessage: ours.syntaxErrors[0]?.message,
        theirMessage: theirs.accepted ? undefined : theirs.message,
      },
      values: [],
      compared: 0,
    };
  }
  const counter = { compared: 0 };
  const values: string[] = [];
  if (theirs.accepted && theirs.json) compareBody(ours.body, theirs.json, counter, values, text);
  return { accepted, values, compared: counter.compared };
}

/**
 * The value HashiCorp gives an expression, where the model's literal value differs by design:
 * `"${1}"` is the number 1 (a template of one interpolation passes its value through), `-7` is
 * the number -7 (the model reads a negation, as hclsyntax does; hcl2json writes a negated number's
 * value), and a template that interpolates null is an evaluation error in HCL, so it is no literal.
 */
export function comparableValue(expr: Expr, text: string): Value | undefined {
  if (expr.kind === "operation" && expr.operator === "-" && expr.operands.length === 1) {
    // Only a negated number: hcl2json writes any other negation (`-"${1}"`) back unevaluated.
    const [operand] = expr.operands;
    return operand.kind === "literal" && typeof operand.value === "number" ? -operand.value : undefined;
  }
  if (expr.kind === "template" && isPassThrough(expr, text)) return comparableValue(expr.parts[0] as Expr, text);
  if (expr.kind === "template" && expr.parts.some((p) => typeof p !== "string" && p.kind === "literal" && p.value === null))
    return undefined;
  if (expr.kind === "tuple") {
    const items: Value[] = [];
    for (const item of expr.items) {
      const v = comparableValue(item, text);
      if (v === undefined) return undefined;
      items.push(v);
    }
    return items;
  }
  if (expr.kind === "object") {
    const out: { [key: string]: Value } = {};
    for (const entry of expr.entries) {
      const v = comparableValue(entry.value, text);
      if (entry.key === undefined || v === undefined) return undefined;
      out[entry.key] = v;
    }
    return out;
  }
  return literalValue(expr);
}

/** A quoted template that is one interpolation and nothing else (`"${x}"`): HCL passes its value through unconverted. */
function isPassThrough(expr: Expr & { kind: "template" }, text: string): boolean {
  if (expr.heredoc || expr.parts.length !== 1 || typeof expr.parts[0] === "string") return false;
  const source = text.slice(expr.range.startOffset, expr.range.endOffset);
  return source.startsWith('"${') && source.endsWith('}"');
}

/**
 * Whether [start, end) of `text` holds a parenthesis token. HCL evaluates `(1)` to 1 and the model
 * reads through parentheses, but hcl2json writes any parenthesised expression back as `${(…)}`, so
 * such values cannot be compared with it.
 */
function hasParenthesis(text: string, start: number, end: number): boolean {
  if (!text.slice(start, end).includes("(")) return false;
  const tokens = new Tokens();
  scan(text, tokens, start, text.length, end);
  for (let i = 0; i < tokens.count; i++) if (tokens.types[i] === T_OPAREN) return true;
  return false;
}

/**
 * A number written with more than 15 significant digits: the model holds numbers as JavaScript
 * doubles, so `9007199254740993` is 9007199254740992 to it; hcl2json writes the digits as given
 * when such a number is interpolated into a string.
 */
function hasLongNumber(text: string, start: number, end: number): boolean {
  if (!/[0-9]{16}/.test(text.slice(start, end).replace(/[.eE]/g, ""))) return false;
  const tokens = new Tokens();
  scan(text, tokens, start, text.length, end);
  for (let i = 0; i < tokens.count; i++) {
    if (
      tokens.types[i] === T_NUMBER &&
      text
        .slice(tokens.starts[i], tokens.ends[i])
        .replace(/[eE].*$/, "")
        .replace(/\./, "")
        .replace(/^0+/, "").length > 15
    )
      return true;
  }
  return false;
}

/** `${-1}` in a template: HCL evaluates it to "-1", hcl2json writes the interpolation back unevaluated. */
function hasNegatedInterpolation(text: string, start: number, end: number): boolean {
  const source = text.slice(start, end);
  if (!source.includes("${") || !source.includes("-")) return false;
  const tokens = new Tokens();
  scan(text, tokens, start, text.length, end);
  let previous = -1;
  for (let i = 0; i < tokens.count; i++) {
    const t = tokens.types[i];
    if (t === T_COMMENT || t === T_NEWLINE) continue;
    if (t === T_MINUS && previous === T_TEMPLATE_INTERP) return true;
    previous = t;
  }
  return false;
}

function compareBody(body: Body, json: Record<string, unknown>, counter: { compared: number }, out: string[], text: string): void {
  walkBesideHcl2json(body, json, {
    attribute(a, where, present, theirs) {
      const mine = comparableValue(a.expr, text);
      if (
        mine === undefined ||
        hasParenthesis(text, a.nameRange.endOffset, a.range.endOffset) ||
        hasNegatedInterpolation(text, a.nameRange.endOffset, a.range.endOffset) ||
        hasLongNumber(text, a.nameRange.endOffset, a.range.endOffset)
      )
        return;
      counter.compared++;
      if (!present) out.push(`${where}: missing in hcl2json's output`);
      else if (!sameValue(mine, theirs)) out.push(`${where}: ours ${JSON.stringify(mine)}, HashiCorp's ${JSON.stringify(theirs)}`);
    },
    missingBlock(where) {
      out.push(`${where}: block missing in hcl2json's output`);
    },
  });
}

function sameValue(a: Value, b: Value): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => k in (b as object) && sameValue((a as Record<string, Value>)[k], (b as Record<string, Value>)[k]))
  );
}
