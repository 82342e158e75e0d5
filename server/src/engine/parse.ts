// Entry point for parsing: loads the tree-sitter HCL grammar once, then parses HCL and JSON files into the model.
import { convertJson, type JsonLayout } from "./hcl/json.ts";
import { convertTree } from "./hcl/native.ts";
import { hclRuntime, loadHclRuntime } from "./hcl/runtime.ts";
import { Edit, type Tree } from "web-tree-sitter";
import { diffTexts, type TextChange } from "./hcl/reuse.ts";
import { computeLineStarts, positionAt, type SourceFile } from "./model.ts";

/** Loads the parsers; call once before parsing. Safe to call again. */
export async function initParsers(): Promise<void> {
  await loadHclRuntime();
}

/** Parses HCL native syntax (.tf, .tfvars, .pkr.hcl, .pkrvars.hcl, .immutably.hcl). Never throws on bad syntax. */
export function parseHcl(filePath: string, text: string): SourceFile {
  const { parser, commentQuery } = hclRuntime();
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${filePath}`);
  try {
    return convertTree(filePath, text, tree, commentQuery);
  } finally {
    tree.delete();
  }
}

/** A parsed HCL file with its live tree-sitter tree, kept by editors to parse the next version incrementally. */
export interface HclParseState {
  file: SourceFile;
  tree: Tree;
}

/**
 * Parses HCL text again after an edit: tree-sitter re-parses only around the change, and top-level
 * blocks outside the changed span are reused. The caller owns the returned tree (`tree.delete()`),
 * and `previous` stays usable.
 */
export function parseHclIncremental(filePath: string, text: string, previous?: HclParseState): HclParseState {
  const { parser, commentQuery } = hclRuntime();
  let oldTree: Tree | undefined;
  let change: TextChange | undefined;
  if (previous) {
    change = diffTexts(previous.file.text, text);
    const newLineStarts = computeLineStarts(text);
    const point = (p: { line: number; character: number }) => ({ row: p.line, column: p.character });
    oldTree = previous.tree.copy();
    oldTree.edit(
      new Edit({
        startIndex: change.start,
        oldEndIndex: change.oldEnd,
        newEndIndex: change.newEnd,
        startPosition: point(positionAt(previous.file.lineStarts, change.start)),
        oldEndPosition: point(positionAt(previous.file.lineStarts, change.oldEnd)),
        newEndPosition: point(positionAt(newLineStarts, change.newEnd)),
      }),
    );
  }
  const tree = parser.parse(text, oldTree ?? null);
  oldTree?.delete();
  if (!tree) throw new Error(`tree-sitter returned no tree for ${filePath}`);
  const file = convertTree(filePath, text, tree, commentQuery, previous && change ? { file: previous.file, change } : undefined);
  return { file, tree };
}

/** Parses JSON syntax (.tf.json, .pkr.json, legacy Packer JSON) with the block layout of its language. */
export function parseJson(filePath: string, text: string, layout: JsonLayout): SourceFile {
  return convertJson(filePath, text, layout);
}

export { packerJsonLayout, terraformJsonLayout } from "./hcl/json.ts";
export type { JsonLayout };
