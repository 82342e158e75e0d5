// The invariants the fuzzer checks for one input: no crash, fixes keep files parsing, fixes converge, suppressions survive fixes.
import path from "node:path";
import {
  decodeSource,
  type Finding,
  type LintHost,
  type LintResult,
  type Linter,
  type ResolvedConfig,
  type SourceInput,
} from "../../server/src/engine/index.ts";
import { parseWithHashiCorp } from "../../server/src/engine/hcl/hashicorp.ts";
import type { Prng } from "./mutate.ts";

/** One broken invariant: which one, and enough detail to understand it without re-running. */
export interface InvariantFailure {
  invariant:
    | "exception"
    | "rule-failure"
    | "finding-out-of-range"
    | "fix-breaks-syntax"
    | "fix-breaks-packer"
    | "fix-not-idempotent"
    | "suppression-lost";
  detail: string;
}

/** Counters reported at the end of a run; every check that ran is counted, so figures are not inflated by skips. */
export interface FuzzStats {
  inputs: number;
  rejectedByDecoder: number;
  linted: number;
  nestingLimitFindings: number;
  fixesChecked: number;
  parseChecks: number;
  packerChecks: number;
  idempotenceChecks: number;
  suppressionChecks: number;
  /** Inputs tree-sitter accepted but HashiCorp's parser rejected: hcl-syntax misses these errors (reported, not an invariant). */
  syntaxMissed: number;
  /** HCL inputs HashiCorp's parser rejected, with hcl-syntax enabled and not suppressed in the text. */
  syntaxRejected: number;
  /** The first diagnostic's summary ("Invalid multi-line string", ...) of each missed input, counted. */
  syntaxMissedKinds: Record<string, number>;
  syntaxMissedExamples: string[];
  /**
   * HCL inputs HashiCorp's parser accepts in which the engine's own checks (tree-sitter and the rules it
   * does not enforce) saw an error: the exact parser overrules them, but they cost its load and block fixes.
   */
  syntaxOverruled: number;
  syntaxOverruledExamples: string[];
  slowestMs: number;
  slowestInput: string;
}

export function emptyStats(): FuzzStats {
  return {
    inputs: 0,
    rejectedByDecoder: 0,
    linted: 0,
    nestingLimitFindings: 0,
    fixesChecked: 0,
    parseChecks: 0,
    packerChecks: 0,
    idempotenceChecks: 0,
    suppressionChecks: 0,
    syntaxMissed: 0,
    syntaxRejected: 0,
    syntaxMissedKinds: {},
    syntaxMissedExamples: [],
    syntaxOverruled: 0,
    syntaxOverruledExamples: [],
    slowestMs: 0,
    slowestInput: "",
  };
}

/** Runs `packer validate -syntax-only` on a text; undefined when it passes, the output when it fails. */
export type PackerValidate = (filename: string, text: string) => Promise<string | undefined>;

export interface CheckOptions {
  linter: Linter;
  config: ResolvedConfig;
  host: LintHost;
  kinds: Array<"safe" | "unsafe">;
  /** Validate with Packer this time (the caller samples, since each call costs about half a second). */
  packer?: PackerValidate;
  prng: Prng;
  stats: FuzzStats;
}

const SYNTAX_RULE = "hcl-syntax";
const MARKER = "fuzz-suppression-check";

