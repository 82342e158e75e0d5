// The lint engine: groups files into modules, parses them, runs the rules, applies suppressions and fixes. No I/O.
import path from "node:path";
import { alignEdits, alignText } from "./align.ts";
import { applyEdits, fixesByFile, selectFixes } from "./fix.ts";
import { autoVarFileRank, byFolder, fileRole, loadedTerraformFiles, looksLikeLegacyPacker, type NotLoaded } from "./files.ts";
import { isInside } from "./workspace.ts";
import { exactSyntaxErrors } from "./hcl/hashicorp.ts";
import { legacyPackerLayout, packerJsonLayout, terraformJsonLayout, varsJsonLayout } from "./hcl/json.ts";
import { rangeOf, type SourceFile } from "./model.ts";
import { parseHcl, parseHclIncremental, parseJson, parseTree, UnparsableFile, type HclParseState, type JsonLayout } from "./parse.ts";
import { diffTexts, LiveTree } from "./hcl/reuse.ts";
import { usesTreeSitter } from "./hcl/parser-choice.ts";
import { READER_MAX_NESTING } from "./hcl/reader/index.ts";
import { ModuleFollower } from "./modules.ts";
import { mergeOverrideFiles, realFilesOf, toRealFiles, type Segment } from "./override.ts";
import type { ModuleScope } from "./scope.ts";
import { applySuppressions, collectSuppressions, type Suppression } from "./suppress.ts";
import type { Finding, Fix, Module, ModuleKind, ResolvedConfig, Rule, RuleContext } from "./types.ts";

/** A file handed to the engine: its path (used for grouping and messages) and decoded text. */
export interface SourceInput {
  path: string;
  text: string;
}

import type { HostRead } from "./scope.ts";
export type { HostRead } from "./scope.ts";

/** What the engine may ask of its host: reading files it was not handed, and listing the folders of called modules. */
export interface LintHost {
  /**
   * Reads a file: a script named by `file()` / `templatefile()`, a called module's file,
   * `.terraform/modules/modules.json`. `within` is the folder the read must stay inside, after every
   * symbolic link (the engine has checked the path as written); a host over a real disk reads only
   * regular UTF-8 files under the size limit, and refuses the rest with a reason.
   */
  readFile(absolutePath: string, within?: string): HostRead;
  /** The folder reads for a module in `dir` stay inside (see `readRoot` in workspace.ts); hosts over a real disk must give it. */
  readRoot?(dir: string): string;
  /**
   * The names of the files in a folder (a called module's), whose real path must lie inside
   * `within`; undefined when it cannot be read or lies outside. Without it, module calls are not followed.
   */
  listFiles?(absoluteDir: string, within?: string): string[] | undefined;
}

/** The rule id of the finding that says a file named by `file()` / `templatefile()` was not read. */
export const FILE_READ_REFUSED_RULE = "file-read-refused";

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
  /** Files read through the host (`file()`, `templatefile()` targets, called modules' files), by the folder whose lint read them. */
  reads: Array<{ dir: string; path: string }>;
  /** Folders listed through the host (called modules), by the folder whose lint listed them, with the names found. */
  listings: Array<{ dir: string; folder: string; names: string[] | undefined }>;
  /** Every parsed file, so callers can map findings and build fixes without parsing again. */
  files: SourceFile[];
  /**
   * Files handed in that the tool does not load (a `.tf` file beside its `.tofu` twin, a `.tofu` file
   * for Terraform), with why: they are not parsed and have no findings.
   */
  notLoaded: NotLoaded[];
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
    // The own reader keeps no trees: a changed file is read again whole.
    if (!usesTreeSitter()) return this.other(input, () => parseHcl(input.path, input.text));
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

const SYNTAX_RULE = "hcl-syntax";

