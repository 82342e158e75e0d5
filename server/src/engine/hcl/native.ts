// Builds the typed syntax model from HCL native syntax with the tree-sitter HCL grammar, in one pass per file.
import type { Node, Parser, Query, Tree } from "web-tree-sitter";
import { shiftBlock, type FileSource, type LiveTree, type Shift, type TextChange } from "./reuse.ts";
import { Converter } from "./native-expressions.ts";
import { expressionProblems, loneCarriageReturn } from "./native-newline-rules.ts";
import { StructureReader } from "./native-structure.ts";
import { computeLineStarts, positionAt, rangeOf, type Body, type Comment, type SourceFile, type SyntaxError } from "../model.ts";

/** Error nodes of a tree, reported with a generic message until HashiCorp's parser names them. */
function collectErrorNodes(tree: Tree, conv: Converter): SyntaxError[] {
  const errors: SyntaxError[] = [];
  const visit = (node: Node): void => {
    if (errors.length >= 20) return;
    if (node.type === "ERROR" || node.isMissing) {
      errors.push({
        message: node.isMissing ? `Missing ${node.type}` : "Invalid syntax",
        range: conv.range(node),
      });
      return;
    }
    // Only subtrees that contain an error are entered, so this is cheap on valid files.
    for (const child of node.children) if (child && (child.hasError || child.isMissing)) visit(child);
  };
  visit(tree.rootNode);
  return errors;
}

/** What is known of a file's previous version when it is parsed again (editors). */
export interface PreviousVersion {
  file: SourceFile;
  change: TextChange;
}

/**
 * Builds a file's model from its tree. The tree must stay alive until `live` is released: values
 * are converted from its nodes when first read.
 */
export function convertTree(
  path: string,
  text: string,
  tree: Tree,
  commentQuery: () => Query,
  live: LiveTree,
  previous?: PreviousVersion,
  knownLineStarts?: number[],
): SourceFile {
  const lineStarts = knownLineStarts ?? computeLineStarts(text);
  const source: FileSource = { text, lineStarts, live };
  const conv = new Converter(text, lineStarts);
  const root = tree.rootNode;
  // Comments are only read for suppression directives; the query cost 7% of parsing (profiled),
  // so it runs only when the text can hold a directive.
  const comments: Comment[] = text.includes("immutably-ignore")
    ? commentQuery()
        .captures(root)
        .map((c) => {
          // A line comment ends before its line break, the CR of a CRLF included (the grammar's node holds the CR).
          const start = c.node.startIndex;
          let end = c.node.endIndex;
          if (text.charCodeAt(end - 1) === 0x0d && end - 1 > start) end--;
          return { text: text.slice(start, end), range: rangeOf(lineStarts, start, end) };
        })
    : [];
  const cursor = tree.walk();
  const clean = previous !== undefined && previous.file.syntaxErrors.length === 0;
  let body: Body;
  let reader: StructureReader;
  try {
    reader = new StructureReader(cursor, source);
    // Reused blocks are not checked again, so a previous version with errors is not reused from.
    if (!reader.enterTopBody()) body = { attributes: [], blocks: [] };
    else body = clean ? convertBodyReusing(reader, previous, source) : reader.body();
  } finally {
    cursor.delete();
  }
  return {
    path,
    text,
    syntax: "hcl",
    body,
    comments,
    syntaxErrors: root.hasError
      ? collectErrorNodes(tree, conv)
      : [
          ...reader.problems,
          ...loneCarriageReturn(text, lineStarts),
          ...expressionProblems(
            text,
            root,
            lineStarts,
            clean ? linesAround(previous.change, lineStarts, text) : { start: 0, end: text.length },
          ),
        ].slice(0, 20),
    lineStarts,
  };
}

/** The text from the line before a change to the line after it (offsets in the new text). */
function linesAround(change: TextChange, lineStarts: number[], text: string): { start: number; end: number } {
  const first = Math.max(0, positionAt(lineStarts, change.start).line - 1);
  const last = positionAt(lineStarts, change.newEnd).line + 2;
  return { start: lineStarts[first], end: last < lineStarts.length ? lineStarts[last] : text.length };
}

/**
 * Converts the top-level body, reusing the previous version's top-level blocks that lie wholly
 * before or after the changed span: their text is unchanged, so only their offsets move. A block
 * whose boundaries differ (the edit changed how it parses) is converted again.
 */
function convertBodyReusing(reader: StructureReader, previous: PreviousVersion, source: FileSource): Body {
  const { start, oldEnd, newEnd } = previous.change;
  const delta = newEnd - oldEnd;
  const oldByStart = new Map(previous.file.body.blocks.map((b) => [b.range.startOffset, b]));
  // Blocks before the change keep their positions; blocks after it move by whole lines when they start
  // on a line after the change's last line.
  const oldLines = previous.file.lineStarts;
  const before: Shift = { delta: 0, lineDelta: 0, afterLine: -1, lineStarts: source.lineStarts };
  const after: Shift = {
    delta,
    lineDelta: source.lineStarts.length - oldLines.length,
    afterLine: positionAt(oldLines, oldEnd).line,
    lineStarts: source.lineStarts,
  };
  return reader.body((childStart, childEnd) => {
    if (childEnd < start) {
      const old = oldByStart.get(childStart);
      if (old && old.range.endOffset === childEnd) return shiftBlock(old, before, source);
    } else if (childStart > newEnd) {
      const old = oldByStart.get(childStart - delta);
      if (old && old.range.endOffset === childEnd - delta) return shiftBlock(old, after, source);
    }
    return undefined;
  });
}

export type { Parser };
