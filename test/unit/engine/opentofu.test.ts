// OpenTofu's own file names (.tofu, .tofu.json) are Terraform configuration, loaded exactly as each tool loads them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConfigurationError,
  createLinter,
  defaultConfig,
  fileRole,
  parseConfig,
  type LintHost,
  type ResolvedConfig,
  type SourceInput,
} from "../../../server/src/engine/index.ts";
import { runCli as run, workspace } from "../../helpers/cli.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';
const SLUG = 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n';
/** A variable whose default is a pinned snapshot ID, so that DROPLET has no finding. */
const PINNED = 'variable "image" {\n  default = "123456789"\n}\n';
/** A resource without create_before_destroy: one `require-create-before-destroy` finding. */
const BARE = 'resource "digitalocean_droplet" "web" {\n  image = "123456789"\n}\n';

const noHost: LintHost = { readFile: () => undefined };

async function lint(inputs: SourceInput[], config?: (rules: ResolvedConfig) => ResolvedConfig) {
  const linter = await createLinter();
  const base = defaultConfig(linter.rules);
  return linter.lint(inputs, config ? config(base) : base, noHost);
}
const summary = (findings: Array<{ ruleId: string; path: string }>) => findings.map((f) => [f.ruleId, f.path]);

describe("OpenTofu files", () => {
  it("are Terraform configuration", () => {
    assert.equal(fileRole("/m/main.tofu"), "terraform");
    assert.equal(fileRole("/m/main.tofu.json"), "terraform");
  });

  it("join the .tf files of their folder in one module", async () => {
    const { findings } = await lint([
      { path: "/m/main.tofu", text: DROPLET },
      { path: "/m/variables.tf", text: SLUG },
    ]);
    assert.deepEqual(summary(findings), [["pinned-machine-image", "/m/main.tofu"]]);
  });

  it("are found and linted by the CLI, in both syntaxes, with HashiCorp's message for a syntax error", () => {
    const dir = workspace({
      "main.tofu": DROPLET,
      "variables.tofu.json": JSON.stringify({ variable: { image: { default: "ubuntu-22-04-x64" } } }),
      "broken/main.tofu": "locals {\n  a = [1,\n}\n",
    });
    const r = run(["lint", "--format", "json", "."], dir);
    assert.equal(r.code, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; path: string; message: string }> }).findings;
    assert.match(findings[0].message, /^Invalid expression: Expected the start of an expression/);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path]),
      [
        ["hcl-syntax", "broken/main.tofu"],
        ["pinned-machine-image", "main.tofu"],
      ],
    );
  });
});

