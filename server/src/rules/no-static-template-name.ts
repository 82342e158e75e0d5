// no-static-template-name: launch configurations and instance templates must get a unique name per generation.
import { addressOf, attr } from "../engine/model.ts";
import type { Attribute, Rule, SourceFile, TextEdit } from "../engine/types.ts";

/**
 * Resource types that can never be updated in place, are replaced on every new image and are held
 * by the group that uses them. `aws_launch_template` is deliberately absent: a launch template is
 * updated in place by adding a version, so its fixed name is never taken twice.
 */
const TEMPLATE_TYPES = new Set(["aws_launch_configuration", "google_compute_instance_template", "google_compute_region_instance_template"]);

/**
 * The google provider documents `name_prefix` as at most 54 characters (prefixes over 37 get a
 * shorter, more collision-prone suffix); a longer name cannot simply become a prefix.
 */
const GOOGLE_NAME_PREFIX_MAX = 54;

/** Renames the attribute `name` to `name_prefix`; the engine re-aligns the `=` of its run as terraform fmt does. */
function renameToPrefix(file: SourceFile, name: Attribute): TextEdit[] {
  return [
    { start: name.nameRange.startOffset, end: name.nameRange.endOffset, newText: file.syntax === "json" ? '"name_prefix"' : "name_prefix" },
  ];
}

export const noStaticTemplateName: Rule = {
  meta: {
    id: "no-static-template-name",
    severity: "warning",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["terraform"],
    docs: {
      summary: "Launch configurations and instance templates must not have a fixed `name`; use `name_prefix`.",
      why:
        "Launch configurations (`aws_launch_configuration`) and GCP instance templates cannot be changed in place: every new image replaces them. " +
        "With a fixed `name`, that replacement cannot happen cleanly. With `create_before_destroy` the new generation's template is created while the old one " +
        "still holds the name, and the cloud rejects the duplicate; without it Terraform tries to delete the old one first, which the group still uses, and the delete fails. " +
        "Either way the roll stops. `name_prefix` lets the provider append a unique suffix, so each generation gets its own template and the old one is removed once nothing uses it.",
      reportedAt: "the `name` attribute of the launch configuration or instance template",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "google_compute_instance_template" "web" {\n  name         = "web-template"\n  machine_type = "e2-small"\n\n' +
            '  disk {\n    source_image = var.web_image\n  }\n\n  network_interface {\n    network = "default"\n  }\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "google_compute_instance_template" "web" {\n  name_prefix  = "web-"\n  machine_type = "e2-small"\n\n' +
            '  disk {\n    source_image = var.web_image\n  }\n\n  network_interface {\n    network = "default"\n  }\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      fixSafety:
        "Unsafe: it renames `name` to `name_prefix` and keeps the value, so the next apply replaces the template and the real name gains a generated suffix. " +
        "Anything that looks the template up by its exact name must change too. On Google Cloud `name_prefix` is limited to 54 characters " +
        "(over 37 the provider appends a shorter, more collision-prone suffix), so no fix is offered for a longer name there.",
    },
    options: {},
  },
  check(context) {
    for (const { block, file } of context.checkBlocks("resource")) {
      const [type] = block.labels;
      if (!type || !TEMPLATE_TYPES.has(type)) continue;
      const name = attr(block.body, "name");
      if (!name) continue;
      const resolved = context.resolve(name.expr, file);
      // A name built from anything not known before apply (random_id, timestamps) is trusted.
      if (typeof resolved?.value !== "string") continue;
      const tooLongForPrefix = type.startsWith("google_") && resolved.value.length > GOOGLE_NAME_PREFIX_MAX;
      // With both attributes written (which the providers reject), renaming would write name_prefix twice.
      const canRename = !tooLongForPrefix && !attr(block.body, "name_prefix");
      context.report({
        file,
        range: name.range,
        message: `${addressOf(block)} has the fixed name "${resolved.value}": its replacement cannot take the name while the old one exists, so each new image stops the roll. Use name_prefix instead of name.`,
        related: resolved.origin ? [resolved.origin] : undefined,
        fix: !canRename
          ? undefined
          : { title: "Rename name to name_prefix", kind: "unsafe", changes: [{ path: file.path, edits: renameToPrefix(file, name) }] },
      });
    }
  },
};
