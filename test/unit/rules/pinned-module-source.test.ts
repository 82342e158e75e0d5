// Tests for pinned-module-source (git, hg, GitHub, Bitbucket, S3, GCS and registry sources; HCL and JSON syntax).
import { ruleTester } from "../../helpers/rule-tester.ts";

const mod = (source: string, extra = "") => `module "m" {\n  source = "${source}"\n${extra}}\n`;

ruleTester("pinned-module-source", {
  valid: [
    { name: "local path", code: mod("./modules/web") },
    { name: "parent path", code: mod("../shared/vpc") },
    { name: "git with a tag", code: mod("git::https://example.com/vpc.git?ref=v1.2.0") },
    { name: "git with a subdirectory and a commit", code: mod("git::https://example.com/infra.git//modules/vpc?depth=1&ref=51d462976d84fdea54b47d80dcabbf680badcdb8") },
    { name: "scp-like git with a tag", code: mod("git@github.com:acme/vpc.git?ref=v2.0.0") },
    { name: "GitHub shorthand with a tag", code: mod("github.com/acme/terraform-vpc?ref=1.0.0") },
    { name: "Mercurial with a rev", code: mod("hg::https://example.com/vpc?rev=v1.0") },
    { name: "S3 object with a versioned name", code: mod("s3::https://s3-eu-west-1.amazonaws.com/modules/vpc-1.4.2.zip") },
    { name: "S3 object with a version id", code: mod("s3::https://s3-eu-west-1.amazonaws.com/modules/vpc.zip?version=3HL4kqtJlcpXroDTDmjVBH40Nrjfkd") },
    { name: "registry module with a version", code: mod("terraform-aws-modules/vpc/aws", '  version = "5.8.1"\n') },
    { name: "private registry module with a version", code: mod("app.terraform.io/acme/vpc/aws", '  version = "~> 1.2"\n') },
    { name: "HTTP archive URLs are not judged", code: mod("https://example.com/vpc-module.zip") },
    { name: "a computed source is Terraform's own error", code: 'module "m" {\n  source = var.src\n}\n' },
    {
      name: "JSON syntax with a version",
      filename: "main.tf.json",
      code: '{\n  "module": {\n    "vpc": { "source": "terraform-aws-modules/vpc/aws", "version": "5.8.1" }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "git without a ref",
      code: mod("git::https://example.com/vpc.git"),
      errors: [{ line: 2, column: 3, endLine: 2, endColumn: 46, message: 'module "m" source "git::https://example.com/vpc.git" has no ref' }],
    },
    {
      name: "git with a branch",
      code: mod("git::https://example.com/vpc.git?ref=main"),
      errors: [{ line: 2, column: 3, endLine: 2, endColumn: 55, message: 'pins the branch "main"' }],
    },
    { name: "HEAD is a branch", code: mod("git::ssh://git@example.com/vpc.git?ref=HEAD"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 57, message: '"HEAD"' }] },
    { name: "an empty ref", code: mod("git::https://example.com/vpc.git?ref="), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 51, message: "has no ref" }] },
    { name: "scp-like git without a ref", code: mod("git@github.com:acme/vpc.git"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 41 }] },
    { name: "GitHub shorthand with master", code: mod("github.com/acme/terraform-vpc?ref=master"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 54 }] },
    { name: "Bitbucket shorthand", code: mod("bitbucket.org/acme/terraform-vpc"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 46 }] },
    { name: "Mercurial without a rev", code: mod("hg::https://example.com/vpc"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 41 }] },
    { name: "develop and trunk are branches", code: mod("git::https://example.com/vpc.git?ref=develop"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 58 }] },
    {
      name: "S3 object without a version",
      code: mod("s3::https://s3-eu-west-1.amazonaws.com/modules/vpc.zip"),
      errors: [{ line: 2, column: 3, endLine: 2, endColumn: 68, message: "bucket object without a version" }],
    },
    { name: "GCS object without a version", code: mod("gcs::https://www.googleapis.com/storage/v1/modules/vpc.zip"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 72 }] },
    {
      name: "registry module without a version",
      code: mod("terraform-aws-modules/vpc/aws"),
      errors: [{ line: 2, column: 3, endLine: 2, endColumn: 43, message: "comes from the module registry without a version" }],
    },
    { name: "private registry submodule without a version", code: mod("app.terraform.io/acme/vpc/aws//modules/subnets"), errors: [{ line: 2, column: 3, endLine: 2, endColumn: 60 }] },
    {
      name: "several modules, one finding each",
      code: `${mod("git::https://example.com/a.git")}\n${mod("./local")}\n${mod("hashicorp/consul/aws")}`,
      errors: [
        { line: 2, column: 3, endLine: 2, endColumn: 44 },
        { line: 10, column: 3, endLine: 10, endColumn: 34 },
      ],
    },
    {
      name: "JSON syntax reports at the source property",
      filename: "main.tf.json",
      code: '{\n  "module": {\n    "vpc": {\n      "source": "git::https://example.com/vpc.git?ref=trunk"\n    }\n  }\n}\n',
      errors: [{ line: 4, column: 7, endLine: 4, endColumn: 61 }],
    },
  ],
});
