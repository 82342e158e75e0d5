// Code actions: a rule's fix as the preferred quick fix, fix-all (safe fixes only), suppression comments, and rule documentation.
import fs from "node:fs";
import path from "node:path";
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type CreateFile,
  type TextDocumentEdit,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding, Fix, Linter } from "../engine/index.ts";
import { suppressionEdits } from "../engine/suppression-edits.ts";
import type { ConfigStore } from "./configuration.ts";
import type { DocumentStore } from "./documents.ts";
import { toDiagnostic } from "./findings-to-lsp.ts";
import { asksOnlyForFixAll, FIX_ALL_KIND, kindCovers, SHOW_DOCS_COMMAND } from "./protocol.ts";
import type { FileLintResult } from "./publisher.ts";
import type { LintScheduler } from "./scheduler.ts";

export { FIX_ALL_KIND };

export interface CodeActionDeps {
  store: DocumentStore;
  /** Where the current lint result of a document comes from (linting first when it is stale). */
  scheduler: Pick<LintScheduler, "currentResult">;
  configs: ConfigStore;
  linter: Linter;
  /** Whether the client accepts `documentChanges` (versioned edits and file creation). */
  documentChanges: boolean;
  /** Writes to the server's log (why a fix-all on save offered nothing). */
  log?: (message: string) => void;
}

function overlaps(a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a): boolean {
  const before = (p: typeof a.start, q: typeof a.start) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The lines of a file's text as a TextDocument, for converting engine offsets to positions. */
function documentFor(deps: CodeActionDeps, filePath: string): TextDocument | undefined {
  const open = deps.store.openDocument(filePath);
  if (open) return open;
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch {
    return undefined;
  }
  return TextDocument.create(deps.store.uriOf(filePath), "plaintext", 0, text);
}

/** Converts an engine fix (offset edits per file, maybe creating files) to a WorkspaceEdit; undefined when the client cannot apply it or it has no edits. */
export function fixToWorkspaceEdit(deps: CodeActionDeps, fix: Fix): WorkspaceEdit | undefined {
  // A fix whose edits could not be built (see lazyFix) has nothing to offer.
  if (fix.changes.length === 0) return undefined;
  const documentChanges: Array<TextDocumentEdit | CreateFile> = [];
  const changes: Record<string, LspTextEdit[]> = {};
  for (const change of fix.changes) {
    const uri = deps.store.uriOf(change.path);
    if (change.create) {
      if (!deps.documentChanges) return undefined;
      documentChanges.push({ kind: "create", uri, options: { ignoreIfExists: true } });
      const text = change.edits.map((e) => e.newText).join("");
      documentChanges.push({
        textDocument: { uri, version: null },
        edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }],
      });
      continue;
    }
    const doc = documentFor(deps, change.path);
    if (!doc) return undefined;
    const edits = change.edits.map((e): LspTextEdit => ({
      range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
      newText: e.newText,
    }));
    const open = deps.store.openDocument(change.path);
    documentChanges.push({ textDocument: { uri, version: open ? open.version : null }, edits });
    changes[uri] = edits;
  }
  return deps.documentChanges ? { documentChanges } : { changes };
}

/** Edits to one open document, versioned when the client supports it. */
function documentEdit(deps: CodeActionDeps, doc: TextDocument, edits: LspTextEdit[]): WorkspaceEdit {
  return deps.documentChanges
    ? { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] }
    : { changes: { [doc.uri]: edits } };
}

/** One edit that turns `before` into `after`, touching only the span that differs (so the cursor stays put). */
export function minimalEdit(doc: TextDocument, before: string, after: string): LspTextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return {
    range: { start: doc.positionAt(start), end: doc.positionAt(before.length - end) },
    newText: after.slice(start, after.length - end),
  };
}

/** The "Ignore <rule> for this line / block / file" actions for one finding, as the engine places them. */
export function suppressionActions(deps: CodeActionDeps, doc: TextDocument, result: FileLintResult, finding: Finding): CodeAction[] {
  const file = result.file;
  if (!file) return [];
  const reparse = (text: string) => deps.linter.parse({ path: file.path, text })?.file;
  return suppressionEdits(file, doc.getText(), finding, reparse).map(({ title, edits }) => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toDiagnostic(finding, (p) => deps.store.uriOf(p))],
    edit: documentEdit(
      deps,
      doc,
      edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })),
    ),
  }));
}

