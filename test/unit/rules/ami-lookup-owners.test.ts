// Tests for ami-lookup-owners (Terraform data "aws_ami"; Packer source_ami_filter in HCL, HCL-JSON and legacy JSON).
import { ruleTester } from "../../helpers/rule-tester.ts";

const filter = '  filter {\n    name   = "name"\n    values = ["ubuntu/images/*"]\n  }\n';

ruleTester("ami-lookup-owners", {
  valid: [
    { name: "owners set", code: `data "aws_ami" "ubuntu" {\n  most_recent = true\n  owners      = ["099720109477"]\n${filter}}\n` },
    { name: "self", code: 'data "aws_ami" "own" {\n  owners = ["self"]\n}\n' },
    {
      name: "owners through a variable default",
      code: 'data "aws_ami" "a" {\n  owners = var.owners\n}\n',
      files: { "variables.tf": 'variable "owners" {\n  default = ["amazon"]\n}\n' },
    },
    { name: "computed owners are trusted", code: 'data "aws_ami" "a" {\n  owners = var.owners\n}\n' },
    { name: "other data sources", code: 'data "aws_ami_ids" "a" {\n  filter {\n    name   = "name"\n    values = ["x"]\n  }\n}\n' },
    { name: "a resource named aws_ami is not a lookup", code: 'resource "aws_ami" "a" {\n  name = "x"\n}\n' },
    {
      name: "JSON syntax with owners",
      filename: "main.tf.json",
      code: '{\n  "data": {\n    "aws_ami": {\n      "u": { "most_recent": true, "owners": ["amazon"] }\n    }\n  }\n}\n',
    },
    {
      name: "Packer filter with owners; most_recent is normal in Packer",
      filename: "web.pkr.hcl",
      code: 'source "amazon-ebs" "web" {\n  source_ami_filter {\n    filters     = { name = "al2023-ami-*" }\n    owners      = ["amazon"]\n    most_recent = true\n  }\n}\n',
    },
    {
      name: "Packer source without a filter",
      filename: "web.pkr.hcl",
      code: 'source "amazon-ebs" "web" {\n  source_ami = "ami-0123456789abcdef0"\n}\n',
    },
    {
      name: "a filter on a non-amazon source is not an AMI lookup",
      filename: "web.pkr.hcl",
      code: 'source "custom-builder" "web" {\n  source_ami_filter {\n    filters = {}\n  }\n}\n',
    },
    {
      name: "Packer owners through a variable",
      filename: "web.pkr.hcl",
      code: 'variable "owners" {\n  default = ["amazon"]\n}\nsource "amazon-ebs" "web" {\n  source_ami_filter {\n    owners = var.owners\n  }\n}\n',
    },
    {
      name: "legacy JSON with owners",
      filename: "template.json",
      code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "source_ami_filter": { "filters": { "name": "x" }, "owners": ["amazon"], "most_recent": true }\n    }\n  ]\n}\n',
    },
    {
      name: "legacy JSON docker builder",
      filename: "template.json",
      code: '{\n  "builders": [\n    { "type": "docker", "image": "ubuntu:22.04", "commit": true }\n  ]\n}\n',
    },
    {
      name: "Packer HCL-JSON with owners",
      filename: "web.pkr.json",
      code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "source_ami_filter": { "owners": ["amazon"] }\n      }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "no owners",
      code: `data "aws_ami" "ubuntu" {\n  most_recent = true\n${filter}}\n`,
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 24,
          message:
            "data.aws_ami.ubuntu has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "wildcard owner",
      code: 'data "aws_ami" "any" {\n  owners = ["*"]\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 21,
          message: `data.aws_ami.any allows any owner ("*"): any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).`,
        },
      ],
    },
    {
      name: "wildcard among others",
      code: 'data "aws_ami" "any" {\n  owners = ["self", "*"]\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 21,
          message: `data.aws_ami.any allows any owner ("*"): any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).`,
        },
      ],
    },
    {
      name: "empty owners",
      code: 'data "aws_ami" "any" {\n  owners = []\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 21,
          message:
            "data.aws_ami.any has an empty owners list: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "wildcard through tfvars",
      code: 'data "aws_ami" "any" {\n  owners = var.owners\n}\n',
      files: { "variables.tf": 'variable "owners" {\n  type = list(string)\n}\n', "terraform.tfvars": 'owners = ["*"]\n' },
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 21,
          message: `data.aws_ami.any allows any owner ("*"): any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).`,
        },
      ],
    },
    {
      name: "wildcard through a local",
      code: 'locals {\n  owners = ["*"]\n}\n\ndata "aws_ami" "any" {\n  owners = local.owners\n}\n',
      errors: [
        {
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 21,
          message: `data.aws_ami.any allows any owner ("*"): any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).`,
        },
      ],
    },
    {
      name: "two lookups, CRLF",
      code: 'data "aws_ami" "a" {\r\n}\r\ndata "aws_ami" "b" {\r\n  owners = ["amazon"]\r\n}\r\ndata "aws_ami" "c" {\r\n  most_recent = true\r\n}\r\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 19,
          message:
            "data.aws_ami.a has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
        {
          line: 6,
          column: 1,
          endLine: 6,
          endColumn: 19,
          message:
            "data.aws_ami.c has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "JSON syntax reports at the key",
      filename: "main.tf.json",
      code: '{\n  "data": {\n    "aws_ami": {\n      "u": { "most_recent": true }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 10,
          message:
            "data.aws_ami.u has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "JSON syntax wildcard through a local in an interpolation",
      filename: "main.tf.json",
      code: '{\n  "locals": { "owners": ["*"] },\n  "data": {\n    "aws_ami": {\n      "u": { "owners": "${local.owners}" }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 7,
          endLine: 5,
          endColumn: 10,
          message: `data.aws_ami.u allows any owner ("*"): any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).`,
        },
      ],
    },
    {
      name: "Packer source_ami_filter without owners",
      filename: "web.pkr.hcl",
      code: 'source "amazon-ebs" "web" {\n  region = "eu-west-1"\n  source_ami_filter {\n    filters = {\n      name = "ubuntu/images/*"\n    }\n    most_recent = true\n  }\n}\n',
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 20,
          message:
            "The source_ami_filter of source.amazon-ebs.web has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "Packer wildcard owners on amazon-instance",
      filename: "web.pkr.hcl",
      code: 'source "amazon-instance" "web" {\n  source_ami_filter {\n    owners = ["*"]\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 20,
          message: `The source_ami_filter of source.amazon-instance.web allows any owner ("*"): any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).`,
        },
      ],
    },
    {
      name: "Packer per-build source override",
      filename: "web.pkr.hcl",
      code: 'build {\n  source "amazon-ebs.base" {\n    source_ami_filter {\n      most_recent = true\n    }\n  }\n}\n',
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 22,
          message:
            "The source_ami_filter of source amazon-ebs.base in the build has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "a data block written without its name is named as such",
      filename: "web.pkr.hcl",
      code: 'data "amazon-ami" {\n  filters     = { name = "al2023-ami-*" }\n  most_recent = true\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 18,
          message:
            'data "amazon-ami" without a name has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor\'s).',
        },
      ],
    },
    {
      name: "Packer amazon-ami data source",
      filename: "web.pkr.hcl",
      code: 'data "amazon-ami" "base" {\n  filters     = { name = "al2023-ami-*" }\n  most_recent = true\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 25,
          message:
            "data.amazon-ami.base has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "Packer HCL-JSON reports at the source_ami_filter key",
      filename: "web.pkr.json",
      code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "source_ami_filter": { "most_recent": true }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 28,
          message:
            "The source_ami_filter of source.amazon-ebs.web has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
    {
      name: "legacy JSON builder",
      filename: "template.json",
      code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "source_ami_filter": {\n        "filters": { "name": "ubuntu/images/*" },\n        "most_recent": true\n      }\n    }\n  ]\n}\n',
      errors: [
        {
          line: 5,
          column: 7,
          endLine: 5,
          endColumn: 26,
          message:
            "The source_ami_filter of the amazon-ebs builder has no owners: any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).",
        },
      ],
    },
  ],
});
