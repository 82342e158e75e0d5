// Keeps fixes `terraform fmt`-clean: the `=` of the arguments an edit joins, leaves or renames are aligned as hclwrite aligns them.
import type { SourceFile } from "./model.ts";
import type { TextEdit } from "./types.ts";

/**
 * One line as hclwrite's formatter sees it: a heredoc or a block comment belongs to the line it starts
 * on. `equals` is the offset of the line's `=` when hclwrite aligns it: the first `=` of the line, not
 * its first token, whose right-hand side opens no bracket it does not close (counted up to a heredoc's
 * marker). `leadEnd` is where the text before that `=` ends, without the padding.
 */
interface FormatLine {
  start: number;
  end: number;
  equals?: number;
  leadEnd?: number;
}

const OPEN = new Set(["{", "[", "("]);
const CLOSE = new Set(["}", "]", ")"]);

/**
 * Splits HCL text (starting outside any string, comment or bracket) into hclwrite's lines. The text is
 * valid HCL (fixes are only offered for files without syntax errors), so a light scanner suffices.
 */
function formatLines(text: string): FormatLine[] {
  const lines: FormatLine[] = [];
  // Contexts: "code" (in brackets or not), "string" (a quoted template), "interp" (`${ }` or `%{ }` in one).
  const stack: Array<"code" | "string" | "interp"> = ["code"];
  let line: FormatLine = { start: 0, end: 0 };
  let tokens = 0; // tokens seen on this line so far
  let net = 0; // brackets opened and not closed since the line's first `=`
  let counting = false; // counting brackets after the `=`; a heredoc's marker stops it
  let heredoc: string | undefined; // the marker of a heredoc opened on this line
  const finish = (end: number) => {
    line.end = end;
    if (line.equals !== undefined && net !== 0) line.equals = line.leadEnd = undefined;
    lines.push(line);
    line = { start: end, end };
    tokens = 0;
    net = 0;
    counting = false;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (top === "string") {
      if (c === "\\") i += 2;
      else if (c === '"') {
        stack.pop();
        i++;
      } else if ((c === "$" || c === "%") && text[i + 1] === "{") {
        // `$${` and `%%{` are literal text.
        if (text[i - 1] !== c) {
          stack.push("interp");
          if (counting) net++;
        }
        i += 2;
      } else i++;
      continue;
    }
    if (c === "\n") {
      i++;
      if (heredoc !== undefined) {
        // The heredoc's content, up to and including its closing marker line, belongs to this line.
        while (i < text.length) {
          let end = text.indexOf("\n", i);
          if (end < 0) end = text.length - 1;
          const content = text.slice(i, end).replace(/\r$/, "");
          i = end + 1;
          if (content.trim() === heredoc) break;
        }
        heredoc = undefined;
      }
      finish(i);
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    tokens++;
    if (c === '"') {
      stack.push("string");
      i++;
      continue;
    }
    const marker = c === "<" && text[i + 1] === "<" ? /^<<-?([A-Za-z_][\w-]*)/.exec(text.slice(i, i + 80)) : null;
    if (marker) {
      heredoc = marker[1];
      counting = false;
      i += marker[0].length;
      continue;
    }
    if (c === "=" && !"=!<>".includes(text[i - 1] ?? "") && text[i + 1] !== "=" && text[i + 1] !== ">") {
      if (line.equals === undefined && tokens > 1 && top === "code") {
        line.equals = i;
        let lead = i;
        while (lead > line.start && (text[lead - 1] === " " || text[lead - 1] === "\t")) lead--;
        line.leadEnd = lead;
        counting = true;
      }
      i++;
      continue;
    }
    if (OPEN.has(c)) {
      stack.push("code");
      if (counting) net++;
    } else if (CLOSE.has(c)) {
      if (stack.length > 1) stack.pop();
      if (counting) net--;
    }
    i++;
  }
  if (line.start < text.length) finish(text.length);
  return lines;
}

/** hclwrite measures a lead in bytes (the lengths of its tokens' UTF-8 text). */
function width(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Re-pads the `=` of every run of aligned lines that holds one of `touched` (line indexes), as
 * hclwrite does: one space after the widest lead of the run. Returns the new text.
 */
function alignRuns(text: string, lines: FormatLine[], touched: Set<number>): string {
  let out = "";
  let cursor = 0;
  for (let i = 0; i < lines.length;) {
    if (lines[i].equals === undefined) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].equals !== undefined) j++;
    let isTouched = false;
    for (let k = i; k < j; k++) if (touched.has(k)) isTouched = true;
    if (isTouched) {
      const widest = Math.max(...lines.slice(i, j).map((l) => width(text.slice(l.start, l.leadEnd))));
      for (let k = i; k < j; k++) {
        const l = lines[k];
        out += text.slice(cursor, l.leadEnd) + " ".repeat(widest - width(text.slice(l.start, l.leadEnd)) + 1);
        cursor = l.equals!;
      }
    }
    i = j;
  }
  return out + text.slice(cursor);
}