/** Undefined when the text parses with the parser of its syntax (HashiCorp's HCL, or strict JSON), else the error. */
export async function parseError(filePath: string, text: string): Promise<string | undefined> {
  try {
    if (filePath.endsWith(".json")) JSON.parse(text);
    else await parseWithHashiCorp(path.posix.basename(filePath), text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error);
}

/** Findings must point inside their file; a range past the end crashes editors and SARIF viewers. */
function outOfRange(result: LintResult, texts: Map<string, string>): Finding[] {
  return result.findings.filter((f) => {
    const text = texts.get(f.path);
    if (text === undefined) return false;
    const r = f.range;
    return !(r.startOffset >= 0 && r.startOffset <= r.endOffset && r.endOffset <= text.length && r.start.line <= r.end.line);
  });
}

/**
 * Checks one mutated file (bytes, as the CLI would read them) in its module. Returns the broken
 * invariants; an empty list means the input passed.
 */
export async function checkInput(
  options: CheckOptions,
  target: { path: string; bytes: Uint8Array; siblings: SourceInput[] },
): Promise<InvariantFailure[]> {
  const { linter, config, host, kinds, stats } = options;
  const failures: InvariantFailure[] = [];
  stats.inputs++;
  // The same gate the CLI applies: size limit, NUL bytes, invalid UTF-8, BOM.
  const decoded = decodeSource(target.bytes, config.maxFileBytes);
  if (!decoded.ok) {
    stats.rejectedByDecoder++;
    return failures;
  }
  const text = decoded.text;
  const inputs: SourceInput[] = [{ path: target.path, text }, ...target.siblings];
  const texts = new Map(inputs.map((i) => [i.path, i.text]));

  const guarded = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      failures.push({ invariant: "exception", detail: `${what} threw: ${describeError(error)}` });
      return undefined;
    }
  };
  const checkResult = (what: string, result: LintResult, resultTexts: Map<string, string>) => {
    for (const f of result.ruleFailures)
      failures.push({ invariant: "rule-failure", detail: `${what}: rule ${f.ruleId} failed in ${f.moduleDir}: ${f.message}` });
    for (const f of outOfRange(result, resultTexts)) {
      failures.push({
        invariant: "finding-out-of-range",
        detail: `${what}: ${f.ruleId} at ${JSON.stringify(f.range)} in ${f.path} (${resultTexts.get(f.path)?.length} characters)`,
      });
    }
  };

  const linted = await guarded("lint", () => linter.lint(inputs, config, host));
  if (!linted) return failures;
  stats.linted++;
  checkResult("lint", linted, texts);
  if (linted.findings.some((f) => f.path === target.path && f.ruleId === SYNTAX_RULE && f.message.includes("max_nesting_depth")))
    stats.nestingLimitFindings++;

  // "Parsed before fixing" is decided by HashiCorp's parser itself, so a fix is never blamed for an
  // error that was already there but that tree-sitter did not notice.
  const originalError = await parseError(target.path, text);
  stats.parseChecks++;
  const engineSawSyntaxError = linted.findings.some((f) => f.path === target.path && f.ruleId === SYNTAX_RULE);
  // A mutation may insert a suppression of hcl-syntax itself; the error is then hidden on purpose.
  const syntaxCounted =
    originalError !== undefined && config.rules[SYNTAX_RULE]?.enabled && !target.path.endsWith(".json") && !text.includes(SYNTAX_RULE);
  if (syntaxCounted) stats.syntaxRejected++;
  const provisional = linted.files.find((f) => f.path === target.path)?.syntaxErrors ?? [];
  if (originalError === undefined && !target.path.endsWith(".json") && provisional.length > 0) {
    stats.syntaxOverruled++;
    if (stats.syntaxOverruledExamples.length < 5)
      stats.syntaxOverruledExamples.push(`${target.path}: ${JSON.stringify(text.slice(0, 200))}: ${provisional[0].message}`);
  }
  if (syntaxCounted && !engineSawSyntaxError) {
    stats.syntaxMissed++;
    const kind = /:\d+,\d+-(?:\d+,)?\d+: ([^;]+);/.exec(originalError)?.[1] ?? "unrecognised message";
    stats.syntaxMissedKinds[kind] = (stats.syntaxMissedKinds[kind] ?? 0) + 1;
    if (stats.syntaxMissedExamples.length < 5)
      stats.syntaxMissedExamples.push(`${target.path}: ${JSON.stringify(text.slice(0, 200))}: ${originalError.slice(0, 200)}`);
  }

  const fixed = await guarded("fix", () => linter.fix(inputs, config, host, kinds));
  if (!fixed) return failures;
  checkResult("fix", fixed.result, new Map([...texts, ...fixed.changed]));
  if (fixed.changed.size > 0) {
    for (const [file, after] of fixed.changed) {
      const before = texts.get(file) ?? "";
      stats.fixesChecked++;
      if ((await parseError(file, before)) === undefined) {
        const error = await parseError(file, after);
        stats.parseChecks++;
        if (error !== undefined)
          failures.push({ invariant: "fix-breaks-syntax", detail: `${file}: ${error}\n--- before\n${before}\n--- after\n${after}` });
      }
      if (options.packer && file.endsWith(".pkr.hcl") && /^\s*build\s*\{/m.test(before)) {
        // Packer 1.6.6 predates some HCL it is shown (required_plugins), so only a template it accepted before counts.
        if ((await options.packer(file, before)) === undefined) {
          stats.packerChecks++;
          const error = await options.packer(file, after);
          if (error !== undefined) failures.push({ invariant: "fix-breaks-packer", detail: `${file}: ${error}\n--- after\n${after}` });
        }
      }
    }
    const once = new Map([...texts, ...fixed.changed]);
    const again = await guarded("second fix", () =>
      linter.fix(
        [...once].map(([p, t]) => ({ path: p, text: t })),
        config,
        host,
        kinds,
      ),
    );
    if (again) {
      stats.idempotenceChecks++;
      for (const [file, twice] of again.changed) {
        if (twice !== once.get(file))
          failures.push({ invariant: "fix-not-idempotent", detail: `${file}\n--- once\n${once.get(file)}\n--- twice\n${twice}` });
      }
    }
  }

  if (!target.path.endsWith(".json") && !engineSawSyntaxError)
    await checkSuppressionSurvivesFix(options, target.path, text, linted, target.siblings, failures, guarded);
  return failures;
}

