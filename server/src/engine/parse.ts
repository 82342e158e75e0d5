// Entry point for parsing: loads the tree-sitter HCL grammar once, then parses HCL and JSON files into the model.
import { convertJson, type JsonLayout } from "./hcl/json.ts";
import { convertTree } from "./hcl/native.ts";
import { hclRuntime, loadHclRuntime, treeSitter } from "./hcl/runtime.ts";
import type { Tree } from "web-tree-sitter";
import { diffTexts, LiveTree, type TextChange } from "./hcl/reuse.ts";
import { usesTreeSitter } from "./hcl/parser-choice.ts";
import { readHcl, readHclAfterEdit } from "./hcl/reader/index.ts";
import { computeLineStarts, positionAt, type SourceFile } from "./model.ts";

/** Loads the parsers; call once before parsing. Safe to call again. The own reader needs no loading. */
export async function initParsers(): Promise<void> {
  if (usesTreeSitter()) await loadHclRuntime();
}

/** Parses HCL native syntax (.tf, .tfvars, .pkr.hcl, .pkrvars.hcl, .immutably.hcl). Never throws on bad syntax. */
export function parseHcl(filePath: string, text: string): SourceFile {
  if (!usesTreeSitter()) return readHcl(filePath, text);
  const state = parseHclIncremental(filePath, text);
  // Without its tree, a value is converted by parsing its text alone when first read.
  state.live.release();
  return state.file;
}

/**
 * Parses HCL text with the engine's own reader, after an edit when `previous` (the same file's last
 * version) is given: only the top-level block the edit lies in is read again when that is exact,
 * and the rest of `previous` is reused.
 */
export function readHclEdited(filePath: string, text: string, previous: SourceFile | undefined): SourceFile {
  return (previous && readHclAfterEdit(filePath, text, previous)) ?? readHcl(filePath, text);
}

/**
 * A parsed HCL file with its live tree-sitter tree: values are converted from the tree while it
 * lives, and editors parse the next version incrementally from it. The owner calls
 * `live.release()` when done; the file stays usable afterwards.
 */
export interface HclParseState {
  file: SourceFile;
  live: LiveTree;
}

/**
 * Parses HCL text, again after an edit when `previous` is given: tree-sitter (the previous tree must
 * be alive) re-parses only around the change, and top-level blocks outside the changed span are
 * reused; the own reader reads the changed top-level block alone and reuses the rest of
 * `previous.file`. `previous` stays usable.
 */
export function parseHclIncremental(filePath: string, text: string, previous?: HclParseState): HclParseState {
  // The own reader keeps no tree: it reads the changed top-level block of `previous.file` again.
  if (!usesTreeSitter()) return { file: readHclEdited(filePath, text, previous?.file), live: new LiveTree(undefined) };
  const { commentQuery } = hclRuntime();
  let oldTree: Tree | undefined;
  let change: TextChange | undefined;
  let newLineStarts: number[] | undefined;
  const previousTree = previous?.live.tree;
  if (previous && previousTree) {
    change = diffTexts(previous.file.text, text);
    newLineStarts = computeLineStarts(text);
    const point = (p: { line: number; character: number }) => ({ row: p.line, column: p.character });
    oldTree = previousTree.copy();
    oldTree.edit(
      new (treeSitter().Edit)({
        startIndex: change.start,
        oldEndIndex: change.oldEnd,
        newEndIndex: change.newEnd,
        startPosition: point(positionAt(previous.file.lineStarts, change.start)),
        oldEndPosition: point(positionAt(previous.file.lineStarts, change.oldEnd)),
        newEndPosition: point(positionAt(newLineStarts, change.newEnd)),
      }),
    );
  }
  let tree: Tree | null;
  try {
    tree = parseTree(text, oldTree);
  } finally {
    oldTree?.delete();
  }
  if (!tree) throw new Error(`tree-sitter returned no tree for ${filePath}`);
  const live = new LiveTree(tree);
  try {
    const file = convertTree(
      filePath,
      text,
      tree,
      commentQuery,
      live,
      previous && change ? { file: previous.file, change } : undefined,
      newLineStarts,
    );
    return { file, live };
  } catch (error) {
    live.release();
    throw tooDeep(error);
  }
}

/** Parses JSON syntax (.tf.json, .pkr.json, legacy Packer JSON) with the block layout of its language. */
export function parseJson(filePath: string, text: string, layout: JsonLayout): SourceFile {
  try {
    return convertJson(filePath, text, layout);
  } catch (error) {
    throw tooDeep(error);
  }
}

/** A file the parsers cannot take: tree-sitter's heap ran out, or its nesting exhausted the stack. The caller reports it and goes on. */
export class UnparsableFile extends Error {
  constructor(readonly reason: "memory" | "nesting") {
    super(reason === "memory" ? "the parser ran out of memory" : "nesting too deep for the parser");
  }
}

/**
 * Parses with tree-sitter. A failed allocation aborts its WASM module mid-parse; resetting the parser
 * frees what the parse held, so the next file parses again.
 */
export function parseTree(text: string, oldTree?: Tree): Tree | null {
  const { parser } = hclRuntime();
  try {
    return parser.parse(text, oldTree ?? null);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("Aborted(")) throw error;
    parser.reset();
    throw new UnparsableFile("memory");
  }
}

/** A stack overflow while converting (a template nested thousands deep) as the file's own failure, not the run's. */
function tooDeep(error: unknown): unknown {
  return error instanceof RangeError && /call stack/.test(error.message) ? new UnparsableFile("nesting") : error;
}

export { packerJsonLayout, terraformJsonLayout } from "./hcl/json.ts";
export { chooseHclParser, hclParserFromEnvironment, hclParserInUse, type HclParserKind } from "./hcl/parser-choice.ts";
export type { JsonLayout };
