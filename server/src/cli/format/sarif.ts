// The SARIF 2.1.0 formatter for code-scanning CI: rules with their help text, results with full regions and fixes.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { computeLineStarts, positionAt } from "../../engine/model.ts";
import type { Finding, Rule, Severity } from "../../engine/index.ts";
import { renderRuleDoc } from "../../rules/docs.ts";
import type { ReadProblem } from "../files.ts";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/**
 * SARIF's `name` is the readable identifier and must differ from the opaque `id` (SARIF 3.49.7; Microsoft's
 * validator rule SARIF1001), so `pinned-machine-image` is named `PinnedMachineImage`, as the validator's own rules are.
 */
export function sarifRuleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** What the SARIF driver lists of a rule or a plan check. */
export interface SarifRule {
  id: string;
  severity: Severity;
  summary: string;
  why: string;
  /** The whole documentation page, in Markdown. */
  markdown: string;
  fix: string;
  recommended: boolean;
}

/** The SARIF entries of lint rules: their help is the page `immutably explain` prints. */
export function sarifRules(rules: readonly Rule[]): SarifRule[] {
  return rules.map((r) => ({
    id: r.meta.id,
    severity: r.meta.severity,
    summary: r.meta.docs.summary,
    why: r.meta.docs.why,
    markdown: renderRuleDoc(r),
    fix: r.meta.fix,
    recommended: r.meta.recommended,
  }));
}

export function formatSarif(
  findings: Finding[],
  problems: ReadProblem[],
  rules: readonly SarifRule[],
  texts: Map<string, string>,
  cwd: string,
  version: string,
): string {
  const uri = (p: string) => {
    const rel = path.relative(cwd, p);
    return rel.startsWith("..") || path.isAbsolute(rel) ? pathToFileURL(p).href : rel.split(path.sep).join("/");
  };
  const location = (p: string) => (uri(p).startsWith("file:") ? { uri: uri(p) } : { uri: uri(p), uriBaseId: "%SRCROOT%" });
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const lineStartsCache = new Map<string, number[]>();
  const regionOf = (file: string, start: number, end: number) => {
    let ls = lineStartsCache.get(file);
    if (!ls) {
      ls = computeLineStarts(texts.get(file) ?? "");
      lineStartsCache.set(file, ls);
    }
    const s = positionAt(ls, start);
    const e = positionAt(ls, end);
    return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  };
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "immutably",
            version,
            // No informationUri or helpUri: the project has no public web address, and a file path on
            // the CI machine means nothing to a code-scanning page. `help` carries each rule's whole page.
            rules: rules.map((r) => ({
              id: r.id,
              name: sarifRuleName(r.id),
              shortDescription: { text: r.summary },
              fullDescription: { text: r.why },
              help: { text: `${r.summary}\n\n${r.why}`, markdown: r.markdown },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { fix: r.fix, recommended: r.recommended },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(cwd + path.sep).href } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: problems.map((p) => ({
              level: "warning",
              message: { text: p.message },
              locations: [{ physicalLocation: { artifactLocation: location(p.path) } }],
            })),
          },
        ],
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location(f.path),
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          relatedLocations: f.related?.map((r, i) => ({
            id: i,
            message: { text: r.description },
            physicalLocation: {
              artifactLocation: location(r.path),
              region: {
                startLine: r.range.start.line + 1,
                startColumn: r.range.start.character + 1,
                endLine: r.range.end.line + 1,
                endColumn: r.range.end.character + 1,
              },
            },
          })),
          // A fix whose edits could not be built has none to show.
          fixes:
            f.fix && f.fix.changes.length > 0
              ? [
                  {
                    description: { text: f.fix.title },
                    artifactChanges: f.fix.changes.map((change) => ({
                      artifactLocation: location(change.path),
                      replacements: change.edits.map((e) => ({
                        deletedRegion: change.create
                          ? { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }
                          : regionOf(change.path, e.start, e.end),
                        insertedContent: { text: e.newText },
                      })),
                    })),
                  },
                ]
              : undefined,
          properties: f.fix ? { fixKind: f.fix.kind } : undefined,
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
