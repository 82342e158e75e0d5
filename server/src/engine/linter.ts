// The lint engine: lints files folder by folder (modules, syntax findings, rules, suppressions) and applies fixes until stable. No I/O.
import path from "node:path";
import { buildModules, loadCalledModule, parseInput, type ParsedInput } from "./build-modules.ts";
import { applyEdits, fixesByFile, selectFixes } from "./fix.ts";
import { byFolder, type NotLoaded } from "./files.ts";
import { exactSyntaxErrors } from "./hcl/hashicorp.ts";
import type { LiveTree } from "./hcl/reuse.ts";
import { SYNTAX_RULE, type LintHost, type LintOptions, type LintResult, type RuleFailure, type SourceInput } from "./lint-types.ts";
import type { SourceFile } from "./model.ts";
import { DEFAULT_CACHE_LIMITS, ParseCache, type ParseCacheLimits } from "./parse-cache.ts";
import { RuleReuse } from "./rule-reuse.ts";
import { lintModule } from "./rule-runner.ts";
import { applySuppressions, collectSuppressions, type Suppression } from "./suppress.ts";
import type { Finding, Module, ResolvedConfig, Rule } from "./types.ts";

export {
  FILE_READ_REFUSED_RULE,
  type HostRead,
  type LintHost,
  type LintOptions,
  type LintResult,
  type RuleFailure,
  type SourceInput,
} from "./lint-types.ts";
export type { ParseCacheLimits } from "./parse-cache.ts";

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
  parse(input: SourceInput, keep?: LiveTree[], keepTree = false): ParsedInput {
    return parseInput(input, this.cache, keep, keepTree);
  }

  private cache: ParseCache | undefined;
  /** Rule results of the modules being edited, kept with the parse cache (see rule-reuse.ts). */
  private reuse: RuleReuse | undefined;

  /**
   * Keeps parsed files between lints, for long-running hosts (the language server): an unchanged
   * file is not parsed again, and a changed HCL file is re-parsed incrementally from its previous
   * tree. The CLI parses each file once and does not enable it.
   */
  enableParseCache(limits: Partial<ParseCacheLimits> = {}): void {
    this.cache ??= new ParseCache({ ...DEFAULT_CACHE_LIMITS, ...limits });
    this.reuse ??= new RuleReuse();
  }

  /** Drops what the parse cache keeps for a path (a document that will not come back); true when it kept something. */
  forgetCached(filePath: string): boolean {
    this.reuse?.forget(filePath);
    return this.cache?.forget(filePath) ?? false;
  }

  /** How many module lints reused the previous lint's rule results (see rule-reuse.ts); tests and benchmarks read it. */
  get reusedLints(): number {
    return this.reuse?.reused ?? 0;
  }

  /** Whether the parse cache keeps anything for a path. */
  isCached(filePath: string): boolean {
    return this.cache?.has(filePath) ?? false;
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
    return buildModules(inputs, config, this.cache, keep, keepTreesFor);
  }

  /**
   * Runs every enabled rule over one module, and follows its module calls (see modules.ts).
   * @param edited whether the module holds a file being edited: its rule results are kept for the next lint (with the parse cache on)
   */
  lintModule(
    module: Module,
    config: ResolvedConfig,
    host: LintHost,
    failures: RuleFailure[],
    allModules: Module[] = [module],
    keep?: LiveTree[],
    fixEdits = true,
    edited = false,
  ): Finding[] {
    return lintModule(
      this.rules,
      module,
      config,
      host,
      failures,
      allModules,
      (dir, within) => loadCalledModule(dir, within, host, config, this.cache, keep),
      fixEdits,
      edited && fixEdits ? this.reuse : undefined,
    );
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
            findings.push({
              ruleId: SYNTAX_RULE,
              severity: syntaxSetting?.severity ?? "error",
              message: e.message,
              path: file.path,
              range: e.range,
            });
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
          const edited = module.files.some((f) => options.keepTreesFor?.has(f.path));
          findings.push(...this.lintModule(module, config, recording, failures, built.modules, keep, options.fixEdits ?? true, edited));
        }
      } finally {
        for (const live of keep) live.release();
      }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    let kept = applySuppressions(findings, suppressions);
    if (options.onlyPaths) kept = kept.filter((f) => options.onlyPaths!.has(f.path));
    kept.sort(compareFindings);
    const unusedSuppressions = suppressions.filter(
      (s) => s.used.size < s.rules.length && (!options.onlyPaths || options.onlyPaths.has(s.path)),
    );
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

/** Inputs grouped by folder, folders in path order. */
function groupByFolder(inputs: SourceInput[]): SourceInput[][] {
  const folders = byFolder(inputs, (i) => path.dirname(i.path));
  return [...folders.keys()].sort().map((dir) => folders.get(dir)!);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  // The message last, so that the order never depends on the order rules reported in.
  return (
    a.range.startOffset - b.range.startOffset ||
    a.range.endOffset - b.range.endOffset ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
