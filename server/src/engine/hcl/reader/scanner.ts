// Splits HCL native syntax into tokens as HashiCorp's hclsyntax scanner does: three modes (expressions, quoted templates, heredocs), longest match.
import { ID_CONTINUE_RANGES, ID_START_RANGES } from "./unicode.ts";
import {
  isGoSpace,
  Tokens,
  T_AND,
  T_APOSTROPHE,
  T_BACKTICK,
  T_BANG,
  T_BITWISE_AND,
  T_BITWISE_NOT,
  T_BITWISE_OR,
  T_BITWISE_XOR,
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
  T_SEMICOLON,
  T_SLASH,
  T_STAR,
  T_STRING_LIT,
  T_TEMPLATE_CONTROL,
  T_TEMPLATE_INTERP,
  T_TEMPLATE_SEQ_END,
} from "./tokens.ts";

const MODE_MAIN = 0;
const MODE_STRING = 1;
const MODE_HEREDOC = 2;

/** Single-character tokens of expression mode, by character code (0 = not one). */
const SELF_TOKENS = new Uint8Array(128);
SELF_TOKENS[0x5b] = T_OBRACK;
SELF_TOKENS[0x5d] = T_CBRACK;
SELF_TOKENS[0x28] = T_OPAREN;
SELF_TOKENS[0x29] = T_CPAREN;
SELF_TOKENS[0x2c] = T_COMMA;
SELF_TOKENS[0x2a] = T_STAR;
SELF_TOKENS[0x25] = T_PERCENT;
SELF_TOKENS[0x2b] = T_PLUS;
SELF_TOKENS[0x2d] = T_MINUS;
SELF_TOKENS[0x3f] = T_QUESTION;
SELF_TOKENS[0x5e] = T_BITWISE_XOR;
SELF_TOKENS[0x3b] = T_SEMICOLON;
SELF_TOKENS[0x60] = T_BACKTICK;
SELF_TOKENS[0x27] = T_APOSTROPHE;

/** Characters that may start (1) or continue (2 | 1) an identifier, for ASCII. */
const ASCII_IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  if (letter) ASCII_IDENT[c] = 3;
  else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) ASCII_IDENT[c] = 2;
}

