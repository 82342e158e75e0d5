// Diagnostics publishing: what a folder's lint sends for each of its files, skipping what the client already shows, and the results kept for hover and code actions.
import { DiagnosticSeverity, type Connection, type Diagnostic } from "vscode-languageserver/node";
import { configurableIds, type Finding, type Linter, type LintResult, type SourceFile, type SourceInput } from "../engine/index.ts";
import { unknownSuppressedRules, unusedSuppressionFindings } from "../engine/suppress.ts";
import type { DocumentStore } from "./documents.ts";
import { sameFindings, SOURCE, toDiagnostic, UNKNOWN_IGNORE } from "./findings-to-lsp.ts";

/** What the last lint said about one open document, kept for code actions and hover. */
export interface FileLintResult {
  path: string;
  /** The document version the findings belong to. */
  version: number;
  file: SourceFile | undefined;
  findings: Finding[];
  /** Every input of the folder at that lint, for fix-all (which re-lints the module). */
  folderInputs: SourceInput[];
}

/** One finished lint of a folder, as the scheduler hands it over. */
export interface FolderLint {
  /** The files linted, with the texts read. */
  inputs: SourceInput[];
  /** The version of each open document among them when its text was read. */
  versions: ReadonlyMap<string, number>;
  /** Files not linted, with why when the user should hear it (ignored ones and vanished ones are just cleared). */
  skipped: Array<{ path: string; reason?: string }>;
  result: LintResult;
}

/** How a file without findings says why: one diagnostic at its first line. */
interface NotLintedKind {
  code: string;
  severity: DiagnosticSeverity;
  prefix: string;
}
/** A file that could not be linted (over a limit, binary, not a regular file): something to act on. */
const SKIPPED: NotLintedKind = { code: "skipped", severity: DiagnosticSeverity.Warning, prefix: "Not linted" };
/** A file the tool does not load (see `loadedTerraformFiles`): nothing is wrong, so it only informs. */
const NOT_LOADED: NotLintedKind = { code: "not-loaded", severity: DiagnosticSeverity.Information, prefix: "Not loaded" };