describe("extension precedence (OpenTofu)", () => {
  it("foo.tofu shadows foo.tf: the .tf file gets no findings and contributes no values", async () => {
    const result = await lint([
      { path: "/m/main.tofu", text: DROPLET },
      { path: "/m/main.tf", text: BARE },
      { path: "/m/variables.tofu", text: PINNED },
      { path: "/m/variables.tf", text: SLUG },
    ]);
    assert.deepEqual(summary(result.findings), []);
    assert.deepEqual(result.notLoaded, [
      { path: "/m/main.tf", reason: "OpenTofu reads main.tofu instead of this file" },
      { path: "/m/variables.tf", reason: "OpenTofu reads variables.tofu instead of this file" },
    ]);
    assert.deepEqual(
      result.files.map((f) => f.path),
      ["/m/main.tofu", "/m/variables.tofu"],
    );
  });

  it("foo.tofu.json shadows foo.tf.json, and a syntax error in the shadowed file is not reported", async () => {
    const result = await lint([
      { path: "/m/main.tofu", text: DROPLET },
      { path: "/m/variables.tofu.json", text: JSON.stringify({ variable: { image: { default: "ubuntu-22-04-x64" } } }) },
      { path: "/m/variables.tf.json", text: '{"variable": {' },
    ]);
    assert.deepEqual(summary(result.findings), [["pinned-machine-image", "/m/main.tofu"]]);
    assert.deepEqual(result.notLoaded, [
      { path: "/m/variables.tf.json", reason: "OpenTofu reads variables.tofu.json instead of this file" },
    ]);
  });

  it("pairs only within one syntax: foo.tofu does not shadow foo.tf.json", async () => {
    const result = await lint([
      { path: "/m/main.tofu", text: DROPLET },
      { path: "/m/main.tf.json", text: JSON.stringify({ variable: { image: { default: "ubuntu-22-04-x64" } } }) },
    ]);
    assert.deepEqual(summary(result.findings), [["pinned-machine-image", "/m/main.tofu"]]);
    assert.deepEqual(result.notLoaded, []);
  });

  it("applies to override files: foo_override.tofu shadows foo_override.tf", async () => {
    const result = await lint([
      { path: "/m/main.tofu", text: BARE },
      { path: "/m/web_override.tf", text: "broken {\n" },
      { path: "/m/web_override.tofu", text: "# nothing\n" },
    ]);
    assert.deepEqual(summary(result.findings), [["require-create-before-destroy", "/m/main.tofu"]]);
    assert.deepEqual(result.notLoaded, [{ path: "/m/web_override.tf", reason: "OpenTofu reads web_override.tofu instead of this file" }]);
  });

  it("is decided per folder in auto mode: a folder without .tofu files is loaded whole", async () => {
    const result = await lint([
      { path: "/a/main.tofu", text: BARE },
      { path: "/a/main.tf", text: BARE },
      { path: "/b/main.tf", text: BARE },
    ]);
    assert.deepEqual(summary(result.findings), [
      ["require-create-before-destroy", "/a/main.tofu"],
      ["require-create-before-destroy", "/b/main.tf"],
    ]);
  });

  it("applies to a called module, read through the host", async () => {
    const files: Record<string, string> = {
      "/r/modules/web/main.tf": 'variable "image" {}\nresource "digitalocean_droplet" "web" {\n  image = var.image\n}\n',
      "/r/modules/web/main.tofu":
        'variable "image" {}\nresource "digitalocean_droplet" "web" {\n  image = var.image\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    };
    const host: LintHost = {
      readFile: (p) => files[p],
      readRoot: () => "/r",
      listFiles: (dir) => (dir === "/r/modules/web" ? ["main.tf", "main.tofu"] : undefined),
    };
    const linter = await createLinter();
    const call = 'module "web" {\n  source = "./modules/web"\n  image  = "ubuntu-22-04-x64"\n}\n';
    const { findings } = await linter.lint([{ path: "/r/main.tf", text: call }], defaultConfig(linter.rules), host);
    // Only the .tofu module's resource is instantiated: the floating image is reported once, and the
    // .tf file's missing create_before_destroy is not.
    assert.deepEqual(summary(findings), [["pinned-machine-image", "/r/main.tf"]]);
  });
});

describe("language setting", () => {
  const terraform = (config: ResolvedConfig): ResolvedConfig => ({ ...config, language: "terraform" });

  it('language = "terraform": .tofu files are not Terraform\'s and are not loaded', async () => {
    const result = await lint(
      [
        { path: "/m/main.tofu", text: DROPLET },
        { path: "/m/main.tf", text: BARE },
        { path: "/m/extra.tofu", text: BARE.replace('"web"', '"extra"') },
      ],
      terraform,
    );
    assert.deepEqual(summary(result.findings), [["require-create-before-destroy", "/m/main.tf"]]);
    assert.deepEqual(result.notLoaded, [
      { path: "/m/extra.tofu", reason: 'Terraform does not read .tofu files (language = "terraform")' },
      { path: "/m/main.tofu", reason: 'Terraform does not read .tofu files (language = "terraform")' },
    ]);
  });

  it('language = "opentofu" applies precedence in every folder', async () => {
    const result = await lint([{ path: "/m/main.tf", text: BARE }], (c) => ({ ...c, language: "opentofu" }));
    assert.deepEqual(summary(result.findings), [["require-create-before-destroy", "/m/main.tf"]]);
  });

  it("is read from .immutably.hcl and validated", async () => {
    const linter = await createLinter();
    assert.equal(parseConfig("/w/.immutably.hcl", "", linter.rules).language, "auto");
    assert.equal(parseConfig("/w/.immutably.hcl", 'language = "opentofu"\n', linter.rules).language, "opentofu");
    assert.throws(
      () => parseConfig("/w/.immutably.hcl", '\nlanguage = "tofu"\n', linter.rules),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message === '/w/.immutably.hcl:2:1: "language" must be "auto", "terraform" or "opentofu", got "tofu"',
    );
  });
});

describe("the CLI on a folder holding both tools' files", () => {
  const files = {
    "main.tf": BARE,
    "main.tofu": DROPLET,
    "variables.tf": PINNED,
    "variables.tofu": SLUG,
  };
  const findings = (dir: string) => {
    const r = run(["lint", "--format", "json", "."], dir);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    return (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; path: string }> }).findings.map((f) => [f.ruleId, f.path]);
  };

  it("reports exactly what OpenTofu reads (auto)", () => {
    assert.deepEqual(findings(workspace(files)), [["pinned-machine-image", "main.tofu"]]);
  });

  it('reports exactly what Terraform reads with language = "terraform"', () => {
    assert.deepEqual(findings(workspace({ ...files, ".immutably.hcl": 'language = "terraform"\n' })), [
      ["require-create-before-destroy", "main.tf"],
    ]);
  });

  it("reports a wrong language as a configuration error", () => {
    const r = run(["lint", "."], workspace({ ...files, ".immutably.hcl": 'language = "tofu"\n' }));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"language" must be "auto", "terraform" or "opentofu", got "tofu"/);
  });
});

