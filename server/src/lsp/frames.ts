// Reads JSON-RPC frames from a byte stream (stdio) and drops malformed ones, so that one broken frame cannot wedge the connection.
import { Transform, type TransformCallback } from "node:stream";

/** The most a frame may declare: a document far over any max_file_bytes, and still a number a buffer can hold. */
const MAX_FRAME_BYTES = 512 * 1024 * 1024;
/** Headers are two short lines; this much without their end is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from("\r\n\r\n");
/**
 * Where a frame starts, as a client writes it (right after the previous body, with nothing between).
 * A raw CR LF cannot occur in a JSON string, nor this text outside one, so it never matches inside a
 * valid body.
 */
const FRAME_START = /Content-Length:[ \t]*\d+\r\n/i;

/**
 * Passes well-formed frames (`Content-Length: n` headers, then n bytes) through unchanged. vscode-jsonrpc
 * stops making sense of the stream after a header it cannot read (every later header is read from the
 * middle of the broken frame's body), and waits forever for a Content-Length longer than what was sent;
 * here such a frame is dropped, `onDropped` says why, and reading resumes at the next frame's header.
 */
export class FrameFilter extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  /** The body length of the frame being read, and where its body starts in `buffer`. */
  private frame: { bodyStart: number; length: number } | undefined;
  /** How far the current frame's body has been searched for the start of another frame. */
  private searched = 0;
  /** Dropping a broken frame's bytes until the next frame's header arrives. */
  private skipping = false;

  constructor(private readonly onDropped: (why: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.drain();
    done();
  }

  private drain(): void {
    for (;;) {
      if (this.skipping) {
        const next = this.frameStart(0);
        if (next < 0) {
          // Keep a tail in case the next header arrives split across chunks.
          this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 32));
          return;
        }
        this.buffer = this.buffer.subarray(next);
        this.skipping = false;
      }
      if (!this.frame) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) this.dropFrame("a header without an end", 1);
          if (this.skipping) continue;
          return;
        }
        const length = contentLength(this.buffer.subarray(0, end).toString("latin1"));
        if (typeof length === "string") {
          // The next frame may start inside these headers (after stray bytes): it is looked for from the second byte on.
          this.dropFrame(length, 1);
          continue;
        }
        this.frame = { bodyStart: end + HEADER_END.length, length };
        this.searched = this.frame.bodyStart;
      }
      const { bodyStart, length } = this.frame;
      if (this.buffer.length >= bodyStart + length) {
        this.push(this.buffer.subarray(0, bodyStart + length));
        this.buffer = this.buffer.subarray(bodyStart + length);
        this.frame = undefined;
        continue;
      }
      // Still waiting for the body: a frame's header inside it means the body was shorter than declared.
      const next = this.frameStart(Math.max(bodyStart, this.searched - 32));
      this.searched = this.buffer.length;
      if (next < 0) return;
      this.onDropped(`a frame whose Content-Length (${length}) is longer than its body`);
      this.buffer = this.buffer.subarray(next);
      this.frame = undefined;
    }
  }

  /** Drops a broken frame: its bytes from the buffer's start up to the next frame's header at or after `from` go. */
  private dropFrame(why: string, from: number): void {
    this.onDropped(why);
    this.buffer = this.buffer.subarray(from);
    this.frame = undefined;
    this.skipping = true;
  }

  /** The offset of the next frame's header at or after `from`, or -1. */
  private frameStart(from: number): number {
    const m = FRAME_START.exec(this.buffer.subarray(from).toString("latin1"));
    return m ? from + m.index : -1;
  }
}

/** The body length a frame's header declares, or why it cannot be read. */
function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) return `a header line without a colon (${JSON.stringify(line.slice(0, 40))})`;
    if (line.slice(0, colon).trim().toLowerCase() !== "content-length") continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return `a Content-Length that is not a number (${JSON.stringify(value.slice(0, 40))})`;
    length = Number(value);
  }
  if (length === undefined) return "a frame without a Content-Length";
  if (length > MAX_FRAME_BYTES) return `a Content-Length of ${length} bytes, over ${MAX_FRAME_BYTES}`;
  return length;
}
