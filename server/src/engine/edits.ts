// Builders for fix edits that respect a file's syntax, indentation and line endings (HCL and JSON).
import { modify, type FormattingOptions } from "jsonc-parser";
import type { Attribute, Block, SourceFile } from "./model.ts";
import type { TextEdit } from "./types.ts";

/**
 * A file's line ending and indentation step, found once per file: every finding's fix asks, and
 * scanning the whole text each time cost a few milliseconds per edit in a 3,000-line file (profiled).
 */
const styles = new WeakMap<SourceFile, { eol: string; unit: string }>();

function styleOf(file: SourceFile): { eol: string; unit: string } {
  let style = styles.get(file);
  if (!style) {
    const text = file.text;
    style = { eol: text.includes("\r\n") ? "\r\n" : "\n", unit: /\n\t/.test(text) && !/\n {2}\S/.test(text) ? "\t" : "  " };
    styles.set(file, style);
  }
  return style;
}

/** The line ending a file already uses, so fixes never mix styles. */
export function eolOf(file: SourceFile): string {
  return styleOf(file).eol;
}

/** The indentation (spaces/tabs) of the line containing `offset`. */
export function indentAt(file: SourceFile, offset: number): string {
  let start = offset;
  while (start > 0 && file.text[start - 1] !== "\n" && file.text[start - 1] !== "\r") start--;
  let end = start;
  while (end < file.text.length && (file.text[end] === " " || file.text[end] === "\t")) end++;
  return file.text.slice(start, end);
}

/** One indentation step as the file uses it (two spaces by Terraform convention, or a tab). */
export function indentUnit(file: SourceFile): string {
  return styleOf(file).unit;
}

function jsonFormatting(file: SourceFile): FormattingOptions {
  const m = /\n( +|\t)"/.exec(file.text);
  const unit = m ? (m[1].startsWith("\t") ? "\t" : m[1]) : "  ";
  return { insertSpaces: unit !== "\t", tabSize: unit === "\t" ? 1 : Math.min(unit.length, 8), eol: eolOf(file) };
}

/** Edits that set a JSON property at `path` (created when missing) to `value`. */
export function jsonSet(file: SourceFile, path: Array<string | number>, value: unknown): TextEdit[] {
  return modify(file.text, path, value, { formattingOptions: jsonFormatting(file) }).map((e) => ({
    start: e.offset,
    end: e.offset + e.length,
    newText: e.content,
  }));
}

/** Edits that delete a JSON property at `path`. */
export function jsonDelete(file: SourceFile, path: Array<string | number>): TextEdit[] {
  return jsonSet(file, path, undefined);
}

/**
 * Inserts lines (HCL, written without indentation; nested lines keep their relative indentation
 * with two-space steps) at the end of a block's body, indented one step deeper than the block.
 */
export function appendToHclBlock(file: SourceFile, block: Block, lines: string[]): TextEdit[] {
  if (block.openBraceEnd === undefined || block.closeBraceStart === undefined) return [];
  const eol = eolOf(file);
  const outer = indentAt(file, block.range.startOffset);
  const unit = indentUnit(file);
  const inner = outer + unit;
  const rendered = lines.map((l) => (l === "" ? "" : inner + l.replace(/^( {2})+/, (m) => unit.repeat(m.length / 2)))).join(eol);
  const between = file.text.slice(block.openBraceEnd, block.closeBraceStart);
  if (!between.includes("\n")) {
    // `x {}` or `x { a = 1 }` on one line: open it up.
    const existing = between.trim();
    const body = existing ? `${inner}${existing}${eol}${rendered}` : rendered;
    return [{ start: block.openBraceEnd, end: block.closeBraceStart, newText: `${eol}${body}${eol}${outer}` }];
  }
  // Insert before the line holding the closing brace.
  let lineStart = block.closeBraceStart;
  while (lineStart > 0 && file.text[lineStart - 1] !== "\n") lineStart--;
  const onlyIndentBefore = file.text.slice(lineStart, block.closeBraceStart).trim() === "";
  if (onlyIndentBefore) return [{ start: lineStart, end: lineStart, newText: rendered + eol }];
  return [{ start: block.closeBraceStart, end: block.closeBraceStart, newText: `${eol}${rendered}${eol}${outer}` }];
}

/** Replaces an attribute's value expression with new text. */
export function replaceExpr(attribute: Attribute, newText: string): TextEdit {
  return { start: attribute.expr.range.startOffset, end: attribute.expr.range.endOffset, newText };
}

/** Deletes a whole HCL attribute or block including its line, when it stands on lines of its own. */
export function deleteLines(file: SourceFile, startOffset: number, endOffset: number): TextEdit {
  let start = startOffset;
  while (start > 0 && (file.text[start - 1] === " " || file.text[start - 1] === "\t")) start--;
  let end = endOffset;
  while (end < file.text.length && (file.text[end] === " " || file.text[end] === "\t")) end++;
  const ownLines =
    (start === 0 || file.text[start - 1] === "\n") && (end >= file.text.length || file.text[end] === "\n" || file.text[end] === "\r");
  if (!ownLines) return { start: startOffset, end: endOffset, newText: "" };
  if (file.text[end] === "\r") end++;
  if (file.text[end] === "\n") end++;
  return { start, end, newText: "" };
}
