// Runs the enabled rules over a module and over the modules it calls, turning each report into a finding with an aligned fix.
import { alignEdits, alignText } from "./align.ts";
import { lazyFix, withoutEdits } from "./fix.ts";
import { isInside } from "./workspace.ts";
import { FILE_READ_REFUSED_RULE, type LintHost, type RuleFailure } from "./lint-types.ts";
import type { Block, SourceFile } from "./model.ts";
import type { TopBlock } from "./module-index.ts";
import { ModuleFollower } from "./modules.ts";
import { realFilesOf, toRealFiles, type Segment } from "./override.ts";
import type { ReusePlan, RuleRecord, RuleReuse } from "./rule-reuse.ts";
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
  reuse?: RuleReuse,
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
    runRules: (scope, ruleId) => runRules(rules, scope, config, failures, [], fixEdits, { ruleId }),
  });
  const scope = follower.root(module);
  const plan = reuse?.plan(module, config, allModules);
  const records = reuse && new Map<string, RuleRecord>();
  const findings = [
    ...runRules(rules, scope, config, failures, allModules, fixEdits, { plan, records }),
    ...follower.throughCalls(scope),
    ...refusals.values(),
  ];
  if (reuse && records) reuse.remember(module, config, allModules, records, plan);
  // Findings moved to a module call's argument, and their related locations, may still name merged files.
  const placed = segments.size === 0 ? findings : findings.map((f) => toRealFiles(f, segments));
  // Reading the edits of a fix linted without them is the caller's mistake: it throws rather than finding none.
  if (!fixEdits) for (const f of placed) if (f.fix) f.fix = withoutEdits(f.fix);
  return placed;
}

/** How `runRules` runs: for one rule only (a called module's scope asked for one), and what the editor keeps between lints. */
interface RunOptions {
  ruleId?: string;
  /** The previous lint of the module, to reuse (see rule-reuse.ts). */
  plan?: ReusePlan;
  /** Receives what each rule reported by block, for the next lint; a rule that threw is left out. */
  records?: Map<string, RuleRecord>;
}

/** Runs every enabled rule (or only `ruleId`) over one scope: a module as linted, or as a module call instantiates it. */
function runRules(
  rules: Rule[],
  scope: ModuleScope,
  config: ResolvedConfig,
  failures: RuleFailure[],
  allModules: Module[],
  fixEdits: boolean,
  { ruleId, plan, records }: RunOptions = {},
): Finding[] {
  const module = scope.module;
  const findings: Finding[] = [];
  let filesByPath: Map<string, SourceFile> | undefined;
  const files = () =>
    (filesByPath ??= new Map(
      allModules
        .filter((m) => m.dir === module.dir)
        .flatMap((m) => [...realFilesOf(m), ...m.varFiles])
        .map((f) => [f.path, f]),
    ));
  for (const rule of rules) {
    if (ruleId !== undefined && rule.meta.id !== ruleId) continue;
    const setting = config.rules[rule.meta.id];
    if (!setting?.enabled || !rule.meta.appliesTo.includes(module.kind)) continue;
    const check = (only: Set<Block> | undefined) =>
      checkRule(rule, setting, scope, config, allModules, fixEdits, files, only, records !== undefined);
    const previous = plan?.previous.rules.get(rule.meta.id);
    const reused = plan && previous ? reuseFindings(previous, plan, check) : undefined;
    if (reused) {
      const run = check(reused.only);
      // A rule that throws on the edited block is run whole, so that it fails as a whole lint would.
      if (run.failed === undefined) {
        findings.push(...reused.findings, ...run.findings);
        for (const [block, list] of run.record!.byBlock) reused.record.byBlock.set(block, list);
        for (const block of run.record!.volatile) reused.record.volatile.add(block);
        records?.set(rule.meta.id, reused.record);
        continue;
      }
    }
    const run = check(undefined);
    findings.push(...run.findings);
    if (run.failed === undefined) {
      if (run.record) records?.set(rule.meta.id, run.record);
      continue;
    }
    const message = run.failed;
    // A module called several times (or with one argument unknown, to find a finding's cause) fails alike each time: report it once.
    if (!failures.some((f) => f.ruleId === rule.meta.id && f.moduleDir === module.dir && f.message === message))
      failures.push({ ruleId: rule.meta.id, moduleDir: module.dir, message });
  }
  return findings;
}

/** One rule's check over a scope: its findings, what it reported while checking each block (when `record`), and the message it threw. */
interface RuleRun {
  findings: Finding[];
  record?: RuleRecord;
  failed?: string;
}

/**
 * Runs one rule. With `only`, its loops over `checkBlocks` visit only those blocks. With `record`,
 * each finding reported while a block is the loop's current one is kept under that block, and a
 * block whose check read a file is marked volatile.
 */
