// Suppression comments: `immutably-ignore: a, b -- reason` (line, next line, next block) and `immutably-ignore-file: a`.
import type { Block, Body, Range, SourceFile } from "./model.ts";
import type { Finding, Severity } from "./types.ts";

export interface Suppression {
  path: string;
  rules: string[];
  /** Zero-based inclusive line span the suppression covers. */
  fromLine: number;
  toLine: number;
  fileWide: boolean;
  /** Where the comment is written, for reporting unused suppressions. */
  range: Range;
  used: Set<string>;
}

/** A line directive; the list of rules is group 1. */
export const LINE_DIRECTIVE = /immutably-ignore:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;
const FILE_DIRECTIVE = /immutably-ignore-file:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

function ruleList(s: string): string[] {
  return s
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
}

/** Maps each line on which a block header starts to the last line of the outermost such block. */
function blockSpans(body: Body, out: Map<number, number>): void {
  const visit = (b: Block): void => {
    const line = b.headerRange.start.line;
    out.set(line, Math.max(out.get(line) ?? line, b.range.end.line));
    b.body.blocks.forEach(visit);
  };
  body.blocks.forEach(visit);
}

/** Whether a comment stands alone on its line (only whitespace before it). */
function standsAlone(file: SourceFile, range: Range): boolean {
  const lineStart = file.lineStarts[range.start.line];
  return file.text.slice(lineStart, range.startOffset).trim() === "";
}

/** A rule id in a suppression comment that no rule has, with the range of the id itself. */
export interface UnknownSuppressedRule {
  ruleId: string;
  range: Range;
}

/** The position of an offset in a file, by its line starts. */
function positionAt(file: SourceFile, offset: number): { line: number; character: number } {
  let line = 0;
  while (line + 1 < file.lineStarts.length && file.lineStarts[line + 1] <= offset) line++;
  return { line, character: offset - file.lineStarts[line] };
}

/**
 * The rule ids that suppression comments name but no rule has (a typo suppresses nothing, silently).
 * In JSON the directive is the value of a "//" key; its offsets are not the comment text's, so JSON
 * files are not checked.
 */
export function unknownSuppressedRules(file: SourceFile, known: ReadonlySet<string>): UnknownSuppressedRule[] {
  if (file.syntax === "json") return [];
  const out: UnknownSuppressedRule[] = [];
  for (const comment of file.comments) {
    const m = FILE_DIRECTIVE.exec(comment.text) ?? LINE_DIRECTIVE.exec(comment.text);
    if (!m) continue;
    const listStart = m.index + m[0].length - m[1].length;
    for (const id of m[1].matchAll(/[a-z0-9-]+/g)) {
      if (known.has(id[0])) continue;
      const startOffset = comment.range.startOffset + listStart + (id.index ?? 0);
      const endOffset = startOffset + id[0].length;
      out.push({
        ruleId: id[0],
        range: { start: positionAt(file, startOffset), end: positionAt(file, endOffset), startOffset, endOffset },
      });
    }
  }
  return out;
}

export function collectSuppressions(file: SourceFile): Suppression[] {
  const out: Suppression[] = [];
  let spans: Map<number, number> | undefined;
  for (const comment of file.comments) {
    const fileMatch = FILE_DIRECTIVE.exec(comment.text);
    if (fileMatch) {
      out.push({
        path: file.path,
        rules: ruleList(fileMatch[1]),
        fromLine: 0,
        toLine: Infinity,
        fileWide: true,
        range: comment.range,
        used: new Set(),
      });
      continue;
    }
    const m = LINE_DIRECTIVE.exec(comment.text);
    if (!m || file.syntax === "json") continue;
    const line = comment.range.start.line;
    let toLine = line;
    if (standsAlone(file, comment.range)) {
      // A comment on its own line covers the next line, or the whole block whose header is there.
      spans ??= (() => {
        const s = new Map<number, number>();
        blockSpans(file.body, s);
        return s;
      })();
      toLine = spans.get(line + 1) ?? line + 1;
    }
    out.push({ path: file.path, rules: ruleList(m[1]), fromLine: line, toLine, fileWide: false, range: comment.range, used: new Set() });
  }
  return out;
}

/**
 * Drops suppressed findings and records which suppressions were used. The suppressions are indexed
 * by file and rule first: scanning every suppression per finding would be quadratic in a run with
 * many of both.
 */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): Finding[] {
  if (suppressions.length === 0) return findings;
  const index = new Map<string, SuppressionSpans>();
  for (const s of suppressions) {
    for (const rule of new Set(s.rules)) {
      const key = `${s.path}\0${rule}`;
      let spans = index.get(key);
      if (!spans) index.set(key, (spans = new SuppressionSpans()));
      spans.add(s);
    }
  }
  return findings.filter((f) => {
    const spans = index.get(`${f.path}\0${f.ruleId}`);
    if (!spans) return true;
    let suppressed = false;
    spans.covering(f.range.start.line, (s) => {
      s.used.add(f.ruleId);
      suppressed = true;
    });
    return !suppressed;
  });
}

/** The suppressions of one rule in one file, answering "which cover line n" without a scan of them all. */
class SuppressionSpans {
  private readonly fileWide: Suppression[] = [];
  private readonly lines: Suppression[] = [];
  /** `lines` sorted by first line, and the largest last line up to each, once the first question comes. */
  private sorted: { spans: Suppression[]; reach: number[] } | undefined;

  add(s: Suppression): void {
    (s.fileWide ? this.fileWide : this.lines).push(s);
  }

  /** Calls `visit` with every suppression covering `line`, each once. */
  covering(line: number, visit: (s: Suppression) => void): void {
    for (const s of this.fileWide) visit(s);
    if (this.lines.length === 0) return;
    if (!this.sorted) {
      const spans = [...this.lines].sort((a, b) => a.fromLine - b.fromLine);
      const reach: number[] = [];
      spans.forEach((s, i) => reach.push(Math.max(s.toLine, i > 0 ? reach[i - 1] : -Infinity)));
      this.sorted = { spans, reach };
    }
    const { spans, reach } = this.sorted;
    // The last span starting at or before the line, then back while an earlier one may still reach it.
    let lo = 0;
    let hi = spans.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].fromLine <= line) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = last; i >= 0 && reach[i] >= line; i--) if (spans[i].toLine >= line) visit(spans[i]);
  }
}

/** The id of the finding that a suppression comment suppresses nothing (not a rule: it has no page). */
export const UNUSED_IGNORE = "unused-ignore";

/**
 * One finding per suppression comment that names rules it suppressed nothing of, at the comment.
 * `judged` says which ids can be judged by this run: a plan check's suppression is used by
 * `immutably plan`, which a lint cannot see, and the editor reports unknown ids on their own.
 */
export function unusedSuppressionFindings(
  unused: readonly Suppression[],
  judged: (ruleId: string) => boolean,
  severity: Severity,
): Finding[] {
  const out: Finding[] = [];
  for (const s of unused) {
    const rules = s.rules.filter((r) => !s.used.has(r) && judged(r));
    if (rules.length === 0) continue;
    out.push({
      ruleId: UNUSED_IGNORE,
      severity,
      message: `Suppression of ${rules.join(", ")} suppresses nothing; remove it.`,
      path: s.path,
      range: s.range,
    });
  }
  return out;
}
