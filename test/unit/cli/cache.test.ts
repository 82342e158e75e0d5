// `immutably lint --cache`: unchanged folders are not linted again, and anything that decides a folder's findings invalidates it.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { CLI as cli, runCli as run, workspace as makeWorkspace } from "../../helpers/cli.ts";

const workspace = (files: Record<string, string>) => makeWorkspace(files, "immutably-cache-");

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n';
const BOOT =
  'resource "aws_instance" "web" {\n  ami       = var.ami\n  user_data = file("${path.module}/boot.sh")\n  user_data_replace_on_change = true\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';

interface Json {
  findings: Array<{ ruleId: string; message: string; path: string }>;
}
const lint = (dir: string, ...extra: string[]) => run(["lint", "--format", "json", "--cache", ...extra], dir);
const cacheFile = (dir: string) => path.join(dir, ".immutably-cache", "lint.json");

/** Marks every stored finding of a folder, so that a run which reuses them shows the mark. */
function markCached(dir: string, folder: string, file = cacheFile(dir)): void {
  const data = JSON.parse(fs.readFileSync(file, "utf8")) as { folders: Record<string, { findings: Array<{ message: string }> }> };
  const entry = data.folders[path.join(dir, folder)];
  assert.ok(entry && entry.findings.length > 0, `no stored findings for ${folder}`);
  for (const f of entry.findings) f.message = `CACHED ${f.message}`;
  fs.writeFileSync(file, JSON.stringify(data));
}

const messages = (stdout: string) => (JSON.parse(stdout) as Json).findings.map((f) => `${f.path} ${f.ruleId} ${f.message}`);

describe("lint --cache", () => {
  before(() => {
    assert.ok(fs.existsSync(cli), "dist/cli.js is missing: npm test builds it first");
  });

  it("prints what a run without the cache prints, and keeps the cache out of git", () => {
    const dir = workspace({ "a/main.tf": DROPLET, "b/main.tf": DROPLET });
    const plain = run(["lint", "--format", "json"], dir);
    const first = lint(dir);
    const second = lint(dir);
    assert.equal(first.stdout, plain.stdout);
    assert.equal(second.stdout, plain.stdout);
    assert.equal(second.code, plain.code);
    assert.equal(
      fs
        .readFileSync(path.join(dir, ".immutably-cache", ".gitignore"), "utf8")
        .trim()
        .split("\n")
        .pop(),
      "*",
    );
    // The cache folder is not read as input (its JSON would otherwise be checked for a legacy Packer template).
    assert.doesNotMatch(run(["lint", "--format", "json", "--cache", "--threads", "1"], dir).stdout, /immutably-cache/);
  });

  it("reuses an unchanged folder and lints a changed one again", () => {
    const dir = workspace({ "a/main.tf": DROPLET, "b/main.tf": DROPLET });
    lint(dir);
    markCached(dir, "a");
    markCached(dir, "b");
    fs.writeFileSync(path.join(dir, "b/main.tf"), DROPLET.replace("var.image", '"ubuntu-20-04-x64"'));
    const out = messages(lint(dir).stdout);
    assert.ok(
      out.some((m) => m.startsWith("a/main.tf") && m.includes("CACHED")),
      out.join("\n"),
    );
    assert.ok(
      out.filter((m) => m.startsWith("b/main.tf")).every((m) => !m.includes("CACHED")),
      out.join("\n"),
    );
    assert.ok(
      out.some((m) => m.startsWith("b/main.tf pinned-machine-image")),
      "the edit in b was not linted",
    );
  });

  it("lints a folder again when a script its rules read through file() changes", () => {
    const dir = workspace({ "web/main.tf": BOOT, "web/boot.sh": "#!/bin/sh\necho hello\n" });
    assert.deepEqual(messages(lint(dir).stdout), []);
    fs.writeFileSync(path.join(dir, "web/boot.sh"), "#!/bin/sh\napt-get install -y nginx\n");
    const out = messages(lint(dir).stdout);
    assert.ok(
      out.some((m) => m.includes("no-boot-time-mutation")),
      out.join("\n"),
    );
  });

  it("lints a folder again when a module it calls changes: a file edited, a file added", () => {
    const droplet = (name: string, image: string) =>
      `resource "digitalocean_droplet" "${name}" {\n  image = ${image}\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`;
    const dir = workspace({
      "live/main.tf":
        'module "web" {\n  source = "../modules/web"\n\n  image         = "154736112"\n  bastion_image = "debian-12-x64"\n}\n',
      "modules/web/main.tf": 'variable "image" {}\n\n' + droplet("this", "var.image"),
    });
    assert.deepEqual(messages(lint(dir).stdout), []);
    // The module now swaps that snapshot for a distribution slug: the call's value causes a finding.
    fs.writeFileSync(
      path.join(dir, "modules/web/main.tf"),
      'variable "image" {}\n\n' + droplet("this", 'var.image == "154736112" ? "ubuntu-22-04-x64" : var.image'),
    );
    assert.deepEqual(messages(lint(dir).stdout), [
      'live/main.tf pinned-machine-image Passed to module.web → digitalocean_droplet.this: Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
    ]);
    // A new file in the module uses an argument the call already gave.
    fs.writeFileSync(path.join(dir, "modules/web/bastion.tf"), 'variable "bastion_image" {}\n\n' + droplet("bastion", "var.bastion_image"));
    const out = messages(lint(dir).stdout);
    assert.ok(
      out.some((m) => m.startsWith("live/main.tf pinned-machine-image") && m.includes('"debian-12-x64"')),
      out.join("\n"),
    );
  });

  it("lints everything again when the configuration changes", () => {
    const dir = workspace({ "a/main.tf": DROPLET });
    lint(dir);
    markCached(dir, "a");
    fs.writeFileSync(path.join(dir, ".immutably.hcl"), 'rule "require-create-before-destroy" {\n  severity = "error"\n}\n');
    const r = lint(dir);
    assert.equal(r.code, 1);
    assert.ok(messages(r.stdout).every((m) => !m.includes("CACHED")));
  });

  it("rebuilds a corrupt cache and reports a cache it cannot write without failing the lint", () => {
    const dir = workspace({ "a/main.tf": DROPLET });
    const plain = run(["lint", "--format", "json"], dir);
    fs.mkdirSync(path.dirname(cacheFile(dir)), { recursive: true });
    fs.writeFileSync(cacheFile(dir), '{"format":1,"salt":');
    const repaired = lint(dir);
    assert.equal(repaired.stdout, plain.stdout);
    assert.equal(repaired.stderr, "");
    assert.ok(JSON.parse(fs.readFileSync(cacheFile(dir), "utf8")).folders);
    // A location whose parent is a file cannot be written.
    const blocked = lint(dir, "--cache-location", path.join(dir, "a/main.tf/lint.json"));
    assert.equal(blocked.stdout, plain.stdout);
    assert.equal(blocked.code, plain.code);
    assert.match(blocked.stderr, /could not write the cache .*lint\.json/);
    assert.doesNotMatch(blocked.stderr, /\n\s+at /);
  });

  it("keeps reusing a folder that holds the cache file itself", () => {
    const dir = workspace({ "a/main.tf": DROPLET });
    const location = path.join(dir, "a", "lint-cache.json");
    lint(dir, "--cache-location", location);
    markCached(dir, "a", location);
    const out = messages(lint(dir, "--cache-location", location).stdout);
    assert.ok(out.length > 0 && out.every((m) => m.includes("CACHED")), out.join("\n"));
  });
});
