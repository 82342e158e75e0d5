// Protocol test for rapid edits: a newer edit cancels older work, and no diagnostics are ever published for a stale version.
import assert from "node:assert/strict";
import path from "node:path";
import { after, it } from "node:test";
import { createLinter, defaultConfig, type Linter } from "../../server/src/engine/index.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { LspClient, makeWorkspace } from "./lsp-client.ts";

const EDITS = 100;
const droplet = (name: string) => `resource "digitalocean_droplet" "${name}" {\n  image = var.web_image\n}\n`;

let client: LspClient | undefined;
after(async () => client?.stop());

/** What the engine itself says about a text, in the shape the server publishes. */
async function expected(linter: Linter, file: string, text: string): Promise<string[]> {
  const result = await linter.lint([{ path: file, text }], defaultConfig(allRules), { readFile: () => undefined });
  return result.findings.map(
    (f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`,
  );
}

it(
  `${EDITS} quick didChange notifications: the final diagnostics match the final text and none is for a stale version`,
  { timeout: 60_000 },
  async (t) => {
    const root = makeWorkspace({ "main.tf": droplet("w0") });
    const file = path.join(root, "main.tf");
    client = await LspClient.start(root);
    const uri = await client.open(file);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const texts = new Map<number, string>([[1, client.text(uri)]]);
    const since = client.published.length;

    // Each edit appends a droplet, so every version has its own, distinguishable set of findings.
    for (let i = 1; i <= EDITS; i++) {
      const line = client.text(uri).split("\n").length - 1;
      const version = await client.change(uri, [
        { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: droplet(`w${i}`) },
      ]);
      texts.set(version, client.text(uri));
    }
    const finalVersion = EDITS + 1;
    const final = await client.waitForDiagnostics(uri, (p) => p.version === finalVersion, since);

    const linter = await createLinter();
    const format = (p: typeof final) =>
      p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
    assert.deepEqual(format(final), await expected(linter, file, texts.get(finalVersion)!));
    assert.equal(final.diagnostics.filter((d) => d.code === "require-create-before-destroy").length, EDITS + 1);

    const later = client.published.slice(since).filter((p) => p.uri === uri);
    const versions = later.map((p) => p.version!);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i] > versions[i - 1], `versions go backwards: ${versions.join(",")}`);
    t.diagnostic(`${later.length} publishes for ${EDITS} edits (versions ${versions.join(", ")})`);
    assert.ok(later.length < EDITS, `rapid edits were coalesced, not linted one by one (${later.length} publishes)`);
    // Every publish describes exactly the text of the version it names.
    for (const p of later) assert.deepEqual(format(p), await expected(linter, file, texts.get(p.version!)!), `version ${p.version}`);
  },
);
