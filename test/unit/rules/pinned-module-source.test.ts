// Tests for pinned-module-source (git, hg, GitHub, Bitbucket, S3, GCS and registry sources; HCL and JSON syntax).
import { ruleTester } from "../../helpers/rule-tester.ts";

const mod = (source: string, extra = "") => `module "m" {\n  source = "${source}"\n${extra}}\n`;

ruleTester("pinned-module-source", {
  valid: [
    { name: "local path", code: mod("./modules/web") },
    { name: "parent path", code: mod("../shared/vpc") },
    { name: "git with a tag", code: mod("git::https://example.com/vpc.git?ref=v1.2.0") },
    {
      name: "git with a subdirectory and a commit",
      code: mod("git::https://example.com/infra.git//modules/vpc?depth=1&ref=51d462976d84fdea54b47d80dcabbf680badcdb8"),
    },
    { name: "scp-like git with a tag", code: mod("git@github.com:acme/vpc.git?ref=v2.0.0") },
    { name: "GitHub shorthand with a tag", code: mod("github.com/acme/terraform-vpc?ref=1.0.0") },
    { name: "Mercurial with a rev", code: mod("hg::https://example.com/vpc?rev=v1.0") },
    { name: "S3 object with a versioned name", code: mod("s3::https://s3-eu-west-1.amazonaws.com/modules/vpc-1.4.2.zip") },
    {
      name: "S3 object with a version id",
      code: mod("s3::https://s3-eu-west-1.amazonaws.com/modules/vpc.zip?version=3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"),
    },
    { name: "registry module with a version", code: mod("terraform-aws-modules/vpc/aws", '  version = "5.8.1"\n') },
    { name: "private registry module with a version", code: mod("app.terraform.io/acme/vpc/aws", '  version = "~> 1.2"\n') },
    { name: "HTTP archive URLs are not judged", code: mod("https://example.com/vpc-module.zip") },
    {
      name: "a source from a variable without a default cannot be judged",
      code: 'variable "src" {}\n\nmodule "m" {\n  source = var.src\n}\n',
    },
    { name: "git:// URL with a tag", code: mod("git://example.com/vpc.git?ref=v1.0.0") },
    { name: "git over scp-like SSH with a commit", code: mod("git::git@example.com:infra/vpc.git?ref=a1b2c3d") },
    { name: "Mercurial with a commit id", code: mod("hg::https://example.com/vpc?ref=5f2c9e1ab3d4") },
    { name: "a tag written as refs/tags", code: mod("git::https://example.com/vpc.git?ref=refs/tags/v1") },
    {
      name: "a source through a local, with a tag",
      code: 'locals {\n  vpc = "git::https://example.com/vpc.git?ref=v3.1.0"\n}\n\nmodule "m" {\n  source = local.vpc\n}\n',
    },
    {
      name: "a registry version from a variable's default",
      code: 'variable "vpc_version" {\n  default = "5.8.1"\n}\n\n' + mod("terraform-aws-modules/vpc/aws", "  version = var.vpc_version\n"),
    },
    {
      name: "a registry version from a variable without a default is trusted",
      code: 'variable "v" {}\n\n' + mod("terraform-aws-modules/vpc/aws", "  version = var.v\n"),
    },
    {
      name: "JSON syntax with a version",
      filename: "main.tf.json",
      code: '{\n  "module": {\n    "vpc": { "source": "terraform-aws-modules/vpc/aws", "version": "5.8.1" }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "git:// URL without a ref",
      code: mod("git://example.com/vpc.git"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 39,
          message:
            'module.m source "git://example.com/vpc.git" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "Mercurial's default branch",
      code: mod("hg::https://example.com/vpc?ref=default"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 53,
          message:
            'module.m source "hg::https://example.com/vpc?ref=default" pins the branch "default": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "a ref that looks like a branch",
      code: mod("git::https://example.com/vpc.git?ref=feature/new-vpc"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 66,
          message:
            'module.m source "git::https://example.com/vpc.git?ref=feature/new-vpc" pins "feature/new-vpc", which looks like a branch (no version or commit id in it): a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "refs/heads is a branch",
      code: mod("git::https://example.com/vpc.git?ref=refs/heads/release-1"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 71,
          message:
            'module.m source "git::https://example.com/vpc.git?ref=refs/heads/release-1" pins the branch "refs/heads/release-1": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "scp-like git with a forced getter and a stable ref",
      code: mod("git::git@example.com:infra/vpc.git?ref=stable"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 59,
          message:
            'module.m source "git::git@example.com:infra/vpc.git?ref=stable" pins the branch "stable": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "a source from a variable's default",
      code: 'variable "vpc_source" {\n  default = "github.com/acme/terraform-vpc"\n}\n\nmodule "m" {\n  source = var.vpc_source\n}\n',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 26,
          message:
            'module.m source "github.com/acme/terraform-vpc" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "a registry source through a local, its version a variable whose default is null",
      code: 'variable "v" {\n  default = null\n}\n\nlocals {\n  vpc = "terraform-aws-modules/vpc/aws"\n}\n\nmodule "m" {\n  source  = local.vpc\n  version = var.v\n}\n',
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 22,
          message:
            'module.m source "terraform-aws-modules/vpc/aws" comes from the module registry without a version: each terraform init may install a newer release. Add version = "<the release you tested>".',
        },
      ],
    },
    {
      name: "an S3 bucket host without a forced getter",
      code: mod("acme-modules.s3.amazonaws.com/vpc.zip"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 51,
          message: `module.m source "acme-modules.s3.amazonaws.com/vpc.zip" names a bucket object without a version: whatever is uploaded under that name next is what terraform init fetches. Put a version in the object's name or add ?version=<object version id>.`,
        },
      ],
    },
    {
      name: "git without a ref",
      code: mod("git::https://example.com/vpc.git"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 46,
          message:
            'module.m source "git::https://example.com/vpc.git" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "git with a branch",
      code: mod("git::https://example.com/vpc.git?ref=main"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 55,
          message:
            'module.m source "git::https://example.com/vpc.git?ref=main" pins the branch "main": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "HEAD is a branch",
      code: mod("git::ssh://git@example.com/vpc.git?ref=HEAD"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 57,
          message:
            'module.m source "git::ssh://git@example.com/vpc.git?ref=HEAD" pins the branch "HEAD": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "an empty ref",
      code: mod("git::https://example.com/vpc.git?ref="),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 51,
          message:
            'module.m source "git::https://example.com/vpc.git?ref=" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "scp-like git without a ref",
      code: mod("git@github.com:acme/vpc.git"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 41,
          message:
            'module.m source "git@github.com:acme/vpc.git" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "GitHub shorthand with master",
      code: mod("github.com/acme/terraform-vpc?ref=master"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 54,
          message:
            'module.m source "github.com/acme/terraform-vpc?ref=master" pins the branch "master": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "Bitbucket shorthand",
      code: mod("bitbucket.org/acme/terraform-vpc"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 46,
          message:
            'module.m source "bitbucket.org/acme/terraform-vpc" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "Mercurial without a rev",
      code: mod("hg::https://example.com/vpc"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 41,
          message:
            'module.m source "hg::https://example.com/vpc" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
      ],
    },
    {
      name: "develop and trunk are branches",
      code: mod("git::https://example.com/vpc.git?ref=develop"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 58,
          message:
            'module.m source "git::https://example.com/vpc.git?ref=develop" pins the branch "develop": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
    {
      name: "S3 object without a version",
      code: mod("s3::https://s3-eu-west-1.amazonaws.com/modules/vpc.zip"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 68,
          message: `module.m source "s3::https://s3-eu-west-1.amazonaws.com/modules/vpc.zip" names a bucket object without a version: whatever is uploaded under that name next is what terraform init fetches. Put a version in the object's name or add ?version=<object version id>.`,
        },
      ],
    },
    {
      name: "GCS object without a version",
      code: mod("gcs::https://www.googleapis.com/storage/v1/modules/vpc.zip"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 72,
          message: `module.m source "gcs::https://www.googleapis.com/storage/v1/modules/vpc.zip" names a bucket object without a version: whatever is uploaded under that name next is what terraform init fetches. Put a version in the object's name or add ?version=<object version id>.`,
        },
      ],
    },
    {
      name: "registry module without a version",
      code: mod("terraform-aws-modules/vpc/aws"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 43,
          message:
            'module.m source "terraform-aws-modules/vpc/aws" comes from the module registry without a version: each terraform init may install a newer release. Add version = "<the release you tested>".',
        },
      ],
    },
    {
      name: "private registry submodule without a version",
      code: mod("app.terraform.io/acme/vpc/aws//modules/subnets"),
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 60,
          message:
            'module.m source "app.terraform.io/acme/vpc/aws//modules/subnets" comes from the module registry without a version: each terraform init may install a newer release. Add version = "<the release you tested>".',
        },
      ],
    },
    {
      name: "several modules, one finding each",
      code: `${mod("git::https://example.com/a.git")}\n${mod("./local")}\n${mod("hashicorp/consul/aws")}`,
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 44,
          message:
            'module.m source "git::https://example.com/a.git" has no ref: each terraform init fetches whatever the default branch holds at that moment. Add ?ref=<a tag or commit>.',
        },
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 34,
          message:
            'module.m source "hashicorp/consul/aws" comes from the module registry without a version: each terraform init may install a newer release. Add version = "<the release you tested>".',
        },
      ],
    },
    {
      name: "JSON syntax reports at the source property",
      filename: "main.tf.json",
      code: '{\n  "module": {\n    "vpc": {\n      "source": "git::https://example.com/vpc.git?ref=trunk"\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 61,
          message:
            'module.vpc source "git::https://example.com/vpc.git?ref=trunk" pins the branch "trunk": a branch moves, so each terraform init may fetch different code. Point ref at a tag or commit instead.',
        },
      ],
    },
  ],
});
