// Override files are merged into the blocks they override, as Terraform and OpenTofu merge them; findings land in the file holding their cause.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type Finding, type LintHost, type SourceInput } from "../../../server/src/engine/index.ts";
import { runCli as run, workspace } from "../../helpers/cli.ts";

const noHost: LintHost = { readFile: () => undefined };
const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = "123456789"\n  size  = "s-1vcpu-1gb"\n}\n';
const SAFE_DROPLET =
  'resource "digitalocean_droplet" "web" {\n  image = "123456789"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';

async function lint(inputs: SourceInput[]) {
  const linter = await createLinter();
  return linter.lint(inputs, defaultConfig(linter.rules), noHost);
}
/** rule, file, 1-based line:column as the CLI prints them. */
const where = (findings: Finding[]) => findings.map((f) => [f.ruleId, f.path, `${f.range.start.line + 1}:${f.range.start.character + 1}`]);

describe("override files", () => {
  it("an argument an override file sets replaces the original, and its finding is reported in the override file", async () => {
    const { findings } = await lint([
      { path: "/m/main.tf", text: SAFE_DROPLET },
      { path: "/m/override.tf", text: '# Generated.\nresource "digitalocean_droplet" "web" {\n  image = "ubuntu-22-04-x64"\n}\n' },
    ]);
    assert.deepEqual(where(findings), [["pinned-machine-image", "/m/override.tf", "3:3"]]);
    assert.deepEqual([findings[0].range.end.line, findings[0].range.end.character], [2, 28]);
  });

  it("a lifecycle block added by an override file counts", async () => {
    const { findings } = await lint([
      { path: "/m/main.tf", text: DROPLET },
      {
        path: "/m/web_override.tf",
        text: 'resource "digitalocean_droplet" "web" {\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
      },
    ]);
    assert.deepEqual(where(findings), []);
  });

  it("lifecycle is merged argument by argument: the original's ignore_changes stays", async () => {
    const main = 'resource "digitalocean_droplet" "web" {\n  image = "123456789"\n\n  lifecycle {\n    ignore_changes = [image]\n  }\n}\n';
    const { findings } = await lint([
      { path: "/m/main.tf", text: main },
      {
        path: "/m/override.tf",
        text: 'resource "digitalocean_droplet" "web" {\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
      },
    ]);
    assert.deepEqual(where(findings), [["no-ignore-image-changes", "/m/main.tf", "5:23"]]);
  });

  it("provisioner blocks of an override replace every provisioner of the original", async () => {
    const main = SAFE_DROPLET.replace(
      "\n  lifecycle",
      '\n  provisioner "remote-exec" {\n    inline = ["apt-get install -y nginx"]\n  }\n\n  lifecycle',
    );
    const before = await lint([{ path: "/m/main.tf", text: main }]);
    assert.deepEqual(
      before.findings.map((f) => f.ruleId),
      ["no-inplace-provisioner"],
    );
    const { findings } = await lint([
      { path: "/m/main.tf", text: main },
      {
        path: "/m/override.tf",
        text: 'resource "digitalocean_droplet" "web" {\n  provisioner "local-exec" {\n    command = "echo created"\n  }\n}\n',
      },
    ]);
    assert.deepEqual(where(findings), []);
  });

  it("apply in lexicographic order of their names: the last one wins", async () => {
    const floating = 'resource "digitalocean_droplet" "web" {\n  image = "ubuntu-22-04-x64"\n}\n';
    const pinned = 'resource "digitalocean_droplet" "web" {\n  image = "987654321"\n}\n';
    const pinnedLast = await lint([
      { path: "/m/main.tf", text: SAFE_DROPLET },
      { path: "/m/a_override.tf", text: floating },
      { path: "/m/b_override.tf", text: pinned },
    ]);
    assert.deepEqual(where(pinnedLast.findings), []);
    const floatingLast = await lint([
      { path: "/m/main.tf", text: SAFE_DROPLET },
      { path: "/m/a_override.tf", text: pinned },
      { path: "/m/b_override.tf", text: floating },
    ]);
    assert.deepEqual(where(floatingLast.findings), [["pinned-machine-image", "/m/b_override.tf", "2:3"]]);
  });

  it("locals and variable defaults are overridden by name, and the value's origin is the override file", async () => {
    const main =
      'locals {\n  size = "s-1vcpu-1gb"\n  image = var.image\n}\nvariable "image" {\n  default = "123456789"\n}\n' +
      SAFE_DROPLET.replace('"123456789"', "local.image");
    const { findings } = await lint([
      { path: "/m/main.tf", text: main },
      { path: "/m/override.tf", text: 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n' },
    ]);
    assert.deepEqual(where(findings), [["pinned-machine-image", "/m/main.tf", "9:3"]]);
    assert.deepEqual(
      findings[0].related?.map((o) => [o.path, o.range.start.line + 1, o.range.start.character + 1]),
      [["/m/override.tf", 2, 13]],
    );
    const local = await lint([
      { path: "/m/main.tf", text: main },
      { path: "/m/override.tf", text: 'locals {\n  image = "ubuntu-22-04-x64"\n}\n' },
    ]);
    assert.deepEqual(where(local.findings), [["pinned-machine-image", "/m/main.tf", "9:3"]]);
    assert.equal(local.findings[0].related?.[0].path, "/m/override.tf");
  });

  it("a JSON override file merges into an HCL block", async () => {
    const { findings } = await lint([
      { path: "/m/main.tf", text: SAFE_DROPLET },
      {
        path: "/m/override.tf.json",
        text: JSON.stringify({ resource: { digitalocean_droplet: { web: { image: "ubuntu-22-04-x64" } } } }, null, 2),
      },
    ]);
    assert.deepEqual(where(findings), [["pinned-machine-image", "/m/override.tf.json", "5:9"]]);
  });

  it("an override block that overrides nothing is not linted (both tools refuse it)", async () => {
    const { findings } = await lint([
      { path: "/m/main.tf", text: SAFE_DROPLET },
      { path: "/m/override.tf", text: 'resource "digitalocean_droplet" "other" {\n  image = "ubuntu-22-04-x64"\n}\n' },
    ]);
    assert.deepEqual(where(findings), []);
  });

  it("a terraform block overrides the module's settings even where no file has one", async () => {
    const versions =
      'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n';
    const unpinned = 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n';
    const alone = await lint([
      { path: "/m/main.tf", text: SAFE_DROPLET },
      { path: "/m/override.tf", text: unpinned },
    ]);
    assert.deepEqual(where(alone.findings), [["pinned-provider-version", "/m/override.tf", "3:5"]]);
    const merged = await lint([
      { path: "/m/versions.tf", text: versions },
      { path: "/m/override.tf", text: unpinned },
    ]);
    assert.deepEqual(where(merged.findings), [["pinned-provider-version", "/m/override.tf", "3:5"]]);
  });

  it("a fix on the merged view edits the file that holds the attribute", async () => {
    const linter = await createLinter();
    const override = 'resource "digitalocean_droplet" "web" {\n  lifecycle {\n    create_before_destroy = false\n  }\n}\n';
    const inputs = [
      { path: "/m/main.tf", text: DROPLET },
      { path: "/m/override.tf", text: override },
    ];
    const { findings } = await linter.lint(inputs, defaultConfig(linter.rules), noHost);
    assert.deepEqual(where(findings), [["require-create-before-destroy", "/m/override.tf", "3:5"]]);
    const { changed } = await linter.fix(inputs, defaultConfig(linter.rules), noHost, ["safe", "unsafe"]);
    assert.deepEqual([...changed], [["/m/override.tf", override.replace("= false", "= true")]]);
  });

  it("a fix that adds to a block goes to the original file", async () => {
    const linter = await createLinter();
    const inputs = [
      { path: "/m/main.tf", text: DROPLET },
      { path: "/m/override.tf", text: 'resource "digitalocean_droplet" "web" {\n  size = "s-2vcpu-2gb"\n}\n' },
    ];
    const { changed } = await linter.fix(inputs, defaultConfig(linter.rules), noHost, ["safe", "unsafe"]);
    assert.deepEqual([...changed.keys()], ["/m/main.tf"]);
    assert.match(changed.get("/m/main.tf")!, /lifecycle \{\n {4}create_before_destroy = true\n {2}\}\n\}\n$/);
  });

  it("apply in called modules too", async () => {
    const files: Record<string, string> = {
      "/r/modules/web/main.tf":
        'variable "image" {}\nresource "digitalocean_droplet" "web" {\n  image = "123456789"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
      "/r/modules/web/override.tf": 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n',
    };
    const host: LintHost = {
      readFile: (p) => files[p],
      readRoot: () => "/r",
      listFiles: (dir) => (dir === "/r/modules/web" ? ["main.tf", "override.tf"] : undefined),
    };
    const linter = await createLinter();
    const call = 'module "web" {\n  source = "./modules/web"\n  image  = "ubuntu-22-04-x64"\n}\n';
    const { findings } = await linter.lint([{ path: "/r/main.tf", text: call }], defaultConfig(linter.rules), host);
    assert.deepEqual(where(findings), [["pinned-machine-image", "/r/main.tf", "3:3"]]);
  });

  it("the CLI reports a finding an override causes in the override file", () => {
    const dir = workspace({
      "main.tf": SAFE_DROPLET,
      "image_override.tf": 'resource "digitalocean_droplet" "web" {\n  image = "ubuntu-22-04-x64"\n}\n',
    });
    const r = run(["lint", "--format", "json", "."], dir);
    assert.equal(r.code, 0, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; path: string; line: number }> }).findings;
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path]),
      [["pinned-machine-image", "image_override.tf"]],
    );
  });
});