function inRanges(ranges: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid * 2]) hi = mid - 1;
    else if (cp > ranges[mid * 2 + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The code point at `i` (a lone surrogate stands for itself). */
function codePointAt(text: string, i: number): number {
  return text.codePointAt(i)!;
}

interface Heredoc {
  marker: string;
  startOfLine: boolean;
}

/**
 * Scans `text` from `start` to `end` into `out` (cleared first), always ending with an EOF token.
 * Scanning starts in expression mode, as at the top of a file or at an attribute's value; with
 * `stopAt`, it ends at the first token boundary at or after it where no string, heredoc or
 * template sequence is open (an attribute's value read again on its own).
 */
export function scan(text: string, out: Tokens, start = 0, end = text.length, stopAt = end): void {
  out.count = 0;
  let p = start;
  // The scanner's call stack (a template calls expression mode for `${`, expression mode calls a
  // template for `"` and `<<`), and the brace depths at which a `}` ends a template sequence.
  let mode = MODE_MAIN;
  const modes: number[] = [];
  let braces = 0;
  const retBraces: number[] = [];
  const heredocs: Heredoc[] = [];

  const beginSequence = (type: number, from: number): void => {
    let to = from + 2;
    if (text.charCodeAt(to) === 0x7e && to < end) to++; // `${~` / `%{~`
    out.push(type, from, to);
    braces++;
    retBraces.push(braces);
    if (heredocs.length > 0) heredocs[heredocs.length - 1].startOfLine = false;
    modes.push(mode);
    mode = MODE_MAIN;
    p = to;
  };

  while (p < end) {
    if (p >= stopAt && modes.length === 0) {
      out.push(T_EOF, p, p);
      return;
    }
    const c = text.charCodeAt(p);
    if (mode === MODE_MAIN) {
      if (c === 0x20 || c === 0x09) {
        p++;
        continue;
      }
      if (c < 128) {
        const ident = ASCII_IDENT[c];
        if (ident & 1) {
          const s = p;
          p = identEnd(text, p + 1, end);
          out.push(T_IDENT, s, p);
          continue;
        }
      }
      const s = p;
      switch (c) {
        case 0x0a:
          out.push(T_NEWLINE, s, ++p);
          continue;
        case 0x0d:
          if (text.charCodeAt(p + 1) === 0x0a && p + 1 < end) {
            p += 2;
            out.push(T_NEWLINE, s, p);
          } else out.push(T_INVALID, s, ++p);
          continue;
        case 0x23: // #
          p = lineCommentEnd(text, p + 1, end);
          out.push(T_COMMENT, s, p);
          continue;
        case 0x2f: // /
          if (text.charCodeAt(p + 1) === 0x2f && p + 1 < end) {
            p = lineCommentEnd(text, p + 2, end);
            out.push(T_COMMENT, s, p);
          } else if (text.charCodeAt(p + 1) === 0x2a && p + 1 < end) {
            const close = text.indexOf("*/", p + 2);
            if (close >= 0 && close + 2 <= end) {
              p = close + 2;
              out.push(T_COMMENT, s, p);
            } else out.push(T_SLASH, s, ++p); // an unclosed `/*` is not a comment
          } else out.push(T_SLASH, s, ++p);
          continue;
        case 0x3d: // =
          p = twoChar(text, p, end, 0x3d, 0x3e, out, T_EQUAL_OP, T_FAT_ARROW, T_EQUAL);
          continue;
        case 0x21: // !
          p = twoChar(text, p, end, 0x3d, -1, out, T_NOT_EQUAL, 0, T_BANG);
          continue;
        case 0x3e: // >
          p = twoChar(text, p, end, 0x3d, -1, out, T_GREATER_EQ, 0, T_GREATER);
          continue;
        case 0x3c: {
          // <
          const heredocEnd = text.charCodeAt(p + 1) === 0x3c ? heredocIntroEnd(text, p + 2, end) : -1;
          if (heredocEnd > 0) {
            out.push(T_OHEREDOC, s, heredocEnd);
            let markerStart = s + 2;
            if (text.charCodeAt(markerStart) === 0x2d) markerStart++;
            let markerEnd = heredocEnd - 1;
            if (text.charCodeAt(markerEnd - 1) === 0x0d) markerEnd--;
            heredocs.push({ marker: text.slice(markerStart, markerEnd), startOfLine: true });
            modes.push(mode);
            mode = MODE_HEREDOC;
            p = heredocEnd;
          } else p = twoChar(text, p, end, 0x3d, -1, out, T_LESS_EQ, 0, T_LESS);
          continue;
        }
        case 0x26: // &
          p = twoChar(text, p, end, 0x26, -1, out, T_AND, 0, T_BITWISE_AND);
          continue;
        case 0x7c: // |
          p = twoChar(text, p, end, 0x7c, -1, out, T_OR, 0, T_BITWISE_OR);
          continue;
        case 0x3a: // :
          p = twoChar(text, p, end, 0x3a, -1, out, T_DOUBLE_COLON, 0, T_COLON);
          continue;
        case 0x2e: // .
          if (text.charCodeAt(p + 1) === 0x2e && text.charCodeAt(p + 2) === 0x2e && p + 2 < end) {
            p += 3;
            out.push(T_ELLIPSIS, s, p);
          } else out.push(T_DOT, s, ++p);
          continue;
        case 0x7b: // {
          out.push(T_OBRACE, s, ++p);
          braces++;
          continue;
        case 0x7d: // }
          p++;
          if (retBraces.length > 0 && retBraces[retBraces.length - 1] === braces) {
            out.push(T_TEMPLATE_SEQ_END, s, p);
            braces--;
            retBraces.pop();
            mode = modes.pop()!;
          } else {
            out.push(T_CBRACE, s, p);
            braces--;
          }
          continue;
        case 0x7e: // ~
          if (text.charCodeAt(p + 1) === 0x7d && p + 1 < end) {
            p += 2;
            // Always a sequence end, even when it closes a plain brace: the parser then reports it.
            out.push(T_TEMPLATE_SEQ_END, s, p);
            braces--;
            if (retBraces.length > 0 && retBraces[retBraces.length - 1] === braces + 1) {
              retBraces.pop();
              mode = modes.pop()!;
            }
          } else out.push(T_BITWISE_NOT, s, ++p);
          continue;
        case 0x22: // "
          out.push(T_OQUOTE, s, ++p);
          modes.push(mode);
          mode = MODE_STRING;
          continue;
      }
      if (c >= 0x30 && c <= 0x39) {
        p = numberEnd(text, p + 1, end);
        out.push(T_NUMBER, s, p);
        continue;
      }
      if (c < 128) {
        const self = SELF_TOKENS[c];
        out.push(self || T_INVALID, s, ++p);
        continue;
      }
      // Beyond ASCII: an identifier, or a character the language does not use.
      const cp = codePointAt(text, p);
      const width = cp > 0xffff ? 2 : 1;
      if (inRanges(ID_START_RANGES, cp)) {
        p = identEnd(text, p + width, end);
        out.push(T_IDENT, s, p);
      } else {
        p += width;
        out.push(T_INVALID, s, p);
      }
      continue;
    }

    if (mode === MODE_STRING) {
      const s = p;
      if ((c === 0x24 || c === 0x25) && text.charCodeAt(p + 1) === 0x7b && p + 1 < end) {
        beginSequence(c === 0x24 ? T_TEMPLATE_INTERP : T_TEMPLATE_CONTROL, p);
        continue;
      }
      if (c === 0x22) {
        out.push(T_CQUOTE, s, ++p);
        mode = modes.pop()!;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        p++;
        while (p < end && (text.charCodeAt(p) === 0x0a || text.charCodeAt(p) === 0x0d)) p++;
        out.push(T_QUOTED_NEWLINE, s, p);
        continue;
      }
      if (c === 0x24 || c === 0x25) {
        // `$` or `%` not starting a sequence: alone, or `$${` / `%%{` (an escaped sequence start).
        if (p + 1 >= end) {
          out.push(T_INVALID, s, ++p);
          continue;
        }
        p = escapedSequenceEnd(text, p, end, c);
        out.push(T_QUOTED_LIT, s, p);
        continue;
      }
      // A run of literal characters and backslash escapes.
      while (p < end) {
        const d = text.charCodeAt(p);
        if (d === 0x5c) {
          const e = text.charCodeAt(p + 1);
          if (p + 1 >= end || e === 0x0a || e === 0x0d) break;
          p += 2;
          if (e >= 0xd800 && e <= 0xdbff && p < end) {
            const low = text.charCodeAt(p);
            if (low >= 0xdc00 && low <= 0xdfff) p++;
          }
        } else if (d === 0x24 || d === 0x25 || d === 0x22 || d === 0x0a || d === 0x0d) break;
        else p++;
      }
      if (p > s) out.push(T_QUOTED_LIT, s, p);
      else out.push(T_INVALID, s, ++p); // a backslash before a line break or the end
      continue;
    }

    // MODE_HEREDOC
    const s = p;
    if ((c === 0x24 || c === 0x25) && text.charCodeAt(p + 1) === 0x7b && p + 1 < end) {
      beginSequence(c === 0x24 ? T_TEMPLATE_INTERP : T_TEMPLATE_CONTROL, p);
      continue;
    }
    const doc = heredocs[heredocs.length - 1];
    if (c === 0x24 || c === 0x25) {
      if (p + 1 >= end) break; // nothing matches a lone `$` at the end: the rest is invalid
      p = escapedSequenceEnd(text, p, end, c);
      doc.startOfLine = false;
      out.push(T_STRING_LIT, s, p);
      continue;
    }
    while (p < end) {
      const d = text.charCodeAt(p);
      if (d === 0x24 || d === 0x25 || d === 0x0a || d === 0x0d) break;
      p++;
    }
    let lineEnd = -1;
    if (p < end) {
      const d = text.charCodeAt(p);
      if (d === 0x0a) lineEnd = p + 1;
      else if (d === 0x0d && text.charCodeAt(p + 1) === 0x0a && p + 1 < end) lineEnd = p + 2;
      else if (d === 0x0d && p === s) break; // a lone carriage return matches nothing: the rest is invalid
    }
    if (lineEnd < 0) {
      doc.startOfLine = false;
      out.push(T_STRING_LIT, s, p);
      continue;
    }
    if (doc.startOfLine && isMarkerLine(text, s, lineEnd, doc.marker)) {
      const newlineStart = text.charCodeAt(lineEnd - 2) === 0x0d && lineEnd - 2 >= s ? lineEnd - 2 : lineEnd - 1;
      // The heredoc (and the attribute it is the value of) ends with its marker, not with spaces after it.
      let markerEnd = newlineStart;
      while (markerEnd > s && isGoSpace(text.charCodeAt(markerEnd - 1))) markerEnd--;
      out.push(T_CHEREDOC, s, markerEnd);
      out.push(T_NEWLINE, newlineStart, lineEnd);
      heredocs.pop();
      mode = modes.pop()!;
      p = lineEnd;
      continue;
    }
    doc.startOfLine = true;
    p = lineEnd;
    out.push(T_STRING_LIT, s, p);
  }
  // A heredoc the scanner could not match (a lone carriage return, a trailing `$`) makes the rest one invalid token.
  if (p < end) out.push(T_INVALID, p, end);
  out.push(T_EOF, end, end);
}

/** Where an identifier that continues at `p` ends. */
function identEnd(text: string, p: number, end: number): number {
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c < 128) {
      if (ASCII_IDENT[c] === 0) return p;
      p++;
      continue;
    }
    const cp = codePointAt(text, p);
    if (!inRanges(ID_CONTINUE_RANGES, cp)) return p;
    p += cp > 0xffff ? 2 : 1;
  }
  return p;
}

