// Reads what the CLI lints from disk through the engine's workspace policy: decodes files, and reports those it cannot read.
import fs from "node:fs";
import path from "node:path";
import {
  byFolder,
  decodeSource,
  fileRole,
  findConfigFile,
  ignoreMatcher,
  readRoot,
  walkLintableFiles,
  type SourceInput,
} from "../engine/index.ts";
import { cachedRepositoryRoot, nodeWalkFs, readRegularFile } from "../host/read-file.ts";

export interface ReadProblem {
  path: string;
  message: string;
}

export interface CollectedFiles {
  inputs: SourceInput[];
  /** Decoding details needed to write fixes back byte-for-byte (BOM). */
  bom: Set<string>;
  problems: ReadProblem[];
  /** The linted folders (a named file's folder), from which the engine's `readRoot` finds where reads stay inside. */
  roots: string[];
}

/**
 * Collects files under the given paths, as the engine's workspace policy says (skipped folders,
 * ignore_paths relative to `ignoreRoot`, symbolic links followed only inside the repository); files
 * that cannot be read are reported and skipped. `onFolder` receives each folder's files as soon as
 * the folder is read (files named on the command line, by folder, at the end), so that the caller can
 * start linting before the walk is over. A folder is reported twice when a file in it is also named on
 * its own; the CLI streams folders only when every path is a folder. `recursive: false` reads only
 * the files directly in the named folders.
 */
export function collectFiles(
  paths: string[],
  ignoreRoot: string,
  ignorePaths: string[],
  maxBytes: number,
  recursive: boolean,
  onFolder?: (dir: string, inputs: SourceInput[]) => void,
): CollectedFiles {
  const out: CollectedFiles = { inputs: [], bom: new Set(), problems: [], roots: [] };
  const isIgnored = ignoreMatcher(ignoreRoot, ignorePaths);
  const visited = new Set<string>();
  const seenFiles = new Set<string>();

  const readOne = (file: string): SourceInput | undefined => {
    if (seenFiles.has(file)) return;
    seenFiles.add(file);
    const read = readRegularFile(file, maxBytes);
    if (!read.ok) {
      out.problems.push({ path: file, message: read.kind === "refused" ? `skipped: ${read.reason}` : `cannot read: ${read.reason}` });
      return;
    }
    const decoded = decodeSource(read.bytes, maxBytes);
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

  const resolved = paths.map((p) => {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${p}`);
    }
    return { abs, isFolder: stat.isDirectory() };
  });
  out.roots = lintedFolders(paths);
  const isRepository = cachedRepositoryRoot();

  const namedFiles: SourceInput[] = [];
  for (const { abs, isFolder } of resolved) {
    if (!isFolder) {
      const input = readOne(abs);
      if (input) namedFiles.push(input);
      continue;
    }
    walkLintableFiles(
      abs,
      nodeWalkFs,
      {
        within: nodeWalkFs.realpath(readRoot(abs, out.roots, isRepository)),
        isIgnored,
        onFolder: (dir, files) => {
          const here = files.map(readOne).filter((i): i is SourceInput => i !== undefined);
          if (here.length > 0) onFolder?.(dir, here);
        },
        onProblem: (problem) => out.problems.push(problem),
        recursive,
      },
      visited,
    );
  }
  if (onFolder) for (const [dir, inputs] of byFolder(namedFiles, (i) => path.dirname(i.path))) onFolder(dir, inputs);
  return out;
}

export class UsageError extends Error {}

/** The folders a lint run names: each path, or a named file's folder (where the engine's `readRoot` looks from). */
export function lintedFolders(paths: string[]): string[] {
  const folders = paths.map((p) => {
    const abs = path.resolve(p);
    try {
      return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    } catch {
      return abs;
    }
  });
  return [...new Set(folders)];
}

/** Finds `.immutably.hcl` in a folder or its parents (the engine's lookup on this disk). */
export function findConfig(start: string): string | undefined {
  return findConfigFile(start, (p) => fs.existsSync(p));
}
