// Tests for pinned-provider-version (object and legacy string entries, the built-in provider; HCL and JSON syntax).
import { ruleTester } from "../../helpers/rule-tester.ts";

const tf = (entries: string) => `terraform {\n  required_providers {\n${entries}  }\n}\n`;

ruleTester("pinned-provider-version", {
  valid: [
    { name: "source and version", code: tf('    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n') },
    { name: "legacy string form is a version", code: tf('    aws = "~> 5.0"\n') },
    { name: "version only", code: tf('    google = { version = ">= 5.0, < 7.0" }\n') },
    {
      name: "the built-in terraform provider takes no version",
      code: tf('    terraform = {\n      source = "terraform.io/builtin/terraform"\n    }\n'),
    },
    { name: "no required_providers", code: 'terraform {\n  required_version = ">= 1.6"\n}\n' },
    { name: "provider blocks are not required_providers entries", code: 'provider "aws" {\n  region = "eu-west-1"\n}\n' },
    {
      name: "JSON syntax with versions",
      filename: "versions.tf.json",
      code: '{\n  "terraform": {\n    "required_providers": {\n      "aws": { "source": "hashicorp/aws", "version": "~> 5.0" },\n      "random": "~> 3.6"\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "source without version",
      code: tf('    aws = {\n      source = "hashicorp/aws"\n    }\n'),
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 8,
          message:
            'Provider "aws" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".',
        },
      ],
    },
    {
      name: "one entry of several, and configuration_aliases without version",
      code: tf(
        '    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n    google-beta = {\n      source                = "hashicorp/google-beta"\n      configuration_aliases = [google-beta.eu]\n    }\n    random = {}\n',
      ),
      errors: [
        {
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 16,
          message:
            'Provider "google-beta" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".',
        },
        {
          line: 11,
          column: 5,
          endLine: 11,
          endColumn: 11,
          message:
            'Provider "random" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".',
        },
      ],
    },
    {
      name: "an empty version constrains nothing",
      code: tf('    aws = { source = "hashicorp/aws", version = "" }\n'),
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 8,
          message:
            'Provider "aws" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".',
        },
      ],
    },
    {
      name: "several terraform blocks across the module's files",
      code: tf('    aws = { source = "hashicorp/aws" }\n'),
      files: { "other.tf": tf('    random = { source = "hashicorp/random", version = "~> 3.6" }\n') },
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 8,
          message:
            'Provider "aws" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".',
        },
      ],
    },
    {
      name: "JSON syntax reports at the entry's key",
      filename: "versions.tf.json",
      code: '{\n  "terraform": {\n    "required_providers": {\n      "aws": { "source": "hashicorp/aws" }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 12,
          message:
            'Provider "aws" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".',
        },
      ],
    },
  ],
});
