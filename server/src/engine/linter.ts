// The lint engine: groups files into modules, parses them, runs the rules, applies suppressions and fixes. No I/O.
import path from "node:path";
import { applyEdits, fixesFor, selectFixes } from "./fix.ts";
import { autoVarFileRank, byFolder, fileRole, looksLikeLegacyPacker } from "./files.ts";
import { exactSyntaxErrors } from "./hcl/hashicorp.ts";
import { legacyPackerLayout, packerJsonLayout, terraformJsonLayout, varsJsonLayout } from "./hcl/json.ts";
import { rangeOf, type Block, type SourceFile } from "./model.ts";
import { hclRuntime } from "./hcl/runtime.ts";
import { parseHcl, parseHclIncremental, parseJson, type HclParseState, type JsonLayout } from "./parse.ts";
import { diffTexts, LiveTree } from "./hcl/reuse.ts";
import { usesTreeSitter } from "./hcl/parser-choice.ts";
import { READER_MAX_NESTING } from "./hcl/reader/index.ts";
import { Resolver } from "./resolve.ts";
import { applySuppressions, collectSuppressions, type Suppression } from "./suppress.ts";
import type { Finding, Module, ModuleKind, ResolvedConfig, Rule, RuleContext } from "./types.ts";

/** A file handed to the engine: its path (used for grouping and messages) and decoded text. */
export interface SourceInput {
  path: string;
  text: string;
}

/** What the engine may ask of its host: reading scripts referenced by `file()` / `templatefile()`. */
export interface LintHost {
  readFile(absolutePath: string): string | undefined;
}

/** A rule that threw; reported once per rule and module instead of stopping the run. */
export interface RuleFailure {
  ruleId: string;
  moduleDir: string;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  unusedSuppressions: Suppression[];
  ruleFailures: RuleFailure[];
  /** Files read through the host (`file()`, `templatefile()` targets), by the folder whose rules read them. */
  reads: Array<{ dir: string; path: string }>;
  /** Every parsed file, so callers can map findings and build fixes without parsing again. */
  files: SourceFile[];
}

export interface LintOptions {
  /** Only report findings in these files (the module is still read whole). */
  onlyPaths?: Set<string>;
  /** Skip HashiCorp's parser for exact syntax messages (tree-sitter's generic ones stay). */
  skipExactSyntax?: boolean;
  /**
   * Leave `files` of the result empty, so that each folder's models can be freed once it is linted
   * (the CLI needs only findings; keeping every model of a large input was most of its memory).
   */
  dropFiles?: boolean;
  /**
   * Files being edited (an editor's open documents): with the parse cache on, their tree-sitter trees
   * are kept from the first parse, so that the first edit is re-parsed incrementally like the later ones.
   */
  keepTreesFor?: ReadonlySet<string>;
}

export interface ParseCacheLimits {
  /** Files whose parsed model is kept. */
  maxFiles: number;
  /** Files whose tree-sitter tree is also kept for incremental re-parsing (the recently edited ones). */
  maxTrees: number;
}
// 512 files cover the folders being edited; caching a whole 5 MB workspace after the background lint
// pushed the server past its 200 MB memory target (measured 202 MB, 107 MB without a cache).
const DEFAULT_CACHE_LIMITS: ParseCacheLimits = { maxFiles: 512, maxTrees: 32 };

