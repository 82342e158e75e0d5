// Which parser modules a lint loads: the own reader's runs never load tree-sitter's (its initialisation costs a cold run milliseconds).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";

const engine = path.resolve(__dirname, "../../../server/src/engine/index.ts");

/** Lints one file in a fresh process with the parser the environment asks for; the findings and the tree-sitter modules loaded. */
function lintInFreshProcess(parser: string): { findings: number; treeSitter: string[] } {
  const script = `
    const { createLinter, defaultConfig } = require(process.argv[1]);
    void (async () => {
      const linter = await createLinter();
      const text = 'resource "digitalocean_droplet" "web" {\\n  image = "ubuntu-20-04-x64"\\n}\\n';
      const r = await linter.lint([{ path: "/virtual/main.tf", text }], defaultConfig(linter.rules), { readFile: () => undefined });
      const treeSitter = Object.keys(require.cache).filter((k) => k.includes("web-tree-sitter"));
      console.log(JSON.stringify({ findings: r.findings.length, treeSitter }));
    })();`;
  const env = { ...process.env, IMMUTABLY_PARSER: parser };
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script, engine], { encoding: "utf8", env });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { findings: number; treeSitter: string[] };
}

describe("parser modules a lint loads", () => {
  it("the own reader's lint never loads web-tree-sitter", () => {
    const r = lintInFreshProcess("own");
    assert.equal(r.findings, 2);
    assert.deepEqual(r.treeSitter, []);
  });

  it("tree-sitter's lint loads it (the check above can see it)", () => {
    const r = lintInFreshProcess("tree-sitter");
    assert.equal(r.findings, 2);
    assert.equal(r.treeSitter.length, 1);
  });
});
