// Tests for pinned-machine-image on images reached through expressions: related information, conditionals and splats over a look-up, ignore_changes.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { awsVar, doVar, latestLookup } from "../../helpers/machine-image-snippets.ts";
import { lintWithOnly, ruleTester } from "../../helpers/rule-tester.ts";

describe("pinned-machine-image related information", () => {
  async function lintModule(files: Record<string, string>) {
    const inputs = Object.entries(files).map(([name, text]) => ({ path: path.join("/virtual/module", name), text }));
    return lintWithOnly("pinned-machine-image", inputs);
  }
  it("names the tfvars line a slug came from", async () => {
    const result = await lintModule({
      "main.tf":
        'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n\nresource "digitalocean_droplet" "web" {\n  image = var.image\n}\n',
      "terraform.tfvars": 'image = "debian-12-x64"\n',
    });
    assert.equal(result.findings.length, 1);
    const [related] = result.findings[0].related ?? [];
    assert.equal(related?.path, "/virtual/module/terraform.tfvars");
    assert.equal(related?.range.start.line, 0);
    assert.equal(related?.range.start.character, 8);
  });
  it("names the data block of a most_recent lookup", async () => {
    const result = await lintModule({
      "data.tf": 'data "aws_ami" "base" {\n  most_recent = true\n  owners      = ["self"]\n}\n',
      "main.tf": 'resource "aws_instance" "web" {\n  ami = data.aws_ami.base.id\n}\n',
    });
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].path, "/virtual/module/main.tf");
    assert.equal(result.findings[0].related?.[0].path, "/virtual/module/data.tf");
    assert.equal(result.findings[0].related?.[0].description, 'data "aws_ami" "base"');
  });
});

