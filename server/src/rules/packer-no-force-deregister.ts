// packer-no-force-deregister: a Packer build must not delete the image of the previous generation.
import { deleteLines, jsonDelete } from "../engine/edits.ts";
import { attr } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";
import { makesNoImage, packerBuilders } from "./packer-unique-image-name.ts";

/** Builder options that delete the existing image (and its snapshots) of the same name before a build registers its own. */
const DESTRUCTIVE_OPTIONS = ["force_deregister", "force_delete_snapshot"];

export const packerNoForceDeregister: Rule = {
  meta: {
    id: "packer-no-force-deregister",
    severity: "warning",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["packer"],
    docs: {
      summary: "A Packer build must not set `force_deregister = true` or `force_delete_snapshot = true`.",
      why:
        "`force_deregister` makes the Amazon builders deregister an existing AMI with the same name before registering the new one, " +
        "and `force_delete_snapshot` deletes that AMI's snapshots too. The image that is deleted is the previous generation: the one " +
        "the running fleet was launched from and the one a roll goes back to when the new generation is bad. After such a build there " +
        "is nothing to roll back to, and instances or launch templates that still reference the old AMI break on their next launch. " +
        "Give each build a unique name instead (see packer-unique-image-name) and retire old images deliberately, after the new " +
        "generation is proven. A build that makes no image (`skip_create_ami = true`) deletes none and is left alone.",
      reportedAt: "the `force_deregister` or `force_delete_snapshot` attribute (JSON: the property)",
      bad: [
        {
          filename: "web.pkr.hcl",
          code:
            'source "amazon-ebs" "web" {\n  ami_name         = "web-${uuidv4()}"\n  force_deregister = true\n  instance_type    = "t3.micro"\n' +
            '  region           = "eu-west-1"\n  source_ami       = "ami-0abcdef1234567890"\n  ssh_username     = "ubuntu"\n}\n',
        },
        {
          filename: "web.json",
          code:
            '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}",\n      "force_delete_snapshot": true,\n' +
            '      "instance_type": "t3.micro",\n      "region": "eu-west-1",\n      "source_ami": "ami-0abcdef1234567890",\n      "ssh_username": "ubuntu"\n    }\n  ],\n  "post-processors": ["manifest"]\n}\n',
        },
      ],
      good: [
        {
          filename: "web.pkr.hcl",
          code:
            'source "amazon-ebs" "web" {\n  ami_name      = "web-${uuidv4()}"\n  instance_type = "t3.micro"\n' +
            '  region        = "eu-west-1"\n  source_ami    = "ami-0abcdef1234567890"\n  ssh_username  = "ubuntu"\n}\n',
        },
      ],
      fixSafety:
        "Unsafe: it deletes the attribute. With a constant image name the next build then fails because the name exists, which is " +
        "the point, but it is a change in behaviour that a person should make together with a unique name. " +
        "The tests check every fixed template with `packer validate -syntax-only`.",
    },
    options: {},
  },
  check(context) {
    const builders = packerBuilders(context);
    for (const builder of builders) {
      const { block, file } = builder;
      // A build that makes no image (skip_create_ami) deletes none either.
      if (makesNoImage(context, builder, builders)) continue;
      for (const name of DESTRUCTIVE_OPTIONS) {
        const attribute = attr(block.body, name);
        if (!attribute) continue;
        const resolved = context.resolve(attribute.expr, file);
        // Packer decodes "true" strings as booleans too (legacy JSON and variables often carry them).
        if (resolved?.value !== true && resolved?.value !== "true") continue;
        const edits =
          file.syntax === "json"
            ? jsonDelete(file, [...block.jsonPath!, name])
            : [deleteLines(file, attribute.range.startOffset, attribute.range.endOffset)];
        context.report({
          file,
          range: attribute.range,
          message: `${name} = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.`,
          related: resolved.origin ? [resolved.origin] : undefined,
          fix: { title: `Remove ${name}`, kind: "unsafe", changes: [{ path: file.path, edits }] },
        });
      }
    }
  },
};
