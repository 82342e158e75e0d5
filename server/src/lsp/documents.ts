// The document store: open editor buffers overlaid on the disk, path/URI conversion, and the lint host that records script reads.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocuments } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { decodeSource, type LintHost } from "../engine/index.ts";
import { listFolderFiles } from "../host/list-files.ts";

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
  readonly documents = new TextDocuments(TextDocument);
  /** The URI the editor uses for each open path, so diagnostics go back under the same spelling. */
  private readonly uriByPath = new Map<string, string>();
  /** Texts read from disk for folders being linted while typing; invalidated by file watcher events. */
  private readonly diskCache = new Map<string, string | undefined>();

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
    const open = this.openDocument(filePath);
    if (open) return open.getText();
    if (cache && this.diskCache.has(filePath)) return this.diskCache.get(filePath);
    let text: string | undefined;
    try {
      const decoded = decodeSource(fs.readFileSync(filePath), maxBytes);
      text = decoded.ok ? decoded.text : undefined;
    } catch {
      text = undefined;
    }
    if (cache) this.diskCache.set(filePath, text);
    return text;
  }

  /** Forgets the cached disk text of a file that changed on disk. */
  invalidate(filePath: string): void {
    this.diskCache.delete(filePath);
  }

  /** Forgets every cached disk text (configuration changes, manual re-lint). */
  invalidateAll(): void {
    this.diskCache.clear();
  }

  /**
   * A lint host that reads files (scripts named by `file()`, called modules' files) through this
   * store and lists called modules' folders, open documents not yet saved included; it records what
   * it read and listed, so that a change there lints the folder again.
   */
  hostFor(maxBytes: number, read: Set<string>, listed: Set<string> = new Set()): LintHost {
    return {
      readFile: (absolutePath) => {
        const p = path.normalize(absolutePath);
        read.add(p);
        return this.readText(p, maxBytes);
      },
      listFiles: (absoluteDir) => {
        const dir = path.normalize(absoluteDir);
        listed.add(dir);
        const names = new Set(listFolderFiles(dir) ?? []);
        for (const p of this.openPaths()) if (path.dirname(p) === dir) names.add(path.basename(p));
        return names.size > 0 ? [...names].sort() : undefined;
      },
    };
  }
}
