// RuleTester: valid/invalid cases with exact 1-based ranges and exact fixed output; refuses sloppy cases.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter, type RuleOptions } from "../../server/src/engine/index.ts";
import { parseWithHashiCorp } from "../../server/src/engine/hcl/hashicorp.ts";
import { formatted, formatterFor, unformatted } from "./fmt.ts";

export interface ExpectedError {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The whole message, as the user reads it: every expected error states it. */
  message: string;
  /** When given, the finding's related locations, exactly and in order (paths relative to the case's folder). */
  related?: ExpectedRelated[];
}

export interface ExpectedRelated {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** A substring of the description. */
  description?: string;
  step?: "variable" | "argument" | "attribute";
}

export interface TestCase {
  /** Name of the linted file; default main.tf. */
  filename?: string;
  code: string;
  /** Other files of the same module (e.g. variables.tf, terraform.tfvars), by name. */
  files?: Record<string, string>;
  /**
   * Files on the virtual disk that are read (called modules, `.terraform/modules/modules.json`) but
   * not linted themselves, by path relative to the case's folder (`modules/web/main.tf`).
   */
  disk?: Record<string, string>;
  options?: RuleOptions;
  name?: string;
}

export interface InvalidCase extends TestCase {
  errors: ExpectedError[];
  /** The file after applying every fix of this rule (safe and unsafe) until none is left; required when any finding has a fix. */
  output?: string;
}

export interface Validator {
  /** Extra check of a fixed text (e.g. `packer validate -syntax-only`); throws with a message when it fails. */
  (filename: string, text: string): Promise<void>;
}

const ROOT = "/virtual/module";
let linterPromise: Promise<Linter> | undefined;
const linter = () => (linterPromise ??= createLinter());

async function run(ruleId: string, c: TestCase, kinds?: Array<"safe" | "unsafe">) {
  const l = await linter();
  if (!l.rulesById.has(ruleId)) throw new Error(`RuleTester: unknown rule id "${ruleId}"`);
  const config = defaultConfig(l.rules);
  // Only the rule under test runs, so each case speaks about that rule alone.
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === ruleId;
  config.rules[ruleId].options = { ...config.rules[ruleId].options, ...(c.options ?? {}) };
  const filename = c.filename ?? "main.tf";
  const inputs = [{ path: path.join(ROOT, filename), text: c.code }];
  for (const [name, text] of Object.entries(c.files ?? {})) inputs.push({ path: path.join(ROOT, name), text });
  const host = virtualHost([...inputs, ...Object.entries(c.disk ?? {}).map(([name, text]) => ({ path: path.join(ROOT, name), text }))]);
  const mainPath = path.join(ROOT, filename);
  const result = await l.lint(inputs, config, host, { skipExactSyntax: true });
  const fixed = kinds ? await l.fix(inputs, config, host, kinds) : undefined;
  return { result, mainPath, fixed: fixed?.changed.get(mainPath), l };
}

/**
 * A host over files in memory: reads them and lists their folders, as a disk would. With `root`,
 * reads stay inside it as on a real disk (a path out of it is refused by the engine).
 */
export function virtualHost(files: Array<{ path: string; text: string }>, root?: string) {
  return {
    ...(root === undefined ? {} : { readRoot: () => root }),
    readFile: (p: string) => files.find((f) => f.path === p)?.text,
    listFiles: (dir: string) => {
      const names = files.filter((f) => path.dirname(f.path) === dir).map((f) => path.basename(f.path));
      return names.length > 0 ? names : undefined;
    },
  };
}

/** Checks that a fixed text still parses: tree-sitter and HashiCorp's parser for HCL, JSON.parse for JSON. */
async function assertParses(l: Linter, filename: string, text: string): Promise<void> {
  const parsed = l.parse({ path: path.join(ROOT, filename), text });
  if (parsed) assert.deepEqual(parsed.file.syntaxErrors, [], `fixed output of ${filename} has syntax errors (tree-sitter)`);
  if (filename.endsWith(".json")) JSON.parse(text);
  else await parseWithHashiCorp(filename, text);
}

/** Refuses an invalid case that would test less than it seems to: no errors, or an error without its full range or message. */
export function assertWellFormed(c: InvalidCase): void {
  if (!c.errors || c.errors.length === 0) throw new Error("RuleTester: an invalid case must list at least one error");
  for (const e of c.errors) {
    for (const field of ["line", "column", "endLine", "endColumn"] as const) {
      if (typeof e[field] !== "number") throw new Error(`RuleTester: error is missing "${field}"`);
    }
    // A message is what the user reads; a case that does not state it leaves it untested.
    if (typeof e.message !== "string" || e.message === "") throw new Error('RuleTester: error is missing "message" (the whole message)');
  }
}

