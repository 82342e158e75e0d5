// hcl-syntax: syntax errors, reported by the engine itself with HashiCorp's exact messages.
import type { Rule } from "../engine/types.ts";

export const hclSyntax: Rule = {
  meta: {
    id: "hcl-syntax",
    severity: "error",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform", "packer"],
    docs: {
      summary: "The file has a syntax error, so Terraform or Packer would refuse it.",
      why:
        "A file that does not parse cannot be planned or built, and every other rule only sees the part of it that parsed. " +
        "The message and range are HashiCorp's own parser's (the one Terraform and Packer use), so what you read here is what `terraform validate` or `packer validate` would say.",
      reportedAt: "the range HashiCorp's parser reports for the error",
      bad: [{ filename: "main.tf", code: 'resource "aws_instance" "web" {\n  ami = [1,\n}\n' }],
      good: [{ filename: "main.tf", code: 'resource "aws_instance" "web" {\n  ami = "ami-0abc"\n}\n' }],
      fixSafety: "There is no automatic fix: only you know what was meant.",
    },
    options: {},
  },
  check() {
    // The engine reports syntax errors while parsing; there is nothing left to check here.
  },
};
