// no-static-unique-attribute: a machine created before its predecessor is destroyed must not hold a fixed name, address or attachment.
import { addressOf, attr, blocksOf, literalValue } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";
import { adviceFor, describeUnique, randomNameEdits, uniqueValues, UNIQUE_ATTRIBUTES, type UniqueKind } from "./_unique-attributes.ts";

/** Why the next replacement fails, by what the value is. */
const FAILURE: Record<UniqueKind, string> = {
  name: 'the replacement cannot take the name while this machine exists, so the next replacement fails ("already exists")',
  address: "the replacement cannot take the address while this machine holds it, so the next replacement fails",
  attachment:
    "it is not replaced with the machine, and the replacement cannot attach it while this machine holds it, so the next replacement fails",
};

export const noStaticUniqueAttribute: Rule = {
  meta: {
    id: "no-static-unique-attribute",
    severity: "error",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["terraform"],
    docs: {
      summary:
        "A machine with `create_before_destroy = true` must not have a fixed value that only one machine may hold: a Google Compute Engine instance's, " +
        "Azure virtual machine's or Hetzner server's `name`, a fixed private IP, a network interface or disk that is not replaced with it.",
      why:
        "`create_before_destroy` creates each new generation beside the running one and destroys the old machine afterwards, so for a moment both exist. " +
        "Whatever only one machine may hold must then differ between them. Google Compute Engine instance names are unique in their zone, Azure virtual " +
        "machine names in their resource group (and a managed OS disk's name too), Hetzner server names in their project; a private IP, an external IP, " +
        "a network interface (AWS, Azure) or a disk attached read-write belongs to one machine at a time. With such a value fixed, the next new image " +
        'does not roll: the apply fails with "already exists" or "in use" and the old generation keeps running. The rule reads values written in place, ' +
        "through variables' defaults, tfvars files and locals; a network interface, disk or address managed in the same module counts as fixed unless its " +
        "own name is new for each generation. A value built from a `random_id` (or another `random_*` resource), `uuid()`, `timestamp()` or from the " +
        "image reference itself is new for each generation. Resources without `create_before_destroy` are reported by require-create-before-destroy, " +
        "whose message names such values. This is a rule of its own rather than part of no-static-template-name: a launch configuration's or " +
        "instance template's fixed name stops every roll whatever the order (the group still holds the old one), so that rule reports it always, " +
        "while a machine's fixed name only stops a roll that creates before it destroys.",
      reportedAt: "the attribute that holds the fixed value",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "google_compute_instance" "web" {\n  name         = "web"\n  machine_type = "e2-small"\n  zone         = "europe-west1-b"\n\n' +
            '  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n\n  network_interface {\n    network = "default"\n  }\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "google_compute_instance" "web" {\n  name         = "web-${random_id.web_name.hex}"\n  machine_type = "e2-small"\n  zone         = "europe-west1-b"\n\n' +
            '  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n\n  network_interface {\n    network = "default"\n  }\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n\n" +
            'resource "random_id" "web_name" {\n  byte_length = 4\n\n  keepers = {\n    image = var.web_image\n  }\n}\n',
        },
      ],
      fixSafety:
        "Unsafe, and offered only for a fixed `name` when the image is written as one attribute: it appends `-${random_id.<name>_name.hex}` to the name " +
        'and adds `resource "random_id" "<name>_name" { byte_length = 4  keepers = { image = <the image> } }` after the resource, so each new image ' +
        "(and only a new image) gives the next generation a new name. The name changes at once, so the next apply replaces the machine, and " +
        "`terraform init` must install the random provider before it. No fix is offered where the longer name would pass the provider's limit " +
        "(63 characters on Google Cloud and Hetzner, 64 for Azure Linux and 15 for Azure Windows machines). There is no automatic fix for addresses, " +
        "network interfaces and disks: only you can move them behind a load balancer or give each generation its own.",
    },
    options: {},
  },
  check(context) {
    for (const { block, file } of context.checkBlocks("resource")) {
      const [type] = block.labels;
      const spec = type ? UNIQUE_ATTRIBUTES[type] : undefined;
      // Names with a name_prefix alternative (launch configurations, instance templates) are no-static-template-name's.
      if (!spec || spec.namePrefix) continue;
      const lifecycle = blocksOf(block.body, "lifecycle")[0];
      const cbd = lifecycle ? attr(lifecycle.body, "create_before_destroy") : undefined;
      const value = cbd ? (context.resolve(cbd.expr, file)?.value ?? literalValue(cbd.expr)) : undefined;
      if (value !== true && value !== "true") continue;
      for (const unique of uniqueValues(context, block, file)) {
        if (unique.uniqueness !== "fixed") continue;
        const edits = unique.spec.kind === "name" ? randomNameEdits(context, block, file, unique) : undefined;
        context.report({
          file,
          range: unique.attribute.range,
          message: `${addressOf(block)} is created before its predecessor is destroyed, but has ${describeUnique(unique)}: ${FAILURE[unique.spec.kind]}. ${capitalise(adviceFor(unique, false))}.`,
          related: unique.origin ? [unique.origin] : undefined,
          fix: edits && {
            title: "Make the name unique per generation (random_id keyed on the image)",
            kind: "unsafe",
            changes: [{ path: file.path, edits }],
          },
        });
      }
    }
  },
};

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