/** Runs a rule's cases; `title` names a second group of cases for the same rule (e.g. "through modules"). */
export function ruleTester(
  ruleId: string,
  cases: { title?: string; valid: TestCase[]; invalid: InvalidCase[] },
  validators: Validator[] = [],
): void {
  describe(cases.title ? `${ruleId}: ${cases.title}` : ruleId, () => {
    cases.valid.forEach((c, i) => {
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ""}`, async () => {
        const { result } = await run(ruleId, c);
        assert.deepEqual(result.ruleFailures, [], "the rule threw");
        assert.deepEqual(
          result.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
          [],
        );
      });
    });
    cases.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ""}`, async () => {
        assertWellFormed(c);
        const { result, mainPath, fixed, l } = await run(ruleId, c, ["safe", "unsafe"]);
        assert.deepEqual(result.ruleFailures, [], "the rule threw");
        const found = result.findings.filter((f) => f.path === mainPath);
        assert.equal(result.findings.length, found.length, "findings reported in other files than the case's");
        assert.deepEqual(
          found.map((f) => ({
            line: f.range.start.line + 1,
            column: f.range.start.character + 1,
            endLine: f.range.end.line + 1,
            endColumn: f.range.end.character + 1,
          })),
          c.errors.map((e) => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn })),
        );
        assert.deepEqual(
          found.map((f) => f.message),
          c.errors.map((e) => e.message),
        );
        c.errors.forEach((e, k) => {
          if (e.related === undefined) return;
          assert.deepEqual(
            (found[k].related ?? []).map((r) => ({
              path: path.relative(ROOT, r.path),
              line: r.range.start.line + 1,
              column: r.range.start.character + 1,
              endLine: r.range.end.line + 1,
              endColumn: r.range.end.character + 1,
              ...(r.step ? { step: r.step } : {}),
            })),
            e.related.map((r) => ({
              path: r.path,
              line: r.line,
              column: r.column,
              endLine: r.endLine,
              endColumn: r.endColumn,
              ...(r.step ? { step: r.step } : {}),
            })),
          );
          e.related.forEach((r, j) => {
            if (r.description !== undefined)
              assert.ok(
                found[k].related![j].description.includes(r.description),
                `related description "${found[k].related![j].description}" lacks "${r.description}"`,
              );
          });
        });
        const hasFix = found.some((f) => f.fix);
        if (hasFix && c.output === undefined) throw new Error("RuleTester: the rule fixes this case, so the case must give `output`");
        if (!hasFix && c.output !== undefined) throw new Error("RuleTester: `output` given but the rule offers no fix");
        if (c.output !== undefined) {
          assert.equal(fixed ?? c.code, c.output);
          await assertParses(l, c.filename ?? "main.tf", c.output);
          for (const v of validators) await v(c.filename ?? "main.tf", c.output);
        }
      });
    });
    const fixedHcl = cases.invalid
      .map((c, i) => ({ c, i, ext: /(\.pkrvars\.hcl|\.pkr\.hcl|\.tfvars|\.tf)$/.exec(c.filename ?? "main.tf")?.[1] }))
      .filter(
        (x): x is { c: InvalidCase; i: number; ext: string } =>
          x.c.output !== undefined && x.ext !== undefined && formatterFor(`x${x.ext}`) !== undefined,
      );
    if (fixedHcl.length > 0) {
      // Every fix is checked with the real formatter: input that `terraform fmt` (or `packer fmt`) leaves
      // alone must still be left alone after the fix. Input that is not formatted proves nothing, so at
      // least one case of each rule with fixes must be formatted.
      it("fixes keep formatted input formatted (terraform fmt, packer fmt)", async (t) => {
        const files = fixedHcl.flatMap(({ c, i, ext }) => [
          { name: `in-${i + 1}${ext}`, text: c.code },
          { name: `out-${i + 1}${ext}`, text: c.output! },
        ]);
        const changed = await unformatted(files);
        const clean = fixedHcl.filter(({ i, ext }) => !changed.has(`in-${i + 1}${ext}`));
        assert.ok(
          clean.length > 0,
          "no case of this rule with a fix starts from formatted input, so no fix is checked against the formatter",
        );
        t.diagnostic(
          `${clean.length} of ${fixedHcl.length} fixed HCL cases start from formatted input: ${clean.map(({ i }) => `#${i + 1}`).join(" ")}`,
        );
        for (const { c, i, ext } of clean) {
          if (!changed.has(`out-${i + 1}${ext}`)) continue;
          const expected = await formatted(`out-${i + 1}${ext}`, c.output!);
          assert.equal(c.output, expected, `invalid #${i + 1}${c.name ? ` (${c.name})` : ""}: the fix leaves formatted input unformatted`);
        }
      });
    }
  });
}

/**
 * Lints files with only one rule enabled and returns the whole result, to check what `ruleTester` does not
 * (e.g. `related` origins); `readFile` answers the files the rule follows, none unless given.
 */
export async function lintWithOnly(
  ruleId: string,
  inputs: Array<{ path: string; text: string }>,
  readFile: (p: string) => string | undefined = () => undefined,
) {
  const l = await linter();
  const config = defaultConfig(l.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === ruleId;
  return l.lint(inputs, config, { readFile }, { skipExactSyntax: true });
}

/** Lints a module (file names under the test root) with only one rule enabled and returns its findings. */
export async function findingsOf(ruleId: string, files: Record<string, string>) {
  const inputs = Object.entries(files).map(([name, text]) => ({ path: path.join(ROOT, name), text }));
  return (await lintWithOnly(ruleId, inputs)).findings;
}
