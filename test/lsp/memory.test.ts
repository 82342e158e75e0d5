// The server gives back the memory a workspace pass used before it reports the pass's end.
import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { LspClient, makeWorkspace } from "./lsp-client.ts";

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
