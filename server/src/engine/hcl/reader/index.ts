// The engine's own reader of HCL native syntax: a file's model, with HashiCorp's accept/reject verdict, in one pass and no WASM.
import { computeLineStarts, rangeOf, type Expr, type SourceFile } from "../../model.ts";
import { readBody } from "./parser.ts";

/**
 * The deepest bracket nesting the reader is run on. It recurses once per level (as hclsyntax
 * does, whose Go stack grows); measured, it reads 1,044 to 1,766 levels (`"${` to `(`) on Node's
 * default stack, so the engine refuses deeper files with a finding before reading them.
 */
export const READER_MAX_NESTING = 1000;

/**
 * Reads HCL native syntax into the model. The structure (blocks, attributes, ranges) is read
 * at once and every expression is checked; an attribute's value is built when first read.
 * `syntaxErrors` is empty exactly when HashiCorp's parser accepts the text (its messages are
 * worded as HashiCorp's; the linter still asks HashiCorp's parser for the exact ones).
 */
export function readHcl(path: string, text: string, knownLineStarts?: number[]): SourceFile {
  const lineStarts = knownLineStarts ?? computeLineStarts(text);
  // A byte order mark is skipped as HashiCorp's scanner skips it; offsets still count it.
  let read: ReturnType<typeof readBody>;
  try {
    read = readBody(text, lineStarts, path.split(/[\\/]/).pop() ?? path, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  } catch (error) {
    // Deep recursion that is no bracket nesting (thousands of `!` or nested conditionals) can still
    // exhaust the stack: the file is then not read, and says so, rather than stopping the run.
    if (!(error instanceof RangeError)) throw error;
    const message = "Nesting too deep: the expressions of this file nest deeper than the HCL reader reads; the file was not analysed.";
    read = { body: { attributes: [], blocks: [] }, comments: [], errors: [{ message, range: rangeOf(lineStarts, 0, 0) }] };
  }
  return { path, text, syntax: "hcl", body: read.body, comments: read.comments, syntaxErrors: read.errors, lineStarts };
}

/**
 * The value of the single attribute of `text` (`x = <expression>`, padded so that its offsets are
 * those of another file), with positions from that file's `lineStarts`; undefined when it does not
 * parse. JSON syntax reads its template strings with this.
 */
export function readSingleAttributeValue(text: string, lineStarts: number[]): Expr | undefined {
  const read = readBody(text, lineStarts, "", 0);
  if (read.errors.length > 0) return undefined;
  return read.body.attributes[0]?.expr;
}
