// Seeded random HCL for the differential suite: every construct of the native syntax (templates, heredocs, for, splat, operators), then near-misses.
import { Prng } from "../fuzz/mutate.ts";

/** Identifiers, including non-ASCII ones (and a few characters that are no identifier at all). */
const NAMES = [
  "a",
  "b",
  "foo",
  "bar_baz",
  "x-y",
  "_u",
  "var",
  "local",
  "each",
  "count",
  "for",
  "in",
  "if",
  "true",
  "null",
  "é",
  "名前",
  "ab1",
  "ℵ",
  "ͺ",
  "𝔘",
];
const NUMBERS = ["0", "1", "42", "1.5", "1e3", "1E+3", "2.5e-2", "00012", "1.e5", "1.2.3", "1e", "9007199254740993", "1.5e+308", "0e9"];
const STRING_TEXT = [
  "abc",
  " ",
  "a b",
  "\\n",
  '\\"',
  "\\\\",
  "\\t",
  "\\u00e9",
  "\\U0001F600",
  "\\uD800",
  "\\q",
  "$${x}",
  "%%{x}",
  "$",
  "%",
  "$$",
  "é",
  "e\u0301",
  "😀",
  "\\u12",
  "\\",
  "\u2028",
  "~",
];
const BINARY = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"];
const SPACES = [" ", " ", " ", "", "  ", "\t", "\n", " /* c */ ", " # c\n", " // c\n", "\r\n"];
/** Fragments spliced into otherwise valid text, the near-misses a parser must judge exactly. */
const FRAGMENTS = [
  "\n",
  "\r\n",
  "\r",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  '"',
  "${",
  "%{",
  "~}",
  "<<EOT\n",
  "\nEOT\n",
  "=",
  ",",
  ".",
  "*",
  "...",
  "?",
  ":",
  "=>",
  "#",
  "/*",
  "*/",
  "\\",
  ";",
  "'",
  "`",
  "&",
  "|",
  "~",
  "!",
  " ",
  "\t",
  "\u00a0",
  "for",
  "in",
  "if",
  "endif",
  "endfor",
  "else",
  "0.0",
  "a.0.1",
  "::",
];

export class HclGenerator {
  private depth = 0;

  constructor(private readonly prng: Prng) {}

  private pick<T>(items: readonly T[]): T {
    return this.prng.pick(items);
  }

  private chance(p: number): boolean {
    return this.prng.chance(p);
  }

  private sp(): string {
    return this.chance(0.7) ? " " : this.pick(SPACES);
  }

  /** Space that may break lines: inside brackets, parentheses and template sequences. */
  private inner(): string {
    return this.chance(0.6) ? "" : this.pick(SPACES);
  }

  name(): string {
    return this.chance(0.85) ? this.pick(NAMES.slice(0, 6)) : this.pick(NAMES);
  }

  file(): string {
    let out = "";
    const n = 1 + this.prng.below(5);
    for (let i = 0; i < n; i++) out += this.item("");
    return out;
  }

  private item(indent: string): string {
    const roll = this.prng.next();
    if (roll < 0.45) return `${indent}${this.name()}${this.sp()}=${this.sp()}${this.expr()}${this.lineEnd()}`;
    if (roll < 0.55) return `${indent}${this.pick(["# note", "// note", "/* note */"])}\n`;
    if (roll < 0.6) return "\n";
    if (roll < 0.7 && this.depth < 3) return `${indent}${this.name()}${this.labels()} { ${this.name()} = ${this.expr()} }${this.lineEnd()}`;
    if (this.depth >= 3) return `${indent}${this.name()} = ${this.expr()}\n`;
    this.depth++;
    let body = "";
    const n = this.prng.below(4);
    for (let i = 0; i < n; i++) body += this.item(indent + "  ");
    this.depth--;
    return `${indent}${this.name()}${this.labels()} {\n${body}${indent}}${this.lineEnd()}`;
  }

  private labels(): string {
    let out = "";
    const n = this.prng.below(3);
    for (let i = 0; i < n; i++) out += " " + (this.chance(0.8) ? `"${this.stringText()}"` : this.name());
    return out;
  }

  private lineEnd(): string {
    return this.chance(0.9) ? "\n" : this.pick([" # c\n", " // c\n", "\r\n", " /* c */\n", ""]);
  }

  private stringText(): string {
    let out = "";
    const n = this.prng.below(3);
    for (let i = 0; i < n; i++) out += this.chance(0.7) ? this.pick(STRING_TEXT.slice(0, 3)) : this.pick(STRING_TEXT);
    return out;
  }

  expr(): string {
    if (this.depth > 5) return this.pick(NUMBERS.slice(0, 3));
    this.depth++;
    try {
      const roll = this.prng.next();
      if (roll < 0.12) return this.pick(NUMBERS);
      if (roll < 0.16) return this.pick(["true", "false", "null"]);
      if (roll < 0.3) return this.traversal();
      if (roll < 0.45) return this.quoted();
      if (roll < 0.52) return this.heredoc();
      if (roll < 0.6) return `[${this.inner()}${this.list(() => this.expr())}${this.inner()}]`;
      if (roll < 0.68) return this.object();
      if (roll < 0.73) return this.forExpr();
      if (roll < 0.8)
        return `${this.name()}${this.chance(0.1) ? "::" + this.name() : ""}(${this.inner()}${this.list(() => this.expr())}${this.chance(0.1) ? "..." : ""}${this.inner()})`;
      if (roll < 0.84) return `${this.pick(["-", "!"])}${this.expr()}`;
      if (roll < 0.92) return `${this.expr()}${this.sp()}${this.pick(BINARY)}${this.sp()}${this.expr()}`;
      if (roll < 0.96) return `${this.expr()} ? ${this.expr()} : ${this.expr()}`;
      return `(${this.inner()}${this.expr()}${this.inner()})`;
    } finally {
      this.depth--;
    }
  }

