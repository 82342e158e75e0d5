// The server gives back the memory a workspace pass used before it reports the pass's end.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, it } from "node:test";
import { LspClient, makeWorkspace, ROOT } from "./lsp-client.ts";

const droplet = (name: string) => `resource "digitalocean_droplet" "${name}" {\n  image = "ubuntu-20-04-x64"\n}\n`;
const COLLECTED = /^immutably: collected garbage after the workspace pass: heap (\d+) MB → (\d+) MB$/;
let client: LspClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

function workspace(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++) files[`m${i}/main.tf`] = droplet(`d${i}`);
  return makeWorkspace(files);
}

it("started as the extension starts it, the server collects garbage when the workspace pass ends, before it reports the end", async () => {
  client = await LspClient.start(workspace());
  await client.waitForProgressEnd();
  // Logged before the end of the progress, so it is here as soon as the end is.
  const line = client.logs.find((l) => COLLECTED.test(l));
  assert.ok(line, `no collection logged; logs: ${JSON.stringify(client.logs)}`);
  const [, before, after] = COLLECTED.exec(line)!.map(Number);
  assert.ok(after <= before, line);
  assert.equal(client.published.filter((p) => p.diagnostics.length > 0).length, 50);
});

it("started without --expose-gc (another editor's launch), the pass ends alike without collecting", async () => {
  client = await LspClient.start(workspace(), { nodeOptions: [] });
  await client.waitForProgressEnd();
  assert.equal(client.published.filter((p) => p.diagnostics.length > 0).length, 50);
  assert.ok(!client.logs.some((l) => COLLECTED.test(l)), JSON.stringify(client.logs));
  assert.ok(
    client.logs.some((l) => l.includes("linted 50 folder(s)")),
    JSON.stringify(client.logs),
  );
});

/** The server process's resident memory, in MB. */
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
}

it(
  "reports the pass's end once the memory it gave back has left the process",
  { skip: process.platform !== "linux" && "reads /proc", timeout: 60_000 },
  async () => {
    // The benchmark's 5 MB workspace: its pass leaves tens of MB for the collection to give back.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-memory-"));
    const generated = spawnSync(process.execPath, [path.join(ROOT, "bench/gen-corpus.mjs"), dir, "5", "1"], { encoding: "utf8" });
    assert.equal(generated.status, 0, generated.stderr);
    client = await LspClient.start(dir);
    await client.waitForProgressEnd();
    const pid = client.process.pid!;
    const atEnd = rssMb(pid);
    await new Promise((r) => setTimeout(r, 300));
    const later = rssMb(pid);
    // What a benchmark or a memory monitor reads at the end is what the server keeps.
    assert.ok(atEnd - later < 3, `RSS ${atEnd.toFixed(0)} MB at the end of the pass, ${later.toFixed(0)} MB 300 ms later`);
  },
);
