// Hover: over a finding's range, what the diagnostic does not say (why, the fix, the path of a value through module calls) and a link to the full documentation; answered at once, even during a burst of edits.
import { MarkupKind, type Hover, type Position } from "vscode-languageserver/node";
import type { Finding, Origin, Rule } from "../engine/index.ts";
import type { RuleDocs } from "../engine/types.ts";
import { ruleDocsUrl } from "../host/rule-docs.ts";
import type { LintScheduler } from "./scheduler.ts";

/**
/**
 * The path a value takes from a module call's argument into the module (its `step` origins), as
 * Markdown links to each place: `argument → variable → ... → the attribute that uses it`.
 */
export function valuePath(finding: Finding, uriOf: (filePath: string) => string): string | undefined {
  const steps = finding.related?.filter((r) => r.step) ?? [];
  if (steps.length === 0) return undefined;
  const link = (r: Origin) =>
    `[${r.description.replace(/[[\]]/g, "\\$&")}](${uriOf(r.path)}#L${r.range.start.line + 1},${r.range.start.character + 1})`;
  return `Value path: this argument → ${steps.map(link).join(" → ")}`;
}

/** The first sentence of a docs paragraph: the hover stays a few lines, the full text is one click away. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const end = flat.search(/[.!?](\s+[A-Z`(]|$)/);
  return end < 0 ? flat : flat.slice(0, end + 1);
}

/** What the fix of this finding is and when it is applied; without one, why there is none. */
function fixLine(finding: Finding, docs: RuleDocs | undefined): string | undefined {
  if (finding.fix) {
    const when =
      finding.fix.kind === "safe"
        ? "safe: fix-all applies it, also on save"
        : "unsafe: offered as a quick fix (Ctrl+.) only; check the result";
    return `**Fix:** ${finding.fix.title} (${when}).`;
  }
  return docs ? `**Fix:** ${firstSentence(docs.fixSafety)}` : undefined;
}

/** A link to a rule's page: VS Code's client opens it in the Markdown preview through a command; other clients get the bundled page's file: URL. */
export type DocsLink = (ruleId: string) => string;
export const fileDocsLink: DocsLink = (ruleId) => ruleDocsUrl(ruleId);
export const commandDocsLink =
  (command: string): DocsLink =>
  (ruleId) =>
    `command:${command}?${encodeURIComponent(JSON.stringify([ruleId]))}`;

/**
 * Answers a hover from the newest lint result, without waiting for a lint: during a burst of edits
 * that result is a few versions old, and is read through the span the edits changed (nothing is
 * shown inside it). Only a document that was never linted waits for its first lint.
 *
 * The editor shows the diagnostic's message above the hover, so the hover adds what the message
 * does not: why the pattern breaks immutability, what the fix does, and the documentation.
 */
export async function provideHover(
  results: Pick<LintScheduler, "newestResult" | "currentResult">,
  rulesById: Map<string, Rule>,
  filePath: string,
  position: Position,
  uriOf: (filePath: string) => string,
  docsLink: DocsLink = fileDocsLink,
): Promise<Hover | null> {
  let newest = results.newestResult(filePath);
  if (!newest) {
    if (!(await results.currentResult(filePath))) return null;
    newest = results.newestResult(filePath);
    if (!newest) return null;
  }
  const { result, edited } = newest;
  const offset = edited.lintedOffset(position);
  if (offset === undefined) return null;
  const here = result.findings.filter((f) => f.range.startOffset <= offset && offset <= f.range.endOffset);
  if (here.length === 0) return null;
  const sections = here.map((f) => {
    const docs = rulesById.get(f.ruleId)?.meta.docs;
    const lines = [`**immutably \`${f.ruleId}\`**${docs ? `: ${docs.summary}` : ""}`];
    if (docs) lines.push("", `**Why:** ${firstSentence(docs.why)}`);
    const fix = fixLine(f, docs);
    if (fix) lines.push("", fix);
    const through = valuePath(f, uriOf);
    if (through) lines.push("", through);
    lines.push("", `[Open the documentation of ${f.ruleId}](${docsLink(f.ruleId)})`);
    return lines.join("\n");
  });
  // The hover spans the first finding, which is where the editor shows its squiggle.
  const range = edited.currentRange(here[0].range);
  return { contents: { kind: MarkupKind.Markdown, value: sections.join("\n\n---\n\n") }, ...(range ? { range } : {}) };
}
