// The workspace index: which lintable files exist on disk, grouped by folder (a folder's files form its modules).
import path from "node:path";
import {
  DEFAULT_MAX_FILE_BYTES,
  decodeSource,
  fileRole,
  isLintablePath,
  looksLikeLegacyPacker,
  readRoot,
  walkLintableFiles,
} from "../engine/index.ts";
import { cachedRepositoryRoot, nodeWalkFs, readRegularFile } from "../host/read-file.ts";

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
        const read = readRegularFile(filePath, DEFAULT_MAX_FILE_BYTES);
        const decoded = read.ok ? decodeSource(read.bytes, DEFAULT_MAX_FILE_BYTES) : undefined;
        if (!decoded?.ok) return;
        content = decoded.text;
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

  /**
   * Walks the workspace folders and rebuilds the index, by the engine's workspace policy (the CLI
   * walks the same way). Unreadable folders are skipped, symbolic link loops followed once.
   */
  scan(roots: string[]): void {
    this.roots = roots;
    this.filesByDir.clear();
    const visited = new Set<string>();
    const isRepository = cachedRepositoryRoot();
    const real = new Map<string, string>();
    for (const root of roots) {
      try {
        real.set(root, nodeWalkFs.realpath(root));
      } catch {
        // A workspace folder that is gone has nothing to lint.
      }
    }
    for (const [root, canonical] of real) {
      const within = readRoot(canonical, [...real.values()], isRepository);
      walkLintableFiles(root, nodeWalkFs, { within, onFolder: (_dir, files) => files.forEach((f) => this.add(f)) }, visited);
    }
  }
}
