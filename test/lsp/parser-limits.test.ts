// A file tree-sitter runs out of memory on is one diagnostic in the language server, which goes on linting (and re-parsing edits) for the other files.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { LspClient, makeWorkspace, uriOf } from "./lsp-client.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

function denseLocals(bytes: number): string {
  const list = `[${Array.from({ length: 200 }, (_, i) => i % 10).join(",")}]`;
  const lines = Array.from({ length: Math.ceil(bytes / (list.length + 12)) }, (_, i) => `  v${i} = ${list}\n`);
  return `locals {\n${lines.join("")}}\n`;
}

describe("parser limits in the language server", () => {
  it(
    "a file the parser runs out of memory on gets one diagnostic; an open document is still linted on every edit",
    { timeout: 120_000 },
    async () => {
      const big = denseLocals(2 * 1024 * 1024);
      const root = makeWorkspace({ "data/big.tf": big, "main.tf": DROPLET });
      // The heap limited to 128 MB runs out on 2 MB of this text, as 2 GB does on 20 MB. Only tree-sitter
      // has a heap of its own to exhaust: the server uses it whichever parser the suite runs with.
      const server = { IMMUTABLY_PARSER_MEMORY_MB: "128", IMMUTABLY_PARSER: "tree-sitter" };
      const before = Object.fromEntries(Object.keys(server).map((k) => [k, process.env[k]]));
      Object.assign(process.env, server);
      let client: LspClient;
      try {
        client = await LspClient.start(root);
      } finally {
        for (const [k, v] of Object.entries(before)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      clients.push(client);
      const uri = await client.open(path.join(root, "main.tf"), DROPLET);
      await client.waitForProgressEnd();
      const bigDiagnostics = await client.waitForDiagnostics(uriOf(path.join(root, "data/big.tf")));
      assert.deepEqual(
        bigDiagnostics.diagnostics.map((d) => [d.code, d.message]),
        [
          [
            "hcl-syntax",
            `The parser ran out of memory on this file (${Buffer.byteLength(big)} bytes); it was not analysed. Split it, or set max_file_bytes below its size to skip such files.`,
          ],
        ],
      );
      // The parser recovered: an edit is parsed (incrementally) and linted.
      const version = await client.change(uri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "# edited\n" },
      ]);
      const edited = await client.waitForDiagnostics(uri, (p) => p.version === version);
      assert.deepEqual(
        edited.diagnostics.map((d) => [d.code, d.range.start.line]),
        [["require-create-before-destroy", 1]],
      );
      assert.doesNotMatch(client.stderr, /Aborted\(\)/);
    },
  );
});
