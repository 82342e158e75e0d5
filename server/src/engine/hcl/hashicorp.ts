// HashiCorp's own HCL parser (Go, compiled to WASM in @cdktf/hcl2json): exact syntax error messages, loaded lazily.
import { rangeOf, type SourceFile, type SyntaxError } from "../model.ts";

type Hcl2JsonParse = (filename: string, contents: string) => Promise<unknown>;
let parseFn: Hcl2JsonParse | undefined;
let fastStart = false;

/**
 * For short-lived processes (the CLI): compile HashiCorp's Go WASM with V8's baseline compiler only.
 * Measured here, a CLI run that meets one syntax error takes 0.6 s instead of 2.9 s, because V8
 * otherwise optimises the large module in the background and the process waits for that at exit.
 * The long-running language server keeps the default (optimised code pays off there).
 */
export function preferFastStartForHashiCorpParser(): void {
  fastStart = true;
}

/** Loads hcl2json on first use: its WASM costs about a second, so files without errors never pay it. */
function hcl2json(): Hcl2JsonParse {
  if (!parseFn) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, like the module below.
    if (fastStart) (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--liftoff-only");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only files with errors pay for the WASM.
    const mod = require("@cdktf/hcl2json") as { parse: Hcl2JsonParse };
    parseFn = mod.parse;
  }
  return parseFn;
}

/** Parses with HashiCorp's parser; resolves to the JSON value, or rejects with its diagnostics text. */
export async function parseWithHashiCorp(filename: string, text: string): Promise<unknown> {
  return hcl2json()(filename, text);
}

// "main.tf:4,1-2: Invalid expression; Expected the start of an expression, ..." and
// "main.tf:4,1-5,3: Summary; Detail" are the two range shapes HCL prints. hcl2json 0.21
// separates several diagnostics with a space (the ", " this pattern first expected is still
// accepted), so a detail ends where the next "file:line,col-...: Summary; " begins. A detail may
// name a place itself ("was already set at main.tf:2,3-4."), which is not followed by ": ".
const DIAGNOSTIC = /:(\d+),(\d+)-(?:(\d+),)?(\d+): ([^;]+?); (.*?)(?=,? [^,\s]+:\d+,\d+-(?:\d+,)?\d+: [^;]+; |\]?$)/g;

/** Parses the diagnostics text of an hcl2json rejection into syntax errors for `file`. */
export function parseHashiCorpDiagnostics(file: SourceFile, message: string): SyntaxError[] {
  const out: SyntaxError[] = [];
  for (const m of message.matchAll(DIAGNOSTIC)) {
    const line = Number(m[1]) - 1;
    const col = Number(m[2]) - 1;
    const endLine = m[3] ? Number(m[3]) - 1 : line;
    const endCol = Number(m[4]) - 1;
    const start = offsetAt(file, line, col);
    const end = Math.max(start, offsetAt(file, endLine, endCol));
    out.push({ message: `${m[5].trim()}: ${m[6].trim()}`, range: rangeOf(file.lineStarts, start, end) });
  }
  return out;
}

/**
 * HCL columns count characters (hcl.Pos: "in unicode characters"), not bytes or UTF-16 units;
 * convert a 0-based line and character column to a string offset. Code points stand in for
 * grapheme clusters, which differ only for combining sequences.
 */
function offsetAt(file: SourceFile, line: number, charCol: number): number {
  const lineStart = file.lineStarts[Math.min(line, file.lineStarts.length - 1)] ?? 0;
  const lineEnd = file.lineStarts[line + 1] ?? file.text.length;
  let chars = 0;
  let i = lineStart;
  while (i < lineEnd && chars < charCol) {
    i += file.text.codePointAt(i)! > 0xffff ? 2 : 1;
    chars++;
  }
  return i;
}

/**
 * The exact syntax errors of a file tree-sitter found errors in. When HashiCorp's parser accepts
 * the file, tree-sitter was wrong and there is no error; when hcl2json cannot run at all, the
 * tree-sitter errors stand.
 */
export async function exactSyntaxErrors(file: SourceFile): Promise<SyntaxError[]> {
  try {
    await parseWithHashiCorp(file.path.split(/[\\/]/).pop() ?? "main.tf", file.text);
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const parsed = parseHashiCorpDiagnostics(file, message);
    return parsed.length > 0 ? parsed : file.syntaxErrors;
  }
}
