// The engine's lint host over the disk: files named by file()/templatefile() are read through the one reader, inside the read root, as the CLI, its workers and the language server all need.
import fs from "node:fs";
import { decodeSource, readRoot, type HostRead } from "../engine/index.ts";
import { listFolderFiles } from "./list-files.ts";
import { cachedRepositoryRoot, readRegularFile } from "./read-file.ts";

/**
 * Reads a file for the rules: a regular UTF-8 file of at most `maxBytes`, whose real path lies
 * inside `within` (canonicalised here). A missing file is undefined; anything else not read is a
 * refusal with its reason, which the engine reports as `file-read-refused`.
 */
export function readForRules(file: string, maxBytes: number, within: string | undefined): HostRead {
  const read = readRegularFile(file, maxBytes, within === undefined ? undefined : canonical(within));
  if (!read.ok) return read.kind === "missing" ? undefined : { refused: read.reason };
  const decoded = decodeSource(read.bytes, maxBytes);
  return decoded.ok ? decoded.text : { refused: decoded.reason.replace(/, skipped$/, "") };
}

const canonicalFolders = new Map<string, string>();

/** A folder's real path (the one a file's real path is compared with); a folder that is gone is compared as written. */
export function canonical(folder: string): string {
  let real = canonicalFolders.get(folder);
  if (real === undefined) {
    try {
      real = fs.realpathSync.native(folder);
    } catch {
      real = folder;
    }
    canonicalFolders.set(folder, real);
  }
  return real;
}

/** The read root of a module folder among the linted (or workspace) folders, with `.git` looked up once per folder. */
export function readRootsOver(roots: readonly string[]): (dir: string) => string {
  const isRepository = cachedRepositoryRoot();
  const known = new Map<string, string>();
  return (dir) => {
    let root = known.get(dir);
    if (root === undefined) known.set(dir, (root = readRoot(dir, roots, isRepository)));
    return root;
  };
}

/**
 * The CLI's host (main thread and workers): the texts already read (the lint inputs), else the disk
 * through `readForRules`. `roots` are the linted folders, as given on the command line; `rootOf`,
 * their `readRootsOver`, when one is shared by several hosts (a worker's folders).
 */
export function diskLintHost(
  texts: ReadonlyMap<string, string>,
  roots: readonly string[],
  maxBytes: number,
  rootOf = readRootsOver(roots),
) {
  return {
    readRoot: rootOf,
    readFile: (p: string, within?: string): HostRead => (texts.has(p) ? texts.get(p) : readForRules(p, maxBytes, within)),
    listFiles: (dir: string, within?: string) => listFolderFiles(dir, within === undefined ? undefined : canonical(within)),
  };
}
