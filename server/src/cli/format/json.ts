// The json formatter: one object with every finding (1-based positions, as printed) and every skipped file.
import path from "node:path";
import type { Finding } from "../../engine/index.ts";
import type { ReadProblem } from "../files.ts";

export function formatJson(findings: Finding[], problems: ReadProblem[], cwd: string, version: string): string {
  // Remembered per path: a file has many findings, and path.relative was most of formatting them.
  const relative = new Map<string, string>();
  const rel = (p: string) => {
    let r = relative.get(p);
    if (r === undefined) relative.set(p, (r = path.relative(cwd, p).split(path.sep).join("/") || p));
    return r;
  };
  return (
    JSON.stringify(
      {
        tool: "immutably",
        version,
        findings: findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          path: rel(f.path),
          line: f.range.start.line + 1,
          column: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
          fix: f.fix ? { title: f.fix.title, kind: f.fix.kind } : undefined,
          related: f.related?.map((r) => ({
            path: rel(r.path),
            line: r.range.start.line + 1,
            column: r.range.start.character + 1,
            description: r.description,
          })),
        })),
        skipped: problems.map((p) => ({ path: rel(p.path), message: p.message })),
        summary: {
          errors: findings.filter((f) => f.severity === "error").length,
          warnings: findings.filter((f) => f.severity === "warning").length,
          infos: findings.filter((f) => f.severity === "info").length,
        },
      },
      null,
      2,
    ) + "\n"
  );
}
