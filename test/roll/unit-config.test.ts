// Unit tests for `generation` blocks: a full valid block, errors that name file/line/block/attribute, and refused paths and names.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ConfigurationError } from "../../server/src/engine/config.ts";
import { initParsers } from "../../server/src/engine/parse.ts";
import { findConfigFile, parseRollConfig } from "../../server/src/roll/config.ts";
import { tempDir } from "./helpers.ts";

let dir = "";
before(async () => {
  await initParsers();
  dir = tempDir("config");
  fs.mkdirSync(path.join(dir, "images"));
  fs.mkdirSync(path.join(dir, "infra"));
  fs.writeFileSync(path.join(dir, "images/web.pkr.hcl"), "");
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const parse = (text: string) => parseRollConfig(path.join(dir, ".immutably.hcl"), text);
function errorsOf(text: string): string {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, String(error));
    return error.message;
  }
  assert.fail("expected a configuration error");
}

test("a full generation block reads into typed settings", () => {
  const config = parse(`
rule "x" { enabled = false }
ignore_paths = ["vendor/**"]
generation "web" {
  packer_template = "images/web.pkr.hcl"
  packer_vars     = { region = "eu-west-1", count = 2 }
  terraform_dir   = "infra"
  image_variable  = "web_image_id"
  strategy        = "terraform"
  cloud           = { region = "eu-west-1", profile = "prod" }
  keep            = 3
  retire          = "destroy"
  verify {
    command = ["./scripts/smoke.sh", "--quick"]
    timeout = "5m"
  }
}`);
  const g = config.generations[0];
  assert.equal(g.name, "web");
  assert.equal(g.packerTemplate, path.join(dir, "images/web.pkr.hcl"));
  assert.deepEqual(g.packerVars, { region: "eu-west-1", count: "2" });
  assert.deepEqual(g.settings, { terraform_dir: path.join(dir, "infra"), image_variable: "web_image_id" });
  assert.deepEqual(g.cloud, { region: "eu-west-1", profile: "prod" });
  assert.deepEqual(g.verify, { command: ["./scripts/smoke.sh", "--quick"], http: undefined, timeoutMs: 300_000 });
  assert.equal(g.packerManifest, path.join(dir, "images/packer-manifest.json"));
  assert.equal(g.line, 4);
});

test("an error names the file, line, block, attribute and what is expected", () => {
  const message = errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "img"
  keep            = "three"
}`);
  assert.match(
    message,
    new RegExp(
      `${dir.replace(/[/.]/g, "\\$&")}/\\.immutably\\.hcl:5:3: generation "web", attribute "keep": expected a whole number from 1 to 1000 \\(images kept by prune\\), got string "three"`,
    ),
  );
});

test("missing attributes, unknown attributes, bad strategy and retire are each reported", () => {
  const message = errorsOf(`generation "web" {
  colour   = "blue"
  strategy = "blue-green"
  retire   = "burn"
}`);
  assert.match(message, /attribute "packer_template" is required/);
  assert.match(message, /attribute "colour": unknown attribute/);
  assert.match(
    message,
    /attribute "strategy": expected one of terraform \| aws-instance-refresh \| gcp-mig \| azure-vmss, got "blue-green"/,
  );
  assert.match(message, /attribute "retire": expected "destroy" or "isolate", got "burn"/);
});

test("cloud strategies need a valid target and their cloud keys", () => {
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "gcp-mig"
  target   = "Web MIG"
}`),
    /attribute "target": expected a Compute Engine name[^]*needs cloud = \{ project/,
  );
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "aws-instance-refresh"
}`),
    /"target" is required by strategy "aws-instance-refresh"/,
  );
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "azure-vmss"
  target   = "web"
  cloud    = { resource_group = "rg" }
  retire   = "isolate"
}`),
    /"isolate" is not supported by strategy "azure-vmss"/,
  );
});