/** Where a line comment whose body starts at `p` ends: after its line break, or at the end. */
function lineCommentEnd(text: string, p: number, end: number): number {
  const nl = text.indexOf("\n", p);
  return nl < 0 || nl >= end ? end : nl + 1;
}

/**
 * A number: a digit followed by digits, dots and exponents (`e`, `E`, optional sign, digit), never
 * ending in a dot. `1.2.3` is one token (the parser rejects its value); `1..` is `1` then dots.
 */
function numberEnd(text: string, p: number, end: number): number {
  let last = p;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c >= 0x30 && c <= 0x39) last = ++p;
    else if (c === 0x2e) p++;
    else if (c === 0x65 || c === 0x45) {
      let q = p + 1;
      const sign = text.charCodeAt(q);
      if ((sign === 0x2b || sign === 0x2d) && q < end) q++;
      const digit = text.charCodeAt(q);
      if (q < end && digit >= 0x30 && digit <= 0x39) {
        p = q + 1;
        last = p;
      } else break;
    } else break;
  }
  return last;
}

/** A token of one or two characters: `second` (or `alt`) after the first makes the two-character token. */
function twoChar(
  text: string,
  p: number,
  end: number,
  second: number,
  alt: number,
  out: Tokens,
  pairType: number,
  altType: number,
  singleType: number,
): number {
  const next = p + 1 < end ? text.charCodeAt(p + 1) : -2;
  if (next === second) {
    out.push(pairType, p, p + 2);
    return p + 2;
  }
  if (next === alt) {
    out.push(altType, p, p + 2);
    return p + 2;
  }
  out.push(singleType, p, p + 1);
  return p + 1;
}

