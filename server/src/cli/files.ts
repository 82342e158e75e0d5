// Reads what the CLI lints from disk: walks folders, skips tool folders and ignore_paths, decodes and reports unreadable files.
import fs from "node:fs";
import path from "node:path";
import type picomatch from "picomatch";
import { byFolder, decodeSource, fileRole, type LintHost, type SourceInput } from "../engine/index.ts";
import { listFolderFiles } from "../host/list-files.ts";

/** Folders never linted: tool state and dependencies, not configuration. */
const SKIPPED_DIRS = new Set([".terraform", ".git", "node_modules", ".immutably", ".immutably-cache"]);

export interface ReadProblem {
  path: string;
  message: string;
}

export interface CollectedFiles {
  inputs: SourceInput[];
  /** Decoding details needed to write fixes back byte-for-byte (BOM). */
  bom: Set<string>;
  problems: ReadProblem[];
}

/** True for files the engine may read: configuration, variable files, and JSON that may be a legacy Packer template. */
function interesting(file: string): boolean {
  const role = fileRole(file);
  return role !== "other" && role !== "config";
}

/** picomatch, required on first use: most runs have no ignore_paths, and a cold CLI run need not load it. */
function loadPicomatch(): typeof picomatch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("picomatch") as typeof picomatch;
}

/**
 * Collects files under the given paths. Symlinked folders are followed once (a loop is reported,
 * not followed again); files that vanish or cannot be read during the walk are reported and skipped.
 * `onFolder` receives each folder's files as soon as the folder is read (files named on the command
 * line, by folder, at the end), so that the caller can start linting before the walk is over. A
 * folder is reported twice when a file in it is also named on its own; the CLI streams folders only
 * when every path is a folder.
 */
export function collectFiles(
  paths: string[],
  root: string,
  ignorePaths: string[],
  maxBytes: number,
  onFolder?: (dir: string, inputs: SourceInput[]) => void,
): CollectedFiles {
  const out: CollectedFiles = { inputs: [], bom: new Set(), problems: [] };
  const isIgnored = ignorePaths.length ? loadPicomatch()(ignorePaths, { dot: true }) : () => false;
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const readOne = (file: string, explicit: boolean): SourceInput | undefined => {
    if (seenFiles.has(file)) return;
    seenFiles.add(file);
    const rel = path.relative(root, file).split(path.sep).join("/");
    if (!explicit && isIgnored(rel)) return;
    let bytes: Buffer;
    let fd: number | undefined;
    try {
      // Opened without blocking and checked on the open descriptor: a FIFO would otherwise wait for a
      // writer forever (a blocked synchronous read ignores SIGTERM), and a file swapped for one after
      // the walk is caught too.
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) {
        out.problems.push({ path: file, message: "skipped: not a regular file" });
        return;
      }
      if (stat.size > maxBytes) {
        out.problems.push({ path: file, message: `skipped: ${stat.size} bytes is over the limit of ${maxBytes} (setting max_file_bytes)` });
        return;
      }
      bytes = fs.readFileSync(fd);
    } catch (error) {
      out.problems.push({ path: file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    const decoded = decodeSource(bytes, maxBytes);
    if (!decoded.ok) {
      // Only files the engine would have parsed are worth a message; a binary .json is simply not Packer.
      if (fileRole(file) !== "json-candidate") out.problems.push({ path: file, message: decoded.reason });
      return;
    }
    if (decoded.bom) out.bom.add(file);
    const input = { path: file, text: decoded.text };
    out.inputs.push(input);
    return input;
  };

  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (error) {
      out.problems.push({ path: dir, message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    }
    if (seenDirs.has(real)) {
      out.problems.push({ path: dir, message: "skipped: symbolic link loop (folder already visited)" });
      return;
    }
    seenDirs.add(real);
    const rel = path.relative(root, dir).split(path.sep).join("/");
    if (rel && isIgnored(rel + "/")) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      out.problems.push({ path: dir, message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    const here: SourceInput[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
        } catch {
          out.problems.push({ path: full, message: "skipped: broken symbolic link" });
          continue;
        }
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (interesting(full)) {
        // FIFOs and devices too, so they are reported, not silently passed over.
        const input = readOne(full, false);
        if (input) here.push(input);
      }
    }
    if (here.length > 0) onFolder?.(dir, here);
  };

  const named: SourceInput[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    if (stat.isDirectory()) walk(abs);
    else {
      const input = readOne(abs, true);
      if (input) named.push(input);
    }
  }
  if (onFolder) for (const [dir, inputs] of byFolder(named, (i) => path.dirname(i.path))) onFolder(dir, inputs);
  return out;
}

export class UsageError extends Error {}

/** The engine's host in the CLI: a text already read, else the file from disk as UTF-8 (scripts, called modules); folders listed from disk. */
export function diskHost(texts: ReadonlyMap<string, string>): LintHost {
  return {
    listFiles: listFolderFiles,
    readFile: (p) => {
      if (texts.has(p)) return texts.get(p);
      try {
        return fs.readFileSync(p, "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** Finds `.immutably.hcl` in a folder or its parents. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, ".immutably.hcl");
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
