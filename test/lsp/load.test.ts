// Protocol load test: 1,000 rapid edits to one file and edits across 200 files; diagnostics always
// match the final text, versions never go backwards, and the server's memory stays bounded.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, it } from "node:test";
import { createLinter, defaultConfig, type Linter } from "../../server/src/engine/index.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { LspClient, makeWorkspace } from "./lsp-client.ts";

const droplet = (name: string, image: string) => `resource "digitalocean_droplet" "${name}" {\n  image = "${image}"\n}\n`;
let client: LspClient | undefined;
after(async () => client?.stop());

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function expected(linter: Linter, file: string, text: string): Promise<string[]> {
  const result = await linter.lint([{ path: file, text }], defaultConfig(allRules), { readFile: () => undefined });
  return result.findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}`);
}
const format = (diagnostics: Array<{ code?: string | number; range: { start: { line: number; character: number } } }>) =>
  diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

it(
  "1,000 quick edits to one file and one edit in each of 200 files: final diagnostics match, memory stays bounded",
  { timeout: 600_000 },
  async (t) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`m${i}/main.tf`] = droplet(`d${i}`, "var-image");
    const root = makeWorkspace(files);
    client = await LspClient.start(root);
    await client.waitForProgressEnd();
    const linter = await createLinter();

    // 1. One file, 1,000 edits without waiting: each toggles the image between a slug (flagged) and not.
    const hot = path.join(root, "m0/main.tf");
    const uri = await client.open(hot);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const rssBefore = rssMb(client.process.pid!);
    const since = client.published.length;
    for (let i = 0; i < 1000; i++) {
      const image = i % 2 === 0 ? "ubuntu-20-04-x64" : `snapshot-${i}`;
      const line = client.text(uri).split("\n")[1];
      await client.change(uri, [
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: line.length } }, text: `  image = "${image}"` },
      ]);
    }
    const finalVersion = client.version(uri);
    const final = await client.waitForDiagnostics(uri, (p) => p.version === finalVersion, since);
    assert.deepEqual(format(final.diagnostics), await expected(linter, hot, client.text(uri)));
    const versions = client.published
      .slice(since)
      .filter((p) => p.uri === uri)
      .map((p) => p.version!);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i] > versions[i - 1], "a publish went back to an older version");
    assert.ok(versions.length < 1000, "edits were coalesced");

    // 2. Edits across 200 files: open each, make every one use a distribution slug, without waiting.
    const uris: string[] = [];
    for (let i = 1; i < 200; i++) uris.push(await client.open(path.join(root, `m${i}/main.tf`)));
    for (const u of uris)
      await client.change(u, [
        { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 21 } }, text: '  image = "debian-12-x64"' },
      ]);
    for (const u of uris) {
      const v = client.version(u);
      const p = await client.waitForDiagnostics(u, (x) => x.version === v);
      assert.equal(client.text(u).split("\n")[1], '  image = "debian-12-x64"');
      assert.deepEqual(
        format(p.diagnostics),
        await expected(linter, path.join(root, path.basename(path.dirname(u)), "main.tf"), client.text(u)),
        `diagnostics of ${u}`,
      );
      assert.ok(
        format(p.diagnostics).some((d) => d.startsWith("pinned-machine-image@1:")),
        `no finding for the final text of ${u}`,
      );
    }
    const rssAfter = rssMb(client.process.pid!);
    t.diagnostic(
      `server RSS ${rssBefore.toFixed(0)} MB before the edits, ${rssAfter.toFixed(0)} MB after; ${versions.length} publishes for 1,000 edits`,
    );
    // Bounded: the edits must not make the server grow by more than a generous 150 MB.
    assert.ok(rssAfter - rssBefore < 150, `server memory grew from ${rssBefore.toFixed(0)} MB to ${rssAfter.toFixed(0)} MB`);
  },
);