describe("OpenTofu language features", () => {
  // Each construct below is OpenTofu's own (or newer than some Terraform versions); each must parse
  // without an hcl-syntax finding, and its values must resolve where a rule reads them.
  const CONSTRUCTS = [
    // Provider iteration (OpenTofu 1.9): for_each on a provider, instances chosen by key.
    'variable "regions" {\n  default = { east = "us-east-1", west = "us-west-2" }\n}\n\nprovider "aws" {\n  alias    = "by_region"\n  for_each = var.regions\n  region   = each.value\n}\n',
    'resource "aws_s3_bucket" "logs" {\n  for_each = var.regions\n  provider = aws.by_region[each.key]\n  bucket   = "logs-${each.key}"\n}\n',
    // Early evaluation (OpenTofu 1.8): variables and locals in the backend and in module sources.
    'variable "state_bucket" {\n  default = "tf-state"\n}\n\nterraform {\n  backend "s3" {\n    bucket = var.state_bucket\n    key    = "${local.env}/terraform.tfstate"\n  }\n}\n',
    // State encryption (OpenTofu 1.7).
    'terraform {\n  encryption {\n    key_provider "pbkdf2" "main" {\n      passphrase = var.passphrase\n    }\n    method "aes_gcm" "main" {\n      keys = key_provider.pbkdf2.main\n    }\n    state {\n      method   = method.aes_gcm.main\n      enforced = true\n    }\n  }\n}\n',
    // The enabled meta-argument (OpenTofu 1.11), removed blocks, import with for_each, deprecated variables.
    'resource "aws_instance" "opt" {\n  ami           = "ami-0123456789abcdef0"\n  instance_type = "t3.micro"\n\n  lifecycle {\n    enabled               = var.create\n    create_before_destroy = true\n  }\n}\n',
    "removed {\n  from = aws_instance.old\n\n  lifecycle {\n    destroy = false\n  }\n}\n\nimport {\n  for_each = var.instance_ids\n  to       = aws_instance.imported[each.key]\n  id       = each.value\n}\n",
    'variable "passphrase" {\n  type       = string\n  sensitive  = true\n  deprecated = "Use the key management service."\n}\n',
    // Provider-defined functions (both tools), ephemeral resources and check blocks.
    'locals {\n  env    = "prod"\n  region = provider::aws::arn_parse(var.role_arn).region\n}\n\nephemeral "random_password" "db" {\n  length = 16\n}\n\ncheck "health" {\n  assert {\n    condition     = local.env != ""\n    error_message = "No environment."\n  }\n}\n',
  ];

  it("parse without syntax errors", async () => {
    const { findings } = await lint(CONSTRUCTS.map((text, i) => ({ path: `/m/c${i}.tofu`, text })));
    assert.deepEqual(
      findings.filter((f) => f.ruleId === "hcl-syntax"),
      [],
    );
  });

  it("a module source and version given through variables, locals and tfvars are judged by their values (early evaluation)", async () => {
    const main =
      'variable "vpc_source" {}\n\nvariable "vpc_version" {\n  default = null\n}\n\nlocals {\n  network = "git::https://example.com/infra/network.git?ref=${var.network_ref}"\n}\n\nvariable "network_ref" {\n  default = "main"\n}\n\n' +
      'module "vpc" {\n  source  = var.vpc_source\n  version = var.vpc_version\n}\n\nmodule "network" {\n  source = local.network\n}\n';
    const { findings } = await lint([
      { path: "/m/main.tofu", text: main },
      { path: "/m/terraform.tfvars", text: 'vpc_source = "terraform-aws-modules/vpc/aws"\n' },
    ]);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.range.start.line + 1, f.related?.[0]?.path]),
      [
        ["pinned-module-source", 16, "/m/terraform.tfvars"],
        ["pinned-module-source", 21, "/m/main.tofu"],
      ],
    );
  });
});