export class DiagnosticsPublisher {
  private readonly results = new Map<string, FileLintResult>();
  /** URIs that currently show diagnostics, so that clearing sends only what is needed. */
  private readonly published = new Set<string>();
  /**
   * What was last sent for each file of the folders being edited: an edit re-lints its whole folder,
   * and the siblings whose findings and version did not change need not be sent (and converted) again.
   */
  private readonly lastSent = new Map<string, { version: number | undefined; findings: Finding[]; skipped?: string }>();
  private readonly reportedFailures = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly linter: Linter,
    /** Called after diagnostics are sent for a document version (benchmark timings). */
    private readonly onPublished?: (uri: string, version: number | undefined) => void,
  ) {}

  /** Whether the open documents a lint read are still at the versions it read: diagnostics are never sent for a stale version. */
  isCurrent(versions: ReadonlyMap<string, number>): boolean {
    for (const [p, version] of versions) if (this.store.openDocument(p)?.version !== version) return false;
    return true;
  }

  /** Publishes a folder's lint for every file in it; `remember` keeps what was sent so that an identical later publish is skipped. */
  publishFolder({ inputs, versions, skipped, result }: FolderLint, remember: boolean): void {
    this.reportRuleFailures(result);
    const byPath = groupByPath(result.findings);
    // Suppressions that suppressed nothing: unknown ids have their own warning, and a plan check's
    // suppression is used by `immutably plan`, which the editor does not run.
    // Published beside the findings, not kept with them: hover and code actions are about rules.
    const judged = (id: string) => this.linter.rulesById.has(id);
    const unusedByPath = groupByPath(
      result.unusedSuppressions.length ? unusedSuppressionFindings(result.unusedSuppressions, judged, "info") : [],
    );
    const filesByPath = new Map(result.files.map((f) => [f.path, f]));
    const notLoaded = new Map(result.notLoaded.map((n) => [n.path, n.reason]));
    for (const input of inputs) {
      const reason = notLoaded.get(input.path);
      if (reason !== undefined) {
        // A file the tool does not load has no findings; the file says why instead of looking clean.
        this.results.delete(input.path);
        this.publishSkipped(input.path, reason, versions.get(input.path), remember, NOT_LOADED);
        continue;
      }
      const findings = byPath.get(input.path) ?? [];
      const version = versions.get(input.path);
      if (version !== undefined) {
        this.results.set(input.path, { path: input.path, version, file: filesByPath.get(input.path), findings, folderInputs: inputs });
      }
      const file = filesByPath.get(input.path);
      const unused = unusedByPath.get(input.path) ?? [];
      this.publish(
        input.path,
        file ? [...findings, ...unused, ...this.unknownSuppressions(file)] : [...findings, ...unused],
        version,
        remember,
      );
    }
    for (const { path: p, reason } of skipped) {
      this.results.delete(p);
      if (reason === undefined) this.publish(p, [], versions.get(p), remember);
      else this.publishSkipped(p, reason, versions.get(p), remember);
    }
  }

  /** Says once per rule that it threw (in the log and as a warning); its findings are missing, the other rules' are not. */
  private reportRuleFailures(result: LintResult): void {
    for (const failure of result.ruleFailures) {
      if (this.reportedFailures.has(failure.ruleId)) continue;
      this.reportedFailures.add(failure.ruleId);
      const text = `immutably: rule ${failure.ruleId} failed on ${failure.moduleDir}: ${failure.message}. Other rules still ran; please report this.`;
      this.connection.console.error(text);
      void this.connection.window.showWarningMessage(text);
    }
  }

  /**
   * Warnings for rule ids in suppression comments that no rule has. They are published with the
   * findings but kept out of the lint result, so no quick fix or hover is offered for them.
   */
  private unknownSuppressions(file: SourceFile): Finding[] {
    if (file.comments.length === 0) return [];
    // Plan checks are suppressed in the same comments (`immutably plan` reads them), so their ids are known too.
    return unknownSuppressedRules(file, configurableIds(this.linter.rules)).map((u) => ({
      ruleId: UNKNOWN_IGNORE,
      severity: "warning",
      message: `immutably-ignore names "${u.ruleId}", which is not a rule; it suppresses nothing`,
      path: file.path,
      range: u.range,
    }));
  }

  /** Findings as the diagnostics a publish sends (the warm-up runs the same conversion). */
  toDiagnostics(findings: Finding[]): Diagnostic[] {
    return findings.map((f) => toDiagnostic(f, (p) => this.store.uriOf(p)));
  }

  /** Sends a file's diagnostics; `remember` keeps what was sent so that an identical later publish is skipped. */
  private publish(filePath: string, findings: Finding[], version: number | undefined, remember: boolean): void {
    const uri = this.store.uriOf(filePath);
    // Empty lists are only sent to clear what was shown, or for open documents (which expect an answer).
    if (findings.length === 0 && version === undefined && !this.published.has(uri)) return;
    const last = this.lastSent.get(uri);
    if (last && last.version === version && last.skipped === undefined && sameFindings(last.findings, findings)) return;
    if (remember) this.lastSent.set(uri, { version, findings });
    else this.lastSent.delete(uri);
    if (findings.length) this.published.add(uri);
    else this.published.delete(uri);
    const diagnostics = this.toDiagnostics(findings);
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
    this.onPublished?.(uri, version);
  }

  /** Says why a file is not linted (as the CLI's "skipped" lines do), instead of showing nothing. */
  private publishSkipped(
    filePath: string,
    reason: string,
    version: number | undefined,
    remember: boolean,
    kind: NotLintedKind = SKIPPED,
  ): void {
    const uri = this.store.uriOf(filePath);
    const last = this.lastSent.get(uri);
    if (last && last.version === version && last.skipped === reason) return;
    if (remember) this.lastSent.set(uri, { version, findings: [], skipped: reason });
    else this.lastSent.delete(uri);
    this.published.add(uri);
    const diagnostics: Diagnostic[] = [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: kind.severity,
        source: SOURCE,
        code: kind.code,
        message: `${kind.prefix}: ${reason}.`,
      },
    ];
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
    this.onPublished?.(uri, version);
  }

  /** What the last lint said about an open document, whatever its version. */
  result(filePath: string): FileLintResult | undefined {
    return this.results.get(filePath);
  }

  /** Clears the diagnostics of a file that was deleted or became ignored. */
  clear(filePath: string): void {
    this.results.delete(filePath);
    const uri = this.store.uriOf(filePath);
    this.lastSent.delete(uri);
    if (!this.published.delete(uri)) return;
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Clears everything (the extension was disabled). */
  clearAll(): void {
    for (const uri of this.published) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.published.clear();
    this.lastSent.clear();
    this.results.clear();
  }

  /** Forgets what is known of a document that was closed; reopening it publishes its diagnostics again. */
  forget(filePath: string): void {
    this.results.delete(filePath);
    this.lastSent.delete(this.store.uriOf(filePath));
  }
}

function groupByPath(findings: Finding[]): Map<string, Finding[]> {
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = byPath.get(f.path);
    if (!list) byPath.set(f.path, (list = []));
    list.push(f);
  }
  return byPath;
}
