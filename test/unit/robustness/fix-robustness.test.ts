// Regression tests for fixer bugs the fuzzer found: fixes applied to files that do not parse.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter, type ResolvedConfig } from "../../../server/src/engine/index.ts";

const host = { readFile: () => undefined };

describe("fixing files with syntax errors", () => {
  let linter: Linter;
  let config: ResolvedConfig;
  before(async () => {
    linter = await createLinter();
    config = defaultConfig(linter.rules);
  });

  // Fuzz seed 1, iteration 59: tree-sitter's error recovery closed the block early, so each pass
  // appended a lifecycle block after it, the finding stayed, and ten passes appended ten blocks.
  it("leaves a file with a broken attribute unchanged instead of appending a block per pass", async () => {
    const input = { path: "/m/main.tf", text: 'resource "aws_instance" "web" {\n  ami = rce "aws_"ami-0abc"\n}\n' };
    const { changed, result } = await linter.fix([input], config, host, ["safe"]);
    assert.equal(changed.size, 0, `fixed text:\n${changed.get(input.path)}`);
    assert.ok(
      result.findings.some((f) => f.ruleId === "hcl-syntax"),
      "the syntax error is still reported",
    );
  });

  // Fuzz seed 1, iteration 34: a stray comma in the lifecycle block hid it from the rule, so the fix
  // added a second lifecycle block on every pass.
  it("does not add a lifecycle block beside a broken one", async () => {
    const text =
      'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n\n  lifecycle {,\n    create_before_destroy = true\n  }\n}\n';
    const { changed } = await linter.fix([{ path: "/m/main.tf", text }], config, host, ["safe"]);
    assert.equal(changed.size, 0, `fixed text:\n${changed.get("/m/main.tf")}`);
  });

  // Fuzz seed 2026, iteration 6710: tree-sitter accepts `file(...)le {` without an error (HashiCorp's
  // parser does not), the require-user-data-replace fix lands where the rule never sees it, and each
  // of the ten passes added another `user_data_replace_on_change = true`.
  it("leaves a file unchanged when its fixes do not converge", async () => {
    const text =
      'resource "aws_instance" "web" {\n  ami           = var.web_ami\n  instance_type = "t3.micro"\n  user_data     = file("${path.module}/boot.sh")le {\n    create_before_destroy = true\n  }\n}\n';
    const { changed, result } = await linter.fix([{ path: "/m/main.tf", text }], config, host, ["safe"]);
    assert.equal(changed.size, 0, `fixed text:\n${changed.get("/m/main.tf")}`);
    assert.ok(result.findings.length > 0, "the findings of the unchanged file are still reported");
  });

  it("still fixes a file that parses, and fixing it again changes nothing", async () => {
    const input = { path: "/m/main.tf", text: 'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n}\n' };
    const once = await linter.fix([input], config, host, ["safe"]);
    const fixed = once.changed.get(input.path);
    assert.equal(
      fixed,
      'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    );
    const twice = await linter.fix([{ path: input.path, text: fixed }], config, host, ["safe"]);
    assert.equal(twice.changed.size, 0);
  });
});
