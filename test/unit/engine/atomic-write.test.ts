// The one atomic write every writer uses: whole replacement, modes, and no temporary file left on failure.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { writeFileAtomic } from "../../../server/src/host/atomic-write.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-atomic-"));
  dirs.push(dir);
  return dir;
}

test("replaces the file in one step and leaves no temporary file", () => {
  const file = path.join(tempDir(), "x.json");
  writeFileAtomic(file, "one");
  writeFileAtomic(file, "two");
  assert.equal(fs.readFileSync(file, "utf8"), "two");
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["x.json"]);
});

test("an existing file keeps its mode; a private file gets exactly its mode", () => {
  const dir = tempDir();
  const script = path.join(dir, "run.sh");
  fs.writeFileSync(script, "old");
  fs.chmodSync(script, 0o750);
  writeFileAtomic(script, "new", { mode: 0o644 });
  assert.equal(fs.statSync(script).mode & 0o777, 0o750);
  const secret = path.join(dir, "plan.tfvars.json");
  fs.writeFileSync(secret, "{}");
  fs.chmodSync(secret, 0o644);
  writeFileAtomic(secret, "{}", { mode: 0o600, forceMode: true });
  assert.equal(fs.statSync(secret).mode & 0o777, 0o600);
});

test("a failed write leaves the old file whole and removes its temporary file", () => {
  const file = path.join(tempDir(), "h.json");
  fs.writeFileSync(file, "before");
  const full = {
    writeNewFile: (temp: string, data: string | Uint8Array) => {
      fs.writeFileSync(temp, String(data).slice(0, 2));
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    },
  };
  assert.throws(() => writeFileAtomic(file, "after, but the disk is full", {}, full), /ENOSPC/);
  assert.equal(fs.readFileSync(file, "utf8"), "before");
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["h.json"]);
});
