// The document store: open editor buffers overlaid on the disk, path/URI conversion, and the lint host that records script reads.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { BatchedDocument } from "./batched-document.ts";
import { decodeSource, isInside, type HostRead, type LintHost } from "../engine/index.ts";
import { canonical, readForRules, readRootsOver } from "../host/lint-host.ts";
import { listFolderFiles } from "../host/list-files.ts";
import { readRegularFile } from "../host/read-file.ts";

/** Converts a `file:` URI to a file system path; other schemes (untitled, git) have no path and are not linted. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/**
 * The URI of a path spelled as VS Code spells it: a Windows drive letter lower-cased with its colon
 * encoded (`file:///c%3A/...`), so that diagnostics published before a file is opened land on the
 * same entry as those published after.
 */
export function uriOfPath(filePath: string): string {
  return pathToFileURL(filePath).href.replace(/^file:\/\/\/([A-Za-z]):/, (_, drive: string) => `file:///${drive.toLowerCase()}%3A`);
}

export class DocumentStore {
  /** Incrementally synchronised buffers, keyed by URI as the editor sent it. */
  readonly documents = new TextDocuments<BatchedDocument>({
    create: (uri, languageId, version, content) => new BatchedDocument(uri, languageId, version, content),
    // A burst of edits costs the lines it touches; the text is put together when a lint reads it.
    update: (document, changes, version) => {
      document.update(changes, version);
      return document;
    },
  });
  /** The URI the editor uses for each open path, so diagnostics go back under the same spelling. */
  private readonly uriByPath = new Map<string, string>();
  /** Texts read from disk for folders being linted while typing; invalidated by file watcher events. */
  private readonly diskCache = new Map<string, { text: string } | { skipped: string } | undefined>();

  constructor() {
    this.documents.onDidOpen((e) => {
      const p = pathOfUri(e.document.uri);
      if (p) this.uriByPath.set(p, e.document.uri);
    });
    this.documents.onDidClose((e) => {
      const p = pathOfUri(e.document.uri);
      if (p && this.uriByPath.get(p) === e.document.uri) this.uriByPath.delete(p);
      if (p) this.diskCache.delete(p);
    });
  }

  /** The URI to publish diagnostics under: the editor's own when the file is open. */
  uriOf(filePath: string): string {
    return this.uriByPath.get(filePath) ?? uriOfPath(filePath);
  }

  /** The open document for a path, if any. */
  openDocument(filePath: string): TextDocument | undefined {
    const uri = this.uriByPath.get(filePath);
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  /** Paths of every open document with a file system path. */
  openPaths(): string[] {
    return [...this.uriByPath.keys()];
  }

  /**
   * The current text of a file: the editor buffer when open, else the disk (decoded as the CLI does).
   * `cache` keeps disk texts for folders that are edited repeatedly; the background scan passes false
   * so that a large workspace is not held in memory.
   */
  readText(filePath: string, maxBytes: number, cache = true): string | undefined {
    const read = this.readForLint(filePath, maxBytes, cache);
    return read && "text" in read ? read.text : undefined;
  }

  /**
   * What the server lints of a file: its text (the editor buffer when open, else the disk), or why it
   * is skipped (over `maxBytes`, binary, not UTF-8, not a regular file, unreadable), as the CLI
   * reports it; undefined when there is no such file.
   */
  readForLint(filePath: string, maxBytes: number, cache = true): { text: string } | { skipped: string } | undefined {
    const open = this.openDocument(filePath);
    if (open) {
      const text = open.getText();
      // Characters first: UTF-8 is at least one byte per UTF-16 unit, so most texts need no count.
      const bytes = text.length > maxBytes ? text.length : Buffer.byteLength(text);
      return bytes > maxBytes ? { skipped: `${bytes} bytes is over the limit of ${maxBytes} (setting max_file_bytes)` } : { text };
    }
    if (cache && this.diskCache.has(filePath)) return this.diskCache.get(filePath);
    const read = readRegularFile(filePath, maxBytes);
    let answer: { text: string } | { skipped: string } | undefined;
    if (read.ok) {
      const decoded = decodeSource(read.bytes, maxBytes);
      answer = decoded.ok ? { text: decoded.text } : { skipped: decoded.reason.replace(/, skipped$/, "") };
    } else if (read.kind !== "missing") answer = { skipped: read.kind === "error" ? `cannot read: ${read.reason}` : read.reason };
    if (cache) this.diskCache.set(filePath, answer);
    return answer;
  }

  /** Forgets the cached disk text of a file that changed on disk. */
  invalidate(filePath: string): void {
    this.diskCache.delete(filePath);
    this.scriptCache.delete(filePath);
  }

  /** Forgets every cached disk text (configuration changes, manual re-lint). */
  invalidateAll(): void {
    this.diskCache.clear();
    this.scriptCache.clear();
  }

  /** Files named by `file()` as last read from disk (a refusal too), invalidated with the disk texts. */
  private readonly scriptCache = new Map<string, { within: string | undefined; read: HostRead }>();
  private readRootOf = readRootsOver([]);

  /** The workspace folders, where reads stay inside when a folder is in no repository (see the engine's `readRoot`). */
  setWorkspaceFolders(roots: readonly string[]): void {
    this.readRootOf = readRootsOver(roots);
    this.scriptCache.clear();
  }

  /**
   * A lint host that reads files (scripts named by `file()`, called modules' files) through this
   * store (the editor's buffer when open, else the disk by the same policy as the CLI) and lists
   * called modules' folders, open documents not yet saved included. What a lint read and listed is
   * in its result (`reads`, `listings`), recorded by the engine.
   */
  hostFor(maxBytes: number): LintHost {
    return {
      readRoot: (dir) => this.readRootOf(dir),
      readFile: (absolutePath, within) => {
        const p = path.normalize(absolutePath);
        const open = this.openDocument(p);
        if (open) return open.getText();
        const cached = this.scriptCache.get(p);
        if (cached && cached.within === within) return cached.read;
        const answer = readForRules(p, maxBytes, within);
        this.scriptCache.set(p, { within, read: answer });
        return answer;
      },
      listFiles: (absoluteDir, within) => {
        const dir = path.normalize(absoluteDir);
        const onDisk = listFolderFiles(dir, within === undefined ? undefined : canonical(within));
        // A folder outside the read root is not listed at all, open documents in it included.
        if (onDisk === undefined && within !== undefined && !isInside(within, dir)) return undefined;
        const names = new Set(onDisk ?? []);
        for (const p of this.openPaths()) if (path.dirname(p) === dir) names.add(path.basename(p));
        return names.size > 0 ? [...names].sort() : undefined;
      },
    };
  }
}
