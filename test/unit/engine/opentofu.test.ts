// OpenTofu's own file names (.tofu, .tofu.json) are Terraform configuration, in the engine and in the CLI.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, fileRole } from "../../../server/src/engine/index.ts";
import { runCli as run, workspace } from "../../helpers/cli.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';
const SLUG = 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n';

describe("OpenTofu files", () => {
  it("are Terraform configuration", () => {
    assert.equal(fileRole("/m/main.tofu"), "terraform");
    assert.equal(fileRole("/m/main.tofu.json"), "terraform");
  });

  it("join the .tf files of their folder in one module", async () => {
    const linter = await createLinter();
    const { findings } = await linter.lint(
      [
        { path: "/m/main.tofu", text: DROPLET },
        { path: "/m/variables.tf", text: SLUG },
      ],
      defaultConfig(linter.rules),
      { readFile: () => undefined },
    );
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path]),
      [["pinned-machine-image", "/m/main.tofu"]],
    );
  });

  it("are found and linted by the CLI, in both syntaxes, with HashiCorp's message for a syntax error", () => {
    const dir = workspace({
      "main.tofu": DROPLET,
      "variables.tofu.json": JSON.stringify({ variable: { image: { default: "ubuntu-22-04-x64" } } }),
      "broken/main.tofu": 'locals {\n  a = [1,\n}\n',
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