  private list(item: () => string): string {
    const n = this.prng.below(4);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(item());
    const sep = () => (this.chance(0.8) ? ", " : this.pick([",\n", "\n", ",", " , "]));
    let out = "";
    items.forEach((x, i) => (out += (i ? sep() : "") + x));
    if (n && this.chance(0.2)) out += ",";
    return out;
  }

  private traversal(): string {
    let out = this.name();
    const steps = this.prng.below(4);
    for (let i = 0; i < steps; i++) {
      out += this.pick([`.${this.name()}`, `[${this.expr()}]`, "[0]", '["k"]', ".0", ".*", "[*]", `.*.${this.name()}`, "[-1]", "[(0)]"]);
    }
    return out;
  }

  private sequence(): string {
    const roll = this.prng.next();
    const open = (c: string) => `${c}{${this.chance(0.15) ? "~" : ""}${this.inner()}`;
    const close = () => `${this.inner()}${this.chance(0.15) ? "~" : ""}}`;
    if (roll < 0.6) return `${open("$")}${this.expr()}${close()}`;
    if (roll < 0.8)
      return `${open("%")}if ${this.expr()}${close()}${this.stringText()}${this.chance(0.3) ? `${open("%")}else${close()}${this.stringText()}` : ""}${open("%")}endif${close()}`;
    return `${open("%")}for ${this.chance(0.3) ? "k, " : ""}v in ${this.expr()}${close()}${this.stringText()}\${v}${open("%")}endfor${close()}`;
  }

  private quoted(): string {
    let out = '"';
    const n = this.prng.below(4);
    for (let i = 0; i < n; i++) out += this.chance(0.6) ? this.stringText() : this.sequence();
    return out + '"';
  }

  private heredoc(): string {
    const marker = this.pick(["EOT", "EOF", "END_OF_TEXT"]);
    const flush = this.chance(0.5);
    const indent = flush ? this.pick(["", "  ", "    ", "\t"]) : "";
    let lines = "";
    const n = this.prng.below(4);
    for (let i = 0; i < n; i++) {
      const lineIndent = flush && this.chance(0.5) ? this.pick(["", "  ", "      ", " \u00a0"]) : indent;
      let line = "";
      const parts = this.prng.below(3);
      for (let j = 0; j < parts; j++)
        line += this.chance(0.6)
          ? this.pick(["text", 'say "hi"', "a\\nb", "$", "%", "$${x}", "%%{y}", " ", "é", marker + "X"])
          : this.sequence();
      lines += `${lineIndent}${line}\n`;
    }
    const closing = `${flush ? this.pick(["", "  ", "\t"]) : ""}${marker}${this.chance(0.1) ? " " : ""}`;
    return `<<${flush ? "-" : ""}${marker}\n${lines}${closing}`;
  }

  private object(): string {
    const entry = () => {
      const key = this.chance(0.6)
        ? this.name()
        : this.chance(0.5)
          ? `"${this.stringText()}"`
          : this.pick([`(${this.name()})`, "1", "a.b", `${this.name()}()`]);
      return `${key}${this.sp()}${this.chance(0.8) ? "=" : ":"}${this.sp()}${this.expr()}`;
    };
    return `{${this.chance(0.5) ? "\n" : " "}${this.list(entry)}${this.chance(0.5) ? "\n" : " "}}`;
  }

  private forExpr(): string {
    const intro = `for ${this.chance(0.3) ? `${this.name()}, ` : ""}${this.name()} in ${this.expr()}${this.inner()}:${this.inner()}`;
    const cond = this.chance(0.3) ? ` if ${this.expr()}` : "";
    if (this.chance(0.5)) return `[${this.inner()}${intro}${this.expr()}${cond}${this.inner()}]`;
    return `{${this.inner()}${intro}${this.expr()} => ${this.expr()}${this.chance(0.2) ? "..." : ""}${cond}${this.inner()}}`;
  }

  /** A near-miss: one to three fragments inserted, or characters deleted, at random places. */
  mutate(text: string): string {
    let out = text;
    const n = 1 + this.prng.below(3);
    for (let i = 0; i < n; i++) {
      const at = this.prng.below(out.length + 1);
      if (this.chance(0.6)) out = out.slice(0, at) + this.pick(FRAGMENTS) + out.slice(at);
      else out = out.slice(0, at) + out.slice(at + 1 + this.prng.below(3));
    }
    // A cut through a surrogate pair is text no file decodes to (decoding makes it U+FFFD).
    return out.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  }
}

/** The `count` texts of `seed`: about half valid constructs, half with near-miss edits. */
export function* generatedTexts(seed: number, count: number): Generator<{ name: string; text: string }> {
  for (let i = 0; i < count; i++) {
    const prng = new Prng((seed * 1_000_003 + i) >>> 0);
    const gen = new HclGenerator(prng);
    const text = gen.file();
    yield { name: `generated ${seed}/${i}`, text: prng.chance(0.5) ? gen.mutate(text) : text };
  }
}
