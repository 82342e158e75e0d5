// Tests for pinned-machine-image on values written at the resource (DigitalOcean slugs, AWS most_recent/SSM, GCP families, Azure latest; HCL and JSON; the extract fix).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DIGITALOCEAN_DISTRIBUTION_SLUG, isGcpImageFamily } from "../../../server/src/rules/pinned-machine-image.ts";
import { awsVar, doVar, gcpVar, ubuntuLookup } from "../../helpers/machine-image-snippets.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

describe("image patterns", () => {
  it("DigitalOcean distribution slugs", () => {
    for (const s of [
      "ubuntu-20-04-x64",
      "debian-12-x64",
      "centos-7-x64",
      "fedora-39-x64",
      "rockylinux-9-x64",
      "almalinux-8-x64",
      "freebsd-13-x64",
    ]) {
      assert.match(s, DIGITALOCEAN_DISTRIBUTION_SLUG);
    }
    for (const s of ["docker-20-04", "123456789", "ubuntu-22-04-x64-custom", "centos-stream-9-x64"])
      assert.doesNotMatch(s, DIGITALOCEAN_DISTRIBUTION_SLUG);
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
    {
      name: "DigitalOcean image from a variable without default",
      code: 'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n}\n',
    },
    { name: "DigitalOcean marketplace slug", code: 'resource "digitalocean_droplet" "web" {\n  image = "docker-20-04"\n}\n' },
    { name: "AMI ID", code: 'resource "aws_instance" "web" {\n  ami = "ami-0123456789abcdef0"\n}\n' },
    {
      name: "aws_ami without most_recent",
      code: `${ubuntuLookup('  name_regex  = "^web-42$"\n')}resource "aws_instance" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n`,
    },
    {
      name: "aws_ami with most_recent but an exact name",
      code: `${ubuntuLookup('  most_recent = true\n\n  filter {\n    name   = "name"\n    values = ["web-20240110"]\n  }\n')}resource "aws_instance" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n`,
    },
    {
      name: "aws_ami with most_recent = false",
      code: `${ubuntuLookup("  most_recent = false\n")}resource "aws_instance" "web" {\n  ami = data.aws_ami.ubuntu.id\n}\n`,
    },
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
      output:
        'variable "web_image" {\r\n  type = string\r\n}\r\n\r\nresource "digitalocean_droplet" "web" {\r\n  image = var.web_image\r\n}',
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
