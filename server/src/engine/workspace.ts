// The workspace policy the CLI and the language server share: which files are linted, which folders are skipped, ignore_paths, where `.immutably.hcl` is, and the folder reads stay inside. Pure: callers hand in the file system.
import path from "node:path";
import type picomatch from "picomatch";
import { fileRole } from "./files.ts";

export const CONFIG_FILE_NAME = ".immutably.hcl";

/** Folders never linted: tool state and dependencies, not configuration. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([".terraform", ".git", "node_modules", ".immutably", ".immutably-cache"]);

/** True for files the engine may read: configuration, variable files, and JSON that may be a legacy Packer template. */
export function isLintablePath(filePath: string): boolean {
  const role = fileRole(filePath);
  return role !== "other" && role !== "config";
}

export function isConfigPath(filePath: string): boolean {
  return fileRole(filePath) === "config";
}

/** `target` relative to `folder` with forward slashes ("" for the folder itself), or undefined when it lies outside. */
export function relativeInside(folder: string, target: string): string | undefined {
  const rel = path.relative(folder, target);
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith(".." + path.sep) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}

export function isInside(folder: string, target: string): boolean {
  return relativeInside(folder, target) !== undefined;
}

/** picomatch, required on first use: most runs have no ignore_paths, and a cold CLI run need not load it. */
function loadPicomatch(): typeof picomatch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require, for the cold start above.
  return require("picomatch") as typeof picomatch;
}

/**
 * `ignore_paths` as a test of absolute paths: globs relative to `root` (the folder of `.immutably.hcl`,
 * or the linted folder without one). A pattern naming a folder ("modules/legacy/") ignores everything
 * below it; paths outside `root` are never ignored.
 */
export function ignoreMatcher(root: string, patterns: readonly string[]): (target: string, isFolder?: boolean) => boolean {
  if (patterns.length === 0) return () => false;
  const matches = loadPicomatch()([...patterns], { dot: true });
  return (target, isFolder = false) => {
    const rel = relativeInside(root, target);
    if (!rel) return false;
    if (!isFolder && matches(rel)) return true;
    const parts = rel.split("/");
    for (let i = 1; i <= (isFolder ? parts.length : parts.length - 1); i++) if (matches(parts.slice(0, i).join("/") + "/")) return true;
    return false;
  };
}

/** Finds `.immutably.hcl` in `start` or the nearest of its parents; `isFile` is the caller's file system. */
export function findConfigFile(start: string, isFile: (filePath: string) => boolean): string | undefined {
  for (let dir = path.resolve(start); ;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The folder that files read for a module in `dir` (through `file()`, `templatefile()` or a symbolic
 * link met on the walk) must stay inside: the repository holding it (the nearest folder, `dir`
 * included, for which `isRepositoryRoot` holds), else the innermost of `roots` holding it (the linted
 * folders, or the editor's workspace folders), else `dir` itself. Terraform reads wherever a path
 * points; immutably does not follow it out of the project, so that linting a cloned repository or a
 * pull request cannot read the rest of the machine.
 */
export function readRoot(dir: string, roots: readonly string[], isRepositoryRoot: (folder: string) => boolean): string {
  for (let folder = dir; ;) {
    if (isRepositoryRoot(folder)) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  let best: string | undefined;
  for (const root of roots) if (isInside(root, dir) && (!best || root.length > best.length)) best = root;
  return best ?? dir;
}

/** A folder entry as the walk sees it; a symbolic link has the kind of what it points to. */
export interface FolderEntry {
  name: string;
  kind: "file" | "folder" | "other" | "broken-link";
  /** For a symbolic link: the canonical path of its target. */
  linkTarget?: string;
}

/** The file system operations the walk needs; both throw an error with a `code` when they fail. */
export interface WalkFs {
  realpath(folder: string): string;
  list(folder: string): FolderEntry[];
}

export interface WalkProblem {
  path: string;
  message: string;
}

export interface WalkOptions {
  /** The canonical folder symbolic links may lead into (see `readRoot`). */
  within: string;
  /** ignore_paths (see `ignoreMatcher`). */
  isIgnored?(target: string, isFolder: boolean): boolean;
  /** Each folder's lintable files, by name, in name order, as soon as the folder is listed (a FIFO or device too, for the reader to refuse). */
  onFolder(folder: string, files: string[]): void;
  onProblem?(problem: WalkProblem): void;
  /** false: only the files directly in `start` (pre-commit passes folders whose files it names). */
  recursive?: boolean;
}

const codeOf = (error: unknown): string => (error as { code?: string }).code ?? String(error);

/**
 * Walks `start` for lintable files, skipping tool folders and ignored paths. Symbolic links are
 * followed when they lead inside `within`; a folder met twice (a link loop) is reported once and not
 * walked again. `visited` holds canonical folders already walked, shared across several starts.
 */
export function walkLintableFiles(start: string, fs: WalkFs, options: WalkOptions, visited: Set<string> = new Set()): void {
  const problem = (p: string, message: string) => options.onProblem?.({ path: p, message });
  const walk = (folder: string): void => {
    let real: string;
    try {
      real = fs.realpath(folder);
    } catch (error) {
      return problem(folder, `cannot read folder: ${codeOf(error)}`);
    }
    if (visited.has(real)) return problem(folder, "skipped: symbolic link loop (folder already visited)");
    visited.add(real);
    if (options.isIgnored?.(folder, true)) return;
    let entries: FolderEntry[];
    try {
      entries = fs.list(folder);
    } catch (error) {
      return problem(folder, `cannot read folder: ${codeOf(error)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: string[] = [];
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.kind === "broken-link") {
        problem(full, "skipped: broken symbolic link");
        continue;
      }
      const lintable = entry.kind !== "folder" && isLintablePath(full);
      if (entry.kind === "folder" ? SKIPPED_FOLDERS.has(entry.name) : !lintable) continue;
      if (entry.linkTarget !== undefined && !isInside(options.within, entry.linkTarget)) {
        problem(full, `skipped: symbolic link leads outside ${options.within}`);
        continue;
      }
      if (entry.kind === "folder") {
        if (options.recursive !== false) walk(full);
      } else if (!options.isIgnored?.(full, false)) files.push(full);
    }
    if (files.length > 0) options.onFolder(folder, files);
  };
  walk(start);
}
