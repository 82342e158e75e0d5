// Findings as LSP diagnostics: ranges without offsets, severities, docs links, related locations; and whether two finding lists would publish the same.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from "vscode-languageserver/node";
import type { Finding, Range as EngineRange, Severity } from "../engine/index.ts";
import { UNUSED_IGNORE } from "../engine/suppress.ts";
import { ruleDocsUrl } from "../host/rule-docs.ts";

export const SOURCE = "immutably";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Strips the engine's offsets: LSP ranges are positions only (both zero-based, UTF-16 columns). */
export function toLspRange(range: EngineRange): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

/** The diagnostic code of a suppression comment that names an unknown rule (not a rule: it has no page). */
export const UNKNOWN_IGNORE = "unknown-ignore";

/** Converts one finding; `related` becomes relatedInformation pointing at where a value came from. */
export function toDiagnostic(finding: Finding, uriOf: (filePath: string) => string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toLspRange(finding.range),
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };
  // A suppression naming no rule, or suppressing nothing, has no rule page to link.
  if (finding.ruleId !== UNKNOWN_IGNORE && finding.ruleId !== UNUSED_IGNORE)
    diagnostic.codeDescription = { href: ruleDocsUrl(finding.ruleId) };
  // Shown faded, as editors show unused code, and kept out of the Problems list (a hint).
  if (finding.ruleId === UNUSED_IGNORE) {
    diagnostic.severity = DiagnosticSeverity.Hint;
    diagnostic.tags = [DiagnosticTag.Unnecessary];
  }
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((origin): DiagnosticRelatedInformation => ({
      location: { uri: uriOf(origin.path), range: toLspRange(origin.range) },
      message: origin.description,
    }));
  }
  return diagnostic;
}

const samePosition = (a: EngineRange, b: EngineRange) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

/** Whether two finding lists convert to the same diagnostics (fixes are not part of a diagnostic). */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.ruleId !== y.ruleId ||
      x.severity !== y.severity ||
      x.message !== y.message ||
      x.path !== y.path ||
      !samePosition(x.range, y.range)
    )
      return false;
    const rx = x.related ?? [];
    const ry = y.related ?? [];
    if (rx.length !== ry.length) return false;
    for (let j = 0; j < rx.length; j++) {
      if (rx[j].path !== ry[j].path || rx[j].description !== ry[j].description || !samePosition(rx[j].range, ry[j].range)) return false;
    }
  }
  return true;
}
