// Where generation history lives on disk: reads validated, updates written atomically under the history lock.
import fs from "node:fs";
import path from "node:path";
import type { AtomicWriteFs } from "../engine/atomic-write.ts";
import { writeFileAtomic } from "../host/atomic-write.ts";
import { HISTORY_DIR, HISTORY_FILE, HistoryError, validateHistory, type History } from "./history.ts";
import { acquireLock, type Lock } from "./lock.ts";
import { redactDeep, type Redactor } from "./redact.ts";

/** What history says after a run ended unexpectedly, for the CLI and VS Code alike. */
export const HISTORY_HINT =
  "The generation history (.immutably/generations.json) is written before each step that changes the infrastructure; `immutably generations <name>` shows the last step it recorded.";

/** Writing history failed (a full disk, a read-only folder): the file still holds the state before that write. */
export class HistoryWriteError extends Error {
  override name = "HistoryWriteError";
}

/** Where one generation name's history lives and how it is locked. */
export class HistoryStore {
  readonly dir: string;
  readonly file: string;

  constructor(
    configDir: string,
    private readonly redactor: Redactor,
    private readonly fsOps: Partial<AtomicWriteFs> = {},
  ) {
    this.dir = path.join(configDir, HISTORY_DIR);
    this.file = path.join(this.dir, HISTORY_FILE);
  }

  /** Reads the history; a missing file is an empty history, a corrupt one is an error (never overwritten). */
  read(): History {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { generations: [] };
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new HistoryError(
        `${this.file} is not valid JSON (${(error as Error).message}); fix or move it aside, immutably will not overwrite it`,
      );
    }
    const problems = validateHistory(data);
    if (problems.length) throw new HistoryError(`${this.file} is not a valid generation history: ${problems.join("; ")}`);
    return data as History;
  }

  /**
   * Applies `change` to the freshest history under the history file lock, so that two rolls of different
   * names never lose each other's records, and writes the result atomically (secrets redacted).
   */
  update(change: (history: History) => History): History {
    fs.mkdirSync(this.dir, { recursive: true });
    const release = acquireLock(path.join(this.dir, `${HISTORY_FILE}.lock`), "history update", 10_000);
    try {
      const next = redactDeep(change(this.read()), this.redactor);
      const problems = validateHistory(next);
      if (problems.length) throw new HistoryError(`refusing to write an invalid history: ${problems.join("; ")}`);
      try {
        writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, {}, this.fsOps);
      } catch (error) {
        throw new HistoryWriteError(`could not write ${this.file}: ${(error as Error).message}`);
      }
      return next;
    } finally {
      release.release();
    }
  }

  /** Takes the lock that stops two commands from changing the same generation name at once. */
  lockName(name: string, command: string, log: (line: string) => void): Lock {
    fs.mkdirSync(this.dir, { recursive: true });
    return acquireLock(path.join(this.dir, `${name}.lock`), command, 0, log);
  }
}