function checkRule(
  rule: Rule,
  setting: ResolvedConfig["rules"][string],
  scope: ModuleScope,
  config: ResolvedConfig,
  allModules: Module[],
  fixEdits: boolean,
  files: () => Map<string, SourceFile>,
  only: Set<Block> | undefined,
  record: boolean,
): RuleRun {
  const module = scope.module;
  const findings: Finding[] = [];
  const kept: RuleRecord | undefined = record ? { byBlock: new Map(), volatile: new Set() } : undefined;
  const refusedSetting = config.rules[FILE_READ_REFUSED_RULE];
  let current: Block | undefined;
  const formatted = (fix: Fix | undefined): Fix | undefined => {
    if (!fix) return undefined;
    // Dropped at once, not at the end of the module: held until then, the edits and the files they are
    // aligned with were promoted to V8's old generation (peak RSS 153 MB against 112 MB on the 5 MB corpus).
    if (!fixEdits) return { title: fix.title, kind: fix.kind, changes: [] };
    return alignedFix(fix, files());
  };
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
      const out = { ...finding, fix: formatted(finding.fix) };
      findings.push(out);
      if (kept && current) {
        const list = kept.byBlock.get(current);
        if (list) list.push(out);
        else kept.byBlock.set(current, [out]);
      }
    },
    resolve: (expr, file) => scope.resolve(expr, file),
    follow: (expr, file) => scope.follow(expr, file),
    readModuleFile: (relative, at) => {
      if (kept && current) kept.volatile.add(current);
      return scope.readModuleFile(relative, refusedSetting?.enabled ? at : undefined);
    },
    topBlocks: (type) => scope.topBlocks(type),
    checkBlocks: (type) => {
      const all = scope.topBlocks(type);
      const list = only ? all.filter((t) => only.has(t.block)) : all;
      return { [Symbol.iterator]: () => blockLoop(list, (block) => (current = block)) };
    },
    findTopBlock: (type, ...labels) => scope.findTopBlock(type, ...labels),
    findLocal: (name) => scope.findLocal(name),
    moduleCallsNotFollowed: () => scope.moduleCallsNotFollowed(),
    moduleBeside: (kind) => allModules.find((m) => m !== module && m.kind === kind && m.dir === module.dir && !m.legacyPacker),
  };
  try {
    rule.check(context);
  } catch (error) {
    return { findings, failed: error instanceof Error ? error.message : String(error) };
  } finally {
    current = undefined;
  }
  return { findings, record: kept };
}

/** Iterates `list`, telling `visit` which block is current (undefined once the loop ends or is left). */
function blockLoop(list: readonly TopBlock[], visit: (block: Block | undefined) => void): Iterator<TopBlock, undefined> {
  let i = 0;
  return {
    next: () => {
      if (i < list.length) {
        const item = list[i++];
        visit(item.block);
        return { value: item, done: false };
      }
      visit(undefined);
      return { value: undefined, done: true };
    },
    return: () => {
      visit(undefined);
      return { value: undefined, done: true };
    },
  };
}

/**
 * The previous lint's findings of one rule for the blocks this lint need not check again (all but
 * the edited one and the volatile ones), moved into this lint's text; undefined when one overlaps the edit.
 * Their fixes are made again from this lint's model when first read (`check` on that block alone):
 * the previous lint's fix would edit the previous text.
 */
function reuseFindings(
  previous: RuleRecord,
  plan: ReusePlan,
  check: (only: Set<Block>) => RuleRun,
): { only: Set<Block>; findings: Finding[]; record: RuleRecord } | undefined {
  const only = new Set<Block>([plan.edited]);
  const record: RuleRecord = { byBlock: new Map(), volatile: new Set() };
  for (const block of previous.volatile) if (block !== plan.old) only.add(plan.now(block));
  const findings: Finding[] = [];
  for (const [block, list] of previous.byBlock) {
    if (block === plan.old || previous.volatile.has(block)) continue;
    const now = plan.now(block);
    const moved: Finding[] = [];
    for (const finding of list) {
      const m = plan.moved(finding);
      if (!m) return undefined;
      if (finding.fix) m.fix = madeAgain(finding.fix, m, () => check(new Set([now])).record?.byBlock.get(now) ?? []);
      moved.push(m);
      findings.push(m);
    }
    record.byBlock.set(now, moved);
  }
  return { only, findings, record };
}

/** A reused finding's fix: the same title and kind, its edits those of the same finding when its block is checked again. */
function madeAgain(fix: Fix, finding: Finding, again: () => Finding[]): Fix {
  // Only the title is kept of the fix made before: holding the fix would hold the lint it came from, and every lint before that.
  const { title, kind } = fix;
  let changes: Fix["changes"] | undefined;
  return {
    title,
    kind,
    get changes() {
      changes ??=
        again().find(
          (f) =>
            f.message === finding.message &&
            f.range.startOffset === finding.range.startOffset &&
            f.range.endOffset === finding.range.endOffset &&
            f.fix?.title === title,
        )?.fix?.changes ?? [];
      return changes;
    },
  };
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
