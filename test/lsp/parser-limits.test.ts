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
      // The heap limited to 128 MB runs out on 2 MB of this text, as 2 GB does on 20 MB.
      const before = process.env.IMMUTABLY_PARSER_MEMORY_MB;
      process.env.IMMUTABLY_PARSER_MEMORY_MB = "128";
      let client: LspClient;
      try {
        client = await LspClient.start(root);
      } finally {
        if (before === undefined) delete process.env.IMMUTABLY_PARSER_MEMORY_MB;
        else process.env.IMMUTABLY_PARSER_MEMORY_MB = before;
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