/** Applies every safe fix of one file (re-linting the module between passes) and returns the edit, or undefined when nothing changes. */
export async function fixAllEdit(deps: CodeActionDeps, doc: TextDocument, result: FileLintResult): Promise<LspTextEdit | undefined> {
  const folder = deps.configs.forFolder(path.dirname(result.path));
  const host = deps.store.hostFor(folder.config.maxFileBytes);
  const { changed } = await deps.linter.fix(result.folderInputs, folder.config, host, ["safe"], (f) => f.path === result.path);
  const after = changed.get(result.path);
  const before = doc.getText();
  if (after === undefined || after === before) return undefined;
  return minimalEdit(doc, before, after);
}

/** Answers textDocument/codeAction. Unsafe fixes appear only as quick fixes, never under fix-all (which is what runs on save). */
export async function provideCodeActions(deps: CodeActionDeps, params: CodeActionParams, filePath: string): Promise<CodeAction[]> {
  const only = params.context.only;
  const fixAllOnly = asksOnlyForFixAll(only);
  const doc = deps.store.openDocument(filePath);
  if (!doc || !deps.configs.settings.enable) {
    if (fixAllOnly) deps.log?.(`fix-all: ${filePath} is ${doc ? "open but immutably is disabled" : "not open"}; nothing offered`);
    return [];
  }
  const wants = (kind: string) => !only || only.some((o) => kindCovers(o, kind));
  const result = await deps.scheduler.currentResult(filePath);
  if (!result || result.version !== doc.version) {
    if (fixAllOnly)
      deps.log?.(`fix-all: no lint result for ${filePath} version ${doc.version} (have ${result?.version ?? "none"}); nothing offered`);
    return [];
  }
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const here = result.findings.filter((f) => overlaps(f.range, params.range));
    for (const finding of here) {
      const diagnostic = toDiagnostic(finding, (p) => deps.store.uriOf(p));
      if (finding.fix) {
        const edit = fixToWorkspaceEdit(deps, finding.fix);
        if (edit) {
          actions.push({
            title: finding.fix.kind === "unsafe" ? `${finding.fix.title} (unsafe: check the result)` : finding.fix.title,
            kind: CodeActionKind.QuickFix,
            isPreferred: true,
            diagnostics: [diagnostic],
            edit,
          });
        }
      }
    }
    for (const finding of here) actions.push(...suppressionActions(deps, doc, result, finding));
    const documented = new Set<string>();
    for (const finding of here) {
      if (documented.has(finding.ruleId)) continue;
      documented.add(finding.ruleId);
      actions.push({
        title: `Show documentation for ${finding.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(finding, (p) => deps.store.uriOf(p))],
        command: { title: `Show documentation for ${finding.ruleId}`, command: SHOW_DOCS_COMMAND, arguments: [finding.ruleId] },
      });
    }
  }

  const hasSafeFix = result.findings.some((f) => f.fix?.kind === "safe");
  if (fixAllOnly && !hasSafeFix) deps.log?.(`fix-all: ${filePath} version ${doc.version} has no problem with a safe fix; nothing offered`);
  // Fix-all re-lints the folder up to ten times, so it is computed only when asked for by kind (on save,
  // the Source Action menu): a request without `only` comes from the light bulb, which shows quick fixes.
  if (only !== undefined && wants(FIX_ALL_KIND) && hasSafeFix) {
    const edit = await fixAllEdit(deps, doc, result);
    const now = deps.store.openDocument(filePath)?.version;
    // Logged for the save's request only: the Source Action menu asks for `source`, which computes fix-all too.
    if (fixAllOnly && !edit)
      deps.log?.(
        `fix-all: applying the safe fixes of ${filePath} version ${doc.version} left it unchanged (a pass whose result would not parse is not applied); nothing offered`,
      );
    else if (fixAllOnly && now !== doc.version)
      deps.log?.(`fix-all: ${filePath} changed from version ${doc.version} to ${now} while its fixes were computed; nothing offered`);
    if (edit && now === doc.version) {
      if (fixAllOnly) deps.log?.(`fix-all: offering the safe fixes of ${filePath} version ${doc.version}`);
      actions.push({
        title: "Fix all immutably problems (safe fixes)",
        kind: FIX_ALL_KIND,
        edit: documentEdit(deps, doc, [edit]),
      });
    }
  }
  return actions;
}
