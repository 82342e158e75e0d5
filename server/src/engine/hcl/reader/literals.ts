// Values of HCL literal tokens as hclsyntax computes them: string escapes, number literals, and the indentation `<<-` heredocs drop.
import type { Expr } from "../../model.ts";
import { isGoSpace } from "./tokens.ts";

/** What the template parser sees: literal text, an interpolation, or a directive marker. */
export const TT_LITERAL = 0;
export const TT_INTERP = 1;
export const TT_IF = 2;
export const TT_FOR = 3;
export const TT_ELSE = 4;
export const TT_ENDIF = 5;
export const TT_ENDFOR = 6;
export const TT_END = 7;

export interface TemplateToken {
  kind: number;
  /** Literal text (TT_LITERAL), escapes resolved and strip markers applied. */
  text: string;
  /** The interpolated expression (TT_INTERP, when building). */
  expr?: Expr;
  start: number;
  end: number;
}

const HEX = /^[0-9a-fA-F]*$/;

// eslint-disable-next-line no-control-regex -- every code point below 0x80 is ASCII, NUL included.
const NON_ASCII = /[^\x00-\x7f]/;

/** A string in Unicode normal form C, as HCL holds every string value (cty normalises them); other values as they are. */
export function nfc<T>(value: T): T {
  return typeof value === "string" && NON_ASCII.test(value) ? (value.normalize("NFC") as T) : value;
}

export interface EscapeProblem {
  detail: string;
  start: number;
  end: number;
}

/**
 * The value of a literal token [start, end) of `text`. Quoted literals resolve backslash escapes
 * (`\n`, `\r`, `\t`, `\"`, `\\`, `\uNNNN`, `\UNNNNNNNN`); both kinds turn `$${` and `%%{` into
 * `${` and `%{`. `problem` is the first malformed escape, which HashiCorp's parser rejects.
 */
export function unescapeTemplateLiteral(
  text: string,
  start: number,
  end: number,
  quoted: boolean,
): { value: string; problem?: EscapeProblem } {
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (
      (c === 0x5c && quoted) ||
      ((c === 0x24 || c === 0x25) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 0x7b && i + 2 < end)
    ) {
      plain = false;
      break;
    }
  }
  if (plain) return { value: text.slice(start, end) };
  let value = "";
  let problem: EscapeProblem | undefined;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if ((c === 0x24 || c === 0x25) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 0x7b && i + 2 < end) {
      value += c === 0x24 ? "${" : "%{";
      i += 3;
      continue;
    }
    if (c !== 0x5c || !quoted) {
      value += text[i];
      i++;
      continue;
    }
    const selector = text[i + 1];
    switch (selector) {
      case "n":
        value += "\n";
        i += 2;
        continue;
      case "r":
        value += "\r";
        i += 2;
        continue;
      case "t":
        value += "\t";
        i += 2;
        continue;
      case '"':
        value += '"';
        i += 2;
        continue;
      case "\\":
        value += "\\";
        i += 2;
        continue;
      case "u":
      case "U": {
        // The escape takes up to 4 (or 8) hex digits; fewer is an error, as is a code point UTF-8 cannot hold.
        const want = selector === "u" ? 4 : 8;
        let j = i + 2;
        while (j < end && j - (i + 2) < want && HEX.test(text[j])) j++;
        const digits = text.slice(i + 2, j);
        // A malformed one is an error and is kept as written, as hclsyntax keeps it.
        if (digits.length !== want) {
          problem ??= {
            detail: `The \\${selector} escape sequence must be followed by ${want === 4 ? "four" : "eight"} hexadecimal digits.`,
            start: i,
            end: j,
          };
          value += text.slice(i, j);
        } else {
          const cp = parseInt(digits, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            problem ??= { detail: `Cannot encode character U+${cp.toString(16).padStart(4, "0")} in UTF-8.`, start: i, end: j };
            value += text.slice(i, j);
          } else value += String.fromCodePoint(cp);
        }
        i = j;
        continue;
      }
      default: {
        // An unknown selector is an error; its character is kept, as hclsyntax keeps it.
        const cp = text.codePointAt(i + 1)!;
        const width = cp > 0xffff ? 2 : 1;
        problem ??= {
          detail: `The symbol "${text.slice(i + 1, i + 1 + width)}" is not a valid escape sequence selector.`,
          start: i,
          end: i + 1 + width,
        };
        value += text.slice(i + 1, i + 1 + width);
        i += 1 + width;
      }
    }
  }
  return { value, problem };
}

const NUMBER = /^([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const INT64_MAX = 9223372036854775807n;
const INT32_MAX = 2147483647n;

/**
 * Whether a number token holds a value HashiCorp's parser accepts (Go's big.Float parsing at 512
 * bits): one decimal point, one exponent that fits in 64 bits, and a binary exponent within 32 bits.
 */
export function validNumberLiteral(text: string, start: number, end: number): boolean {
  const m = NUMBER.exec(text.slice(start, end));
  if (!m) return false;
  if (m[3] === undefined) return true;
  if (m[3].length < 10) return true; // |exponent| < 10^9 keeps the binary exponent in range for any short mantissa
  const exponent = BigInt(m[3]);
  if (exponent > INT64_MAX || exponent < -INT64_MAX - 1n) return false;
  const digits = (m[1] + (m[2] ?? "")).replace(/^0+/, "");
  if (digits === "") return true; // zero ignores its exponent
  const bits = BigInt(BigInt(digits).toString(2).length);
  const binaryExponent = bits - BigInt((m[2] ?? "").length) + exponent;
  return binaryExponent <= INT32_MAX && binaryExponent >= -INT32_MAX - 1n;
}

/** Characters that join the space before them into one grapheme cluster. */
const EXTENDS_CLUSTER = /[\p{Grapheme_Extend}\p{Mc}\u200d]/u;

/**
 * `<<-` heredocs: the smallest indentation of their line-leading literals (blank lines aside, a
 * line starting with an interpolation counting as none) is removed from every such literal.
 * Indentation is counted in grapheme clusters of spaces, as hclsyntax counts it.
 */
export function flushHeredocLines(parts: TemplateToken[]): void {
  let min = Infinity;
  let newline = true;
  const adjust: TemplateToken[] = [];
  for (const part of parts) {
    if (newline) {
      newline = false;
      if (part.kind === TT_LITERAL) {
        let spaces = 0;
        let i = 0;
        while (i < part.text.length) {
          const cp = part.text.codePointAt(i)!;
          if (!isGoSpace(cp)) break;
          spaces++;
          i += cp > 0xffff ? 2 : 1;
        }
        const blank = i === part.text.length && part.text.endsWith("\n");
        if (!blank) {
          adjust.push(part);
          min = Math.min(min, spaces);
        }
      } else if (part.kind === TT_END) break;
      else min = 0;
    }
    if (part.kind === TT_LITERAL && part.text.endsWith("\n")) newline = true;
  }
  if (!isFinite(min) || min === 0) return;
  for (const part of adjust) {
    let i = 0;
    for (let n = 0; n < min && i < part.text.length; n++) {
      const cp = part.text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      while (i < part.text.length && EXTENDS_CLUSTER.test(String.fromCodePoint(part.text.codePointAt(i)!)))
        i += part.text.codePointAt(i)! > 0xffff ? 2 : 1;
    }
    part.text = part.text.slice(i);
  }
}
