// The Node implementation of the engine's atomic write, used by the CLI, the language server and the roll.
import fs from "node:fs";
import { writeAtomically, type AtomicWriteFs, type AtomicWriteOptions } from "../engine/atomic-write.ts";

export const nodeAtomicWriteFs: AtomicWriteFs = {
  writeNewFile(file, data, mode, exact) {
    // "wx" refuses to follow a symlink or reuse a file someone placed at the temporary name.
    const fd = fs.openSync(file, "wx", mode);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // open() narrows the mode by the umask; a replaced file keeps its own mode, a private file gets exactly its own.
    if (exact) fs.chmodSync(file, mode);
  },
  rename: (from, to) => fs.renameSync(from, to),
  removeIfExists: (file) => fs.rmSync(file, { force: true }),
  modeOf(file) {
    try {
      return fs.statSync(file).mode & 0o7777;
    } catch {
      return undefined;
    }
  },
};

/** Replaces `file` atomically on disk; `ops` overrides single operations (tests simulate a full disk). */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
  ops: Partial<AtomicWriteFs> = {},
): void {
  writeAtomically(file, data, { ...nodeAtomicWriteFs, ...ops }, options);
}
