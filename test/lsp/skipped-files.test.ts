// Files the server does not lint say why, as the CLI's "skipped" lines do: a document over max_file_bytes, a binary file, a FIFO;
// and files the tool does not load (a .tf file beside its .tofu twin) say so.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { LspClient, makeWorkspace, uriOf } from "./lsp-client.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';
const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

const summary = (diagnostics: Diagnostic[] | undefined) =>
  (diagnostics ?? []).map((d) => [d.code, d.severity, d.range.start.line, d.message]);

describe("files the server does not lint", () => {
  it(
    "an open document over max_file_bytes gets a diagnostic naming the limit, and is linted again once it is under it",
    { timeout: 30_000 },
    async () => {
      const big = DROPLET + `# ${"x".repeat(2000)}\n`;
      const root = makeWorkspace({ ".immutably.hcl": "max_file_bytes = 1000\n", "main.tf": DROPLET });
      const client = await LspClient.start(root);
      clients.push(client);
      const uri = await client.open(path.join(root, "big.tf"), big);
      const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
      assert.deepEqual(summary(published.diagnostics), [
        ["skipped", 2, 0, `Not linted: ${Buffer.byteLength(big)} bytes is over the limit of 1000 (setting max_file_bytes).`],
      ]);
      const version = await client.change(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: "" }]);
      const linted = await client.waitForDiagnostics(uri, (p) => p.version === version);
      assert.deepEqual(
        linted.diagnostics.map((d) => d.code),
        ["require-create-before-destroy"],
      );
    },
  );

  it(
    "files on disk that cannot be linted (over the limit, binary, a FIFO) say why after the workspace lint",
    { timeout: 30_000, skip: process.platform === "win32" ? "no FIFOs" : false },
    async () => {
      const big = `${DROPLET}# ${"x".repeat(2000)}\n`;
      const root = makeWorkspace({
        ".immutably.hcl": "max_file_bytes = 1000\n",
        "main.tf": DROPLET,
        "big.tf": big,
        "binary.tf": "\u0000\u0001",
      });
      spawnSync("mkfifo", [path.join(root, "pipe.tf")]);
      assert.ok(fs.statSync(path.join(root, "pipe.tf")).isFIFO(), "mkfifo failed");
      const client = await LspClient.start(root);
      clients.push(client);
      await client.waitForProgressEnd();
      const of = (name: string) => summary(client.latest(uriOf(path.join(root, name))));
      assert.deepEqual(of("big.tf"), [
        ["skipped", 2, 0, `Not linted: ${Buffer.byteLength(big)} bytes is over the limit of 1000 (setting max_file_bytes).`],
      ]);
      assert.deepEqual(of("binary.tf"), [["skipped", 2, 0, "Not linted: file contains NUL bytes (binary data)."]]);
      assert.deepEqual(of("pipe.tf"), [["skipped", 2, 0, "Not linted: not a regular file."]]);
      assert.deepEqual(
        of("main.tf").map((d) => d[0]),
        ["require-create-before-destroy"],
      );
    },
  );

  it(
    "a file OpenTofu does not load (main.tf beside main.tofu) says why, on disk and when opened, and has no findings",
    { timeout: 30_000 },
    async () => {
      const root = makeWorkspace({ "main.tf": DROPLET, "main.tofu": DROPLET });
      const client = await LspClient.start(root);
      clients.push(client);
      await client.waitForProgressEnd();
      const notLoaded = [["not-loaded", 3, 0, "Not loaded: OpenTofu reads main.tofu instead of this file."]];
      assert.deepEqual(summary(client.latest(uriOf(path.join(root, "main.tf")))), notLoaded);
      assert.deepEqual(
        summary(client.latest(uriOf(path.join(root, "main.tofu")))).map((d) => d[0]),
        ["require-create-before-destroy"],
      );
      // As the official OpenTofu extension names the language of .tf and .tofu files.
      const uri = await client.open(path.join(root, "main.tf"), DROPLET, "opentofu");
      const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
      assert.deepEqual(summary(published.diagnostics), notLoaded);
    },
  );
});
