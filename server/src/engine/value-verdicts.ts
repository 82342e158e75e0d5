// What rules ask of followed values: whether one names nothing, one verdict over every value a conditional may take, and blocks with their `dynamic` content.
import { attr, blocksOf, type Block, type Body, type SourceFile } from "./model.ts";
import type { Followed, Scope } from "./types.ts";

/** Whether a value names nothing: null or "" (a lookup switched off by `count`, an optional input left empty). */
export function namesNothing(value: Followed): boolean {
  // A reference `follow` hands back is one it could not follow: its value is unknown.
  if (value.expr.kind === "traversal" || value.expr.kind === "splat") return false;
  const r = value.scope.resolve(value.expr, value.file);
  return r !== undefined && (r.value === null || r.value === "");
}

/**
 * The verdict on a value that may be one of several (the branches of a conditional): every possible
 * value that names something must have one, and the first is returned; undefined when one has none
 * (a value that is merely unknown) or when no value names anything.
 */
export function everyValue<T>(values: Followed[], judge: (value: Followed) => T | undefined): T | undefined {
  let first: T | undefined;
  for (const value of values) {
    const verdict = judge(value);
    if (verdict === undefined) {
      if (namesNothing(value)) continue;
      return undefined;
    }
    first ??= verdict;
  }
  return first;
}

/**
 * The blocks of a type in a body, with the `content` of each `dynamic "<type>"` block whose
 * `for_each` is not known to be empty (modules generate optional blocks this way). Attributes of
 * generated content that read the iterator (`<type>.value`) are unknown to `resolve`.
 */
export function blocksWithDynamic(scope: Scope, body: Body, file: SourceFile, type: string): Array<{ block: Block; dynamic: boolean }> {
  const out: Array<{ block: Block; dynamic: boolean }> = [];
  for (const block of body.blocks) {
    if (block.type === type) out.push({ block, dynamic: false });
    else if (block.type === "dynamic" && block.labels[0] === type) {
      const forEach = attr(block.body, "for_each");
      const items = forEach ? scope.resolve(forEach.expr, file)?.value : undefined;
      const empty =
        items === null ||
        (Array.isArray(items) && items.length === 0) ||
        (typeof items === "object" && items !== null && Object.keys(items).length === 0);
      const content = blocksOf(block.body, "content")[0];
      if (content && !empty) out.push({ block: content, dynamic: true });
    }
  }
  return out;
}
