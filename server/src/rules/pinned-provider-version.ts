// pinned-provider-version: every provider in `required_providers` must carry a version constraint.
import { blocksOf } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";

/** The built-in `terraform` provider ships with Terraform itself and takes no version. */
const BUILTIN_SOURCES = new Set(["terraform.io/builtin/terraform"]);

export const pinnedProviderVersion: Rule = {
  meta: {
    id: "pinned-provider-version",
    severity: "warning",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform"],
    docs: {
      summary: "Every entry of `terraform { required_providers { ... } }` must have a `version` constraint.",
      why:
        "Providers decide what a configuration builds: defaults, which changes force replacement, how images and templates are read. " +
        "Without a constraint any release is acceptable, so a fresh `terraform init` (in CI, on a new machine, with `-upgrade`, or wherever the lock file is not committed) " +
        "may install a new major version, and the same configuration builds a different generation than the one you tested. " +
        'The legacy form `aws = "~> 5.0"` is a version constraint and is fine.',
      reportedAt: "the provider's key in `required_providers`",
      bad: [
        {
          filename: "versions.tf",
          code: 'terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "versions.tf",
          code: 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n',
        },
      ],
      fixSafety:
        "There is no automatic fix: the right constraint is the provider release you tested, which the configuration does not record.",
    },
    options: {},
  },
  check(context) {
    for (const { block, file } of context.checkBlocks("terraform")) {
      for (const required of blocksOf(block.body, "required_providers")) {
        for (const entry of required.body.attributes) {
          // The legacy string form (`aws = "~> 5.0"`) is itself the version constraint; other forms are Terraform's to reject.
          if (entry.expr.kind !== "object") continue;
          const { entries } = entry.expr;
          const field = (key: string) => entries.find((e) => e.key === key);
          const source = field("source");
          if (source?.value.kind === "literal" && BUILTIN_SOURCES.has(String(source.value.value))) continue;
          const version = field("version");
          // An empty string constrains nothing, so it counts as missing.
          if (version && !(version.value.kind === "literal" && version.value.value === "")) continue;
          context.report({
            file,
            range: entry.nameRange,
            message: `Provider "${entry.name}" in required_providers has no version constraint: a fresh terraform init may install any release, so the same configuration can build something different. Add version = "~> <the release you tested>".`,
          });
        }
      }
    }
  },
};
