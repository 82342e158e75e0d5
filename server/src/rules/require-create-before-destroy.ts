// require-create-before-destroy: replaceable compute must be created before the old generation is destroyed.
import { appendToHclBlock, jsonSet, replaceExpr } from "../engine/edits.ts";
import { attr, blocksOf, literalValue } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";

/** Resource types whose replacement takes service down unless the new one is created first. */
export const DEFAULT_REPLACEABLE = [
  "aws_instance",
  "aws_launch_template",
  "aws_launch_configuration",
  "google_compute_instance",
  "google_compute_instance_template",
  "google_compute_region_instance_template",
  "azurerm_linux_virtual_machine",
  "azurerm_windows_virtual_machine",
  "digitalocean_droplet",
  "hcloud_server",
];

export const requireCreateBeforeDestroy: Rule = {
  meta: {
    id: "require-create-before-destroy",
    severity: "warning",
    recommended: true,
    fix: "safe",
    appliesTo: ["terraform"],
    docs: {
      summary: "Replaceable compute resources must set `lifecycle { create_before_destroy = true }`.",
      why:
        "In immutable infrastructure every change replaces the machine. Terraform's default order is destroy, then create: " +
        "the old generation is gone before the new one exists, so each roll is an outage and a failed create leaves nothing running. " +
        "With `create_before_destroy` the new generation is built first and the old one is only destroyed once its replacement exists.",
      reportedAt: "the resource block header, or the `create_before_destroy` attribute when it is set to false",
      bad: [
        {
          filename: "main.tf",
          code: 'resource "digitalocean_droplet" "web" {\n  image  = var.web_image\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code: 'resource "digitalocean_droplet" "web" {\n  image  = var.web_image\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
        },
      ],
      fixSafety:
        "Safe: it adds `create_before_destroy = true` (into an existing `lifecycle` block when there is one, or sets a false value to true). " +
        "It changes only the order of the next replacement. Names that must be unique (a fixed `name` on some resources) may then need a prefix; other rules flag those.",
    },
    options: {
      resources: { type: "string[]", default: DEFAULT_REPLACEABLE, description: "Resource types that must be created before they are destroyed." },
      exclude: { type: "string[]", default: [], description: "Resource types to leave out of `resources`." },
    },
  },
  check(context) {
    const resources = new Set(context.options.resources as string[]);
    for (const ex of context.options.exclude as string[]) resources.delete(ex);
    for (const { block, file } of context.topBlocks("resource")) {
      const [type, name] = block.labels;
      if (!type || !resources.has(type)) continue;
      const lifecycle = blocksOf(block.body, "lifecycle")[0];
      const cbd = lifecycle ? attr(lifecycle.body, "create_before_destroy") : undefined;
      if (cbd) {
        const value = context.resolve(cbd.expr, file)?.value ?? literalValue(cbd.expr);
        if (value !== false && value !== "false") continue; // true, or computed: trust it.
        context.report({
          file,
          range: cbd.range,
          message: `${type}.${name} sets create_before_destroy = false: Terraform destroys the running generation before creating its replacement.`,
          fix: {
            title: "Set create_before_destroy = true",
            kind: "safe",
            changes: [{ path: file.path, edits: file.syntax === "json" ? jsonSet(file, [...lifecycle!.jsonPath!, "create_before_destroy"], true) : [replaceExpr(cbd, "true")] }],
          },
        });
        continue;
      }
      const edits =
        file.syntax === "json"
          ? jsonSet(file, [...(lifecycle?.jsonPath ?? [...block.jsonPath!, "lifecycle"]), "create_before_destroy"], true)
          : lifecycle
            ? appendToHclBlock(file, lifecycle, ["create_before_destroy = true"])
            : appendToHclBlock(file, block, ["", "lifecycle {", "  create_before_destroy = true", "}"]);
      context.report({
        file,
        range: block.headerRange,
        message: `${type}.${name} is replaced on every new image but does not set lifecycle { create_before_destroy = true }: each roll destroys the running generation first.`,
        fix: { title: "Add lifecycle { create_before_destroy = true }", kind: "safe", changes: [{ path: file.path, edits }] },
      });
    }
  },
};
