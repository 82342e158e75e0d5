// The pre-commit hooks (.pre-commit-hooks.yaml), run the way the pre-commit framework runs them (pre-commit-runner.ts).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { hooks, repository, runHook } from "./pre-commit-runner.ts";
import { ROOT } from "./packed.ts";

/** The keys pre-commit's manifest schema knows (pre-commit.com, "Creating new hooks"). */
const MANIFEST_KEYS = new Set([
  "id",
  "name",
  "entry",
  "language",
  "alias",
  "files",
  "exclude",
  "types",
  "types_or",
  "exclude_types",
  "additional_dependencies",
  "args",
  "always_run",
  "fail_fast",
  "pass_filenames",
  "description",
  "language_version",
  "log_file",
  "minimum_pre_commit_version",
  "require_serial",
  "stages",
  "verbose",
]);

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';
const variables = (image: string) => `variable "image" {\n  default = "${image}"\n}\n`;
const PACKER = (name: string) =>
  `packer {\n  required_plugins {\n    amazon = {\n      source  = "github.com/hashicorp/amazon"\n      version = "~> 1.3"\n    }\n  }\n}\n\n` +
  `source "amazon-ebs" "web" {\n  ami_name      = ${name}\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  source_ami    = "ami-0123456789abcdef0"\n  ssh_username  = "ubuntu"\n}\n\n` +
  `build {\n  sources = ["source.amazon-ebs.web"]\n\n  post-processor "manifest" {\n    output = "manifest.json"\n  }\n}\n`;

describe(".pre-commit-hooks.yaml", () => {
  it("follows pre-commit's manifest: node hooks whose entry is the package's bin, one process each", () => {
    assert.deepEqual(
      hooks.map((h) => h.id),
      ["immutably-terraform", "immutably-packer"],
    );
    const bin = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: object }).bin);
    for (const h of hooks) {
      for (const key of Object.keys(h)) assert.ok(MANIFEST_KEYS.has(key), `${h.id}: unknown key ${key}`);
      assert.equal(h.language, "node");
      assert.ok(bin.includes(h.entry.split(" ")[0]), h.entry);
      assert.ok(h.entry.includes("--whole-folders"), "a module is a folder");
      assert.equal(h.require_serial, true);
      assert.ok(h.name && h.description);
    }
  });

  it("selects the files the engine reads, each kind in its own hook", () => {
    const cases: Array<[string, string | undefined]> = [
      ["main.tf", "immutably-terraform"],
      ["infra/network/main.tf.json", "immutably-terraform"],
      ["modules/app/main.tofu", "immutably-terraform"],
      ["main.tofu.json", "immutably-terraform"],
      ["terraform.tfvars", "immutably-terraform"],
      ["env/prod.auto.tfvars.json", "immutably-terraform"],
      ["stack/components.tfcomponent.hcl", "immutably-terraform"],
      ["tests/web.tftest.hcl", undefined],
      ["stack/deployments.tfdeploy.hcl", undefined],
      ["images/web.pkr.hcl", "immutably-packer"],
      ["images/web.pkr.json", "immutably-packer"],
      ["images/prod.auto.pkrvars.hcl", "immutably-packer"],
      ["README.md", undefined],
      ["main.tf.orig", undefined],
      ["package.json", undefined],
      [".terraform.lock.hcl", undefined],
      ["notes.tfstate", undefined],
    ];
    for (const [file, expected] of cases) {
      const matched = hooks.filter((h) => new RegExp(h.files).test(file)).map((h) => h.id);
      assert.deepEqual(matched, expected ? [expected] : [], file);
    }
  });
});

describe("the hooks, run as pre-commit runs them", () => {
  it("terraform: a commit that changes only variables.tf fails on the image main.tf now boots from", () => {
    const dir = repository({ "infra/main.tf": DROPLET, "infra/variables.tf": variables("12345678") });
    const r = runHook(dir, "immutably-terraform", { "infra/variables.tf": variables("ubuntu-22-04-x64") })!;
    assert.deepEqual(r.argv, ["lint", "--whole-folders", "--max-warnings", "0", "infra/variables.tf"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^infra\/main\.tf\n {2}2:3 {2}warning .* {2}pinned-machine-image$/m);
  });

  it("terraform: passes a clean change, and does not report folders the commit did not touch", () => {
    const dir = repository({
      "infra/main.tf": DROPLET,
      "infra/variables.tf": variables("12345678"),
      "legacy/main.tf": DROPLET + variables("ubuntu-20-04-x64"),
    });
    const r = runHook(dir, "immutably-terraform", { "infra/variables.tf": variables("87654321") })!;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No problems found/);
  });

  it("terraform: lints OpenTofu's .tofu files", () => {
    const dir = repository({ "README.md": "x\n" });
    const r = runHook(dir, "immutably-terraform", { "tofu/main.tofu": DROPLET + variables("ubuntu-22-04-x64") })!;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /tofu\/main\.tofu\n.*pinned-machine-image/);
  });

  it("packer: a constant image name fails, a unique one passes, and Terraform's hook is not run for it", () => {
    const dir = repository({ "README.md": "x\n" });
    assert.equal(runHook(dir, "immutably-terraform", { "images/web.pkr.hcl": PACKER('"web"') }), undefined);
    const bad = runHook(dir, "immutably-packer", { "images/web.pkr.hcl": PACKER('"web"') })!;
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /packer-unique-image-name/);
    const good = runHook(dir, "immutably-packer", { "images/web.pkr.hcl": PACKER('"web-${formatdate("YYYYMMDDhhmmss", timestamp())}"') })!;
    assert.equal(good.code, 0, good.stdout + good.stderr);
  });

  it("a project's own args replace the hook's: `args: []` lets warnings pass", () => {
    const dir = repository({ "infra/main.tf": DROPLET, "infra/variables.tf": variables("12345678") });
    const r = runHook(dir, "immutably-terraform", { "infra/variables.tf": variables("ubuntu-22-04-x64") }, { args: [] })!;
    assert.deepEqual(r.argv, ["lint", "--whole-folders", "infra/variables.tf"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /pinned-machine-image/);
  });
});
