// One workspace policy: the CLI and the language server lint exactly the same files of one tree (skipped folders, ignore_paths, symbolic links, legacy Packer JSON).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { requireCreateBeforeDestroy } from "../../server/src/rules/require-create-before-destroy.ts";
import { CLI } from "../helpers/cli.ts";
import { LspClient, makeWorkspace } from "./lsp-client.ts";

const BAD_DROPLET = requireCreateBeforeDestroy.meta.docs.bad[0].code;
/** A legacy Packer template without a manifest post-processor: one packer-require-manifest finding. */
const LEGACY_PACKER = JSON.stringify(
  { builders: [{ type: "digitalocean", image: "ubuntu-22-04-x64", snapshot_name: "web-{{timestamp}}" }] },
  null,
  2,
);

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

/** A tree with every kind of file the policy decides about; each lintable file has a finding, so a linted file shows. */
function tree(): { root: string; expected: string[] } {
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "immutably-outside-")));
  fs.writeFileSync(path.join(outside, "outside.tf"), BAD_DROPLET);
  const root = makeWorkspace({
    ".immutably.hcl": 'ignore_paths = ["legacy/**", "scratch/*.tf"]\n',
    "main.tf": BAD_DROPLET,
    "modules/app/app.tf": BAD_DROPLET,
    "modules/app/app.tfvars": 'image = "x"\n',
    "packer/legacy.json": LEGACY_PACKER,
    "package.json": '{ "name": "not-packer" }\n',
    ".terraform/modules/vendored/main.tf": BAD_DROPLET,
    "node_modules/pkg/main.tf": BAD_DROPLET,
    ".git/hooks/main.tf": BAD_DROPLET,
    "legacy/old.tf": BAD_DROPLET,
    "scratch/try.tf": BAD_DROPLET,
    "scratch/nested/keep.tf": BAD_DROPLET,
  });
  // Links inside the tree are followed; links that lead out of it are not (the tree is not a repository, so it is the root).
  fs.symlinkSync("main.tf", path.join(root, "alias.tf"));
  fs.symlinkSync(outside, path.join(root, "linked"));
  fs.symlinkSync(path.join(outside, "outside.tf"), path.join(root, "outside-link.tf"));
  return { root, expected: ["alias.tf", "main.tf", "modules/app/app.tf", "packer/legacy.json", "scratch/nested/keep.tf"] };
}

function cliFileSet(root: string): string[] {
  const r = spawnSync(process.execPath, [CLI, "lint", "--format", "json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const report = JSON.parse(r.stdout) as { findings: Array<{ path: string }> };
  return [...new Set(report.findings.map((f) => f.path))].sort();
}

async function serverFileSet(root: string): Promise<string[]> {
  const client = await LspClient.start(root);
  clients.push(client);
  await client.waitForProgressEnd();
  const withFindings = new Set<string>();
  for (const p of client.published) {
    const rel = path.relative(root, fileURLToPath(p.uri)).split(path.sep).join("/");
    if (p.diagnostics.length > 0) withFindings.add(rel);
    else withFindings.delete(rel);
  }
  return [...withFindings].sort();
}

describe("workspace policy", () => {
  it("the CLI and the language server lint the same files of one tree", { timeout: 60_000 }, async () => {
    const { root, expected } = tree();
    const cli = cliFileSet(root);
    const server = await serverFileSet(root);
    assert.deepEqual(cli, expected, "the CLI's files");
    assert.deepEqual(server, expected, "the language server's files");
  });
});
