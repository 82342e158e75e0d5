// The reader's token types and the arrays that hold a scanned file's tokens (type, start, end), shared by the scanner and the parser.

/*
 * Token types. The scanner emits every token the language knows, including the ones that are
 * always an error (`&`, `;`, a stray character), because HashiCorp's lexer reports those in a
 * pass of its own and the parser then sees them like any other token.
 */
export const T_EOF = 0;
export const T_NEWLINE = 1;
export const T_COMMENT = 2;
export const T_IDENT = 3;
export const T_NUMBER = 4;
export const T_OBRACE = 5;
export const T_CBRACE = 6;
export const T_OBRACK = 7;
export const T_CBRACK = 8;
export const T_OPAREN = 9;
export const T_CPAREN = 10;
export const T_OQUOTE = 11;
export const T_CQUOTE = 12;
export const T_OHEREDOC = 13;
export const T_CHEREDOC = 14;
export const T_STAR = 15;
export const T_SLASH = 16;
export const T_PLUS = 17;
export const T_MINUS = 18;
export const T_PERCENT = 19;
export const T_EQUAL = 20;
export const T_EQUAL_OP = 21;
export const T_NOT_EQUAL = 22;
export const T_LESS = 23;
export const T_LESS_EQ = 24;
export const T_GREATER = 25;
export const T_GREATER_EQ = 26;
export const T_AND = 27;
export const T_OR = 28;
export const T_BANG = 29;
export const T_DOT = 30;
export const T_COMMA = 31;
export const T_DOUBLE_COLON = 32;
export const T_ELLIPSIS = 33;
export const T_FAT_ARROW = 34;
export const T_QUESTION = 35;
export const T_COLON = 36;
export const T_TEMPLATE_INTERP = 37;
export const T_TEMPLATE_CONTROL = 38;
export const T_TEMPLATE_SEQ_END = 39;
/** Literal text of a quoted template (escapes still to be resolved). */
export const T_QUOTED_LIT = 40;
/** Literal text of a heredoc (no backslash escapes). */
export const T_STRING_LIT = 41;
// Tokens that are always an error (HashiCorp's checkInvalidTokens).
export const T_BITWISE_AND = 42;
export const T_BITWISE_OR = 43;
export const T_BITWISE_NOT = 44;
export const T_BITWISE_XOR = 45;
export const T_APOSTROPHE = 46;
export const T_BACKTICK = 47;
export const T_SEMICOLON = 48;
export const T_INVALID = 49;
export const T_QUOTED_NEWLINE = 50;

/** The first type that can never appear in a valid file. */
export const FIRST_ALWAYS_INVALID = T_BITWISE_AND;

/** Whether `cp` is a space as Go's unicode.IsSpace defines it (HCL trims heredoc markers and strip markers with it). */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return (
    cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

/** `s` without its leading Go spaces (what a `~}` strip marker removes from the literal after it). */
export function trimStartGoSpace(s: string): string {
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!isGoSpace(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i === 0 ? s : s.slice(i);
}

/** `s` without its trailing Go spaces (what a `${~` strip marker removes from the literal before it; every Go space is one UTF-16 unit). */
export function trimEndGoSpace(s: string): string {
  let i = s.length;
  while (i > 0 && isGoSpace(s.charCodeAt(i - 1))) i--;
  return i === s.length ? s : s.slice(0, i);
}

/** Strings of tokens: parallel arrays (type, start, end), reused between files since scanning is synchronous. */
export class Tokens {
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;

  constructor(capacity = 1024) {
    this.types = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(type: number, start: number, end: number): void {
    if (this.count === this.types.length) this.grow();
    const i = this.count++;
    this.types[i] = type;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  private grow(): void {
    const size = this.types.length * 2;
    const types = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    types.set(this.types);
    starts.set(this.starts);
    ends.set(this.ends);
    this.types = types;
    this.starts = starts;
    this.ends = ends;
  }
}
