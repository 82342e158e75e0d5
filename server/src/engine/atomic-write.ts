// How every writer (lint --fix, the lint cache, roll history, the roll's tfvars) replaces a file atomically.

/** The file operations an atomic write needs; the caller hands them in (tests hand in failing ones). */
export interface AtomicWriteFs {
  /**
   * Creates `file`, which must not exist yet, writes `data` and flushes it to disk. Its mode is `mode`
   * narrowed by the process umask, or exactly `mode` when `exact` (an existing file's mode is kept as is).
   */
  writeNewFile(file: string, data: string | Uint8Array, mode: number, exact: boolean): void;
  rename(from: string, to: string): void;
  /** Removes `file`; a file that does not exist is not an error. */
  removeIfExists(file: string): void;
  /** The permission bits of `file`, or undefined when it does not exist. */
  modeOf(file: string): number | undefined;
}

export interface AtomicWriteOptions {
  /** The mode of a new file (default 0o644). An existing file keeps its own mode unless `forceMode` is set. */
  mode?: number;
  /** Apply `mode` even to an existing file (private files such as plans and tfvars with secrets). */
  forceMode?: boolean;
}

/**
 * Replaces `file` with `data`: a temporary file in the same folder (so the rename stays on one file
 * system), flushed, then renamed over the target. A crash or a full disk leaves either the old file
 * or the new one, never a torn one, and a failed temporary file is removed.
 */
export function writeAtomically(file: string, data: string | Uint8Array, fs: AtomicWriteFs, options: AtomicWriteOptions = {}): void {
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  const dir = file.slice(0, slash + 1);
  const base = file.slice(slash + 1);
  // The random part keeps two writers of one file (two processes, or two calls in one) off each other's temporary file.
  const temp = `${dir}.${base}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`;
  const existing = options.forceMode ? undefined : fs.modeOf(file);
  const mode = existing ?? options.mode ?? 0o644;
  try {
    fs.writeNewFile(temp, data, mode, existing !== undefined || options.forceMode === true);
    fs.rename(temp, file);
  } catch (error) {
    fs.removeIfExists(temp);
    throw error;
  }
}