/** Characters `maxNesting` reacts to. */
const NESTING_CHARACTERS = /["\\{}[\]()\n$%]/;

/**
 * Whether an edit cannot change `maxNesting`: neither the removed nor the inserted text holds a
 * character it reacts to, so it sees the same sequence of them (typing a name or a value's letters).
 */
function nestingUnchanged(oldText: string, newText: string): boolean {
  const { start, oldEnd, newEnd } = diffTexts(oldText, newText);
  return !NESTING_CHARACTERS.test(oldText.slice(start, oldEnd)) && !NESTING_CHARACTERS.test(newText.slice(start, newEnd));
}

/**
 * Largest bracket nesting in a text, roughly: brackets inside strings do not count, except inside a
 * template's `${...}` or `%{...}`, which holds an expression the parsers nest into as deeply as into
 * any other. In JSON (`json`), a string holding a template is decoded and its template measured.
 * `inString` starts the scan inside a quoted template.
 */
export function maxNesting(text: string, stopAt: number, json = false, inString = false): number {
  let depth = 0;
  let max = 0;
  /** The depth outside each open interpolation: its closing brace returns to the string around it. */
  const interpolations: number[] = [];
  const deeper = (levels: number): boolean => {
    if (depth + levels > max) max = depth + levels;
    return max > stopAt;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash escapes the next character
      else if (c === 34) inString = false;
      else if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === 123) {
        i++;
        interpolations.push(depth);
        inString = false;
        depth++;
        if (deeper(0)) return max;
      }
      continue;
    }
    if (c === 34 && json) {
      // A JSON string: skipped whole, or, when it holds a template, decoded and measured as one.
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      const raw = text.slice(i, end + 1);
      if (raw.includes("${") || raw.includes("%{")) {
        let decoded: string | undefined;
        try {
          decoded = JSON.parse(raw) as string;
        } catch {
          decoded = undefined; // An unterminated string: the JSON parser reports it.
        }
        if (decoded !== undefined && deeper(maxNesting(decoded, stopAt - depth, false, true))) return max;
      }
      i = end;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 || c === 40) {
      depth++;
      if (deeper(0)) return max;
    } else if (c === 125 || c === 93 || c === 41) {
      depth = Math.max(0, depth - 1);
      if (c === 125 && interpolations.length > 0 && depth === interpolations[interpolations.length - 1]) {
        interpolations.pop();
        inString = true;
      }
    }
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
      case "terraform-stack":
        return { file: this.cachedHcl(input, keep, keepTree), role };
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
  buildModules(
    inputs: SourceInput[],
    config: ResolvedConfig,
    keep?: LiveTree[],
    keepTreesFor?: ReadonlySet<string>,
  ): { modules: Module[]; files: SourceFile[]; limitFindings: Finding[]; notLoaded: NotLoaded[] } {
    const byKey = new Map<string, Module>();
    const files: SourceFile[] = [];
    const limitFindings: Finding[] = [];
    const modules: Module[] = [];
    const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    // A file the tool does not load is not parsed: it contributes no values and has no findings.
    const notLoaded: NotLoaded[] = [];
    for (const folder of byFolder(sorted, (i) => path.dirname(i.path)).values()) {
      notLoaded.push(
        ...loadedTerraformFiles(
          folder.map((i) => i.path),
          config.language,
        ).notLoaded,
      );
    }
    const skipped = new Set(notLoaded.map((n) => n.path));
    for (const input of sorted) {
      if (skipped.has(input.path)) continue;
      const role = fileRole(input.path);
      if (role === "other" || role === "config") continue;
      // The own HCL reader recurses per nesting level, so it reads at most READER_MAX_NESTING levels.
      const limit = usesTreeSitter() ? config.maxNestingDepth : Math.min(config.maxNestingDepth, READER_MAX_NESTING);
      const depth = this.cache ? this.cache.nesting(input, limit) : maxNesting(input.text, limit, input.path.endsWith(".json"));
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
      let parsed: ReturnType<Linter["parse"]>;
      try {
        parsed = this.parse(input, keep, keepTreesFor?.has(input.path) ?? false);
      } catch (error) {
        if (!(error instanceof UnparsableFile)) throw error;
        // One file the parsers cannot take is reported on its own; the rest of the folder and the run go on.
        this.cache?.forget(input.path);
        limitFindings.push({ ruleId: SYNTAX_RULE, severity: "error", message: unparsableMessage(error, input), path: input.path, range: rangeOf([0], 0, 0) });
        continue;
      }
      if (!parsed) continue;
      files.push(parsed.file);
      const dir = path.dirname(input.path);
      if (parsed.legacy) {
        modules.push({ dir, kind: "packer", files: [parsed.file], varFiles: [], legacyPacker: true });
        continue;
      }
      const kind: ModuleKind = role === "terraform" || role === "terraform-vars" || role === "terraform-stack" ? "terraform" : "packer";
      // A Stack's component configuration is a configuration of its own, apart from a module in the same folder.
      const key = `${role === "terraform-stack" ? "stack" : kind}\0${dir}`;
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
      const merged = m.kind === "terraform" ? mergeOverrideFiles(m.files) : undefined;
      if (merged) Object.assign(m, merged);
    }
    return { modules, files, limitFindings, notLoaded };
  }

  /** Runs every enabled rule over one module, and follows its module calls (see modules.ts). */
  lintModule(module: Module, config: ResolvedConfig, host: LintHost, failures: RuleFailure[], allModules: Module[] = [module], keep?: LiveTree[]): Finding[] {
    const refusedSetting = config.rules[FILE_READ_REFUSED_RULE];
    const refusals = new Map<string, Finding>();
    const ownFiles = new Set(module.files.map((f) => f.path));
    // Ranges in the merged files of this module and of the modules it calls, to map back to real files.
    const segments = new Map<string, Segment[]>(module.segments);
    // Modules are read inside the linted module's read root, as scripts are: a call cannot lead the linter out of the repository.
    const within = host.readRoot?.(module.dir);
    const follower = new ModuleFollower({
      readFile: (p, inside) => host.readFile(p, inside),
      readRoot: (dir) => host.readRoot?.(dir),
      refused: (at, relative, reason) => {
        // Reported once per call site, and only in this module's own files (a called module reports its own when it is linted).
        const key = `${at.file.path}\0${at.range.startOffset}`;
        if (!refusedSetting?.enabled || !ownFiles.has(at.file.path) || refusals.has(key)) return;
        refusals.set(key, {
          ruleId: FILE_READ_REFUSED_RULE,
          severity: refusedSetting.severity,
          message: `${JSON.stringify(relative)} was not read (${reason}), so no rule checked what it holds.`,
          path: at.file.path,
          range: at.range,
        });
      },
      loadModule: (dir) => {
        const called = within !== undefined && !isInside(within, dir) ? undefined : this.loadModule(dir, within, host, config, keep);
        for (const [p, parts] of called?.segments ?? []) segments.set(p, parts);
        return called;
      },
      runRules: (scope, ruleId) => this.runRules(scope, config, failures, [], ruleId),
    });
    const scope = follower.root(module);
    const findings = [...this.runRules(scope, config, failures, allModules), ...follower.throughCalls(scope), ...refusals.values()];
    // Findings moved to a module call's argument, and their related locations, may still name merged files.
    return segments.size === 0 ? findings : findings.map((f) => toRealFiles(f, segments));
  }

  /**
   * The Terraform module in a folder that a module call names, read through the host inside
   * `within`. Its variable files are left out (they apply to root modules only), as are files over
   * the size or nesting limits and files the host refuses.
   */
  private loadModule(dir: string, within: string | undefined, host: LintHost, config: ResolvedConfig, keep: LiveTree[] | undefined): Module | undefined {
    const names = host.listFiles?.(dir, within);
    if (!names) return undefined;
    const inputs: SourceInput[] = [];
    // The files the tool loads of the called module, by its own folder's language in `auto` mode.
    const { loaded } = loadedTerraformFiles(
      names.map((name) => path.join(dir, name)),
      config.language,
    );
    for (const p of loaded.sort()) {
      if (fileRole(p) !== "terraform") continue;
      const text = host.readFile(p, within);
      if (typeof text === "string" && text.length <= config.maxFileBytes) inputs.push({ path: p, text });
    }
    return this.buildModules(inputs, config, keep).modules.find((m) => m.kind === "terraform" && m.dir === dir);
  }

  /** Runs every enabled rule (or only `ruleId`) over one scope: a module as linted, or as a module call instantiates it. */
  private runRules(scope: ModuleScope, config: ResolvedConfig, failures: RuleFailure[], allModules: Module[], ruleId?: string): Finding[] {
    const module = scope.module;
    const findings: Finding[] = [];
    const refusedSetting = config.rules[FILE_READ_REFUSED_RULE];
    let filesByPath: Map<string, SourceFile> | undefined;
    const formatted = (fix: Fix | undefined): Fix | undefined => {
      if (!fix) return undefined;
      filesByPath ??= new Map(
        allModules
          .filter((m) => m.dir === module.dir)
          .flatMap((m) => [...realFilesOf(m), ...m.varFiles])
          .map((f) => [f.path, f]),
      );
      return alignedFix(fix, filesByPath);
    };
    for (const rule of this.rules) {
      if (ruleId !== undefined && rule.meta.id !== ruleId) continue;
      const setting = config.rules[rule.meta.id];
      if (!setting?.enabled || !rule.meta.appliesTo.includes(module.kind)) continue;
      const context: RuleContext = {
        module,
        options: setting.options,
        report: (r) => {
          let finding: Finding = { ruleId: rule.meta.id, severity: setting.severity, message: r.message, path: r.file.path, range: r.range, fix: r.fix, related: r.related };
          // A finding on a block an override file changed is placed in the file holding what it is about.
          if (module.segments) finding = toRealFiles(finding, module.segments);
          findings.push({ ...finding, fix: formatted(finding.fix) });
        },
        resolve: (expr, file) => scope.resolve(expr, file),
        follow: (expr, file) => scope.follow(expr, file),
        readModuleFile: (relative, at) => scope.readModuleFile(relative, refusedSetting?.enabled ? at : undefined),
        topBlocks: (type) => scope.topBlocks(type),
        findTopBlock: (type, ...labels) => scope.findTopBlock(type, ...labels),
        findLocal: (name) => scope.findLocal(name),
        moduleCallsNotFollowed: () => scope.moduleCallsNotFollowed(),
        moduleBeside: (kind) => allModules.find((m) => m !== module && m.kind === kind && m.dir === module.dir && !m.legacyPacker),
      };
      try {
        rule.check(context);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // A module called several times (or with one argument unknown, to find a finding's cause) fails alike each time: report it once.
        if (!failures.some((f) => f.ruleId === rule.meta.id && f.moduleDir === module.dir && f.message === message))
          failures.push({ ruleId: rule.meta.id, moduleDir: module.dir, message });
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
    const listings: LintResult["listings"] = [];
    const suppressions: Suppression[] = [];
    const notLoaded: NotLoaded[] = [];
    const syntaxSetting = config.rules[SYNTAX_RULE];
    for (const folder of groupByFolder(inputs)) {
      const keep: LiveTree[] = [];
      try {
        const built = this.buildModules(folder, config, keep, options.keepTreesFor);
        if (!options.dropFiles) files.push(...built.files);
        notLoaded.push(...built.notLoaded);
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
            readFile: (p, within) => {
              reads.push({ dir: module.dir, path: p });
              return host.readFile(p, within);
            },
            readRoot: host.readRoot && ((dir) => host.readRoot!(dir)),
            listFiles: host.listFiles
              ? (folder, within) => {
                  const names = host.listFiles!(folder, within);
                  listings.push({ dir: module.dir, folder, names });
                  return names;
                }
              : undefined,
          };
          findings.push(...this.lintModule(module, config, recording, failures, built.modules, keep));
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
    return {
      findings: kept,
      unusedSuppressions,
      ruleFailures: failures,
      files,
      reads,
      listings,
      notLoaded: options.onlyPaths ? notLoaded.filter((n) => options.onlyPaths!.has(n.path)) : notLoaded,
    };
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
      // Grouped once per pass: filtering every finding again for each file would be quadratic in files with findings.
      const fixes = fixesByFile(filter ? result.findings.filter(filter) : result.findings, kinds);
      for (const file of result.files) {
        // A file with syntax errors is left alone: error recovery may place a block's end where the
        // user did not, and a later pass cannot tell its own edit from the damage (the fuzzer found
        // `--fix` appending one lifecycle block per pass, ten in all, to a file with a broken string).
        if (file.syntaxErrors.length > 0) continue;
        const edits = selectFixes(file.path, fixes.get(file.path) ?? []);
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
      result = await this.lint(
        [...current].map(([p, text]) => ({ path: p, text })),
        config,
        host,
        { skipExactSyntax: true },
      );
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
      result = await this.lint(
        [...current].map(([p, text]) => ({ path: p, text })),
        config,
        host,
        { skipExactSyntax: true },
      );
    }
    return { changed, result };
  }
}

/** What a finding says about a file the parsers could not take, naming the setting that avoids it. */
function unparsableMessage(error: UnparsableFile, input: SourceInput): string {
  if (error.reason === "nesting") return "Nesting too deep for the parser; the file was not analysed (setting max_nesting_depth).";
  const bytes = Buffer.byteLength(input.text);
  return `The parser ran out of memory on this file (${bytes} bytes); it was not analysed. Split it, or set max_file_bytes below its size to skip such files.`;
}

/**
 * A fix whose HCL edits keep `terraform fmt`'s alignment (see `alignEdits`), for every rule alike.
 * The edits are aligned when first read: most findings' fixes are never applied, and aligning each at
 * once would add to every lint while typing.
 */
function alignedFix(fix: Fix, files: Map<string, SourceFile>): Fix {
  let changes: Fix["changes"] | undefined;
  return {
    title: fix.title,
    kind: fix.kind,
    get changes() {
      changes ??= fix.changes.map((change) => {
        const file = change.create ? undefined : files.get(change.path);
        if (file) return { ...change, edits: alignEdits(file, change.edits) };
        // A new file, or one read from disk to append to: what the fix writes there is aligned on its own.
        if (!/\.(tf|tofu|tfvars|hcl)$/.test(change.path)) return change;
        return { ...change, edits: change.edits.map((e) => ({ ...e, newText: alignText(e.newText) })) };
      });
      return changes;
    },
  };
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
