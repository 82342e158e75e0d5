// packer-pinned-plugin: every plugin in `required_plugins` needs a version constraint with an upper bound.
import { blocksOf, rangeOf } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";

interface Constraint {
  operator: string;
  version: number[];
  /** The part as written, trimmed. */
  text: string;
}

/** Parses a go-version constraint list such as ">= 1.2.8, < 2.0.0"; undefined when any part is not a constraint. */
export function parseConstraints(text: string): Constraint[] | undefined {
  const out: Constraint[] = [];
  for (const part of text.split(",")) {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+)*)(?:[-+][0-9A-Za-z.+-]*)?\s*$/.exec(part);
    if (!m) return undefined;
    out.push({ operator: m[1] ?? "=", version: m[2].split(".").map(Number), text: part.trim() });
  }
  return out;
}

/** Operators that bound a version from above; `~>` bounds it at the next release of its second-to-last part. */
const UPPER_BOUNDING = new Set(["=", "<", "<=", "~>"]);

/**
 * `~> MAJOR.MINOR` of the lower bound of a constraint list that has no upper bound, keeping its `!=`
 * exclusions (a release someone excluded on purpose stays excluded); undefined without a lower bound.
 */
export function pessimisticFromLowerBound(constraints: Constraint[]): string | undefined {
  const lower = constraints.find((c) => c.operator === ">=" || c.operator === ">");
  if (!lower) return undefined;
  return [`~> ${lower.version[0]}.${lower.version[1] ?? 0}`, ...constraints.filter((c) => c.operator === "!=").map((c) => c.text)].join(
    ", ",
  );
}

export const packerPinnedPlugin: Rule = {
  meta: {
    id: "packer-pinned-plugin",
    severity: "warning",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["packer"],
    docs: {
      summary: "Every `required_plugins` entry must have a `version` constraint with an upper bound.",
      why:
        "An image is only reproducible when the build that makes it is. `packer init` installs the newest plugin release that the " +
        "constraint allows: without a `version`, or with only a lower bound such as `>= 1.2.8`, a new major release of the builder " +
        "plugin is picked up by the next build without any change to the template, and two generations of the same image are built " +
        "by different code. A pessimistic constraint (`~> 1.2`) takes fixes but no breaking releases.",
      reportedAt: "the plugin's `version` entry, or its key in `required_plugins` when it has no version",
      bad: [
        {
          filename: "plugins.pkr.hcl",
          code: 'packer {\n  required_plugins {\n    amazon = {\n      source  = "github.com/hashicorp/amazon"\n      version = ">= 1.2.8"\n    }\n  }\n}\n',
        },
        {
          filename: "plugins.pkr.hcl",
          code: 'packer {\n  required_plugins {\n    digitalocean = {\n      source = "github.com/digitalocean/digitalocean"\n    }\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "plugins.pkr.hcl",
          code: 'packer {\n  required_plugins {\n    amazon = {\n      source  = "github.com/hashicorp/amazon"\n      version = "~> 1.2"\n    }\n  }\n}\n',
        },
      ],
      fixSafety:
        "Unsafe: it replaces a constraint that has no upper bound with `~> MAJOR.MINOR` of its lower bound (`>= 1.2.8` becomes " +
        "`~> 1.2`, which allows 1.2.0 up to, not including, 2.0.0). That admits releases from 1.2.0 that the old lower bound " +
        "excluded (`!=` exclusions are kept), and it keeps out a newer major version the template may already rely on, so a person should confirm it. " +
        "An entry without any `version` has no lower bound to start from and gets no fix. " +
        "The tests check every fixed template with `packer validate -syntax-only`. The Packer in CI (1.6.6) predates " +
        "`required_plugins`, so there the block is cut out of that check and each new constraint is checked on its own by Packer's " +
        "version-constraint parser (as `required_version`); the rest of the entry is not checked by Packer.",
    },
    options: {},
  },
  check(context) {
    for (const { block: packerBlock, file } of context.topBlocks("packer")) {
      for (const plugins of blocksOf(packerBlock.body, "required_plugins")) {
        for (const entry of plugins.body.attributes) {
          // An entry that is not an object literal (`amazon = var.plugin`) cannot be judged here.
          if (entry.expr.kind !== "object") continue;
          const versionEntry = entry.expr.entries.find((e) => e.key === "version");
          if (!versionEntry) {
            context.report({
              file,
              range: entry.nameRange,
              message: `Plugin "${entry.name}" has no version constraint: packer init installs whatever release is newest, so two builds of this template can use different plugins. Add version = "~> <the release you tested>".`,
            });
            continue;
          }
          const resolved = context.resolve(versionEntry.value, file);
          if (typeof resolved?.value !== "string") continue;
          const constraints = parseConstraints(resolved.value);
          // Unparseable constraints are left to `packer init`, which rejects them with a precise message.
          if (!constraints || constraints.some((c) => UPPER_BOUNDING.has(c.operator))) continue;
          const pinned = pessimisticFromLowerBound(constraints);
          const inPlace = versionEntry.value.kind === "literal";
          const { startOffset, endOffset } = versionEntry.value.range;
          context.report({
            file,
            // The offending token is the constraint: `version = ">= 1.2.8"`.
            range: rangeOf(file.lineStarts, versionEntry.keyRange.startOffset, versionEntry.value.range.endOffset),
            message: `Plugin "${entry.name}" allows any version from "${resolved.value}" on: packer init installs each new major release, so two builds of this template can use different plugins. Bound it above, as "~>" does.`,
            related: resolved.origin ? [resolved.origin] : undefined,
            fix:
              pinned && inPlace
                ? {
                    title: `Constrain ${entry.name} to ${pinned}`,
                    kind: "unsafe",
                    changes: [{ path: file.path, edits: [{ start: startOffset, end: endOffset, newText: JSON.stringify(pinned) }] }],
                  }
                : undefined,
          });
        }
      }
    }
  },
};
