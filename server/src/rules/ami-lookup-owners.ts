// ami-lookup-owners: an AMI looked up by name must be restricted to the accounts allowed to publish it.
import { addressOf, attr, blocksOf, literalValue } from "../engine/model.ts";
import type { Block, Origin, Rule, RuleContext, SourceFile } from "../engine/types.ts";

/** Packer builders that take a `source_ami_filter` (all the amazon-* builders do). */
const AMAZON_BUILDER = /^amazon-/;

type OwnersProblem = { kind: "missing" } | { kind: "empty"; origin?: Origin } | { kind: "wildcard"; origin?: Origin };

/** What is wrong with the `owners` of a lookup body, or undefined when it is restricted (or computed: trusted). */
function ownersProblem(context: RuleContext, body: Block["body"], file: SourceFile): OwnersProblem | undefined {
  const owners = attr(body, "owners");
  if (!owners) return { kind: "missing" };
  // JSON syntax writes a reference as `"${var.owners}"`: look inside the interpolation.
  const expr =
    owners.expr.kind === "template" && owners.expr.parts.length === 1 && typeof owners.expr.parts[0] !== "string"
      ? owners.expr.parts[0]
      : owners.expr;
  const resolved = context.resolve(expr, file);
  const value = resolved?.value ?? literalValue(expr);
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return { kind: "empty", origin: resolved?.origin };
  if (list.some((o) => o === "*")) return { kind: "wildcard", origin: resolved?.origin };
  return undefined;
}

function describe(problem: OwnersProblem): string {
  switch (problem.kind) {
    case "missing":
      return "has no owners";
    case "empty":
      return "has an empty owners list";
    case "wildcard":
      return 'allows any owner ("*")';
  }
}

const CONSEQUENCE =
  "any AWS account can publish an image that matches the filters and becomes the base of the next generation. Set owners to the accounts whose images you trust (your own, or the vendor's).";

export const amiLookupOwners: Rule = {
  meta: {
    id: "ami-lookup-owners",
    severity: "error",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform", "packer"],
    docs: {
      summary: 'An AMI lookup (`data "aws_ami"`, Packer `source_ami_filter`) must name the accounts that may own the image.',
      why:
        'A lookup by name filter matches public AMIs from every AWS account. Without `owners` (or with `"*"`), anyone can publish an image ' +
        "whose name matches, and the next generation of machines boots from it: the image is neither the one you tested nor one you trust. " +
        "Packer's documentation calls `owners` \"required for security reasons\". Restricting the owners makes the lookup name one publisher's images only.",
      reportedAt: 'the `data "aws_ami"` block header, or the `source_ami_filter` block header (in JSON: its key)',
      bad: [
        {
          filename: "main.tf",
          code: 'data "aws_ami" "ubuntu" {\n  most_recent = true\n\n  filter {\n    name   = "name"\n    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]\n  }\n}\n',
        },
        {
          filename: "web.pkr.hcl",
          code:
            'source "amazon-ebs" "web" {\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  ssh_username  = "ubuntu"\n  ami_name      = "web-${formatdate("YYYYMMDDhhmmss", timestamp())}"\n\n' +
            '  source_ami_filter {\n    filters = {\n      name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"\n    }\n    most_recent = true\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code: 'data "aws_ami" "ubuntu" {\n  most_recent = true\n  owners      = ["099720109477"] # Canonical\n\n  filter {\n    name   = "name"\n    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]\n  }\n}\n',
        },
        {
          filename: "web.pkr.hcl",
          code:
            'source "amazon-ebs" "web" {\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  ssh_username  = "ubuntu"\n  ami_name      = "web-${formatdate("YYYYMMDDhhmmss", timestamp())}"\n\n' +
            '  source_ami_filter {\n    filters = {\n      name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"\n    }\n    owners      = ["099720109477"]\n    most_recent = true\n  }\n}\n',
        },
      ],
      fixSafety:
        "There is no automatic fix: only you know which account publishes the images you trust (your own, or the vendor's, such as Canonical's 099720109477).",
    },
    options: {},
  },
  check(context) {
    const report = (file: SourceFile, at: Block, subject: string, problem: OwnersProblem) =>
      context.report({
        file,
        range: at.headerRange,
        message: `${subject} ${describe(problem)}: ${CONSEQUENCE}`,
        related: problem.kind !== "missing" && problem.origin ? [problem.origin] : undefined,
      });

    if (context.module.kind === "terraform") {
      for (const { block, file } of context.checkBlocks("data")) {
        if (block.labels[0] !== "aws_ami") continue;
        const problem = ownersProblem(context, block.body, file);
        if (problem) report(file, block, addressOf(block), problem);
      }
      return;
    }

    // Packer: the `amazon-ami` data source and every amazon-* source (also the per-build overrides in `build { source "..." {} }`).
    const checkFilter = (file: SourceFile, owner: Block, subject: string) => {
      for (const filter of blocksOf(owner.body, "source_ami_filter")) {
        const problem = ownersProblem(context, filter.body, file);
        if (problem) report(file, filter, `The source_ami_filter of ${subject}`, problem);
      }
    };
    if (context.module.legacyPacker) {
      for (const { block, file } of context.topBlocks("builders")) {
        const type = attr(block.body, "type");
        const value = type ? literalValue(type.expr) : undefined;
        if (typeof value === "string" && AMAZON_BUILDER.test(value)) checkFilter(file, block, `the ${value} builder`);
      }
      return;
    }
    for (const { block, file } of context.topBlocks("source")) {
      if (AMAZON_BUILDER.test(block.labels[0] ?? "")) checkFilter(file, block, addressOf(block));
    }
    for (const { block, file } of context.topBlocks("build")) {
      for (const source of blocksOf(block.body, "source")) checkFilter(file, source, `source ${source.labels[0] ?? ""} in the build`);
    }
    for (const { block, file } of context.topBlocks("data")) {
      if (block.labels[0] !== "amazon-ami") continue;
      const problem = ownersProblem(context, block.body, file);
      if (problem) report(file, block, addressOf(block), problem);
    }
  },
};
