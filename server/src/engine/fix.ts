// Applies text edits and fixes: sorted, non-overlapping, never partially.
import type { FileChange, Finding, Fix, TextEdit } from "./types.ts";

/**
 * A fix whose edits are built when first read: most findings' fixes are never applied, and building
 * every one of them on each keystroke was a tenth of the rules' time on the editor benchmark's
 * 3,000-line file. A builder that fails gives no edits, and so no fix to offer.
 */
export function lazyFix(title: string, kind: Fix["kind"], build: () => FileChange[]): Fix {
  let changes: FileChange[] | undefined;
  return {
    title,
    kind,
    get changes(): FileChange[] {
      if (!changes) {
        try {
          changes = build();
        } catch {
          changes = [];
        }
      }
      return changes;
    },
  };
}

/** A fix without its edits (see `LintOptions.fixEdits`): reading them is a mistake of the caller, and says so rather than finding none. */
export function withoutEdits(fix: Fix): Fix {
  return {
    title: fix.title,
    kind: fix.kind,
    get changes(): FileChange[] {
      throw new Error("this fix was linted without its edits: ask for them with fixEdits");
    },
  };
}

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

/** One edit that turns `before` into `after`: the span between their common prefix and common suffix. */
export function editBetween(before: string, after: string): TextEdit {
  let start = 0;
  while (start < after.length && start < before.length && after[start] === before[start]) start++;
  let tail = 0;
  while (tail < after.length - start && tail < before.length - start && after[after.length - 1 - tail] === before[before.length - 1 - tail])
    tail++;
  return { start, end: before.length - tail, newText: after.slice(start, after.length - tail) };
}

/**
 * Picks a set of fixes for one file whose edits do not overlap each other, in finding order.
 * Fixes that touch other files are left out, so the result is self-contained. Two edits overlap when
 * their ranges share a character, or when both insert at the same offset.
 */
export function selectFixes(path: string, fixes: Fix[]): TextEdit[] {
  const chosen = new ChosenEdits();
  for (const fix of fixes) {
    if (fix.changes.some((c) => c.path !== path || c.create)) continue;
    const edits = fix.changes.flatMap((c) => c.edits);
    if (edits.some((e) => chosen.overlaps(e))) continue;
    for (const e of edits) chosen.add(e);
  }
  return chosen.all;
}

/**
 * The edits chosen so far, kept sorted so that a new edit is checked against its neighbours only:
 * checking it against every chosen edit would be quadratic in the fixes of a file.
 */
class ChosenEdits {
  readonly all: TextEdit[] = [];
  /** The text the chosen replacements cover: disjoint ranges, sorted by start (so by end too). */
  private readonly ranges: TextEdit[] = [];
  /** Offsets of pure insertions, sorted. */
  private readonly points: number[] = [];

  overlaps(e: TextEdit): boolean {
    // The last replacement starting before e ends reaches furthest of those; it overlaps when it passes e's start.
    const i = lastBefore(this.ranges.length, (k) => this.ranges[k].start < e.end);
    if (i >= 0 && this.ranges[i].end > e.start) return true;
    if (e.start === e.end) return this.points[firstFrom(this.points.length, (k) => this.points[k] >= e.start)] === e.start;
    // An insertion strictly inside e.
    const j = firstFrom(this.points.length, (k) => this.points[k] > e.start);
    return j < this.points.length && this.points[j] < e.end;
  }

  add(e: TextEdit): void {
    this.all.push(e);
    if (e.start === e.end) {
      this.points.splice(
        firstFrom(this.points.length, (k) => this.points[k] >= e.start),
        0,
        e.start,
      );
      return;
    }
    // The edits of one fix are not checked against each other: where two overlap, their union keeps the ranges disjoint.
    let { start, end } = e;
    const first = firstFrom(this.ranges.length, (k) => this.ranges[k].end > start);
    let last = first;
    for (; last < this.ranges.length && this.ranges[last].start < end; last++) {
      start = Math.min(start, this.ranges[last].start);
      end = Math.max(end, this.ranges[last].end);
    }
    this.ranges.splice(first, last - first, { start, end, newText: "" });
  }
}

/** The first index in [0, n) for which `test` holds (it must hold for every later index too), or n. */
function firstFrom(n: number, test: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The last index in [0, n) for which `test` holds (it must hold for every earlier index too), or -1. */
function lastBefore(n: number, test: (k: number) => boolean): number {
  return firstFrom(n, (k) => !test(k)) - 1;
}

/** The fixes of the given kinds, by the file of their finding, in finding order. */
export function fixesByFile(findings: Finding[], kinds: Array<"safe" | "unsafe">): Map<string, Fix[]> {
  const out = new Map<string, Fix[]>();
  for (const f of findings) {
    if (!f.fix || !kinds.includes(f.fix.kind)) continue;
    const list = out.get(f.path);
    if (list) list.push(f.fix);
    else out.set(f.path, [f.fix]);
  }
  return out;
}
