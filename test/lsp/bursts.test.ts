// A burst of edits, written to the server in one go as an editor under load sends them, with a hover in the middle: the hover is answered from the newest result before the burst is linted.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { makeWorkspace, openOnRawServer, rawServer, typingChange, uriOf } from "./lsp-client.ts";

const stops: Array<() => void> = [];
after(() => stops.forEach((stop) => stop()));

function bigFile(blocks: number): string {
  const out: string[] = [];
  for (let i = 0; i < blocks; i++)
    out.push(`resource "digitalocean_droplet" "web_${i}" {`, "  image  = var.web_image", `  name   = "web-${i}"`, "}", "");
  return out.join("\n");
}

describe("a burst of edits", () => {
  it(
    "a hover sent in the middle of a burst is answered before the burst is linted, from the newest result",
    { timeout: 60_000 },
    async () => {
      const root = makeWorkspace({});
      const file = path.join(root, "main.tf");
      const uri = uriOf(file);
      const server = rawServer();
      stops.push(() => server.stop());
      await openOnRawServer(server, root, uri, bigFile(600), { warmUp: false });

      // Typing and deleting a character on line 2 (inside `name = "web-0"`), 200 times, with a hover on web_599's finding after the 100th edit.
      const edit = (version: number) => typingChange(uri, version);
      const hoverVersion = 101;
      const burst: object[] = [];
      for (let v = 2; v <= hoverVersion; v++) burst.push(edit(v));
      burst.push({
        jsonrpc: "2.0",
        id: 99,
        method: "textDocument/hover",
        params: { textDocument: { uri }, position: { line: 599 * 5, character: 3 } },
      });
      for (let v = hoverVersion + 1; v <= 201; v++) burst.push(edit(v));
      const before = server.received.length;
      server.write(burst);
      const hover = await server.waitFor((m) => m.id === 99);
      await server.waitFor((m) => m.method === "textDocument/publishDiagnostics" && m.params?.uri === uri && m.params.version === 201);

      const after = server.received.slice(before);
      const answeredAt = after.indexOf(hover);
      const linted = after
        .slice(0, answeredAt)
        .filter((m) => m.method === "textDocument/publishDiagnostics" && (m.params?.version ?? 0) >= hoverVersion);
      assert.deepEqual(
        linted.map((m) => m.params?.version),
        [],
        "the hover waited for a lint of the burst",
      );
      assert.match(JSON.stringify(hover.result), /require-create-before-destroy/);
      assert.deepEqual((hover.result as { range: unknown }).range, {
        start: { line: 599 * 5, character: 0 },
        end: { line: 599 * 5, character: 41 },
      });
    },
  );
});
