// Where a suppression comment for one finding goes (its line, its block, its file), each edit checked to do what it says. Front ends only convert the offsets.
import { modify } from "jsonc-parser";
import type { Block, SourceFile } from "./model.ts";
import { LINE_DIRECTIVE } from "./suppress.ts";
import type { Finding, TextEdit } from "./types.ts";

/** What a new suppression comment says after `--`: a prompt to record the reason, which reviewers expect. */
export const REASON_PLACEHOLDER = "TODO: say why this is acceptable";

export interface SuppressionEdit {
  title: string;
  edits: TextEdit[];
}

/** Parses a text as the file's syntax; undefined when the engine does not read such a file. */
export type Reparse = (text: string) => SourceFile | undefined;

function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** Offset just before the line break ending the line that contains `offset`. */
function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== "\n" && text[i - 1] !== "\r") i--;
  return i;
}

/** The top-level block containing an offset: the unit a user thinks of as "this block". */
function enclosingTopBlock(file: SourceFile, offset: number): Block | undefined {
  return file.body.blocks.find((b) => b.range.startOffset <= offset && offset < b.range.endOffset);
}

/** The offset just after the rule list of a line directive within text[from, to), to add a rule to it. */
function directiveListEnd(text: string, from: number, to: number): number | undefined {
  const m = LINE_DIRECTIVE.exec(text.slice(from, to));
  return m ? from + m.index + m[0].length : undefined;
}

/**
 * Whether a suppression edit yields a file that parses no worse and has a directive naming the rule
 * on the expected line; a comment appended after `<<EOF` would otherwise land inside a heredoc.
 */
function suppressionWorks(reparse: Reparse, file: SourceFile, text: string, rule: string, line: number): boolean {
  const parsed = reparse(text);
  if (!parsed || parsed.syntaxErrors.length > file.syntaxErrors.length) return false;
  return parsed.comments.some((c) => {
    const m = LINE_DIRECTIVE.exec(c.text);
    return (
      c.range.start.line === line &&
      m !== null &&
      m[1]
        .split(",")
        .map((r) => r.trim())
        .includes(rule)
    );
  });
}

const insert = (at: number, newText: string): TextEdit[] => [{ start: at, end: at, newText }];

/**
 * The "Ignore <rule> for this line / block / file" edits for one finding of `file`, whose current
 * text is `text`. Each HCL comment is kept only when re-parsing shows it lands where it should.
 */
export function suppressionEdits(file: SourceFile, text: string, finding: Finding, reparse: Reparse): SuppressionEdit[] {
  const rule = finding.ruleId;
  const eol = eolOf(text);
  const out: SuppressionEdit[] = [];
  if (file.syntax === "hcl") {
    // For this line: a trailing comment covers only its own line, even when that line opens a block.
    // A directive already on the line gets the rule added, so that one comment keeps covering both.
    const directive = `immutably-ignore: ${rule}`;
    const start = lineStart(text, finding.range.startOffset);
    const end = lineEnd(text, finding.range.startOffset);
    const listEnd = directiveListEnd(text, start, end);
    const [lineAt, lineText] = listEnd === undefined ? [end, ` # ${directive} -- ${REASON_PLACEHOLDER}`] : [listEnd, `, ${rule}`];
    if (suppressionWorks(reparse, file, text.slice(0, lineAt) + lineText + text.slice(lineAt), rule, finding.range.start.line)) {
      out.push({ title: `Ignore ${rule} for this line`, edits: insert(lineAt, lineText) });
    }

    // For this block: a comment on its own line above a block header covers the whole block. A new
    // line under an existing directive would move that directive off the header, so it is extended instead.
    const block = enclosingTopBlock(file, finding.range.startOffset);
    if (block) {
      const at = lineStart(text, block.headerRange.startOffset);
      const above = at > 0 ? lineStart(text, at - 1) : at;
      const aboveEnd = above < at ? lineEnd(text, above) : at;
      const aboveList =
        above < at && text.slice(above, aboveEnd).trim().startsWith("#") ? directiveListEnd(text, above, aboveEnd) : undefined;
      const indent = /^[ \t]*/.exec(text.slice(at))![0];
      const [blockAt, blockText, commentLine] =
        aboveList === undefined
          ? [at, `${indent}# ${directive} -- ${REASON_PLACEHOLDER}${eol}`, block.headerRange.start.line]
          : [aboveList, `, ${rule}`, block.headerRange.start.line - 1];
      if (suppressionWorks(reparse, file, text.slice(0, blockAt) + blockText + text.slice(blockAt), rule, commentLine)) {
        out.push({ title: `Ignore ${rule} for this block`, edits: insert(blockAt, blockText) });
      }
    }
    out.push({
      title: `Ignore ${rule} for this file`,
      edits: insert(0, `# immutably-ignore-file: ${rule} -- ${REASON_PLACEHOLDER}${eol}`),
    });
    return out;
  }
  // JSON has no comments: Terraform and Packer accept a top-level "//" key, which the engine reads as one.
  const value = `immutably-ignore-file: ${rule} -- ${REASON_PLACEHOLDER}`;
  const existing = file.comments.length > 0;
  const formattingOptions = { insertSpaces: !/\n\t/.test(text), tabSize: 2, eol };
  let edits;
  try {
    const parsedRoot = JSON.parse(text) as Record<string, unknown>;
    const current = parsedRoot["//"];
    if (existing && Array.isArray(current)) edits = modify(text, ["//", -1], value, { formattingOptions, isArrayInsertion: true });
    else if (existing && typeof current === "string") edits = modify(text, ["//"], [current, value], { formattingOptions });
    else edits = modify(text, ["//"], value, { formattingOptions, getInsertionIndex: () => 0 });
  } catch {
    return out; // A JSON file that does not parse has nowhere to put the key.
  }
  out.push({
    title: `Ignore ${rule} for this file`,
    edits: edits.map((e) => ({ start: e.offset, end: e.offset + e.length, newText: e.content })),
  });
  return out;
}
