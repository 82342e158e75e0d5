// The CLI's standard output: written straight to file descriptor 1 when it is a pipe, socket or file.
//
// Node builds `process.stdout` on first access, and for a pipe that loads its `net` module and a
// socket (measured: about 3.5 ms of a 30 ms cold run, the cost of a pre-commit hook or CI step per
// file). Node writes to pipes and files synchronously on Linux anyway, so a write(2) of each chunk
// is what its stream would do. A terminal keeps Node's stream (it knows the terminal's width and
// colours, and a person is waiting, not a hook).
import fs from "node:fs";

/** What commands write their output to. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** File descriptor 1 by default; tests hand another descriptor and the stream that takes over from it. */
export class StandardOutput implements Output {
  private stream: (NodeJS.WritableStream & { isTTY?: boolean }) | undefined;
  private direct: boolean | undefined;

  constructor(
    private readonly fd = 1,
    private readonly nodeStreamOf: () => NodeJS.WritableStream & { isTTY?: boolean } = () => process.stdout,
  ) {}

  get isTTY(): boolean {
    return this.writesDirectly() ? false : Boolean(this.nodeStream().isTTY);
  }

  write(text: string): boolean {
    if (!this.writesDirectly()) return this.nodeStream().write(text);
    const bytes = Buffer.from(text, "utf8");
    let written = 0;
    try {
      while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written);
      return true;
    } catch {
      // A non-blocking pipe that is full (EAGAIN), a reader that went away (EPIPE): Node's stream
      // takes the rest and everything after it, so the order holds and errors surface as its do.
      return this.nodeStream().write(bytes.subarray(written));
    }
  }

  /** Calls back once everything written has been handed to the system (exiting earlier would drop what Node's stream holds). */
  flush(callback: () => void): void {
    if (this.stream) this.stream.write("", callback);
    else callback();
  }

  private writesDirectly(): boolean {
    if (this.direct === undefined) {
      try {
        const stat = fs.fstatSync(this.fd);
        this.direct = stat.isFIFO() || stat.isSocket() || stat.isFile();
      } catch {
        this.direct = false;
      }
    }
    return this.direct;
  }

  private nodeStream(): NodeJS.WritableStream & { isTTY?: boolean } {
    this.direct = false;
    this.stream ??= this.nodeStreamOf();
    return this.stream;
  }
}
