// Tests for pinned-machine-image (DigitalOcean slugs, AWS most_recent/SSM, GCP families, Azure latest; HCL and JSON; the extract fix).
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { DIGITALOCEAN_DISTRIBUTION_SLUG, isGcpImageFamily } from "../../../server/src/rules/pinned-machine-image.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

const doVar = (resource: string) =>
  `\nvariable "${resource}_image" {\n  type        = string\n  description = "Snapshot ID of the image baked for digitalocean_droplet.${resource}; set by the roll."\n}\n`;
const awsVar = (type: string, resource: string) =>
  `\nvariable "${resource}_image" {\n  type        = string\n  description = "AMI ID of the image baked for ${type}.${resource}; set by the roll."\n}\n`;
const gcpVar = (type: string, resource: string) =>
  `\nvariable "${resource}_image" {\n  type        = string\n  description = "Self link of the image baked for ${type}.${resource}; set by the roll."\n}\n`;

const ubuntuLookup = (extra: string) => `data "aws_ami" "ubuntu" {\n${extra}  owners      = ["099720109477"]\n}\n\n`;

describe("image patterns", () => {
  it("DigitalOcean distribution slugs", () => {
    for (const s of ["ubuntu-20-04-x64", "debian-12-x64", "centos-7-x64", "fedora-39-x64", "rockylinux-9-x64", "almalinux-8-x64", "freebsd-13-x64"]) {
      assert.match(s, DIGITALOCEAN_DISTRIBUTION_SLUG);
    }
    for (const s of ["docker-20-04", "123456789", "ubuntu-22-04-x64-custom", "centos-stream-9-x64"]) assert.doesNotMatch(s, DIGITALOCEAN_DISTRIBUTION_SLUG);
  });
  it("GCP families", () => {
    assert.equal(isGcpImageFamily("debian-cloud/debian-12"), true);
    assert.equal(isGcpImageFamily("projects/my-proj/global/images/family/web"), true);
    assert.equal(isGcpImageFamily("https://www.googleapis.com/compute/v1/projects/p/global/images/family/web"), true);
    assert.equal(isGcpImageFamily("family/web"), true);
    assert.equal(isGcpImageFamily("debian-cloud/debian-12-bookworm-v20240110"), false);
    assert.equal(isGcpImageFamily("projects/my-proj/global/images/web-20240110"), false);
    assert.equal(isGcpImageFamily("my-project/web-image"), false);
    assert.equal(isGcpImageFamily("debian-12"), false);
  });
});

