// The stylish formatter: what a person reads in a terminal (file, line:col, severity, message, rule), colour only on a TTY.
import path from "node:path";
import type { Finding } from "../../engine/index.ts";
import type { ReadProblem } from "../files.ts";

export interface Colours {
  red: (s: string) => string;
  yellow: (s: string) => string;
  blue: (s: string) => string;
  dim: (s: string) => string;
  underline: (s: string) => string;
  bold: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const ansi: Colours = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  dim: wrap(2, 22),
  underline: wrap(4, 24),
  bold: wrap(1, 22),
};
export const plain: Colours = { red: (s) => s, yellow: (s) => s, blue: (s) => s, dim: (s) => s, underline: (s) => s, bold: (s) => s };

export function formatStylish(findings: Finding[], problems: ReadProblem[], cwd: string, c: Colours): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.path) ?? [];
    list.push(f);
    byFile.set(f.path, list);
  }
  for (const [file, list] of byFile) {
    out.push(c.underline(path.relative(cwd, file) || file));
    const rows = list.map((f) => [
      `${f.range.start.line + 1}:${f.range.start.character + 1}`,
      f.severity,
      f.message.replace(/\s*\n\s*/g, " "),
      f.ruleId,
    ]);
    // A loop, not Math.max(...): spreading 120,000 rows as arguments overflows the stack.
    const w0 = rows.reduce((w, r) => Math.max(w, r[0].length), 0);
    const w1 = rows.reduce((w, r) => Math.max(w, r[1].length), 0);
    for (const [pos, sev, msg, id] of rows) {
      const colour = sev === "error" ? c.red : sev === "warning" ? c.yellow : c.blue;
      out.push(`  ${c.dim(pos.padEnd(w0))}  ${colour(sev.padEnd(w1))}  ${msg}  ${c.dim(id)}`);
    }
    out.push("");
  }
  for (const p of problems) out.push(`${c.yellow("skipped")} ${path.relative(cwd, p.path) || p.path}: ${p.message}`);
  if (problems.length) out.push("");
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const infos = findings.length - errors - warnings;
  if (findings.length === 0) out.push(`No problems found.`);
  else {
    const summary = `✖ ${findings.length} problem${findings.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${infos ? `, ${infos} info` : ""})`;
    out.push((errors ? c.red : c.yellow)(c.bold(summary)));
    const fixable = findings.filter((f) => f.fix?.kind === "safe").length;
    if (fixable) out.push(`  ${fixable} potentially fixable with the \`--fix\` option.`);
  }
  return out.join("\n") + "\n";
}