ruleTester("pinned-machine-image", {
  title: "expressions around the image",
  valid: [
    {
      name: "a conditional whose other branch is a variable nobody set is not certain",
      code: `${latestLookup("base", "  count       = var.ami == null ? 1 : 0\n")}resource "aws_instance" "web" {\n  ami = var.enabled ? data.aws_ami.base[0].id : var.ami\n}\n`,
    },
    {
      name: "coalesce() takes the AMI the tfvars give before the lookup",
      code: `${latestLookup("base")}variable "ami" {\n  default = null\n}\n\nresource "aws_instance" "web" {\n  ami = coalesce(var.ami, data.aws_ami.base.id)\n}\n`,
      files: { "terraform.tfvars": 'ami = "ami-0123456789abcdef0"\n' },
    },
    {
      name: "a condition that is known picks the pinned branch",
      code: `${latestLookup("base")}variable "ami" {\n  default = "ami-0123456789abcdef0"\n}\n\nresource "aws_launch_template" "web" {\n  image_id = var.ami == null ? join("", data.aws_ami.base[*].id) : var.ami\n}\n`,
    },
    {
      name: 'most_recent given as the string "false"',
      code: 'data "aws_ami" "base" {\n  most_recent = "false"\n  owners      = ["amazon"]\n}\n\nresource "aws_instance" "web" {\n  ami = data.aws_ami.base.id\n}\n',
    },
    {
      name: "a module argument named for an image but given an unknown value",
      code: 'module "asg" {\n  source  = "cloudposse/ec2-autoscale-group/aws"\n  version = "0.35.1"\n\n  image_id = var.image_id\n}\n',
    },
    {
      name: "a module argument given a most_recent lookup under a name that is not an image",
      code: `${latestLookup("base")}module "tags" {\n  source  = "cloudposse/label/aws"\n  version = "0.25.0"\n\n  attributes = [data.aws_ami.base.id]\n}\n`,
    },
  ],
  invalid: [
    {
      name: 'join("", data.aws_ami.x[*].id) over an optional lookup',
      code: `${latestLookup("base", "  count       = var.enabled ? 1 : 0\n")}resource "aws_launch_template" "web" {\n  image_id = join("", data.aws_ami.base[*].id)\n}\n`,
      errors: [
        {
          line: 9,
          column: 3,
          endLine: 9,
          endColumn: 47,
          message:
            "image_id comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [{ path: "main.tf", line: 1, column: 1, endLine: 1, endColumn: 22, description: 'data "aws_ami" "base"' }],
        },
      ],
      output: `${latestLookup("base", "  count       = var.enabled ? 1 : 0\n")}resource "aws_launch_template" "web" {\n  image_id = var.web_image\n}\n${awsVar("aws_launch_template", "web")}`,
    },
    {
      name: "x.*.id[0] and an unknown condition whose other branch names no image",
      code: `${latestLookup("base")}resource "aws_instance" "a" {\n  ami = data.aws_ami.base.*.id[0]\n}\n\nresource "aws_instance" "b" {\n  ami = var.enabled ? data.aws_ami.base.id : ""\n}\n`,
      errors: [
        {
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: 34,
          message:
            "ami comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
        {
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 48,
          message:
            "ami comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output: `${latestLookup("base")}resource "aws_instance" "a" {\n  ami = var.a_image\n}\n\nresource "aws_instance" "b" {\n  ami = var.b_image\n}\n${awsVar("aws_instance", "a")}${awsVar("aws_instance", "b")}`,
    },
    {
      name: "the lookup a null variable falls back to through a local",
      code: `${latestLookup("base")}variable "ami" {\n  default = null\n}\n\nlocals {\n  ami = var.ami == null ? data.aws_ami.base.id : var.ami\n}\n\nresource "aws_instance" "web" {\n  ami = local.ami\n}\n`,
      errors: [
        {
          line: 16,
          column: 3,
          endLine: 16,
          endColumn: 18,
          message:
            "ami comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output: `${latestLookup("base")}variable "ami" {\n  default = null\n}\n\nlocals {\n  ami = var.ami == null ? data.aws_ami.base.id : var.ami\n}\n\nresource "aws_instance" "web" {\n  ami = var.web_image\n}\n${awsVar("aws_instance", "web")}`,
    },
    {
      name: "try(coalesce()) with a nonsensitive public SSM parameter as the fallback",
      code:
        'variable "ami" {\n  default = null\n}\n\ndata "aws_ssm_parameter" "al2023" {\n  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"\n}\n\n' +
        'resource "aws_instance" "web" {\n  ami = try(coalesce(var.ami, nonsensitive(data.aws_ssm_parameter.al2023.value)), null)\n}\n',
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 88,
          message:
            'ami comes from the public SSM parameter "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", which AWS points at each new release: the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.',
        },
      ],
      output:
        'variable "ami" {\n  default = null\n}\n\ndata "aws_ssm_parameter" "al2023" {\n  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"\n}\n\n' +
        `resource "aws_instance" "web" {\n  ami = var.web_image\n}\n${awsVar("aws_instance", "web")}`,
    },
    {
      name: 'most_recent given as the string "true"',
      code: 'data "aws_ami" "base" {\n  most_recent = "true"\n  owners      = ["amazon"]\n}\n\nresource "aws_instance" "web" {\n  ami = data.aws_ami.base.id\n}\n',
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 29,
          message:
            "ami comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output: `data "aws_ami" "base" {\n  most_recent = "true"\n  owners      = ["amazon"]\n}\n\nresource "aws_instance" "web" {\n  ami = var.web_image\n}\n${awsVar("aws_instance", "web")}`,
    },
  ],
});

ruleTester("pinned-machine-image", {
  title: "images Terraform ignores",
  valid: [
    {
      name: "ignore_changes = [ami]: the image never replaces the machine (no-ignore-image-changes reports it)",
      code: `${latestLookup("base")}resource "aws_instance" "web" {\n  ami = data.aws_ami.base.id\n\n  lifecycle {\n    ignore_changes = [ami]\n  }\n}\n`,
    },
    {
      name: "ignore_changes = all",
      code: 'resource "digitalocean_droplet" "web" {\n  image = "ubuntu-22-04-x64"\n\n  lifecycle {\n    ignore_changes = all\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "ignore_changes that names something else",
      code: 'resource "digitalocean_droplet" "web" {\n  image = "ubuntu-22-04-x64"\n\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 29,
          message:
            'Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
      output: `resource "digitalocean_droplet" "web" {\n  image = var.web_image\n\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n${doVar("web")}`,
    },
  ],
});
