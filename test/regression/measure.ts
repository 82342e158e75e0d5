// Measures precision and recall of every rule on the labelled real-code cases in test/regression/cases.
import fs from "node:fs";
import path from "node:path";
import { createLinter, defaultConfig, type Finding, type Linter } from "../../server/src/engine/index.ts";

/**
 * Labels are comments on the line a finding starts on (`# expect: rule-a, rule-b`), or for files that
 * cannot hold comments (JSON) lines of a `labels.txt` beside them (`template.json:12 expect rule-a`):
 * - `expect`: the rule must report here (a true positive);
 * - `ok`: the rule must not report here (a line a careless rule would flag: a true negative);
 * - `missed`: the rule should report here and does not yet (a known false negative, with the reason);
 * - `wrong`: the rule reports here and should not (a known false positive, with the reason).
 * A finding on a line without an `expect` or `wrong` label for its rule is an unlabelled false positive.
 */
export type LabelKind = "expect" | "ok" | "missed" | "wrong";

export interface Label {
  file: string;
  line: number;
  kind: LabelKind;
  rule: string;
}

export interface RuleCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

export interface Measurement {
  cases: number;
  files: number;
  lines: number;
  labels: number;
  total: RuleCounts;
  byRule: Map<string, RuleCounts>;
  /** Labels that no longer hold and findings without a label: each one fails the suite. */
  problems: string[];
  /** Every finding, by case folder, for the fix checks. */
  findings: Finding[];
  inputs: Array<{ path: string; text: string }>;
}

const LABEL = /(?:#|\/\/)\s*(expect|ok|missed|wrong):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

/** The files of a folder, recursively, by path relative to it. */
function walk(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]));
}

/** The labels written in one file's comments, and in the labels.txt beside it. */
function labelsOf(root: string, files: string[]): Label[] {
  const labels: Label[] = [];
  for (const file of files) {
    if (path.basename(file) === "labels.txt") {
      for (const line of fs.readFileSync(path.join(root, file), "utf8").split("\n")) {
        const m = /^(\S+):(\d+)\s+(expect|ok|missed|wrong)\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(line.trim());
        if (!m) continue;
        const target = path.join(path.dirname(file), m[1]);
        for (const rule of m[4].split(",")) labels.push({ file: target, line: Number(m[2]), kind: m[3] as LabelKind, rule: rule.trim() });
      }
      continue;
    }
    if (file.endsWith(".json")) continue;
    fs.readFileSync(path.join(root, file), "utf8")
      .split("\n")
      .forEach((text, i) => {
        for (const m of text.matchAll(LABEL)) {
          for (const rule of m[2].split(",")) labels.push({ file, line: i + 1, kind: m[1] as LabelKind, rule: rule.trim() });
        }
      });
  }
  return labels;
}

const empty = (): RuleCounts => ({ truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 });

/** Lints every case folder with every rule on (the recommended preset) and compares the findings with the labels. */
export async function measure(casesDir: string, linter?: Linter): Promise<Measurement> {
  const l = linter ?? (await createLinter());
  const config = defaultConfig(l.rules);
  const cases = fs
    .readdirSync(casesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const result: Measurement = {
    cases: cases.length,
    files: 0,
    lines: 0,
    labels: 0,
    total: empty(),
    byRule: new Map(),
    problems: [],
    findings: [],
    inputs: [],
  };
  const count = (rule: string, key: keyof RuleCounts) => {
    result.total[key]++;
    if (!result.byRule.has(rule)) result.byRule.set(rule, empty());
    result.byRule.get(rule)![key]++;
  };
  for (const name of cases) {
    const root = path.join(casesDir, name);
    const files = walk(root);
    const inputs = files
      .filter((f) => f !== "labels.txt" && !f.endsWith("/labels.txt"))
      .map((f) => ({ path: path.join(root, f), text: fs.readFileSync(path.join(root, f), "utf8") }));
    result.inputs.push(...inputs);
    result.files += inputs.length;
    result.lines += inputs.reduce((n, i) => n + i.text.split("\n").length, 0);
    const host = { readFile: (p: string) => inputs.find((i) => i.path === p)?.text };
    const linted = await l.lint(inputs, config, host);
    for (const failure of linted.ruleFailures) result.problems.push(`${name}: rule ${failure.ruleId} threw: ${failure.message}`);
    result.findings.push(...linted.findings);
    const labels = labelsOf(root, files);
    result.labels += labels.length;
    const where = (f: Finding) => `${path.relative(root, f.path)}:${f.range.start.line + 1}`;
    const matched = new Set<Finding>();
    for (const label of labels) {
      const at = `${name}/${label.file}:${label.line}`;
      const hits = linted.findings.filter((f) => f.ruleId === label.rule && where(f) === `${label.file}:${label.line}`);
      hits.forEach((f) => matched.add(f));
      switch (label.kind) {
        case "expect":
          if (hits.length > 0) count(label.rule, "truePositives");
          else {
            count(label.rule, "falseNegatives");
            result.problems.push(
              `${at}: ${label.rule} expected here and not reported (a false negative; fix the rule, or label it "missed: ${label.rule}" with the reason)`,
            );
          }
          break;
        case "missed":
          count(label.rule, "falseNegatives");
          if (hits.length > 0) result.problems.push(`${at}: ${label.rule} is now reported here: relabel "missed" as "expect"`);
          break;
        case "ok":
          if (hits.length === 0) count(label.rule, "trueNegatives");
          else {
            count(label.rule, "falsePositives");
            result.problems.push(`${at}: ${label.rule} reported where it must not be (a false positive): ${hits[0].message}`);
          }
          break;
        case "wrong":
          count(label.rule, "falsePositives");
          if (hits.length === 0) result.problems.push(`${at}: ${label.rule} is no longer reported here: relabel "wrong" as "ok"`);
          break;
      }
    }
    for (const f of linted.findings) {
      if (matched.has(f)) continue;
      count(f.ruleId, "falsePositives");
      result.problems.push(
        `${name}/${where(f)}: ${f.ruleId} reported without a label (label it "expect" if it is right, "wrong" with the reason if not): ${f.message}`,
      );
    }
  }
  return result;
}

/** Precision and recall as percentages with one decimal; "n/a" when undefined (no positives). */
export function ratios(c: RuleCounts): { precision: string; recall: string } {
  const pct = (num: number, den: number) => (den === 0 ? "n/a" : `${((100 * num) / den).toFixed(1)}%`);
  return {
    precision: pct(c.truePositives, c.truePositives + c.falsePositives),
    recall: pct(c.truePositives, c.truePositives + c.falseNegatives),
  };
}