/** The index of the line holding `offset`. */
function lineIndexAt(lines: FormatLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The part of a file to re-align for edits in [from, to): whole lines and whole top-level items, since
 * scanning must start outside any string, and the top-level arguments on the lines right around them
 * (a variable file's arguments align with each other).
 */
function regionFor(file: SourceFile, from: number, to: number): { start: number; end: number } {
  const items = [...file.body.attributes, ...file.body.blocks].sort((a, b) => a.range.startOffset - b.range.startOffset);
  let first = lineOf(file, from);
  let last = lineOf(file, to);
  for (const item of items) {
    if (item.range.startOffset <= from && from <= item.range.endOffset) first = Math.min(first, item.range.start.line);
    if (item.range.startOffset <= to && to <= item.range.endOffset) last = Math.max(last, item.range.end.line);
  }
  const before = items.filter((item) => item.range.end.line < first).reverse();
  for (const item of before) {
    if ("body" in item || item.range.end.line + 1 !== first) break;
    first = item.range.start.line;
  }
  for (const item of items) {
    if (item.range.start.line <= last) continue;
    if ("body" in item || item.range.start.line !== last + 1) break;
    last = item.range.end.line;
  }
  return { start: file.lineStarts[first], end: file.lineStarts[last + 1] ?? file.text.length };
}

function lineOf(file: SourceFile, offset: number): number {
  let lo = 0;
  let hi = file.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (file.lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The edits of a fix to an HCL file, with the `=` of every run of arguments they touch aligned as
 * `terraform fmt` (hclwrite) aligns it: one space after the widest name of a run of consecutive
 * one-line arguments (a heredoc counts as one line). Runs the edits do not touch are left as they are,
 * so a file that was not formatted is not reformatted by a fix. Returns the edits unchanged when the
 * alignment is already right, else one edit spanning the changed part of the region.
 */
export function alignEdits(file: SourceFile, edits: TextEdit[]): TextEdit[] {
  if (file.syntax !== "hcl" || edits.length === 0) return edits;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const region = regionFor(file, sorted[0].start, sorted[sorted.length - 1].end);
  const original = file.text.slice(region.start, region.end);
  let edited = "";
  let cursor = region.start;
  // Where each edit lands in the edited region.
  const landed: Array<{ start: number; end: number; sameLines: boolean }> = [];
  for (const e of sorted) {
    edited += file.text.slice(cursor, e.start);
    const sameLines = !e.newText.includes("\n") && !file.text.slice(e.start, e.end).includes("\n");
    landed.push({ start: edited.length, end: edited.length + e.newText.length, sameLines });
    edited += e.newText;
    cursor = e.end;
  }
  edited += file.text.slice(cursor, region.end);
  const lines = formatLines(edited);
  if (lines.length === 0) return edits;
  const touched = new Set<number>();
  for (const { start, end, sameLines } of landed) {
    const first = lineIndexAt(lines, start);
    // A new value on the same line (after its `=`) moves no `=`.
    const equals = lines[first].equals;
    if (sameLines && equals !== undefined && start > equals) continue;
    const last = lineIndexAt(lines, Math.max(start, end - 1));
    for (let k = first; k <= last; k++) touched.add(k);
    // A deletion joins the lines around it into one run.
    if (start === end && first > 0) touched.add(first - 1);
  }
  const aligned = alignRuns(edited, lines, touched);
  if (aligned === edited) return edits;
  let prefix = 0;
  while (prefix < original.length && prefix < aligned.length && original[prefix] === aligned[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < original.length - prefix &&
    suffix < aligned.length - prefix &&
    original[original.length - 1 - suffix] === aligned[aligned.length - 1 - suffix]
  )
    suffix++;
  return [{ start: region.start + prefix, end: region.end - suffix, newText: aligned.slice(prefix, aligned.length - suffix) }];
}

/**
 * A text written whole by a fix (a new file, or blocks appended to one the engine did not parse), with
 * every run of arguments aligned. It must start outside any string, as whole lines do.
 */
export function alignText(text: string): string {
  const lines = formatLines(text);
  return alignRuns(text, lines, new Set(lines.keys()));
}
