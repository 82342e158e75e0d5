// require-create-before-destroy: replaceable compute must be created before the old generation is destroyed.
import { appendToHclBlock, jsonSet, replaceExpr } from "../engine/edits.ts";
import { addressOf, attr, blocksOf, literalValue } from "../engine/model.ts";
import type { Block, Fix, Rule, SourceFile, TextEdit } from "../engine/types.ts";
import { DEFAULT_MACHINE_LIKE } from "./_machine-like.ts";
import { adviceFor, describeUnique, randomNameEdits, uniqueValues, UNIQUE_ATTRIBUTES, type UniqueValue } from "./_unique-attributes.ts";

/** Resource types whose replacement takes service down unless the new one is created first: the machine-like types. */
export const DEFAULT_REPLACEABLE = DEFAULT_MACHINE_LIKE;

/** What the message says the resource is: replaced by each new image, or (a launch template) versioned in place. */
function replacedWhen(type: string): string {
  // A new image adds a version to a launch template in place; only a change such as a new name replaces it.
  return type === "aws_launch_template"
    ? "a change that replaces it (a new name, for one) deletes the template the group launches from before the next one exists"
    : "it is replaced by each new image, and each roll destroys the running generation before its replacement exists";
}

/**
 * What to do, for the message: `action` ("add lifecycle { ... }", "set it to true"), and first what
 * stands in the way of two generations existing at once when something does.
 */
function whatToDo(action: string, blocking: UniqueValue[], unknown: UniqueValue[], namePrefix: boolean): string {
  if (blocking.length > 0) {
    const advice = [...new Set(blocking.map((b) => adviceFor(b, namePrefix)))].join(" and ");
    return ` Two generations cannot hold ${blocking.map(describeUnique).join(" and ")} at once: ${advice}, then ${action}.`;
  }
  const capital = action[0].toUpperCase() + action.slice(1);
  if (unknown.length > 0)
    return ` ${capital} once ${unknown.map((u) => `its ${u.spec.noun} (${u.shown})`).join(" and ")} ${unknown.length > 1 ? "differ" : "differs"} for each generation.`;
  return ` ${capital}.`;
}

/** The edits that set create_before_destroy = true in a resource (into its lifecycle block when it has one). */
function addCreateBeforeDestroy(file: SourceFile, block: Block, lifecycle: Block | undefined): TextEdit[] {
  if (file.syntax === "json")
    return jsonSet(file, [...(lifecycle?.jsonPath ?? [...block.jsonPath!, "lifecycle"]), "create_before_destroy"], true);
  return lifecycle
    ? appendToHclBlock(file, lifecycle, ["create_before_destroy = true"])
    : appendToHclBlock(file, block, ["", "lifecycle {", "  create_before_destroy = true", "}"]);
}

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
        "With `create_before_destroy` the new generation is built first and the old one is only destroyed once its replacement exists. " +
        "Both generations then exist at once, so anything only one machine may hold must differ between them: a Google Compute Engine " +
        "instance's, Azure virtual machine's or Hetzner server's `name`, a fixed private IP or network interface, an existing disk. " +
        "The message names such a value when it is fixed, and the fix is only applied automatically when there is none.",
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
        "Safe only when the next replacement can succeed: the fix adds `create_before_destroy = true` (into an existing `lifecycle` block " +
        "when there is one, or sets a false value to true), which changes nothing until the next replacement and then only its order. " +
        "That order needs the new machine to exist beside the old one, so the fix is safe only when nothing the resource holds must be " +
        "unique: no fixed `name` where the provider requires unique names (Google Compute Engine instances, Azure virtual machines, " +
        "Hetzner servers; launch configurations and instance templates, which no-static-template-name covers), no fixed private IP, " +
        "network interface or disk. DigitalOcean droplet names may repeat, so droplets always get the safe fix. " +
        "When such a value is written as a literal (or through a variable's default, a tfvars file or a local), the replacement " +
        'would fail with "already exists" or "in use", so there is no automatic fix; where the value is only a fixed name and the ' +
        "image is a reference, an unsafe quick fix also makes the name unique per generation with a `random_id` whose `keepers` hold " +
        "the image (it replaces the machine on the next apply, and `terraform init` must install the random provider first). When the " +
        "value cannot be told from the configuration (a variable without a default), the fix is offered as a quick fix only.",
    },
    options: {
      resources: {
        type: "string[]",
        default: DEFAULT_REPLACEABLE,
        description: "Resource types that must be created before they are destroyed.",
      },
      exclude: { type: "string[]", default: [], description: "Resource types to leave out of `resources`." },
    },
  },
  check(context) {
    const resources = new Set(context.options.resources as string[]);
    for (const ex of context.options.exclude as string[]) resources.delete(ex);
    for (const { block, file } of context.checkBlocks("resource")) {
      const [type] = block.labels;
      const subject = addressOf(block);
      if (!type || !resources.has(type)) continue;
      const lifecycle = blocksOf(block.body, "lifecycle")[0];
      const cbd = lifecycle ? attr(lifecycle.body, "create_before_destroy") : undefined;
      const unique = uniqueValues(context, block, file);
      const blocking = unique.filter((u) => u.uniqueness === "fixed");
      const unknown = unique.filter((u) => u.uniqueness === "unknown");
      const namePrefix = UNIQUE_ATTRIBUTES[type]?.namePrefix === true;
      const related = blocking.flatMap((b) => (b.origin ? [b.origin] : []));
      // Safe only when the replacement can exist beside the machine; a quick fix when that cannot be told.
      const kind: Fix["kind"] | undefined = blocking.length > 0 ? undefined : unknown.length > 0 ? "unsafe" : "safe";
      if (cbd) {
        const value = context.resolve(cbd.expr, file)?.value ?? literalValue(cbd.expr);
        if (value !== false && value !== "false") continue; // true, or computed: trust it.
        context.report({
          file,
          range: cbd.range,
          message: `${subject} sets create_before_destroy = false: Terraform destroys the running generation before creating its replacement.${whatToDo("set it to true", blocking, unknown, namePrefix)}`,
          related: related.length > 0 ? related : undefined,
          fix:
            kind &&
            context.fix("Set create_before_destroy = true", kind, () => [
              {
                path: file.path,
                edits:
                  file.syntax === "json"
                    ? jsonSet(file, [...lifecycle.jsonPath!, "create_before_destroy"], true)
                    : [replaceExpr(cbd, "true")],
              },
            ]),
        });
        continue;
      }
      let fix: Fix | undefined =
        kind &&
        context.fix("Add lifecycle { create_before_destroy = true }", kind, () => [
          { path: file.path, edits: addCreateBeforeDestroy(file, block, lifecycle) },
        ]);
      // A fixed name is all that stands in the way: make it unique per generation in the same quick fix.
      const [onlyName] = blocking;
      if (!fix && blocking.length === 1 && unknown.length === 0 && onlyName.spec.kind === "name") {
        const renamed = randomNameEdits(context, block, file, onlyName);
        if (renamed) {
          fix = {
            title: "Make the name unique per generation (random_id keyed on the image) and add create_before_destroy",
            kind: "unsafe",
            changes: [{ path: file.path, edits: [...renamed, ...addCreateBeforeDestroy(file, block, lifecycle)] }],
          };
        }
      }
      context.report({
        file,
        range: block.headerRange,
        message: `${subject} does not set create_before_destroy: ${replacedWhen(type)}.${whatToDo("add lifecycle { create_before_destroy = true }", blocking, unknown, namePrefix)}`,
        related: related.length > 0 ? related : undefined,
        fix,
      });
    }
  },
};