ruleTester("pinned-machine-image", {
  valid: [
    { name: "DigitalOcean snapshot ID", code: 'resource "digitalocean_droplet" "web" {\n  image = "154736112"\n}\n' },
    { name: "DigitalOcean image from a variable without default", code: 'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n}\n' },
    { name: "DigitalOcean marketplace slug", code: 'resource "digitalocean_droplet" "web" {\n  image = "docker-20-04"\n}\n' },
    { name: "AMI ID", code: 'resource "aws_instance" "web" {\n  ami = "ami-0123456789abcdef0"\n}\n' },
    { name: "aws_ami without most_recent", code: `${ubuntuLookup('  name_regex  = "^web-42$"\n')}resource "aws_instance" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n` },
    {
      name: "aws_ami with most_recent but an exact name",
      code: `${ubuntuLookup('  most_recent = true\n\n  filter {\n    name   = "name"\n    values = ["web-20240110"]\n  }\n')}resource "aws_instance" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n`,
    },
    { name: "aws_ami with most_recent = false", code: `${ubuntuLookup("  most_recent = false\n")}resource "aws_instance" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n` },
    {
      name: "SSM parameter that is not a public latest one",
      code: 'data "aws_ssm_parameter" "ami" {\n  name = "/web/ami"\n}\n\nresource "aws_instance" "web" {\n  ami = data.aws_ssm_parameter.ami.value\n}\n',
    },
    {
      name: "GCP image self link",
      code: 'resource "google_compute_instance" "vm" {\n  boot_disk {\n    initialize_params {\n      image = "projects/p/global/images/web-20240110"\n    }\n  }\n}\n',
    },
    {
      name: "GCP lookup by name",
      code: 'data "google_compute_image" "web" {\n  name    = "web-20240110"\n  project = "p"\n}\n\nresource "google_compute_instance_template" "t" {\n  disk {\n    source_image = data.google_compute_image.web.self_link\n  }\n}\n',
    },
    {
      name: "Azure pinned version",
      code: 'resource "azurerm_linux_virtual_machine" "vm" {\n  source_image_reference {\n    publisher = "Canonical"\n    offer     = "0001-com-ubuntu-server-jammy"\n    sku       = "22_04-lts"\n    version   = "22.04.202401010"\n  }\n}\n',
    },
    { name: "Azure gallery image id", code: 'resource "azurerm_linux_virtual_machine" "vm" {\n  source_image_id = var.image_id\n}\n' },
    { name: "not a machine resource", code: 'resource "digitalocean_kubernetes_cluster" "k" {\n  image = "ubuntu-20-04-x64"\n}\n' },
    {
      name: "JSON syntax with a snapshot",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "digitalocean_droplet": {\n      "web": { "image": "154736112" }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "the primer's droplet",
      code: 'resource "digitalocean_droplet" "web" {\n  image  = "ubuntu-20-04-x64"\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 30,
          message:
            'Image "ubuntu-20-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
      output: `resource "digitalocean_droplet" "web" {\n  image  = var.web_image\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n}\n${doVar("web")}`,
    },
    {
      name: "slug through a variable default: reported at the attribute, no fix",
      code: 'resource "digitalocean_droplet" "web" {\n  image = var.image\n}\n',
      files: { "variables.tf": 'variable "image" {\n  default = "debian-12-x64"\n}\n' },
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 20,
          message:
            'Image "debian-12-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
    },
    {
      name: "slug through tfvars",
      code: 'variable "image" {\n  type = string\n}\n\nresource "digitalocean_droplet" "web" {\n  image = var.image\n}\n',
      files: { "terraform.tfvars": 'image = "fedora-39-x64"\n' },
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 20,
          message:
            'Image "fedora-39-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
    },
    {
      name: "slug through a local is replaced in place",
      code: 'locals {\n  image = "ubuntu-22-04-x64"\n}\n\nresource "digitalocean_droplet" "app" {\n  image = local.image\n}\n',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 22,
          message:
            'Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
      output: `locals {\n  image = "ubuntu-22-04-x64"\n}\n\nresource "digitalocean_droplet" "app" {\n  image = var.app_image\n}\n${doVar("app")}`,
    },
    {
      name: "an existing variable is reused, CRLF and no final newline",
      code: 'variable "web_image" {\r\n  type = string\r\n}\r\n\r\nresource "digitalocean_droplet" "web" {\r\n  image = "rockylinux-9-x64"\r\n}',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 29,
          message:
            'Image "rockylinux-9-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
      output: 'variable "web_image" {\r\n  type = string\r\n}\r\n\r\nresource "digitalocean_droplet" "web" {\r\n  image = var.web_image\r\n}',
    },
    {
      name: "CRLF and no final newline: the variable keeps the file's line endings",
      code: 'resource "digitalocean_droplet" "web" {\r\n  image = "almalinux-9-x64"\r\n}',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 28,
          message:
            'Image "almalinux-9-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
      output: `resource "digitalocean_droplet" "web" {\r\n  image = var.web_image\r\n}\r\n${doVar("web").replace(/\n/g, "\r\n")}`,
    },
    {
      name: "aws_ami with most_recent = true",
      code: `${ubuntuLookup("  most_recent = true\n")}resource "aws_instance" "web" {\n  ami           = data.aws_ami.ubuntu.id\n  instance_type = "t3.micro"\n}\n`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 41,
          message:
            "ami comes from data.aws_ami.ubuntu with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output: `${ubuntuLookup("  most_recent = true\n")}resource "aws_instance" "web" {\n  ami           = var.web_image\n  instance_type = "t3.micro"\n}\n${awsVar("aws_instance", "web")}`,
    },
    {
      name: "aws_ami with most_recent and a wildcard name",
      code: `${ubuntuLookup('  most_recent = true\n\n  filter {\n    name   = "name"\n    values = ["web-*"]\n  }\n')}resource "aws_spot_instance_request" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n`,
      errors: [
        {
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 31,
          message:
            "ami comes from data.aws_ami.ubuntu with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output: `${ubuntuLookup('  most_recent = true\n\n  filter {\n    name   = "name"\n    values = ["web-*"]\n  }\n')}resource "aws_spot_instance_request" "web" {\n  ami = var.web_image\n}\n${awsVar("aws_spot_instance_request", "web")}`,
    },
    {
      name: "aws_ami through a local, launch template",
      code: `${ubuntuLookup("  most_recent = true\n")}locals {\n  ami = data.aws_ami.ubuntu.id\n}\n\nresource "aws_launch_template" "lt" {\n  image_id = local.ami\n}\n`,
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 23,
          message:
            "image_id comes from data.aws_ami.ubuntu with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output: `${ubuntuLookup("  most_recent = true\n")}locals {\n  ami = data.aws_ami.ubuntu.id\n}\n\nresource "aws_launch_template" "lt" {\n  image_id = var.lt_image\n}\n${awsVar("aws_launch_template", "lt")}`,
    },
    {
      name: "public SSM parameter",
      code: 'data "aws_ssm_parameter" "al2023" {\n  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"\n}\n\nresource "aws_launch_configuration" "lc" {\n  image_id = data.aws_ssm_parameter.al2023.value\n}\n',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 49,
          message:
            'image_id comes from the public SSM parameter "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", which AWS points at each new release: the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.',
        },
      ],
      output: `data "aws_ssm_parameter" "al2023" {\n  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"\n}\n\nresource "aws_launch_configuration" "lc" {\n  image_id = var.lc_image\n}\n${awsVar("aws_launch_configuration", "lc")}`,
    },
    {
      name: "resolve:ssm in a launch template",
      code: 'resource "aws_launch_template" "lt" {\n  image_id = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 97,
          message:
            'image_id "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" resolves the public SSM parameter at every launch, and AWS points it at each new release: machines of one generation boot different images. Use the AMI ID your image build produced.',
        },
      ],
      output: `resource "aws_launch_template" "lt" {\n  image_id = var.lt_image\n}\n${awsVar("aws_launch_template", "lt")}`,
    },
    {
      name: "GCP family in boot_disk.initialize_params",
      code: 'resource "google_compute_instance" "vm" {\n  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 39,
          message: `Image "debian-cloud/debian-12" is an image family, which resolves to the family's newest image: the same configuration builds different machines over time. Use the self link of an image you baked.`,
        },
      ],
      output: `resource "google_compute_instance" "vm" {\n  boot_disk {\n    initialize_params {\n      image = var.vm_image\n    }\n  }\n}\n${gcpVar("google_compute_instance", "vm")}`,
    },
    {
      name: "GCP family path in an instance template disk",
      code: 'resource "google_compute_instance_template" "t" {\n  disk {\n    source_image = "projects/p/global/images/family/web"\n  }\n}\n',
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 57,
          message: `Image "projects/p/global/images/family/web" is an image family, which resolves to the family's newest image: the same configuration builds different machines over time. Use the self link of an image you baked.`,
        },
      ],
      output: `resource "google_compute_instance_template" "t" {\n  disk {\n    source_image = var.t_image\n  }\n}\n${gcpVar("google_compute_instance_template", "t")}`,
    },
    {
      name: "GCP lookup by family",
      code: 'data "google_compute_image" "debian" {\n  family  = "debian-12"\n  project = "debian-cloud"\n}\n\nresource "google_compute_region_instance_template" "t" {\n  disk {\n    source_image = data.google_compute_image.debian.self_link\n  }\n}\n',
      errors: [
        {
          line: 8,
          column: 5,
          endLine: 8,
          endColumn: 62,
          message:
            "source_image comes from data.google_compute_image.debian, looked up by family: it resolves to the family's newest image, so the next apply replaces the machine outside any roll. Use the self link of an image you baked.",
        },
      ],
      output: `data "google_compute_image" "debian" {\n  family  = "debian-12"\n  project = "debian-cloud"\n}\n\nresource "google_compute_region_instance_template" "t" {\n  disk {\n    source_image = var.t_image\n  }\n}\n${gcpVar("google_compute_region_instance_template", "t")}`,
    },
    {
      name: "Azure latest",
      code: 'resource "azurerm_linux_virtual_machine" "vm" {\n  source_image_reference {\n    publisher = "Canonical"\n    offer     = "0001-com-ubuntu-server-jammy"\n    sku       = "22_04-lts"\n    version   = "latest"\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 25,
          message:
            'source_image_reference uses version = "latest", which follows each new marketplace image: the same configuration builds different machines over time. Pin the version you tested.',
        },
      ],
      output:
        'resource "azurerm_linux_virtual_machine" "vm" {\n  source_image_reference {\n    publisher = "Canonical"\n    offer     = "0001-com-ubuntu-server-jammy"\n    sku       = "22_04-lts"\n    version   = var.vm_image_version\n  }\n}\n' +
        '\nvariable "vm_image_version" {\n  type        = string\n  description = "Version of the image for azurerm_linux_virtual_machine.vm; set by the roll."\n}\n',
    },
    {
      name: "Azure legacy storage_image_reference",
      code: 'resource "azurerm_virtual_machine" "vm" {\n  storage_image_reference {\n    version = "latest"\n  }\n}\n',
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 23,
          message:
            'storage_image_reference uses version = "latest", which follows each new marketplace image: the same configuration builds different machines over time. Pin the version you tested.',
        },
      ],
      output:
        'resource "azurerm_virtual_machine" "vm" {\n  storage_image_reference {\n    version = var.vm_image_version\n  }\n}\n' +
        '\nvariable "vm_image_version" {\n  type        = string\n  description = "Version of the image for azurerm_virtual_machine.vm; set by the roll."\n}\n',
    },
    {
      name: "JSON syntax: the attribute becomes an interpolation and the variable is added",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "digitalocean_droplet": {\n      "web": {\n        "image": "ubuntu-20-04-x64"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 36,
          message:
            'Image "ubuntu-20-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
      output:
        '{\n  "resource": {\n    "digitalocean_droplet": {\n      "web": {\n        "image": "${var.web_image}"\n      }\n    }\n  },\n' +
        '  "variable": {\n    "web_image": {\n      "type": "string",\n      "description": "Snapshot ID of the image baked for digitalocean_droplet.web; set by the roll."\n    }\n  }\n}\n',
    },
    {
      name: "JSON syntax: a most_recent lookup referenced in an interpolation",
      filename: "main.tf.json",
      code: '{\n  "data": {\n    "aws_ami": {\n      "base": { "most_recent": true, "owners": ["self"] }\n    }\n  },\n  "resource": {\n    "aws_instance": {\n      "web": { "ami": "${data.aws_ami.base.id}" }\n    }\n  }\n}\n',
      errors: [
        {
          line: 9,
          column: 16,
          endLine: 9,
          endColumn: 48,
          message:
            "ami comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
      output:
        '{\n  "data": {\n    "aws_ami": {\n      "base": { "most_recent": true, "owners": ["self"] }\n    }\n  },\n  "resource": {\n    "aws_instance": {\n      "web": { "ami": "${var.web_image}" }\n    }\n  },\n' +
        '  "variable": {\n    "web_image": {\n      "type": "string",\n      "description": "AMI ID of the image baked for aws_instance.web; set by the roll."\n    }\n  }\n}\n',
    },
    {
      name: "JSON syntax: a slug from a variable has no fix",
      filename: "main.tf.json",
      code: '{\n  "variable": { "image": { "default": "debian-12-x64" } },\n  "resource": {\n    "digitalocean_droplet": {\n      "web": { "image": "${var.image}" }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 16,
          endLine: 5,
          endColumn: 39,
          message:
            'Image "debian-12-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
    },
    {
      name: "JSON syntax nested GCP blocks",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "google_compute_instance": {\n      "vm": {\n        "boot_disk": {\n          "initialize_params": { "image": "ubuntu-os-cloud/ubuntu-2204-lts" }\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 34,
          endLine: 6,
          endColumn: 76,
          message: `Image "ubuntu-os-cloud/ubuntu-2204-lts" is an image family, which resolves to the family's newest image: the same configuration builds different machines over time. Use the self link of an image you baked.`,
        },
      ],
      output:
        '{\n  "resource": {\n    "google_compute_instance": {\n      "vm": {\n        "boot_disk": {\n          "initialize_params": { "image": "${var.vm_image}" }\n        }\n      }\n    }\n  },\n' +
        '  "variable": {\n    "vm_image": {\n      "type": "string",\n      "description": "Self link of the image baked for google_compute_instance.vm; set by the roll."\n    }\n  }\n}\n',
    },
  ],
});

describe("pinned-machine-image related information", () => {
  async function lintModule(files: Record<string, string>) {
    const linter = await createLinter();
    const config = defaultConfig(linter.rules);
    for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === "pinned-machine-image";
    const inputs = Object.entries(files).map(([name, text]) => ({ path: path.join("/virtual/module", name), text }));
    return linter.lint(inputs, config, { readFile: () => undefined }, { skipExactSyntax: true });
  }
  it("names the tfvars line a slug came from", async () => {
    const result = await lintModule({
      "main.tf": 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n\nresource "digitalocean_droplet" "web" {\n  image = var.image\n}\n',
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

const latestLookup = (name: string, extra = "") =>
  `data "aws_ami" "${name}" {\n${extra}  most_recent = true\n  owners      = ["amazon"]\n  name_regex  = "^al2023-ami-2023.*-x86_64"\n}\n\n`;

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

/** A call to a registry module that was never downloaded, with the given arguments. */
const registryCall = (name: string, source: string, args: string) => `module "${name}" {\n  source  = "${source}"\n  version = "1.0.0"\n\n${args}}\n`;

ruleTester("pinned-machine-image", {
  title: "arguments of modules that are not read",
  valid: [
    { name: "an AMI ID", code: registryCall("web", "cloudposse/ec2-instance/aws", '  ami = "ami-0123456789abcdef0"\n') },
    {
      name: "a lookup without most_recent",
      code: `${ubuntuLookup('  name_regex  = "^web-42$"\n')}${registryCall("web", "cloudposse/ec2-instance/aws", "  ami = data.aws_ami.ubuntu.id\n")}`,
    },
    { name: "a snapshot ID under the name image", code: registryCall("web", "git::https://example.com/droplet.git?ref=v1.2.0", '  image = "154736112"\n') },
    {
      name: "a variable given by the tfvars overrides the default the conditional tests",
      code: `${latestLookup("base", "  count       = var.ami == null ? 1 : 0\n")}variable "ami" {\n  default = null\n}\n\n${registryCall("asg", "cloudposse/ec2-autoscale-group/aws", '  image_id = var.ami == null ? join("", data.aws_ami.base[*].image_id) : var.ami\n')}`,
      files: { "terraform.tfvars": 'ami = "ami-0123456789abcdef0"\n' },
    },
  ],
  invalid: [
    {
      name: "image_id: a most_recent lookup chosen by a variable's null default",
      code: `${latestLookup("base", "  count       = var.ami == null ? 1 : 0\n")}variable "ami" {\n  default = null\n}\n\n${registryCall("asg", "cloudposse/ec2-autoscale-group/aws", '  image_id = var.ami == null ? join("", data.aws_ami.base[*].image_id) : var.ami\n')}`,
      errors: [
        {
          line: 16,
          column: 3,
          endLine: 16,
          endColumn: 81,
          message:
            "image_id of module.asg comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [{ path: "main.tf", line: 1, column: 1, endLine: 1, endColumn: 22 }],
        },
      ],
    },
    {
      name: "ami: a lookup switched off by count gives an empty string otherwise",
      code: `${latestLookup("this", "  count       = local.enabled ? 1 : 0\n")}locals {\n  enabled = module.this.enabled\n}\n\n${registryCall("ec2", "cloudposse/ec2-instance/aws", '  ami = local.enabled ? data.aws_ami.this[0].id : ""\n')}`,
      errors: [
        {
          line: 16,
          column: 3,
          endLine: 16,
          endColumn: 53,
          message:
            "ami of module.ec2 comes from data.aws_ami.this with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
    {
      name: "image: a DigitalOcean distribution slug, from a git source",
      code: registryCall("web", "git::https://example.com/droplet.git?ref=v1.2.0", '  image = "ubuntu-22-04-x64"\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 29,
          message:
            'Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
    },
    {
      name: "source_image: a GCP image family",
      code: registryCall("mig", "terraform-google-modules/vm/google//modules/instance_template", '  source_image = "debian-cloud/debian-12"\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 42,
          message:
            'Image "debian-cloud/debian-12" is an image family, which resolves to the family\'s newest image: the same configuration builds different machines over time. Use the self link of an image you baked.',
        },
      ],
    },
    {
      name: "a local module whose folder is missing is judged by its arguments too",
      code: `${latestLookup("base")}module "web" {\n  source = "./modules/web"\n\n  bastion_ami = data.aws_ami.base.id\n}\n`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 37,
          message:
            "bastion_ami of module.web comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
  ],
});

// A module of our own, called the ways real configurations call modules.
const webVariables = 'variable "name" {\n  type = string\n}\n\nvariable "image_id" {\n  type    = string\n  default = null\n}\n';
const webMain = 'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = var.image_id\n}\n';
/** The module's files on the virtual disk, in a folder relative to the case's. */
const webModule = (dir: string, main = webMain) => ({ [`${dir}/variables.tf`]: webVariables, [`${dir}/main.tf`]: main });
const al2023 = 'data "aws_ami" "al2023" {\n  most_recent = true\n  owners      = ["amazon"]\n  name_regex  = "^al2023-ami-2023.*-x86_64"\n}\n\n';
const webCall = (source: string, imageId: string, name = "web") => `module "${name}" {\n  source = "${source}"\n\n  name     = "web"\n  image_id = ${imageId}\n}\n`;
/** The path of the value: the module's variable, the attribute that receives it, the lookup. */
const webPath = (dir: string, callPath = "main.tf", dataLine = 1) => [
  { path: `${dir}/variables.tf`, line: 5, column: 1, endLine: 5, endColumn: 20, step: "variable" as const, description: 'variable "image_id" of module.web' },
  { path: `${dir}/main.tf`, line: 3, column: 3, endLine: 3, endColumn: 29, step: "attribute" as const, description: "aws_launch_template.this image_id in module.web" },
  { path: callPath, line: dataLine, column: 1, endLine: dataLine, endColumn: 24, description: 'data "aws_ami" "al2023"' },
];
const installed = (modules: Array<[string, string, string]>) =>
  JSON.stringify({ Modules: [{ Key: "", Source: "", Dir: "." }, ...modules.map(([Key, Source, Dir]) => ({ Key, Source, Version: "2.1.0", Dir }))] });

ruleTester("pinned-machine-image", {
  title: "through modules",
  valid: [
    { name: "a pinned AMI given to a local module", code: webCall("./modules/web", '"ami-0123456789abcdef0"'), disk: webModule("modules/web") },
    { name: "an unknown value given to a local module", code: webCall("./modules/web", "var.ami"), disk: webModule("modules/web") },
    {
      name: "the module uses the argument for something other than an image",
      code: al2023 + webCall("./modules/web", "data.aws_ami.al2023.id"),
      disk: webModule(
        "modules/web",
        'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = "ami-0123456789abcdef0"\n\n  tags = {\n    base_image = var.image_id\n  }\n}\n',
      ),
    },
    {
      name: "the caller overrides the module's floating default with a pinned AMI",
      code: webCall("./modules/web", '"ami-0123456789abcdef0"'),
      disk: webModule(
        "modules/web",
        al2023 + 'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = coalesce(var.image_id, data.aws_ami.al2023.id)\n}\n',
      ),
    },
    {
      name: "a floating default the call leaves alone is the module's own finding, not the call's",
      code: 'module "web" {\n  source = "./modules/web"\n\n  name = "web"\n}\n',
      disk: webModule(
        "modules/web",
        al2023 + 'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = coalesce(var.image_id, data.aws_ami.al2023.id)\n}\n',
      ),
    },
    {
      name: "a downloaded module's own findings are never reported",
      code: webCall("acme/web/aws", '"ami-0123456789abcdef0"'),
      disk: {
        ".terraform/modules/modules.json": installed([["web", "registry.terraform.io/acme/web/aws", ".terraform/modules/web"]]),
        ...webModule(".terraform/modules/web", webMain + '\nresource "digitalocean_droplet" "bastion" {\n  image = "ubuntu-22-04-x64"\n}\n'),
      },
    },
    {
      name: "a module that calls itself is followed once",
      code: webCall("./modules/web", '"ami-0123456789abcdef0"'),
      disk: webModule("modules/web", webMain + '\nmodule "again" {\n  source = "./"\n\n  name     = var.name\n  image_id = var.image_id\n}\n'),
    },
  ],
  invalid: [
    {
      name: 'a local module: source = "./modules/web"',
      code: al2023 + webCall("./modules/web", "data.aws_ami.al2023.id"),
      disk: webModule("modules/web"),
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath("modules/web"),
        },
      ],
    },
    {
      name: 'a sibling folder: source = "../shared/web"',
      code: al2023 + webCall("../shared/web", "data.aws_ami.al2023.id"),
      disk: webModule("../shared/web"),
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath("../shared/web"),
        },
      ],
    },
    {
      name: 'an example calling the module it documents: source = "../../"',
      filename: "examples/complete/main.tf",
      code: al2023 + webCall("../../", 'join("", data.aws_ami.al2023[*].id)'),
      disk: { "variables.tf": webVariables, "main.tf": webMain },
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 49,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath(".", "examples/complete/main.tf").map((r) => ({ ...r, path: r.path.replace(/^\.\//, "") })),
        },
      ],
    },
    {
      name: "a DigitalOcean slug written at the call",
      code: 'module "web" {\n  source = "./modules/droplet"\n\n  image = "ubuntu-22-04-x64"\n}\n',
      disk: { "modules/droplet/main.tf": 'variable "image" {}\n\nresource "digitalocean_droplet" "this" {\n  image = var.image\n}\n' },
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 29,
          message:
            'Passed to module.web → digitalocean_droplet.this: Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
          related: [
            { path: "modules/droplet/main.tf", line: 1, column: 1, endLine: 1, endColumn: 17, step: "variable" },
            { path: "modules/droplet/main.tf", line: 4, column: 3, endLine: 4, endColumn: 20, step: "attribute" },
          ],
        },
      ],
    },
    {
      name: "nested calls: root → wrapper → module, reported at the root's argument",
      code: al2023 + 'module "service" {\n  source = "./modules/service"\n\n  ami = data.aws_ami.al2023.id\n}\n',
      disk: {
        "modules/service/main.tf": 'variable "ami" {\n  type = string\n}\n\nmodule "web" {\n  source = "../web"\n\n  name     = "service"\n  image_id = var.ami\n}\n',
        ...webModule("modules/web"),
      },
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 31,
          message:
            "Passed to module.service → module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [
            { path: "modules/service/main.tf", line: 1, column: 1, endLine: 1, endColumn: 15, step: "variable", description: 'variable "ami" of module.service' },
            { path: "modules/service/main.tf", line: 9, column: 3, endLine: 9, endColumn: 21, step: "argument", description: "module.web image_id in module.service" },
            ...webPath("modules/web"),
          ],
        },
      ],
    },
    {
      name: "two calls to one module: only the floating one, at its own argument",
      code: al2023 + webCall("./modules/web", '"ami-0123456789abcdef0"', "pinned") + "\n" + webCall("./modules/web", "data.aws_ami.al2023.id"),
      disk: webModule("modules/web"),
      errors: [
        {
          line: 18,
          column: 3,
          endLine: 18,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath("modules/web"),
        },
      ],
    },
    {
      name: "a downloaded module, found through .terraform/modules/modules.json",
      code: al2023 + webCall("acme/web/aws", "data.aws_ami.al2023.id").replace('source = "acme/web/aws"', 'source  = "acme/web/aws"\n  version = "2.1.0"'),
      disk: {
        ".terraform/modules/modules.json": installed([["web", "registry.terraform.io/acme/web/aws", ".terraform/modules/web"]]),
        ...webModule(".terraform/modules/web"),
      },
      errors: [
        {
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath(".terraform/modules/web"),
        },
      ],
    },
    {
      name: "a module downloaded inside a downloaded module, by its key path",
      code: al2023 + 'module "service" {\n  source  = "acme/service/aws"\n  version = "2.1.0"\n\n  ami = data.aws_ami.al2023.id\n}\n',
      disk: {
        ".terraform/modules/modules.json": installed([
          ["service", "registry.terraform.io/acme/service/aws", ".terraform/modules/service"],
          ["service.web", "registry.terraform.io/acme/web/aws", ".terraform/modules/service.web"],
        ]),
        ".terraform/modules/service/main.tf":
          'variable "ami" {\n  type = string\n}\n\nmodule "web" {\n  source  = "acme/web/aws"\n  version = "2.1.0"\n\n  name     = "service"\n  image_id = var.ami\n}\n',
        ...webModule(".terraform/modules/service.web"),
      },
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 31,
          message:
            "Passed to module.service → module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
    {
      name: "JSON syntax at the call",
      filename: "main.tf.json",
      code: '{\n  "data": { "aws_ami": { "al2023": { "most_recent": true, "owners": ["amazon"] } } },\n  "module": {\n    "web": {\n      "source": "./modules/web",\n      "name": "web",\n      "image_id": "${data.aws_ami.al2023.id}"\n    }\n  }\n}\n',
      disk: webModule("modules/web"),
      errors: [
        {
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 46,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
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

// A module that creates one of two variants, chosen by the caller.
const variantsModule = {
  "modules/node/main.tf":
    'variable "ami" {}\n\nvariable "spot" {\n  default = false\n}\n\n' +
    'resource "aws_instance" "this" {\n  count = var.spot ? 0 : 1\n  ami   = var.ami\n}\n\n' +
    'resource "aws_spot_instance_request" "this" {\n  count = var.spot ? 1 : 0\n  ami   = var.ami\n}\n\n' +
    'resource "aws_instance" "sidecar" {\n  ami = var.ami\n}\n',
};

ruleTester("pinned-machine-image", {
  title: "through modules: resources a call creates",
  valid: [],
  invalid: [
    {
      name: "one finding at the argument, naming the first resource the call creates (not a variant it leaves out)",
      code: al2023 + 'module "node" {\n  source = "./modules/node"\n\n  ami  = data.aws_ami.al2023.id\n  spot = true\n}\n',
      disk: variantsModule,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 32,
          message:
            "Passed to module.node → aws_spot_instance_request.this: ami comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [
            { path: "modules/node/main.tf", line: 1, column: 1, endLine: 1, endColumn: 15, step: "variable" },
            { path: "modules/node/main.tf", line: 14, column: 3, endLine: 14, endColumn: 18, step: "attribute" },
            { path: "main.tf", line: 1, column: 1, endLine: 1, endColumn: 24 },
          ],
        },
      ],
    },
  ],
});
