// `immutably lint --format sarif` passes Microsoft's SARIF validator with GitHub's rules (Gh;Sarif), for every kind of result.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli, workspace } from "../../helpers/cli.ts";
import { validateSarif } from "../../helpers/sarif-multitool.ts";

/** A workspace whose SARIF holds each shape the formatter writes: fixes (edits and a new file), related locations, syntax errors, read problems, unused suppressions. */
function richWorkspace(): string {
  return workspace({
    "main.tf":
      'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n\n# immutably-ignore: pinned-container-image -- nothing to suppress here\nresource "aws_instance" "app" {\n  ami       = "ami-0123456789abcdef0"\n  user_data = "#!/bin/sh\\napt-get install -y nginx\\n"\n}\n',
    "variables.tf": 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n',
    "broken.tf": 'resource "aws_instance" "x" {\n  ami = \n}\n',
    "binary.tf": Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]),
    "images/web.pkr.hcl":
      'source "amazon-ebs" "web" {\n  ami_name      = "web"\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  source_ami    = "ami-0123456789abcdef0"\n}\n\nbuild {\n  sources = ["source.amazon-ebs.web"]\n}\n',
  });
}

/**
 * What the validator reports, less the one warning expected: SARIF2005 asks for the tool's
 * informationUri, and the project has no public web address to give (a path on the CI machine would
 * mean nothing to a code-scanning page). Any other result, SARIF2005's other checks included, stays.
 */
function validateExceptAddress(file: string): ReturnType<typeof validateSarif> {
  const found = validateSarif(file);
  const address = found.filter((r) => r.ruleId === "SARIF2005" && r.messageId === "Warning_ProvideToolnformationUri");
  assert.equal(address.length, 1, JSON.stringify(found));
  return found.filter((r) => !address.includes(r));
}

function lintToSarif(
  cwd: string,
  args: string[],
): {
  file: string;
  log: {
    runs: {
      results: { ruleId: string; fixes?: unknown[]; relatedLocations?: unknown[] }[];
      invocations: { toolExecutionNotifications: unknown[] }[];
      tool: { driver: { rules: { id: string; name?: string }[] } };
    }[];
  };
} {
  const r = runCli(["lint", "--format", "sarif", "--report-unused-ignores", ...args], cwd);
  assert.ok(r.code === 0 || r.code === 1, `lint exited ${r.code}: ${r.stderr}`);
  const file = path.join(cwd, "out.sarif");
  fs.writeFileSync(file, r.stdout);
  return { file, log: JSON.parse(r.stdout) };
}

test("the SARIF of every result shape passes the validator's GitHub and SARIF rules with no result", () => {
  const dir = richWorkspace();
  const { file, log } = lintToSarif(dir, ["."]);
  const run = log.runs[0];
  // The workspace must really produce each shape, or passing the validator would prove little.
  assert.ok(
    run.results.some((r) => r.fixes?.length),
    "a result with a fix",
  );
  assert.ok(
    run.results.some((r) => r.relatedLocations?.length),
    "a result with related locations",
  );
  assert.ok(
    run.results.some((r) => r.ruleId === "hcl-syntax"),
    "a syntax error",
  );
  assert.ok(run.invocations[0].toolExecutionNotifications.length > 0, "a file that could not be read");
  assert.deepEqual(validateExceptAddress(file), []);
});

test("files linted outside the working folder (absolute file: URIs) pass the validator too", () => {
  const dir = richWorkspace();
  const elsewhere = workspace({});
  const { file, log } = lintToSarif(elsewhere, [dir]);
  assert.ok(log.runs[0].results.length > 0);
  assert.deepEqual(validateExceptAddress(file), []);
});

test("the validator catches a rule whose name repeats its id (SARIF1001), so the checks above can fail", () => {
  const dir = richWorkspace();
  const { file, log } = lintToSarif(dir, ["."]);
  for (const rule of log.runs[0].tool.driver.rules) rule.name = rule.id;
  fs.writeFileSync(file, JSON.stringify(log));
  const found = validateSarif(file);
  assert.equal(
    found.filter((r) => r.ruleId === "SARIF1001").length,
    log.runs[0].tool.driver.rules.length,
    JSON.stringify(found.slice(0, 3)),
  );
});
