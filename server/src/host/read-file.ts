// The Node side of the workspace policy: the walk's file system, and the one way every front end reads a file (regular files only, never blocking, under a size limit, inside a folder).
import fs from "node:fs";
import path from "node:path";
import { isInside, type FolderEntry, type WalkFs } from "../engine/workspace.ts";

export const nodeWalkFs: WalkFs = {
  realpath: (folder) => fs.realpathSync.native(folder),
  list(folder) {
    return fs.readdirSync(folder, { withFileTypes: true }).map((entry): FolderEntry => {
      if (!entry.isSymbolicLink()) return { name: entry.name, kind: entry.isDirectory() ? "folder" : entry.isFile() ? "file" : "other" };
      const full = path.join(folder, entry.name);
      try {
        const stat = fs.statSync(full);
        return {
          name: entry.name,
          kind: stat.isDirectory() ? "folder" : stat.isFile() ? "file" : "other",
          linkTarget: fs.realpathSync.native(full),
        };
      } catch {
        return { name: entry.name, kind: "broken-link" };
      }
    });
  },
};

/** Whether a folder is the root of a repository: it holds `.git` (a folder, or a file in a worktree or submodule). */
export function isRepositoryRoot(folder: string): boolean {
  return fs.existsSync(path.join(folder, ".git"));
}

/** `isRepositoryRoot`, remembered per folder (a long-running server asks again for every lint). */
export function cachedRepositoryRoot(): (folder: string) => boolean {
  const known = new Map<string, boolean>();
  return (folder) => {
    let answer = known.get(folder);
    if (answer === undefined) known.set(folder, (answer = isRepositoryRoot(folder)));
    return answer;
  };
}

export type FileRead =
  | { ok: true; bytes: Buffer }
  /** `missing`: no such file; `refused`: it exists and must not be read (the reason says why); `error`: reading failed (the reason is the error code). */
  | { ok: false; kind: "missing" | "refused" | "error"; reason: string };

/**
 * Reads a regular file of at most `maxBytes` bytes. With `within` (a canonical folder), the file's
 * real path, after every symbolic link, must lie inside it. The file is opened without blocking and
 * checked on the open descriptor: a FIFO would otherwise wait for a writer forever (a blocked
 * synchronous read ignores SIGTERM), a device such as /dev/zero would fill memory, and a file swapped
 * for either after a check is caught too.
 */
export function readRegularFile(file: string, maxBytes: number, within?: string): FileRead {
  let target = file;
  if (within !== undefined) {
    try {
      target = fs.realpathSync.native(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return code === "ENOENT" || code === "ENOTDIR"
        ? { ok: false, kind: "missing", reason: code }
        : { ok: false, kind: "error", reason: code };
    }
    if (!isInside(within, target)) return { ok: false, kind: "refused", reason: `outside ${within}` };
  }
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: the real path has no link left in it; one that appears there since is not followed.
    const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (within !== undefined ? (fs.constants.O_NOFOLLOW ?? 0) : 0);
    fd = fs.openSync(target, flags);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, kind: "refused", reason: "not a regular file" };
    if (stat.size > maxBytes)
      return { ok: false, kind: "refused", reason: `${stat.size} bytes is over the limit of ${maxBytes} (setting max_file_bytes)` };
    const bytes = readAtMost(fd, stat.size, maxBytes + 1);
    if (bytes.length > maxBytes)
      return { ok: false, kind: "refused", reason: `over the limit of ${maxBytes} bytes (setting max_file_bytes)` };
    return { ok: true, bytes };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, kind: "missing", reason: code };
    if (code === "ELOOP") return { ok: false, kind: "refused", reason: "it became a symbolic link while being read" };
    return { ok: false, kind: "error", reason: code };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Where reads past the size fstat gave land: nearly always they find the end of the file at once, and then nothing is allocated. */
const overflow = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads until the end of the file or `limit` bytes. The size fstat gave is only a first guess: a
 * file may grow while it is read, and some (under /proc) say 0 and have content. That size is read
 * into a buffer of its own; what follows goes through `overflow` and is copied out. (A 64 KiB buffer
 * for every file, and another for the read that finds its end, made reading the bench corpus's
 * 3,134 small files allocate about 400 MB, and collect it.)
 */
function readAtMost(fd: number, expected: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  if (expected > 0) {
    const first = Buffer.allocUnsafe(Math.min(expected, limit));
    total = fs.readSync(fd, first, 0, first.length, null);
    chunks.push(total === first.length ? first : first.subarray(0, total));
  }
  while (total < limit) {
    const n = fs.readSync(fd, overflow, 0, Math.min(limit - total, overflow.length), null);
    if (n === 0) break;
    chunks.push(Buffer.from(overflow.subarray(0, n)));
    total += n;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}
