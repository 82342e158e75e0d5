// An editor buffer that takes a burst of small edits at the cost of the lines they touch, not of the whole text per edit.
import { TextDocument, type Position, type Range, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { computeLineStarts, lineStartsAfterChange } from "../engine/index.ts";

/**
 * vscode-languageserver-textdocument rebuilds the whole text on each change (its string is flattened
 * again by every edit, and every later line offset is shifted), so a burst of a thousand keystrokes
 * in a 1 MB document copies a gigabyte before the server reaches the request behind them. Here the
 * changes go into a window of whole lines around them (a document of its own, so line endings and
 * clamping behave exactly as in the library), and the text is put together once, when something
 * reads it. Edits far apart widen the window and cost what the library's do.
 */
export class BatchedDocument implements TextDocument {
  private base: TextDocument;
  /**
   * Where the base's lines start, once needed. The library computes a new document's line offsets
   * over its whole text, character by character; the window's edits move them, so when the text is
   * put together they are carried over and only the window's span is scanned.
   */
  private baseStarts: number[] | undefined;
  /** The edited lines: base lines [startLine, endLine) as they are now. */
  private window: { startLine: number; endLine: number; doc: TextDocument } | undefined;
  private currentVersion: number;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    version: number,
    content: string,
  ) {
    this.currentVersion = version;
    this.base = TextDocument.create(uri, languageId, version, content);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.text().lineCount;
  }

  getText(range?: Range): string {
    return this.text().getText(range);
  }

  positionAt(offset: number): Position {
    return this.text().positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.text().offsetAt(position);
  }

  getLineRange(line: number): Range {
    return this.text().getLineRange(line);
  }

  getEOLCharacters(line: number): string {
    return this.text().getEOLCharacters(line);
  }

  update(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!("range" in change) || change.range === undefined) {
        this.base = TextDocument.create(this.uri, this.languageId, version, change.text);
        this.baseStarts = undefined;
        this.window = undefined;
        continue;
      }
      const { start, end } = wellFormed(change.range);
      const w = this.cover(Math.max(start.line, 0), Math.max(end.line, 0));
      const local = (p: Position): Position => ({ line: p.line - w.startLine, character: p.character });
      // A fresh document per change: the library's line offsets, updated in place, go wrong after some
      // edits next to a lone CR; the window is small, so computing them again costs little.
      const edited = TextDocument.update(
        TextDocument.create(this.uri, this.languageId, 0, w.doc.getText()),
        [{ range: { start: local(start), end: local(end) }, text: change.text }],
        version,
      );
      this.window = { ...w, doc: edited };
      this.settle();
    }
    this.currentVersion = version;
  }

  /** The whole text as a library document, put together from the base and the window when they are apart. */
  private text(): TextDocument {
    if (this.window) {
      const { startLine, endLine, doc } = this.window;
      const start = this.lineStart(startLine);
      const oldEnd = this.lineStart(endLine);
      const edited = doc.getText();
      const content = this.base.getText().slice(0, start) + edited + this.base.getText().slice(oldEnd);
      this.baseStarts = lineStartsAfterChange(content, this.lines(), { start, oldEnd, newEnd: start + edited.length });
      this.base = TextDocument.create(this.uri, this.languageId, this.currentVersion, content);
      this.window = undefined;
    } else if (this.base.version !== this.currentVersion) {
      this.base = TextDocument.create(this.uri, this.languageId, this.currentVersion, this.base.getText());
    }
    return this.base;
  }

  /** Where the base's lines start. */
  private lines(): number[] {
    return (this.baseStarts ??= computeLineStarts(this.base.getText()));
  }

  /** Where a base line starts (the text's end past the last line). */
  private lineStart(line: number): number {
    const starts = this.lines();
    return line >= starts.length ? this.base.getText().length : starts[line];
  }

  /** Whether the window reaches the end of the text (then it covers every line from its first on). */
  private atEnd(w: { endLine: number }): boolean {
    return w.endLine >= this.lines().length;
  }

  /** The window, widened to hold current lines `from` to `to` whole (with their line breaks). */
  private cover(lineFrom: number, to: number): { startLine: number; endLine: number; doc: TextDocument } {
    // A position past the last line means the text's end, which the last line holds.
    const from = Math.min(lineFrom, this.lines().length - 1);
    let w = this.window ?? { startLine: from, endLine: from, doc: TextDocument.create(this.uri, this.languageId, 0, "") };
    let prefix = "";
    if (from < w.startLine) {
      prefix = this.base.getText().slice(this.lineStart(from), this.lineStart(w.startLine));
      w = { ...w, startLine: from };
    }
    // The window holds its lines and their breaks, so its document has one more (empty) line than it covers, unless it reaches the end.
    const covered = w.doc.lineCount - 1;
    const missing = this.atEnd(w) ? 0 : Math.max(0, to - (w.startLine + covered) + 1);
    const endLine = Math.min(w.endLine + missing, this.lines().length);
    const suffix = this.base.getText().slice(this.lineStart(w.endLine), this.lineStart(endLine));
    if (prefix || suffix || !this.window)
      w = { startLine: w.startLine, endLine, doc: TextDocument.create(this.uri, this.languageId, 0, prefix + w.doc.getText() + suffix) };
    this.window = w;
    return w;
  }

  /**
   * Keeps the window's edges on line breaks that stay put: it must end with a whole line break (not a
   * CR whose LF is outside), and must not start with an LF that joins the CR before it.
   */
  private settle(): void {
    for (;;) {
      const w = this.window!;
      const text = w.doc.getText();
      const base = this.base.getText();
      const after = base.charCodeAt(this.lineStart(w.endLine));
      const endsOnBreak = text.length > 0 && (text.endsWith("\n") || (text.endsWith("\r") && after !== 10));
      const joinsBefore = w.startLine > 0 && text.startsWith("\n") && base.charCodeAt(this.lineStart(w.startLine) - 1) === 13;
      if (joinsBefore) {
        this.cover(w.startLine - 1, w.startLine - 1);
        continue;
      }
      if (this.atEnd(w) || endsOnBreak) return;
      // Extend by one base line.
      const endLine = w.endLine + 1;
      this.window = {
        ...w,
        endLine,
        doc: TextDocument.create(this.uri, this.languageId, 0, text + base.slice(this.lineStart(w.endLine), this.lineStart(endLine))),
      };
    }
  }
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}
