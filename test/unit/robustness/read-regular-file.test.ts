// The one file reader returns every byte of a file whatever its size says: small, empty, past its first buffer, and /proc files that say 0.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { readRegularFile } from "../../../server/src/host/read-file.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-read-"));
const write = (name: string, bytes: Buffer): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};
const bytesOf = (file: string, maxBytes = 1 << 20): Buffer => {
  const read = readRegularFile(file, maxBytes);
  assert.ok(read.ok, JSON.stringify(read));
  return read.bytes;
};

describe("readRegularFile", () => {
  it("reads empty, small and large files whole", () => {
    for (const size of [0, 1, 100, 4095, 4096, 65535, 65536, 65537, 300_000]) {
      const bytes = Buffer.alloc(size, "ab");
      assert.ok(bytesOf(write(`f${size}`, bytes)).equals(bytes), `${size} bytes`);
    }
  });

  it(
    "reads a file whose size says 0 but which has content (/proc)",
    { skip: !fs.existsSync("/proc/self/status") && "no /proc here" },
    () => {
      assert.equal(fs.statSync("/proc/self/status").size, 0);
      assert.match(bytesOf("/proc/self/status").toString("utf8"), /^Name:/);
    },
  );

  it("refuses a file over the limit, and reads one at the limit", () => {
    const file = write("limit", Buffer.alloc(1000, "x"));
    assert.equal(bytesOf(file, 1000).length, 1000);
    const over = readRegularFile(file, 999);
    assert.ok(!over.ok && over.kind === "refused", JSON.stringify(over));
  });

  it("does not hand out the same memory for two reads", () => {
    const a = bytesOf(write("a", Buffer.from("first")));
    const b = bytesOf(write("b", Buffer.from("second")));
    assert.equal(a.toString(), "first");
    assert.equal(b.toString(), "second");
  });
});