/** After `<<`: an optional `-`, an identifier and a line break make a heredoc introducer; returns its end or -1. */
function heredocIntroEnd(text: string, p: number, end: number): number {
  if (text.charCodeAt(p) === 0x2d) p++;
  if (p >= end) return -1;
  const c = text.charCodeAt(p);
  let afterIdent: number;
  if (c < 128) {
    if (!(ASCII_IDENT[c] & 1)) return -1;
    afterIdent = identEnd(text, p + 1, end);
  } else {
    const cp = codePointAt(text, p);
    if (!inRanges(ID_START_RANGES, cp)) return -1;
    afterIdent = identEnd(text, p + (cp > 0xffff ? 2 : 1), end);
  }
  const d = text.charCodeAt(afterIdent);
  if (d === 0x0a && afterIdent < end) return afterIdent + 1;
  if (d === 0x0d && text.charCodeAt(afterIdent + 1) === 0x0a && afterIdent + 1 < end) return afterIdent + 2;
  return -1;
}

/**
 * A `$` or `%` that does not start a sequence: `$${` (or `$${~`) is one literal token, the escape of
 * `${`; any other `$` is a token alone. Returns where the token ends.
 */
function escapedSequenceEnd(text: string, p: number, end: number, c: number): number {
  if (text.charCodeAt(p + 1) === c && text.charCodeAt(p + 2) === 0x7b && p + 2 < end) {
    return text.charCodeAt(p + 3) === 0x7e && p + 3 < end ? p + 4 : p + 3;
  }
  return p + 1;
}

/** Whether the heredoc line [start, end) is its closing marker once spaces around it are trimmed. */
function isMarkerLine(text: string, start: number, end: number, marker: string): boolean {
  let s = start;
  let e = end;
  while (s < e) {
    const cp = codePointAt(text, s);
    if (!isGoSpace(cp)) break;
    s += cp > 0xffff ? 2 : 1;
  }
  while (e > s) {
    const cp = text.charCodeAt(e - 1);
    if (!isGoSpace(cp)) break;
    e--;
  }
  return e - s === marker.length && text.startsWith(marker, s);
}