/**
 * Suppresses one finding with a comment on its own line above it, checks the comment works, fixes,
 * and checks the comment is still there and still suppresses something. A suppression that a fix
 * moves away from its finding would resurface a finding the user chose to silence.
 */
async function checkSuppressionSurvivesFix(
  options: CheckOptions,
  filePath: string,
  text: string,
  linted: LintResult,
  siblings: SourceInput[],
  failures: InvariantFailure[],
  guarded: <T>(what: string, run: () => Promise<T>) => Promise<T | undefined>,
): Promise<void> {
  const { linter, config, host, kinds, prng, stats } = options;
  const candidates = linted.findings.filter((f) => f.path === filePath && f.ruleId !== SYNTAX_RULE);
  if (candidates.length === 0) return;
  const target = prng.pick(candidates);
  const lines = text.split("\n");
  const line = target.range.start.line;
  if (line >= lines.length) return;
  const lineStart = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const indent = /^[ \t]*/.exec(lines[line])![0];
  const eol = lines[line].endsWith("\r") ? "\r\n" : "\n";
  const marked = `${text.slice(0, lineStart)}${indent}# immutably-ignore: ${target.ruleId} -- ${MARKER}${eol}${text.slice(lineStart)}`;
  const markedInputs = [{ path: filePath, text: marked }, ...siblings];
  const before = await guarded("lint with suppression", () => linter.lint(markedInputs, config, host));
  if (!before) return;
  const markerUnused = (result: LintResult, markerLine: number) =>
    result.unusedSuppressions.some((s) => s.path === filePath && s.range.start.line === markerLine && s.rules.some((r) => !s.used.has(r)));
  // The comment may have landed inside a heredoc or multi-line string, where it is text, not a comment.
  if (
    markerUnused(before, line) ||
    !before.findings.every((f) => f.path !== filePath || f.ruleId !== target.ruleId || f.range.start.line !== line + 1)
  )
    return;
  const fixed = await guarded("fix with suppression", () => linter.fix(markedInputs, config, host, kinds));
  if (!fixed) return;
  const after = fixed.changed.get(filePath) ?? marked;
  const markerLine = after.split("\n").findIndex((l) => l.includes(MARKER));
  stats.suppressionChecks++;
  if (markerLine < 0) {
    failures.push({
      invariant: "suppression-lost",
      detail: `${filePath}: the fix removed the suppression comment for ${target.ruleId}\n--- after\n${after}`,
    });
    return;
  }
  const relinted = await guarded("lint after fix with suppression", () =>
    linter.lint([{ path: filePath, text: after }, ...siblings], config, host),
  );
  if (relinted && markerUnused(relinted, markerLine)) {
    failures.push({
      invariant: "suppression-lost",
      detail: `${filePath}: after the fix, the suppression of ${target.ruleId} on line ${markerLine + 1} suppresses nothing\n--- before\n${marked}\n--- after\n${after}`,
    });
  }
}
