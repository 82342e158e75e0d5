// The Node implementation of the engine's folder listing (a called module's folder), used by the CLI, its workers and the language server.
import fs from "node:fs";
import path from "node:path";
import { isInside } from "../engine/workspace.ts";

/**
 * The names of the regular files in a folder (symbolic links to regular files included), sorted;
 * undefined when the folder cannot be read, or when `within` (a canonical folder) is given and the
 * folder's real path lies outside it. Which of them make a module is the engine's decision; each file
 * is read through the host, which checks its own real path.
 */
export function listFolderFiles(dir: string, within?: string): string[] | undefined {
  let entries: fs.Dirent[];
  try {
    if (within !== undefined && !isInside(within, fs.realpathSync.native(dir))) return undefined;
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isFile()) names.push(entry.name);
    else if (entry.isSymbolicLink()) {
      try {
        if (fs.statSync(path.join(dir, entry.name)).isFile()) names.push(entry.name);
      } catch {
        // A broken link names no file.
      }
    }
  }
  return names.sort();
}
