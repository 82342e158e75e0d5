// Hover: over a finding's range, the rule's message, the path of a value through module calls, summary and why (Markdown), with a link to the full documentation; answered at once, even during a burst of edits.
import { MarkupKind, type Hover, type Position } from "vscode-languageserver/node";
import type { Finding, Origin, Rule } from "../engine/index.ts";
import { ruleDocsUrl } from "../host/rule-docs.ts";
import type { DiagnosticsService } from "./diagnostics.ts";

/**
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

/**
 * Answers a hover from the newest lint result, without waiting for a lint: during a burst of edits
 * that result is a few versions old, and is read through the span the edits changed (nothing is
 * shown inside it). Only a document that was never linted waits for its first lint.
 */
export async function provideHover(
  diagnostics: DiagnosticsService,
  rulesById: Map<string, Rule>,
  filePath: string,
  position: Position,
  uriOf: (filePath: string) => string,
): Promise<Hover | null> {
  let newest = diagnostics.newestResult(filePath);
  if (!newest) {
    if (!(await diagnostics.currentResult(filePath))) return null;
    newest = diagnostics.newestResult(filePath);
    if (!newest) return null;
  }
  const { result, edited } = newest;
  const offset = edited.lintedOffset(position);
  if (offset === undefined) return null;
  const here = result.findings.filter((f) => f.range.startOffset <= offset && offset <= f.range.endOffset);
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
  const range = edited.currentRange(here[0].range);
  return { contents: { kind: MarkupKind.Markdown, value: sections.join("\n\n---\n\n") }, ...(range ? { range } : {}) };
}
