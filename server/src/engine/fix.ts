// Applies text edits and fixes: sorted, non-overlapping, never partially.
import type { Finding, Fix, TextEdit } from "./types.ts";

/** Applies edits to a text; throws when two edits overlap (a rule bug, never user input). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}

/**
 * Picks a set of fixes for one file whose edits do not overlap each other, in finding order.
 * Fixes that touch other files are left out, so the result is self-contained.
 */
export function selectFixes(path: string, fixes: Fix[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit) => a.start < b.end && b.start < a.end || (a.start === b.start && a.end === b.end);
  for (const fix of fixes) {
    if (fix.changes.some((c) => c.path !== path || c.create)) continue;
    const edits = fix.changes.flatMap((c) => c.edits);
    if (edits.some((e) => chosen.some((c) => overlaps(e, c)))) continue;
    chosen.push(...edits);
  }
  return chosen;
}

/** The fixes of findings in one file, filtered by kind. */
export function fixesFor(findings: Finding[], path: string, kinds: Array<"safe" | "unsafe">): Fix[] {
  return findings.filter((f) => f.path === path && f.fix && kinds.includes(f.fix.kind)).map((f) => f.fix as Fix);
}
