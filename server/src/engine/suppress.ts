// Suppression comments: `immutably-ignore: a, b -- reason` (line, next line, next block) and `immutably-ignore-file: a`.
import type { Block, Body, Range, SourceFile } from "./model.ts";
import type { Finding } from "./types.ts";

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

const LINE_DIRECTIVE = /immutably-ignore:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;
const FILE_DIRECTIVE = /immutably-ignore-file:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

function ruleList(s: string): string[] {
  return s.split(",").map((r) => r.trim()).filter(Boolean);
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

export function collectSuppressions(file: SourceFile): Suppression[] {
  const out: Suppression[] = [];
  let spans: Map<number, number> | undefined;
  for (const comment of file.comments) {
    const fileMatch = FILE_DIRECTIVE.exec(comment.text);
    if (fileMatch) {
      out.push({ path: file.path, rules: ruleList(fileMatch[1]), fromLine: 0, toLine: Infinity, fileWide: true, range: comment.range, used: new Set() });
      continue;
    }
    const m = LINE_DIRECTIVE.exec(comment.text);
    if (!m || file.syntax === "json") continue;
    const line = comment.range.start.line;
    let toLine = line;
    if (standsAlone(file, comment.range)) {
      // A comment on its own line covers the next line, or the whole block whose header is there.
      spans ??= (() => { const s = new Map<number, number>(); blockSpans(file.body, s); return s; })();
      toLine = spans.get(line + 1) ?? line + 1;
    }
    out.push({ path: file.path, rules: ruleList(m[1]), fromLine: line, toLine, fileWide: false, range: comment.range, used: new Set() });
  }
  return out;
}

/** Drops suppressed findings and records which suppressions were used. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[]): Finding[] {
  if (suppressions.length === 0) return findings;
  return findings.filter((f) => {
    const line = f.range.start.line;
    let suppressed = false;
    for (const s of suppressions) {
      if (s.path !== f.path || !s.rules.includes(f.ruleId)) continue;
      if (s.fileWide || (line >= s.fromLine && line <= s.toLine)) {
        s.used.add(f.ruleId);
        suppressed = true;
      }
    }
    return !suppressed;
  });
}
