// The workspace index: which lintable files exist on disk, grouped by folder (a folder's files form its modules).
import fs from "node:fs";
import path from "node:path";
import { fileRole, looksLikeLegacyPacker } from "../engine/index.ts";

/** Folders never linted: tool state and dependencies, not configuration (the CLI skips the same ones). */
const SKIPPED_DIRS = new Set([".terraform", ".git", "node_modules", ".immutably", ".immutably-cache"]);

/** True for files the engine reads as configuration or variables; `.json` needs a look at its content. */
export function isLintablePath(filePath: string): boolean {
  const role = fileRole(filePath);
  return role !== "other" && role !== "config";
}

export function isConfigPath(filePath: string): boolean {
  return fileRole(filePath) === "config";
}

export class WorkspaceIndex {
  private readonly filesByDir = new Map<string, Set<string>>();
  roots: string[] = [];

  /** Every folder holding at least one lintable file, sorted so progress reads naturally. */
  dirs(): string[] {
    return [...this.filesByDir.keys()].sort();
  }

  filesIn(dir: string): string[] {
    return [...(this.filesByDir.get(dir) ?? [])].sort();
  }

  has(filePath: string): boolean {
    return this.filesByDir.get(path.dirname(filePath))?.has(filePath) ?? false;
  }

  /** Records a file that exists on disk (or is open); plain JSON files are kept only when they are Packer templates. */
  add(filePath: string, text?: string): void {
    if (!isLintablePath(filePath)) return;
    if (fileRole(filePath) === "json-candidate") {
      let content = text;
      if (content === undefined) {
        try {
          content = fs.readFileSync(filePath, "utf8");
        } catch {
          return;
        }
      }
      if (!looksLikeLegacyPacker(content)) {
        this.remove(filePath);
        return;
      }
    }
    const dir = path.dirname(filePath);
    let set = this.filesByDir.get(dir);
    if (!set) this.filesByDir.set(dir, (set = new Set()));
    set.add(filePath);
  }

  remove(filePath: string): void {
    const dir = path.dirname(filePath);
    const set = this.filesByDir.get(dir);
    if (!set) return;
    set.delete(filePath);
    if (set.size === 0) this.filesByDir.delete(dir);
  }

  /** Walks the workspace folders and rebuilds the index. Unreadable folders are skipped, symlink loops followed once. */
  scan(roots: string[]): void {
    this.roots = roots;
    this.filesByDir.clear();
    const seen = new Set<string>();
    const walk = (dir: string): void => {
      let real: string;
      let entries: fs.Dirent[];
      try {
        real = fs.realpathSync(dir);
        if (seen.has(real)) return;
        seen.add(real);
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const st = fs.statSync(full);
            isDir = st.isDirectory();
            isFile = st.isFile();
          } catch {
            continue; // A broken link names nothing to lint.
          }
        }
        if (isDir && !SKIPPED_DIRS.has(entry.name)) walk(full);
        else if (isFile && isLintablePath(full)) this.add(full);
      }
    };
    for (const root of roots) walk(root);
  }
}
