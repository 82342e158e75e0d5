// The engine's own reader of HCL native syntax: a file's model, with HashiCorp's accept/reject verdict, in one pass and no WASM.
import { computeLineStarts, type Expr, type SourceFile } from "../../model.ts";
import { readBody } from "./parser.ts";

/**
 * Reads HCL native syntax into the model. The structure (blocks, attributes, ranges) is read
 * at once and every expression is checked; an attribute's value is built when first read.
 * `syntaxErrors` is empty exactly when HashiCorp's parser accepts the text (its messages are
 * worded as HashiCorp's; the linter still asks HashiCorp's parser for the exact ones).
 */
export function readHcl(path: string, text: string, knownLineStarts?: number[]): SourceFile {
  const lineStarts = knownLineStarts ?? computeLineStarts(text);
  // A byte order mark is skipped as HashiCorp's scanner skips it; offsets still count it.
  const read = readBody(text, lineStarts, path.split(/[\\/]/).pop() ?? path, text.charCodeAt(0) === 0xfeff ? 1 : 0);
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
