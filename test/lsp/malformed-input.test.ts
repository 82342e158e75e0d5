// Malformed input from a client never wedges the server: a broken frame is dropped and the next one read; a document event with the wrong types is refused and logged, and its folder is still linted.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { LspClient, makeWorkspace, uriOf } from "./lsp-client.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';
const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

/** A server on a workspace of two files, after its workspace lint. */
async function started(): Promise<{ client: LspClient; root: string }> {
  const root = makeWorkspace({ "main.tf": DROPLET, "other.tf": DROPLET });
  const client = await LspClient.start(root);
  clients.push(client);
  await client.waitForProgressEnd();
  return { client, root };
}

/** The server still answers: a document opened now is linted, and a hover on it is answered. */
async function answers(client: LspClient, root: string): Promise<void> {
  const uri = await client.open(path.join(root, "other.tf"), DROPLET);
  const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
  assert.deepEqual(
    published.diagnostics.map((d) => d.code),
    ["require-create-before-destroy"],
  );
  const hover = await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 3 } });
  assert.match(JSON.stringify(hover), /require-create-before-destroy/);
}

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}`) => `${header}\r\n\r\n${body}`;

describe("malformed frames", () => {
  const cases: Array<[string, string]> = [
    ["a Content-Length that is not a number", frame("{}", "Content-Length: abc")],
    ["no Content-Length at all", frame('{"jsonrpc":"2.0","method":"x"}', "Content-Type: application/json")],
    ["a header line without a colon", frame("{}", "Content-Length 2")],
    ["a body that is not JSON", frame("{not json!!}")],
    ["a Content-Length longer than the body", frame('{"jsonrpc":"2.0","method":"x"}', "Content-Length: 100000")],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: the frame is dropped and the next messages are served`, { timeout: 30_000 }, async () => {
      const { client, root } = await started();
      client.process.stdin!.write(bytes);
      await answers(client, root);
    });
  }
});

describe("document events with the wrong types", () => {
  const cases: Array<[string, (uri: string) => [string, unknown]]> = [
    [
      "didOpen whose text is a number",
      (uri) => ["textDocument/didOpen", { textDocument: { uri, languageId: "terraform", version: 1, text: 42 } }],
    ],
    [
      "didOpen whose text is null",
      (uri) => ["textDocument/didOpen", { textDocument: { uri, languageId: "terraform", version: 1, text: null } }],
    ],
    ["didOpen without a textDocument", () => ["textDocument/didOpen", {}]],
  ];
  for (const [name, make] of cases) {
    it(`${name}: refused and logged; the file's folder is still linted`, { timeout: 30_000 }, async () => {
      const { client, root } = await started();
      const [method, params] = make(uriOf(path.join(root, "main.tf")));
      await client.connection.sendNotification(method, params);
      await answers(client, root);
      assert.ok(
        client.logs.some((l) => l.includes(`ignored a malformed ${method}`)),
        client.logs.join("\n"),
      );
      assert.ok(!client.logs.some((l) => /linting .* failed/.test(l)), client.logs.join("\n"));
    });
  }

  it(
    "didChange whose text is a number: refused and logged; the document keeps its text and is linted on the next edit",
    { timeout: 30_000 },
    async () => {
      const { client, root } = await started();
      const uri = await client.open(path.join(root, "main.tf"), DROPLET);
      await client.waitForDiagnostics(uri, (p) => p.version === 1);
      await client.connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 7 }],
      });
      const version = await client.change(uri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "# note\n" },
      ]);
      const published = await client.waitForDiagnostics(uri, (p) => p.version === version);
      assert.deepEqual(
        published.diagnostics.map((d) => [d.code, d.range.start.line]),
        [["require-create-before-destroy", 1]],
      );
      assert.ok(
        client.logs.some((l) => l.includes("ignored a malformed textDocument/didChange")),
        client.logs.join("\n"),
      );
    },
  );
});
