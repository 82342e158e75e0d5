// Tests for no-static-template-name (HCL and JSON syntax, names through variables, locals and tfvars, alignment kept).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findingsOf, ruleTester } from "../../helpers/rule-tester.ts";

ruleTester("no-static-template-name", {
  valid: [
    { name: "name_prefix", code: 'resource "aws_launch_configuration" "web" {\n  name_prefix = "web-"\n}\n' },
    { name: "no name at all", code: 'resource "google_compute_instance_template" "web" {\n  machine_type = "e2-small"\n}\n' },
    {
      name: "name computed at apply time",
      code: 'resource "google_compute_instance_template" "web" {\n  name = "web-${random_id.gen.hex}"\n}\n',
    },
    { name: "unresolvable variable is trusted", code: 'resource "aws_launch_configuration" "web" {\n  name = var.lc_name\n}\n' },
    { name: "launch templates are versioned in place", code: 'resource "aws_launch_template" "web" {\n  name = "web"\n}\n' },
    { name: "other resource types", code: 'resource "google_compute_instance" "web" {\n  name = "web"\n}\n' },
    { name: "data sources are not templates", code: 'data "google_compute_instance_template" "web" {\n  name = "web"\n}\n' },
    {
      name: "JSON syntax with name_prefix",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_launch_configuration": {\n      "web": { "name_prefix": "web-" }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "AWS launch configuration",
      code: 'resource "aws_launch_configuration" "web" {\n  name          = "web-lc"\n  image_id      = var.ami\n  instance_type = "t3.micro"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 27,
          message:
            'aws_launch_configuration.web has the fixed name "web-lc": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output:
        'resource "aws_launch_configuration" "web" {\n  name_prefix   = "web-lc"\n  image_id      = var.ami\n  instance_type = "t3.micro"\n}\n',
    },
    {
      name: "GCP instance template, padding too narrow to keep alignment",
      code: 'resource "google_compute_instance_template" "web" {\n  name = "web"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 15,
          message:
            'google_compute_instance_template.web has the fixed name "web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output: 'resource "google_compute_instance_template" "web" {\n  name_prefix = "web"\n}\n',
    },
    {
      name: "regional GCP instance template",
      code: 'resource "google_compute_region_instance_template" "web" {\n  name   = "web"\n  region = "europe-west1"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 17,
          message:
            'google_compute_region_instance_template.web has the fixed name "web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output: 'resource "google_compute_region_instance_template" "web" {\n  name_prefix = "web"\n  region      = "europe-west1"\n}\n',
    },
    {
      name: "a template made only of literals is static",
      code: 'resource "aws_launch_configuration" "web" {\n  name = "web-${"v1"}"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 23,
          message:
            'aws_launch_configuration.web has the fixed name "web-v1": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output: 'resource "aws_launch_configuration" "web" {\n  name_prefix = "web-${"v1"}"\n}\n',
    },
    {
      name: "name from a variable default: reported at the attribute, the reference is kept",
      code: 'variable "template_name" {\n  default = "web"\n}\n\nresource "google_compute_instance_template" "web" {\n  name = var.template_name\n}\n',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 27,
          message:
            'google_compute_instance_template.web has the fixed name "web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output:
        'variable "template_name" {\n  default = "web"\n}\n\nresource "google_compute_instance_template" "web" {\n  name_prefix = var.template_name\n}\n',
    },
    {
      name: "name from terraform.tfvars through a local",
      code: 'locals {\n  lc = "${var.env}-web"\n}\n\nresource "aws_launch_configuration" "web" {\n  name = local.lc\n}\n',
      files: { "variables.tf": 'variable "env" {}\n', "terraform.tfvars": 'env = "prod"\n' },
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 18,
          message:
            'aws_launch_configuration.web has the fixed name "prod-web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output: 'locals {\n  lc = "${var.env}-web"\n}\n\nresource "aws_launch_configuration" "web" {\n  name_prefix = local.lc\n}\n',
    },
    {
      name: "GCP name longer than name_prefix allows: reported without a fix",
      code: `resource "google_compute_instance_template" "web" {\n  name = "${"a".repeat(55)}"\n}\n`,
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 67,
          message:
            'google_compute_instance_template.web has the fixed name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
    },
    {
      name: "name beside name_prefix: reported without a fix",
      code: 'resource "aws_launch_configuration" "web" {\n  name        = "web"\n  name_prefix = "web-"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 22,
          message:
            'aws_launch_configuration.web has the fixed name "web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
    },
    {
      name: "CRLF line endings are kept",
      code: 'resource "aws_launch_configuration" "web" {\r\n  name     = "web"\r\n  image_id = "ami-0123456789abcdef0"\r\n}\r\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 19,
          message:
            'aws_launch_configuration.web has the fixed name "web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output: 'resource "aws_launch_configuration" "web" {\r\n  name_prefix = "web"\r\n  image_id    = "ami-0123456789abcdef0"\r\n}\r\n',
    },
    {
      name: "JSON syntax renames the key",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "google_compute_instance_template": {\n      "web": {\n        "name": "web",\n        "machine_type": "e2-small"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 22,
          message:
            'google_compute_instance_template.web has the fixed name "web": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.',
        },
      ],
      output:
        '{\n  "resource": {\n    "google_compute_instance_template": {\n      "web": {\n        "name_prefix": "web",\n        "machine_type": "e2-small"\n      }\n    }\n  }\n}\n',
    },
  ],
});

describe("no-static-template-name origins", () => {
  it("names the tfvars entry a name came from", async () => {
    const findings = await findingsOf("no-static-template-name", {
      "main.tf": 'variable "lc_name" {}\n\nresource "aws_launch_configuration" "web" {\n  name = var.lc_name\n}\n',
      "terraform.tfvars": 'lc_name = "web"\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 3);
    assert.deepEqual(
      findings[0].related?.map((o) => ({ path: o.path, line: o.range.start.line, description: o.description })),
      [{ path: "/virtual/module/terraform.tfvars", line: 0, description: "terraform.tfvars (lc_name)" }],
    );
  });
  it("names no origin for a name written in place", async () => {
    const findings = await findingsOf("no-static-template-name", {
      "main.tf": 'resource "aws_launch_configuration" "web" {\n  name = "web"\n}\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].related, undefined);
  });
});
