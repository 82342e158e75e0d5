// The engine's own reader of HCL native syntax: a file's model, with HashiCorp's accept/reject verdict, in one pass and no WASM.
import { computeLineStarts, lineStartsAfterChange, positionAt, rangeOf, type Comment, type Expr, type SourceFile } from "../../model.ts";
import { diffTexts, shiftRange, type Shift, type TextChange } from "../reuse.ts";
import { ReaderAttribute, ReaderBlock, type Move, type ReaderSource } from "./nodes.ts";
import { readBody } from "./parser.ts";

/**
 * The deepest bracket nesting the reader is run on. It recurses once per level (as hclsyntax
 * does, whose Go stack grows) and its frames are largest before V8 optimises it: measured in a
 * fresh process on Node's default stack, it reads 700 levels of `"${` but not 800 (warm, over
 * 1,000). The engine refuses deeper files with a finding before reading them; this is also the
 * default `max_nesting_depth`.
 */
export const READER_MAX_NESTING = 500;

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

/** Directive comments name this; a file without it lists no comments. */
const SUPPRESSION_MARK = "immutably-ignore";

/**
 * How much text (in characters, all versions counted) a file is read in part across before it is
 * read whole again. A reused node's names, labels and values are V8 slices of the text they were
 * read from, which they keep alive whole: a file whose blocks were each edited in turn kept every
 * version (measured: 16 MB after 400 edits of a 52 KB file). Reading whole now and then bounds the
 * old texts an edited file keeps to about this much.
 */
export const REUSED_TEXT_BUDGET = 4 * 1024 * 1024;

/** How many versions in a row each file was read in part (none when it was read whole). */
const partReads = new WeakMap<SourceFile, number>();

/** What a read in part changed: the version it was read from, which top-level block it read again, and how the rest moved. */
export interface PartRead {
  previous: SourceFile;
  /** The index of the block read again, in both versions' `body.blocks`. */
  index: number;
  change: TextChange;
  /** Moves ranges of `previous` that lie after the change into the new text. */
  shift: Shift;
}

const partReadOf = new WeakMap<SourceFile, PartRead>();

/** How `file` was read from its previous version, when `readHclAfterEdit` read it in part. */
export function partRead(file: SourceFile): PartRead | undefined {
  return partReadOf.get(file);
}

/**
 * `readHcl(path, text)` for a text that differs from `previous` (read by `readHcl` or this
 * function) by `change`, reading again only the top-level block the change lies in; undefined when
 * that is not known to give the same model (the caller then reads the whole text).
 *
 * Why the result is the full read's: `previous` had no syntax errors, so its scanner and parser
 * were at the top level, between items, where the changed block starts, and they are again in the
 * new text, whose text before that point is the same. Read alone from there, the block region
 * [start, closing brace] scans into the tokens the whole text scans into, as long as it yields one
 * block that closes exactly at its end: no token starts inside the region and ends past it (a
 * string, comment or heredoc left open would swallow the closing brace or be an error). The text
 * after the closing brace is the old text after it, which the previous read found valid from the
 * same top-level state, so it reads into the same items, moved. Items of a body are independent
 * but for duplicate attribute names, and the region holds no top-level attribute.
 */
export function readHclAfterEdit(
  path: string,
  text: string,
  previous: SourceFile,
  change: TextChange = diffTexts(previous.text, text),
): SourceFile | undefined {
  if (previous.syntax !== "hcl" || previous.syntaxErrors.length > 0) return undefined;
  const reads = (partReads.get(previous) ?? 0) + 1;
  if (reads * text.length > REUSED_TEXT_BUDGET) return undefined;
  const blocks = previous.body.blocks;
  // The last top-level block starting at or before the change.
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const b = blocks[mid];
    if (!(b instanceof ReaderBlock)) return undefined;
    if (b.startOffset <= change.start) lo = mid;
    else hi = mid - 1;
  }
  const old = blocks[lo];
  if (!(old instanceof ReaderBlock) || old.startOffset > change.start) return undefined;
  if (old.closeBraceStart === undefined || change.oldEnd > old.closeBraceStart) return undefined;
  // Comments are listed only in files with a directive: the first one typed needs all of them.
  const withComments = text.includes(SUPPRESSION_MARK);
  if (withComments && previous.comments.length === 0 && !previous.text.includes(SUPPRESSION_MARK)) return undefined;

  const delta = text.length - previous.text.length;
  const start = old.startOffset;
  const oldEnd = old.closeBraceStart + 1;
  const end = oldEnd + delta;
  const lineStarts = lineStartsAfterChange(text, previous.lineStarts, change);
  let region: ReturnType<typeof readBody>;
  try {
    region = readBody(text, lineStarts, path.split(/[\\/]/).pop() ?? path, start, end, withComments);
  } catch (error) {
    // Nesting deeper than the stack allows: the whole read reports it.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  const block = region.body.blocks[0];
  if (region.errors.length > 0 || region.body.attributes.length > 0 || region.body.blocks.length !== 1) return undefined;
  if (block.closeBraceStart !== end - 1 || block.endOffset !== end) return undefined;

  const source: ReaderSource = { text, lineStarts };
  const lineDelta = lineStarts.length - previous.lineStarts.length;
  const shift: Shift = { delta, lineDelta, afterLine: positionAt(previous.lineStarts, change.oldEnd).line, lineStarts };
  const before: Move = { delta: 0, source, shift: undefined };
  const after: Move = { delta, source, shift: delta === 0 && lineDelta === 0 ? undefined : shift };
  const movedBlocks = new Array<ReaderBlock>(blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (i === lo) movedBlocks[i] = block;
    else if (b instanceof ReaderBlock) movedBlocks[i] = b.moved(i < lo ? before : after);
    else return undefined;
  }
  const attributes = previous.body.attributes;
  const movedAttributes = new Array<ReaderAttribute>(attributes.length);
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i];
    if (!(a instanceof ReaderAttribute)) return undefined;
    movedAttributes[i] = a.moved(a.startOffset < start ? before : after);
  }
  let comments: Comment[] = [];
  if (withComments) {
    comments = [];
    for (const c of previous.comments) if (c.range.endOffset <= start) comments.push(c);
    comments.push(...region.comments);
    for (const c of previous.comments) {
      if (c.range.startOffset < oldEnd) continue;
      const range = shiftRange(c.range, shift);
      comments.push({ text: text.slice(range.startOffset, range.endOffset), range });
    }
  }
  const file: SourceFile = {
    path,
    text,
    syntax: "hcl",
    body: { attributes: movedAttributes, blocks: movedBlocks },
    comments,
    syntaxErrors: [],
    lineStarts,
  };
  partReads.set(file, reads);
  partReadOf.set(file, { previous, index: lo, change, shift });
  // Only the newest version's read is asked for: kept, the previous one's would keep every version before it alive.
  partReadOf.delete(previous);
  return file;
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
