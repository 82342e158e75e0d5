// Follows a file a tool writes its output into, line by line, as `tail -f` would, so the tool never writes into a pipe to immutably.
import fs from "node:fs";

const CHUNK = 64 * 1024;

/**
 * Reads what was appended to a file since the last call and hands over complete lines. The tool writes
 * into the file directly: when immutably dies, the tool keeps writing into a file instead of a pipe
 * nobody reads, so it is not killed by SIGPIPE at its next line.
 */
export class FileFollower {
  private fd: number | undefined;
  private offset = 0;
  private partial = "";
  private readonly decoder = new TextDecoder("utf-8");

  constructor(
    readonly file: string,
    private readonly onLine: (line: string) => void,
    /** Keeps every byte read (stdout that is parsed afterwards); off for stderr, which only streams. */
    private readonly keep = false,
    fromOffset = 0,
  ) {
    this.offset = fromOffset;
  }

  /** Everything read so far, when `keep` is on. */
  text = "";

  /** Reads what is new; with `flush`, also hands over a last line without a newline. */
  poll(flush = false): void {
    try {
      this.fd ??= fs.openSync(this.file, "r");
    } catch {
      return; // Not created yet, or already removed.
    }
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const n = fs.readSync(this.fd, buffer, 0, CHUNK, this.offset);
      if (n <= 0) break;
      this.offset += n;
      this.take(this.decoder.decode(buffer.subarray(0, n), { stream: true }));
    }
    if (flush) {
      this.take(this.decoder.decode());
      if (this.partial !== "") this.onLine(this.partial);
      this.partial = "";
    }
  }

  private take(chunk: string): void {
    if (chunk === "") return;
    if (this.keep) this.text += chunk;
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.onLine(line);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The last `count` lines of a file (for showing what a tool left by a killed run was doing), and its size. */
export function tailOf(file: string, count: number): { lines: string[]; size: number } {
  try {
    const size = fs.statSync(file).size;
    const start = Math.max(0, size - 16 * 1024);
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(size - start);
      fs.readSync(fd, buffer, 0, buffer.length, start);
      const lines = buffer.toString("utf8").split(/\r?\n/);
      if (lines.at(-1) === "") lines.pop();
      return { lines: lines.slice(-count), size };
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return { lines: [], size: 0 };
  }
}
