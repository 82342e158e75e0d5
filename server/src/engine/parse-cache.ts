// Keeps parsed files, their tree-sitter trees and their nesting depth between lints, for long-running hosts.
import { usesTreeSitter } from "./hcl/parser-choice.ts";
import { LiveTree } from "./hcl/reuse.ts";
import type { SourceFile } from "./model.ts";
import { maxNesting, nestingUnchanged } from "./nesting.ts";
import { parseHclIncremental, parseTree, readHclEdited, type HclParseState } from "./parse.ts";
import type { SourceInput } from "./lint-types.ts";

export interface ParseCacheLimits {
  /** Files whose parsed model is kept. */
  maxFiles: number;
  /** Files whose tree-sitter tree is also kept for incremental re-parsing (the recently edited ones). */
  maxTrees: number;
}
// 512 files cover the folders being edited; caching a whole 5 MB workspace after the background lint
// pushed the server past its 200 MB memory target (measured 202 MB, 107 MB without a cache).
export const DEFAULT_CACHE_LIMITS: ParseCacheLimits = { maxFiles: 512, maxTrees: 32 };

/** Least-recently-used cache of parsed files by path; only the newest text of each path is kept. */
export class ParseCache {
  private readonly files = new Map<string, { text: string; file: SourceFile }>();
  private readonly trees = new Map<string, HclParseState>();
  /** The bracket nesting last measured for each path, so that an edit does not re-scan its unchanged siblings. */
  private readonly depths = new Map<string, { text: string; stopAt: number; depth: number }>();

  constructor(private readonly limits: ParseCacheLimits) {}

  /** `maxNesting` of a file, measured again only when its text (or the limit) changed. */
  nesting(input: SourceInput, stopAt: number): number {
    const known = this.depths.get(input.path);
    if (known && known.stopAt === stopAt && (known.text === input.text || nestingUnchanged(known.text, input.text))) {
      if (known.text !== input.text) {
        this.depths.delete(input.path);
        this.depths.set(input.path, { ...known, text: input.text });
      }
      return known.depth;
    }
    const depth = maxNesting(input.text, stopAt, input.path.endsWith(".json"));
    this.depths.delete(input.path);
    this.depths.set(input.path, { text: input.text, stopAt, depth });
    while (this.depths.size > this.limits.maxFiles) this.depths.delete(this.depths.keys().next().value as string);
    return depth;
  }

  /**
   * @param keep receives a tree the cache does not keep, for the caller to release after linting
   * @param keepTree keep the file's tree from its first parse (a file being edited)
   */
  hcl(input: SourceInput, keep: LiveTree[] | undefined, keepTree: boolean): SourceFile {
    // The own reader keeps no trees: a changed file is read from its cached version, only the
    // top-level block the edit lies in again.
    if (!usesTreeSitter()) {
      const previous = this.files.get(input.path);
      return this.other(input, () => readHclEdited(input.path, input.text, previous?.file));
    }
    const hit = this.lookup(input);
    if (hit) {
      // A file parsed before it was opened (the background lint) has no tree yet; its first edit would
      // otherwise be parsed and converted from scratch (about ten times an incremental parse).
      if (keepTree && !this.trees.has(input.path)) {
        const tree = parseTree(input.text);
        if (tree) this.keepTree(input.path, { file: hit, live: new LiveTree(tree) });
      }
      return hit;
    }
    const previous = this.trees.get(input.path);
    const state = parseHclIncremental(input.path, input.text, previous);
    if (previous) {
      previous.live.release();
      this.trees.delete(input.path);
    }
    // Only files that change (or are being edited) get a tree: the first parse of a file keeps none, its second does.
    if (keepTree || this.files.has(input.path)) this.keepTree(input.path, state);
    else if (keep) keep.push(state.live);
    else state.live.release();
    this.store(input, state.file);
    return state.file;
  }

  /** Drops everything kept for a path (its model, its tree, its nesting depth); true when something was kept. */
  forget(filePath: string): boolean {
    const tree = this.trees.get(filePath);
    tree?.live.release();
    const had = this.trees.delete(filePath) || this.files.has(filePath) || this.depths.has(filePath);
    this.files.delete(filePath);
    this.depths.delete(filePath);
    return had;
  }

  /** Whether anything is kept for a path. */
  has(filePath: string): boolean {
    return this.files.has(filePath) || this.trees.has(filePath) || this.depths.has(filePath);
  }

  private keepTree(filePath: string, state: HclParseState): void {
    this.trees.set(filePath, state);
    while (this.trees.size > this.limits.maxTrees) {
      const [oldest, s] = this.trees.entries().next().value as [string, HclParseState];
      s.live.release();
      this.trees.delete(oldest);
    }
  }

  other(input: SourceInput, parse: () => SourceFile): SourceFile {
    const hit = this.lookup(input);
    if (hit) return hit;
    const file = parse();
    this.store(input, file);
    return file;
  }

  private lookup(input: SourceInput): SourceFile | undefined {
    const entry = this.files.get(input.path);
    if (!entry || entry.text !== input.text) return undefined;
    this.files.delete(input.path);
    this.files.set(input.path, entry); // most recently used last
    // Its tree too: with more open documents than trees kept, the one being typed in must not be evicted first.
    const tree = this.trees.get(input.path);
    if (tree) {
      this.trees.delete(input.path);
      this.trees.set(input.path, tree);
    }
    return entry.file;
  }

  private store(input: SourceInput, file: SourceFile): void {
    this.files.delete(input.path);
    this.files.set(input.path, { text: input.text, file });
    while (this.files.size > this.limits.maxFiles) {
      const oldest = this.files.keys().next().value as string;
      this.files.delete(oldest);
      const t = this.trees.get(oldest);
      if (t) {
        t.live.release();
        this.trees.delete(oldest);
      }
    }
  }
}
