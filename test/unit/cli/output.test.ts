// The CLI's standard output: written straight to a pipe or file, handed to Node's stream when a write cannot complete, nothing lost or reordered.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { StandardOutput } from "../../../server/src/cli/output.ts";
import { workspace } from "../../helpers/cli.ts";

/** A stream that keeps what it is given, standing in for process.stdout. */
function collector(isTTY = false): Writable & { bytes(): Buffer; text(): string; isTTY: boolean } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString("utf8") });
}

/** A named pipe opened at both ends without blocking: a writer gets EAGAIN once its buffer is full. */
function nonBlockingFifo(): { reader: number; writer: number; readAll(): Buffer; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-fifo-"));
  const fifo = path.join(dir, "out");
  assert.equal(spawnSync("mkfifo", [fifo]).status, 0, "mkfifo");
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  return {
    reader,
    writer,
    readAll() {
      const parts: Buffer[] = [];
      const buffer = Buffer.alloc(65536);
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(reader, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
          throw error;
        }
        if (n === 0) break;
        parts.push(Buffer.from(buffer.subarray(0, n)));
      }
      return Buffer.concat(parts);
    },
    close() {
      for (const fd of [reader, writer]) {
        try {
          fs.closeSync(fd);
        } catch {
          // already closed by the test
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("StandardOutput", () => {
  it("writes a pipe directly until it is full, then hands the rest and every later write to Node's stream, in order", () => {
    const fifo = nonBlockingFifo();
    try {
      const stream = collector();
      const out = new StandardOutput(fifo.writer, () => stream);
      const parts = ["first\n", `${"é".repeat(200_000)}\n`, "last\n"];
      for (const part of parts) out.write(part);
      const direct = fifo.readAll();
      const handed = stream.bytes();
      assert.ok(direct.length > 0, "the pipe took the start directly");
      assert.ok(handed.toString("utf8").endsWith("last\n"), "the write after the full pipe went to Node's stream");
      // Bytes, not characters: a two-byte character cut by a partial write is completed by the bytes handed over.
      assert.equal(Buffer.concat([direct, handed]).toString("utf8"), parts.join(""));
    } finally {
      fifo.close();
    }
  });

  it("hands everything to Node's stream once the reader is gone (EPIPE), so its error handling applies", () => {
    const fifo = nonBlockingFifo();
    try {
      fs.closeSync(fifo.reader);
      const stream = collector();
      const out = new StandardOutput(fifo.writer, () => stream);
      out.write("one\n");
      out.write("two\n");
      assert.equal(stream.text(), "one\ntwo\n");
    } finally {
      fifo.close();
    }
  });

  it("writes a regular file directly and is no terminal", () => {
    const file = path.join(workspace(), "out.txt");
    const fd = fs.openSync(file, "w");
    try {
      const stream = collector(true);
      const out = new StandardOutput(fd, () => stream);
      out.write("a\n");
      out.write("b\n");
      assert.equal(out.isTTY, false);
      assert.equal(fs.readFileSync(file, "utf8"), "a\nb\n");
      assert.equal(stream.text(), "");
    } finally {
      fs.closeSync(fd);
    }
  });

  it("leaves a terminal or other device to Node's stream, which says whether it is a terminal", () => {
    const fd = fs.openSync(os.devNull, "w");
    try {
      const stream = collector(true);
      const out = new StandardOutput(fd, () => stream);
      out.write("to the device\n");
      assert.equal(out.isTTY, true);
      assert.equal(stream.text(), "to the device\n");
    } finally {
      fs.closeSync(fd);
    }
  });
});
