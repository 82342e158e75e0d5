// Protocol tests for the start of a session: the documents open at start get their diagnostics first
// (with their whole module, read from disk), the edit path is then warmed on a copy of the largest of
// them (with tree-sitter; the own reader needs no warm-up), and the workspace pass follows without
// linting their folders again.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { LspClient, makeWorkspace, uriOf } from "./lsp-client.ts";

const T = { timeout: 30_000 };
/** The warm-up is tree-sitter's: with the own reader, the default, the server warms nothing unless asked. */
const TREE_SITTER = { env: { IMMUTABLY_PARSER: "tree-sitter" } };
const DROPLET = [
  'resource "digitalocean_droplet" "web" {',
  "  image  = var.web_image",
  '  name   = "web"',
  '  region = "ams3"',
  "",
  "  lifecycle {",
  "    create_before_destroy = true",
  "  }",
  "}",
  "",
].join("\n");
const VARIABLES = ['variable "web_image" {', '  default = "ubuntu-20-04-x64"', "}", ""].join("\n");
const BIG = Array.from({ length: 150 }, (_, i) => DROPLET.replace('"web"', `"web_${i}"`).replace('"web"', `"web-${i}"`)).join("\n");

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

async function waitFor(test: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("start of a session", () => {
  it(
    "lints the open document with its module from disk, warms on a copy of the largest open document, then lints the rest once",
    T,
    async () => {
      const root = makeWorkspace({
        "app/main.tf": DROPLET,
        "app/variables.tf": VARIABLES,
        "app/big.tf": BIG,
        "other/main.tf": DROPLET,
        "other/variables.tf": VARIABLES,
      });
      const client = await LspClient.start(root, TREE_SITTER);
      clients.push(client);
      // VS Code sends didOpen for the open editors right after `initialized`; the larger first, so that it
      // is surely open when the server (after its settings request) looks for a warm-up sample.
      const big = await client.open(path.join(root, "app/big.tf"));
      const main = await client.open(path.join(root, "app/main.tf"));
      const first = await client.waitForDiagnostics(main, (p) => p.version === 1);
      const image = first.diagnostics.find((d) => d.code === "pinned-machine-image");
      assert.ok(
        image,
        `the open document's first diagnostics resolve var.web_image through variables.tf on disk: ${JSON.stringify(first.diagnostics)}`,
      );
      assert.equal(image.relatedInformation?.[0]?.location.uri, uriOf(path.join(root, "app/variables.tf")));
      await client.waitForProgressEnd();
      await waitFor(() => client.logs.some((l) => l.includes("warmed the edit path")), "the warm-up log line");
      const warmed = client.logs.find((l) => l.includes("warmed the edit path"))!;
      assert.match(warmed, /\(\d+ edits of a copy of big\.tf in \d+ ms\)/, "the warm-up edits a copy of the largest open document");
      // The warm-up ends before the workspace pass starts, and the pass lints the other folder only.
      const order = client.logs
        .map((l) => (l.includes("warmed the edit path") ? "warm-up" : l.includes("folder(s) in the workspace") ? "workspace" : ""))
        .filter(Boolean);
      assert.deepEqual(order, ["warm-up", "workspace"]);
      assert.ok(
        client.latest(uriOf(path.join(root, "other/main.tf")))?.some((d) => d.code === "pinned-machine-image"),
        "the workspace pass lints folders with no open document",
      );
      // The warm-up document is never published, and the open documents keep their first diagnostics.
      assert.ok(
        client.published.every((p) => !p.uri.includes("immutably-warm-up")),
        "nothing is published for the warm-up copy",
      );
      assert.equal(client.published.filter((p) => p.uri === main).length, 1, "the workspace pass did not publish the open document again");
      assert.ok(client.latest(big)?.length, "the large open document has its findings");
    },
  );

  it("stops warming at the first edit, which gets its diagnostics", T, async () => {
    const root = makeWorkspace({ "main.tf": BIG, "variables.tf": VARIABLES });
    const client = await LspClient.start(root, TREE_SITTER);
    clients.push(client);
    const uri = await client.open(path.join(root, "main.tf"));
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const version = await client.change(uri, [
      { range: { start: { line: 2, character: 13 }, end: { line: 2, character: 13 } }, text: "x" },
    ]);
    await client.waitForDiagnostics(uri, (p) => p.version === version);
    await waitFor(() => client.logs.some((l) => l.includes("warmed the edit path")), "the warm-up log line");
    assert.match(
      client.logs.find((l) => l.includes("warmed the edit path"))!,
      /of a copy of main\.tf in \d+ ms; stopped by the first edit\)/,
    );
  });

  it("warms on the built-in document, still before the workspace pass, when the open documents are small", T, async () => {
    const root = makeWorkspace({ "app/main.tf": DROPLET, "app/variables.tf": VARIABLES, "other/main.tf": DROPLET });
    const client = await LspClient.start(root, TREE_SITTER);
    clients.push(client);
    await client.open(path.join(root, "app/main.tf"));
    await client.waitForProgressEnd();
    await waitFor(() => client.logs.some((l) => l.includes("warmed the edit path")), "the warm-up log line");
    const order = client.logs
      .map((l) => (l.includes("warmed the edit path") ? "warm-up" : l.includes("folder(s) in the workspace") ? "workspace" : ""))
      .filter(Boolean);
    assert.deepEqual(order, ["warm-up", "workspace"]);
    assert.match(
      client.logs.find((l) => l.includes("warmed the edit path"))!,
      /edits of a built-in document/,
    );
  });

  it("warms on the built-in document after the workspace pass when no document is open", T, async () => {
    const root = makeWorkspace({ "main.tf": DROPLET, "variables.tf": VARIABLES });
    const client = await LspClient.start(root, TREE_SITTER);
    clients.push(client);
    await client.waitForProgressEnd();
    await waitFor(() => client.logs.some((l) => l.includes("warmed the edit path")), "the warm-up log line");
    const order = client.logs
      .map((l) => (l.includes("warmed the edit path") ? "warm-up" : l.includes("folder(s) in the workspace") ? "workspace" : ""))
      .filter(Boolean);
    assert.deepEqual(order, ["workspace", "warm-up"]);
    assert.match(
      client.logs.find((l) => l.includes("warmed the edit path"))!,
      /edits of a built-in document/,
    );
  });

  it("with the own reader, warms nothing unless the client asks for it", T, async () => {
    for (const [initializationOptions, warms] of [
      [undefined, false],
      [{ warmUp: true }, true],
    ] as const) {
      const root = makeWorkspace({ "app/big.tf": BIG, "app/variables.tf": VARIABLES, "other/main.tf": DROPLET });
      const client = await LspClient.start(root, { env: { IMMUTABLY_PARSER: "own" }, initializationOptions });
      clients.push(client);
      const big = await client.open(path.join(root, "app/big.tf"));
      await client.waitForDiagnostics(big, (p) => p.version === 1);
      // With a document open, a warm-up runs before the workspace pass: once the pass has ended, it ran or never will.
      await client.waitForProgressEnd();
      await waitFor(() => client.logs.some((l) => l.includes("folder(s) in the workspace")), "the workspace pass's log line");
      assert.equal(
        client.logs.some((l) => l.includes("warmed the edit path")),
        warms,
        `${JSON.stringify(initializationOptions)}: ${client.logs.join("\n")}`,
      );
    }
  });
});
