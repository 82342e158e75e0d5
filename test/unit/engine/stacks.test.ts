// Terraform Stacks component configurations (.tfcomponent.hcl) are linted for pinned sources; test and deployment files are not linted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, fileRole, isLintablePath } from "../../../server/src/engine/index.ts";
import { runCli as run, workspace } from "../../helpers/cli.ts";

const COMPONENTS =
  'required_providers {\n  aws = {\n    source  = "hashicorp/aws"\n    version = "~> 5.7"\n  }\n}\n\n' +
  'provider "aws" "this" {\n  config {\n    region = var.region\n  }\n}\n\nvariable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n\n' +
  'component "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n\n  inputs = {\n    cidr = "10.0.0.0/16"\n  }\n  providers = {\n    aws = provider.aws.this\n  }\n}\n\n' +
  'component "web" {\n  source  = "app.terraform.io/acme/web/aws"\n  version = "2.1.0"\n}\n\n' +
  'component "db" {\n  source = "./modules/db"\n}\n\n' +
  'stack "network" {\n  source = "app.terraform.io/acme/network"\n}\n';

describe("Terraform Stacks files", () => {
  it("component configurations are read; test and deployment files are not", () => {
    assert.equal(fileRole("/s/components.tfcomponent.hcl"), "terraform-stack");
    assert.ok(isLintablePath("/s/components.tfcomponent.hcl"));
    for (const p of ["/s/deployments.tfdeploy.hcl", "/m/tests/web.tftest.hcl", "/m/tests/web.tofutest.hcl", "/m/tests/aws.tfmock.hcl"]) {
      assert.equal(fileRole(p), "other", p);
      assert.ok(!isLintablePath(p), p);
    }
  });

  it("a component's registry source without a version is a pinned-module-source finding, at its source", async () => {
    const linter = await createLinter();
    const { findings } = await linter.lint([{ path: "/s/components.tfcomponent.hcl", text: COMPONENTS }], defaultConfig(linter.rules), {
      readFile: () => undefined,
    });
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.range.start.line + 1, f.range.start.character + 1, f.message]),
      [
        [
          "pinned-module-source",
          20,
          3,
          'component.vpc source "terraform-aws-modules/vpc/aws" comes from the module registry without a version: each terraform init may install a newer release. Add version = "<the release you tested>".',
        ],
      ],
    );
  });

  it("are a configuration of their own: the .tf module beside them is linted apart", async () => {
    const linter = await createLinter();
    const droplet = 'resource "digitalocean_droplet" "web" {\n  image = "123456789"\n}\n';
    const { findings } = await linter.lint(
      [
        { path: "/s/main.tf", text: droplet },
        { path: "/s/components.tfcomponent.hcl", text: COMPONENTS },
      ],
      defaultConfig(linter.rules),
      { readFile: () => undefined },
    );
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path]),
      [
        ["pinned-module-source", "/s/components.tfcomponent.hcl"],
        ["require-create-before-destroy", "/s/main.tf"],
      ],
    );
  });

  it("the CLI finds component configurations and leaves test and deployment files alone, even broken ones", () => {
    const dir = workspace({
      "stack/components.tfcomponent.hcl": COMPONENTS,
      "stack/deployments.tfdeploy.hcl": 'deployment "prod" {\n  inputs = {\n',
      "tests/web.tftest.hcl": 'run "plan" {\n',
    });
    const r = run(["lint", "--format", "json", "."], dir);
    assert.equal(r.code, 0, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; path: string }> }).findings;
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path]),
      [["pinned-module-source", "stack/components.tfcomponent.hcl"]],
    );
  });
});
