// Hover: over a finding's range, the rule's message, the path of a value through module calls, summary and why (Markdown), with a link to the full documentation.
import { MarkupKind, type Hover, type Position } from "vscode-languageserver/node";
import type { Finding, Origin, Rule } from "../engine/index.ts";
import { ruleDocsUrl } from "../rules/docs.ts";
import type { DiagnosticsService } from "./diagnostics.ts";
import { toLspRange } from "./diagnostics.ts";

function contains(range: { start: Position; end: Position }, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/**
 * The path a value takes from a module call's argument into the module (its `step` origins), as
 * Markdown links to each place: `argument → variable → ... → the attribute that uses it`.
 */
export function valuePath(finding: Finding, uriOf: (filePath: string) => string): string | undefined {
  const steps = finding.related?.filter((r) => r.step) ?? [];
  if (steps.length === 0) return undefined;
  const link = (r: Origin) => `[${r.description.replace(/[[\]]/g, "\\$&")}](${uriOf(r.path)}#L${r.range.start.line + 1},${r.range.start.character + 1})`;
  return `Value path: this argument → ${steps.map(link).join(" → ")}`;
}

export async function provideHover(
  diagnostics: DiagnosticsService,
  rulesById: Map<string, Rule>,
  filePath: string,
  position: Position,
  uriOf: (filePath: string) => string,
): Promise<Hover | null> {
  const result = await diagnostics.currentResult(filePath);
  if (!result) return null;
  const here = result.findings.filter((f) => contains(f.range, position));
  if (here.length === 0) return null;
  const sections = here.map((f) => {
    const docs = rulesById.get(f.ruleId)?.meta.docs;
    const lines = [`**immutably: \`${f.ruleId}\`**: ${f.message}`];
    const through = valuePath(f, uriOf);
    if (through) lines.push("", through);
    if (docs) lines.push("", docs.summary, "", docs.why);
    lines.push("", `[Documentation for ${f.ruleId}](${ruleDocsUrl(f.ruleId)})`);
    return lines.join("\n");
  });
  // The hover spans the first finding, which is where the editor shows its squiggle.
  return { contents: { kind: MarkupKind.Markdown, value: sections.join("\n\n---\n\n") }, range: toLspRange(here[0].range) };
}