test("paths that leave the config's folder are refused, including through a symlink", () => {
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "../outside.pkr.hcl"
  terraform_dir   = "/etc"
  image_variable  = "img"
}`),
    /attribute "packer_template": the path "\.\.\/outside\.pkr\.hcl" leaves the folder[^]*attribute "terraform_dir": the path "\/etc" leaves the folder/,
  );
  fs.symlinkSync("/tmp", path.join(dir, "escape"));
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "escape"
  image_variable  = "img"
}`),
    /resolves through a symbolic link to \/tmp/,
  );
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "img"
  verify { command = ["../../bin/evil"] }
}`),
    /block "verify", attribute "command": the program "..\/..\/bin\/evil" leaves the folder/,
  );
});

test("names and variables that could become options or shell code are refused", () => {
  for (const name of ["-web", "web app", "web;id", "$(id)", "web\\nx"]) {
    assert.match(errorsOf(`generation "${name}" { packer_template = "images/web.pkr.hcl" }`), /the name is not valid/, name);
  }
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  packer_vars = { "-force" = "x" }
  terraform_dir = "infra"
  image_variable = "-var"
  cloud = { region = "--debug", endpoint_url = "file:///etc/passwd" }
}`),
    /variable name "-force" is not valid[^]*attribute "image_variable": expected a Terraform\/Packer identifier[^]*key "region": "--debug" is not valid/,
  );
});

test("references and duplicate names are errors; verify needs command or http", () => {
  assert.match(
    errorsOf(`generation "web" {
  packer_template = var.template
}`),
    /attribute "packer_template": expected a literal value/,
  );
  assert.match(
    errorsOf(`generation "a" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir = "infra"
  image_variable = "img"
}
generation "a" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir = "infra"
  image_variable = "img"
}`),
    /declared twice/,
  );
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir = "infra"
  image_variable = "img"
  verify { timeout = "soon" }
}`),
    /block "verify": expected a command = \[...\] or an http[^]*attribute "timeout": expected a duration/,
  );
});

test("findConfigFile looks in the folder and its parents", () => {
  fs.writeFileSync(path.join(dir, ".immutably.hcl"), "");
  assert.equal(findConfigFile(path.join(dir, "infra")), path.join(dir, ".immutably.hcl"));
});

test("a verify URL with credentials is a configuration error (they would be printed and stored)", () => {
  assert.match(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "img"
  verify { http = "https://deploy:s3cret@web.example.com/healthz" }
}`),
    /block "verify", attribute "http": the URL carries credentials \(user:password@\)/,
  );
  assert.doesNotMatch(
    errorsOf(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "img"
  verify { http = "https://deploy:s3cret@web.example.com/healthz" }
}`),
    /s3cret/,
    "the message does not repeat the secret",
  );
});

test("the terraform strategy refuses to run terraform on a folder OpenTofu reads (it would apply another configuration)", () => {
  const infra = tempDir("config-tofu");
  const config = path.join(infra, ".immutably.hcl");
  fs.mkdirSync(path.join(infra, "images"));
  fs.writeFileSync(path.join(infra, "images/web.pkr.hcl"), "");
  fs.mkdirSync(path.join(infra, "infra"));
  fs.writeFileSync(path.join(infra, "infra/main.tf"), "");
  fs.writeFileSync(path.join(infra, "infra/main.tofu"), "");
  const block = (tool: string, top = "") => `${top}
generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "web_image_id"
${tool}
}`;
  const errors = (text: string) => {
    try {
      parseRollConfig(config, text);
    } catch (error) {
      assert.ok(error instanceof ConfigurationError, String(error));
      return error.message;
    }
    return "";
  };
  try {
    const expected = `terraform does not read main.tofu in ${path.join(infra, "infra")}, which OpenTofu reads instead of main.tf: terraform would plan and apply another configuration than the one OpenTofu loads; set tool = "tofu"`;
    assert.equal(errors(block('  tool            = "terraform"')), `${config}:6:3: generation "web", attribute "tool": ${expected}`);
    assert.equal(errors(block("")), `${config}:2:1: generation "web": attribute "tool": ${expected}`);
    assert.equal(errors(block('  tool            = "tofu"')), "");
    // language = "terraform" says the .tofu files are not this configuration's: terraform may run.
    assert.equal(errors(block("", 'language = "terraform"\n')), "");
    // A folder without .tofu files is read alike by both tools.
    fs.rmSync(path.join(infra, "infra/main.tofu"));
    assert.equal(errors(block("")), "");
    // language = "opentofu" makes even a folder of .tf files OpenTofu's.
    assert.match(errors(block("", 'language = "opentofu"\n')), /attribute "tool": .*language = "opentofu".*set tool = "tofu"/);
  } finally {
    fs.rmSync(infra, { recursive: true, force: true });
  }
});