/** Least-recently-used cache of parsed files by path; only the newest text of each path is kept. */
class ParseCache {
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
    const depth = maxNesting(input.text, stopAt);
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
    // The own reader keeps no trees: a changed file is read again whole.
    if (!usesTreeSitter()) return this.other(input, () => parseHcl(input.path, input.text));
    const hit = this.lookup(input);
    if (hit) {
      // A file parsed before it was opened (the background lint) has no tree yet; its first edit would
      // otherwise be parsed and converted from scratch (about ten times an incremental parse).
      if (keepTree && !this.trees.has(input.path)) {
        const tree = hclRuntime().parser.parse(input.text);
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

const SYNTAX_RULE = "hcl-syntax";

/** Characters `maxNesting` reacts to. */
const NESTING_CHARACTERS = /["\\{}[\]()\n]/;

/**
 * Whether an edit cannot change `maxNesting`: neither the removed nor the inserted text holds a
 * character it reacts to, so it sees the same sequence of them (typing a name or a value's letters).
 */
function nestingUnchanged(oldText: string, newText: string): boolean {
  const { start, oldEnd, newEnd } = diffTexts(oldText, newText);
  return !NESTING_CHARACTERS.test(oldText.slice(start, oldEnd)) && !NESTING_CHARACTERS.test(newText.slice(start, newEnd));
}

/** Largest bracket nesting in a text, ignoring brackets inside strings and comments roughly. */
export function maxNesting(text: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash escapes the next character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91 || c === 40) {
      if (++depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 125 || c === 93 || c === 41) depth = Math.max(0, depth - 1);
    else if (c === 10) inString = false;
  }
  return max;
}

export class Linter {
  readonly rulesById: Map<string, Rule>;

  constructor(readonly rules: Rule[]) {
    this.rulesById = new Map(rules.map((r) => [r.meta.id, r]));
  }

  /**
   * Parses one file according to its role, or returns undefined for files the engine does not read.
   * @param keep receives the file's tree-sitter tree, kept alive so that values convert from it; the
   * caller releases it. Without it the tree is deleted at once.
   * @param keepTree with the parse cache on, keep the tree from the first parse (a file being edited)
   */
  parse(input: SourceInput, keep?: LiveTree[], keepTree = false): { file: SourceFile; role: ReturnType<typeof fileRole>; legacy?: boolean } | undefined {
    const role = fileRole(input.path);
    const json = input.path.endsWith(".json");
    switch (role) {
      case "terraform":
        return { file: json ? this.cachedJson(input, terraformJsonLayout) : this.cachedHcl(input, keep, keepTree), role };
      case "packer":
        return { file: json ? this.cachedJson(input, packerJsonLayout) : this.cachedHcl(input, keep, keepTree), role };
      case "terraform-vars":
      case "packer-vars":
        return { file: json ? this.cachedJson(input, varsJsonLayout) : this.cachedHcl(input, keep, keepTree), role };
      case "json-candidate":
        if (!looksLikeLegacyPacker(input.text)) return undefined;
        return { file: this.cachedJson(input, legacyPackerLayout), role, legacy: true };
      default:
        return undefined;
    }
  }

  private cache: ParseCache | undefined;

  /**
   * Keeps parsed files between lints, for long-running hosts (the language server): an unchanged
   * file is not parsed again, and a changed HCL file is re-parsed incrementally from its previous
   * tree. The CLI parses each file once and does not enable it.
   */
  enableParseCache(limits: Partial<ParseCacheLimits> = {}): void {
    this.cache ??= new ParseCache({ ...DEFAULT_CACHE_LIMITS, ...limits });
  }

  /** Drops what the parse cache keeps for a path (a document that will not come back); true when it kept something. */
  forgetCached(filePath: string): boolean {
    return this.cache?.forget(filePath) ?? false;
  }

  /** Whether the parse cache keeps anything for a path. */
  isCached(filePath: string): boolean {
    return this.cache?.has(filePath) ?? false;
  }

  private cachedHcl(input: SourceInput, keep: LiveTree[] | undefined, keepTree: boolean): SourceFile {
    if (this.cache) return this.cache.hcl(input, keep, keepTree);
    if (!keep || !usesTreeSitter()) return parseHcl(input.path, input.text);
    const state = parseHclIncremental(input.path, input.text);
    keep.push(state.live);
    return state.file;
  }

  private cachedJson(input: SourceInput, layout: JsonLayout): SourceFile {
    if (!this.cache) return parseJson(input.path, input.text, layout);
    return this.cache.other(input, () => parseJson(input.path, input.text, layout));
  }

  /**
   * Groups parsed files into modules: one per directory and kind, one per legacy Packer template.
   * @param keep receives the files' live trees (see `parse`)
   * @param keepTreesFor files being edited, whose trees the parse cache keeps from their first parse
   */
  buildModules(inputs: SourceInput[], config: ResolvedConfig, keep?: LiveTree[], keepTreesFor?: ReadonlySet<string>): { modules: Module[]; files: SourceFile[]; limitFindings: Finding[] } {
    const byKey = new Map<string, Module>();
    const files: SourceFile[] = [];
    const limitFindings: Finding[] = [];
    const modules: Module[] = [];
    const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const input of sorted) {
      const role = fileRole(input.path);
      if (role === "other" || role === "config") continue;
      // The own HCL reader recurses per nesting level, so it reads at most READER_MAX_NESTING levels.
      const limit = usesTreeSitter() ? config.maxNestingDepth : Math.min(config.maxNestingDepth, READER_MAX_NESTING);
      const depth = this.cache ? this.cache.nesting(input, limit) : maxNesting(input.text, limit);
      if (depth > limit) {
        limitFindings.push({
          ruleId: SYNTAX_RULE,
          severity: "error",
          message:
            limit < config.maxNestingDepth
              ? `Nesting deeper than ${limit} levels, the most the HCL reader reads; the file was not analysed.`
              : `Nesting deeper than ${config.maxNestingDepth} levels; the file was not analysed (setting max_nesting_depth).`,
          path: input.path,
          range: rangeOf([0], 0, 0),
        });
        continue;
      }
      const parsed = this.parse(input, keep, keepTreesFor?.has(input.path) ?? false);
      if (!parsed) continue;
      files.push(parsed.file);
      const dir = path.dirname(input.path);
      if (parsed.legacy) {
        modules.push({ dir, kind: "packer", files: [parsed.file], varFiles: [], legacyPacker: true });
        continue;
      }
      const kind: ModuleKind = role === "terraform" || role === "terraform-vars" ? "terraform" : "packer";
      const key = `${kind}\0${dir}`;
      let module = byKey.get(key);
      if (!module) {
        module = { dir, kind, files: [], varFiles: [] };
        byKey.set(key, module);
        modules.push(module);
      }
      if (role === "terraform-vars" || role === "packer-vars") {
        if (autoVarFileRank(input.path) !== undefined) module.varFiles.push(parsed.file);
        else files.pop(); // Explicit -var-file files are not applied automatically; keep them out of results.
      } else module.files.push(parsed.file);
    }
    for (const m of modules) {
      m.varFiles.sort((a, b) => autoVarFileRank(a.path)! - autoVarFileRank(b.path)! || (a.path < b.path ? -1 : 1));
    }
    return { modules, files, limitFindings };
  }

  /** Runs every enabled rule over one module. */
  lintModule(module: Module, config: ResolvedConfig, host: LintHost, failures: RuleFailure[], allModules: Module[] = [module]): Finding[] {
    const findings: Finding[] = [];
    const resolver = new Resolver(module);
    let topBlocksCache: Array<{ block: Block; file: SourceFile }> | undefined;
    for (const rule of this.rules) {
      const setting = config.rules[rule.meta.id];
      if (!setting?.enabled || !rule.meta.appliesTo.includes(module.kind)) continue;
      const context: RuleContext = {
        module,
        options: setting.options,
        report: (r) =>
          findings.push({
            ruleId: rule.meta.id,
            severity: setting.severity,
            message: r.message,
            path: r.file.path,
            range: r.range,
            fix: r.fix,
            related: r.related,
          }),
        resolve: (expr, file) => resolver.resolve(expr, file),
        readModuleFile: (relative) => {
          const abs = path.resolve(module.dir, relative);
          const text = host.readFile(abs);
          return text === undefined ? undefined : { path: abs, text };
        },
        topBlocks: (type) => {
          topBlocksCache ??= module.files.flatMap((file) => file.body.blocks.map((block) => ({ block, file })));
          return type ? topBlocksCache.filter((b) => b.block.type === type) : topBlocksCache;
        },
        moduleBeside: (kind) => allModules.find((m) => m !== module && m.kind === kind && m.dir === module.dir && !m.legacyPacker),
      };
      try {
        rule.check(context);
      } catch (error) {
        failures.push({ ruleId: rule.meta.id, moduleDir: module.dir, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return findings;
  }

  /**
   * Lints a set of files. Syntax errors become `hcl-syntax` findings; rules still run on what parsed.
   * Folders are parsed and linted one at a time (rules only look within a folder), so only one
   * folder's tree-sitter trees are alive at once.
   */
  async lint(inputs: SourceInput[], config: ResolvedConfig, host: LintHost, options: LintOptions = {}): Promise<LintResult> {
    const failures: RuleFailure[] = [];
    const findings: Finding[] = [];
    const files: SourceFile[] = [];
    const reads: LintResult["reads"] = [];
    const suppressions: Suppression[] = [];
    const syntaxSetting = config.rules[SYNTAX_RULE];
    for (const folder of groupByFolder(inputs)) {
      const keep: LiveTree[] = [];
      try {
        const built = this.buildModules(folder, config, keep, options.keepTreesFor);
        if (!options.dropFiles) files.push(...built.files);
        for (const file of built.files) suppressions.push(...collectSuppressions(file));
        findings.push(...built.limitFindings);
        for (const file of built.files) {
          if (file.syntaxErrors.length === 0 || syntaxSetting?.enabled === false) continue;
          const errors = file.syntax === "hcl" && !options.skipExactSyntax ? await exactSyntaxErrors(file) : file.syntaxErrors;
          for (const e of errors) {
            findings.push({ ruleId: SYNTAX_RULE, severity: syntaxSetting?.severity ?? "error", message: e.message, path: file.path, range: e.range });
          }
        }
        for (const module of built.modules) {
          const recording: LintHost = {
            readFile: (p) => {
              reads.push({ dir: module.dir, path: p });
              return host.readFile(p);
            },
          };
          findings.push(...this.lintModule(module, config, recording, failures, built.modules));
        }
      } finally {
        for (const live of keep) live.release();
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    let kept = applySuppressions(findings, suppressions);
    if (options.onlyPaths) kept = kept.filter((f) => options.onlyPaths!.has(f.path));
    kept.sort(compareFindings);
    const unusedSuppressions = suppressions.filter((s) => s.used.size < s.rules.length && (!options.onlyPaths || options.onlyPaths.has(s.path)));
    return { findings: kept, unusedSuppressions, ruleFailures: failures, files, reads };
  }

  /**
   * Applies fixes of the given kinds to every file until nothing changes (at most 10 passes, as
   * ESLint does), re-linting in between. A pass whose result would add syntax errors is dropped.
   * Returns the new texts of the files that changed.
   */
  async fix(
    inputs: SourceInput[],
    config: ResolvedConfig,
    host: LintHost,
    kinds: Array<"safe" | "unsafe"> = ["safe"],
    filter?: (finding: Finding) => boolean,
  ): Promise<{ changed: Map<string, string>; result: LintResult }> {
    const current = new Map(inputs.map((i) => [i.path, i.text]));
    const changed = new Map<string, string>();
    let result = await this.lint(inputs, config, host, { skipExactSyntax: true });
    const changedInPass = new Set<string>();
    for (let pass = 0; pass < 10; pass++) {
      let progressed = false;
      changedInPass.clear();
      for (const file of result.files) {
        // A file with syntax errors is left alone: error recovery may place a block's end where the
        // user did not, and a later pass cannot tell its own edit from the damage (the fuzzer found
        // `--fix` appending one lifecycle block per pass, ten in all, to a file with a broken string).
        if (file.syntaxErrors.length > 0) continue;
        const candidates = result.findings.filter((f) => !filter || filter(f));
        const edits = selectFixes(file.path, fixesFor(candidates, file.path, kinds));
        if (edits.length === 0) continue;
        const text = applyEdits(file.text, edits);
        if (text === file.text) continue;
        const reparsed = this.parse({ path: file.path, text });
        // A fix must never hand back a file that no longer parses.
        if (reparsed && reparsed.file.syntaxErrors.length > file.syntaxErrors.length) continue;
        current.set(file.path, text);
        changed.set(file.path, text);
        changedInPass.add(file.path);
        progressed = true;
      }
      if (!progressed) break;
      result = await this.lint([...current].map(([p, text]) => ({ path: p, text })), config, host, { skipExactSyntax: true });
    }
    // A file the tenth pass still changed does not converge: a fix keeps being offered because its
    // finding survives it (the fuzzer found text tree-sitter accepts but HashiCorp's parser rejects
    // gaining one more line per pass). It is handed back unchanged rather than with ten copies of an edit.
    if (changedInPass.size > 0) {
      for (const input of inputs) {
        if (!changedInPass.has(input.path)) continue;
        changed.delete(input.path);
        current.set(input.path, input.text);
      }
      result = await this.lint([...current].map(([p, text]) => ({ path: p, text })), config, host, { skipExactSyntax: true });
    }
    return { changed, result };
  }
}

/** Inputs grouped by folder, folders in path order. */
function groupByFolder(inputs: SourceInput[]): SourceInput[][] {
  const folders = byFolder(inputs, (i) => path.dirname(i.path));
  return [...folders.keys()].sort().map((dir) => folders.get(dir)!);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.range.startOffset - b.range.startOffset || a.range.endOffset - b.range.endOffset || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
