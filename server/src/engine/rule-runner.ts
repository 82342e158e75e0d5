// Runs the enabled rules over a module and over the modules it calls, turning each report into a finding with an aligned fix.
import { alignEdits, alignText } from "./align.ts";
import { lazyFix, withoutEdits } from "./fix.ts";
import { isInside } from "./workspace.ts";
import { FILE_READ_REFUSED_RULE, type LintHost, type RuleFailure } from "./lint-types.ts";
import type { SourceFile } from "./model.ts";
import { ModuleFollower } from "./modules.ts";
import { realFilesOf, toRealFiles, type Segment } from "./override.ts";
import type { ModuleScope } from "./scope.ts";
import type { Finding, Fix, Module, ResolvedConfig, Rule, RuleContext } from "./types.ts";

/** Reads the module in a folder that a module call names, inside `within` (see `loadCalledModule`). */
export type LoadCalledModule = (dir: string, within: string | undefined) => Module | undefined;

/**
 * Runs every enabled rule over one module, and follows its module calls (see modules.ts).
 * @param loadModule reads a called module; it is asked only for folders inside the linted module's read root
 */
export function lintModule(
  rules: Rule[],
  module: Module,
  config: ResolvedConfig,
  host: LintHost,
  failures: RuleFailure[],
  allModules: Module[],
  loadModule: LoadCalledModule,
  fixEdits = true,
): Finding[] {
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
      const called = within !== undefined && !isInside(within, dir) ? undefined : loadModule(dir, within);
      for (const [p, parts] of called?.segments ?? []) segments.set(p, parts);
      return called;
    },
    runRules: (scope, ruleId) => runRules(rules, scope, config, failures, [], fixEdits, ruleId),
  });
  const scope = follower.root(module);
  const findings = [
    ...runRules(rules, scope, config, failures, allModules, fixEdits),
    ...follower.throughCalls(scope),
    ...refusals.values(),
  ];
  // Findings moved to a module call's argument, and their related locations, may still name merged files.
  const placed = segments.size === 0 ? findings : findings.map((f) => toRealFiles(f, segments));
  // Reading the edits of a fix linted without them is the caller's mistake: it throws rather than finding none.
  if (!fixEdits) for (const f of placed) if (f.fix) f.fix = withoutEdits(f.fix);
  return placed;
}

/** Runs every enabled rule (or only `ruleId`) over one scope: a module as linted, or as a module call instantiates it. */
function runRules(
  rules: Rule[],
  scope: ModuleScope,
  config: ResolvedConfig,
  failures: RuleFailure[],
  allModules: Module[],
  fixEdits: boolean,
  ruleId?: string,
): Finding[] {
  const module = scope.module;
  const findings: Finding[] = [];
  const refusedSetting = config.rules[FILE_READ_REFUSED_RULE];
  let filesByPath: Map<string, SourceFile> | undefined;
  const formatted = (fix: Fix | undefined): Fix | undefined => {
    if (!fix) return undefined;
    // Dropped at once, not at the end of the module: held until then, the edits and the files they are
    // aligned with were promoted to V8's old generation (peak RSS 153 MB against 112 MB on the 5 MB corpus).
    if (!fixEdits) return { title: fix.title, kind: fix.kind, changes: [] };
    filesByPath ??= new Map(
      allModules
        .filter((m) => m.dir === module.dir)
        .flatMap((m) => [...realFilesOf(m), ...m.varFiles])
        .map((f) => [f.path, f]),
    );
    return alignedFix(fix, filesByPath);
  };
  for (const rule of rules) {
    if (ruleId !== undefined && rule.meta.id !== ruleId) continue;
    const setting = config.rules[rule.meta.id];
    if (!setting?.enabled || !rule.meta.appliesTo.includes(module.kind)) continue;
    const context: RuleContext = {
      module,
      options: setting.options,
      fix: (title, kind, build) => (fixEdits ? lazyFix(title, kind, build) : { title, kind, changes: [] }),
      report: (r) => {
        let finding: Finding = {
          ruleId: rule.meta.id,
          severity: setting.severity,
          message: r.message,
          path: r.file.path,
          range: r.range,
          fix: r.fix,
          related: r.related,
        };
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
