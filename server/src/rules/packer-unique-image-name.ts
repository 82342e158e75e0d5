// packer-unique-image-name: a Packer image name must differ on every build, or each build collides with the last generation.
import { attr, blocksOf, type Expr } from "../engine/model.ts";
import type { Attribute, Block, Rule, RuleContext, SourceFile } from "../engine/types.ts";

/** A builder configuration: an HCL `source` (top-level or inside a `build`) or a legacy `builders` entry. */
export interface PackerBuilder {
  block: Block;
  file: SourceFile;
  /** The builder type, e.g. "amazon-ebs"; undefined when it is not written as a literal. */
  builderType: string | undefined;
  /** `type.name` of the source (HCL), or undefined for legacy builders. */
  sourceRef: string | undefined;
  /** True for a `source` block inside a `build`, which overrides fields of a top-level source. */
  nested: boolean;
}

/** Splits a build-nested source label ("source.amazon-ebs.web" or "amazon-ebs.web") into its type and name. */
function parseSourceRef(label: string): { type: string; name: string } | undefined {
  const parts = label.replace(/^source\./, "").split(".");
  return parts.length === 2 ? { type: parts[0], name: parts[1] } : undefined;
}

/** Every builder configuration of a Packer module, in file order. Shared by the Packer rules that inspect builders. */
export function packerBuilders(context: RuleContext): PackerBuilder[] {
  const out: PackerBuilder[] = [];
  if (context.module.legacyPacker) {
    for (const { block, file } of context.topBlocks("builders")) {
      const typeAttr = attr(block.body, "type");
      const value = typeAttr?.expr.kind === "literal" ? typeAttr.expr.value : undefined;
      out.push({ block, file, builderType: typeof value === "string" ? value : undefined, sourceRef: undefined, nested: false });
    }
    return out;
  }
  for (const { block, file } of context.topBlocks()) {
    if (block.type === "source" && block.labels.length === 2) {
      out.push({ block, file, builderType: block.labels[0], sourceRef: `${block.labels[0]}.${block.labels[1]}`, nested: false });
    } else if (block.type === "build") {
      for (const nested of blocksOf(block.body, "source")) {
        const ref = nested.labels[0] === undefined ? undefined : parseSourceRef(nested.labels[0]);
        if (ref) out.push({ block: nested, file, builderType: ref.type, sourceRef: `${ref.type}.${ref.name}`, nested: true });
      }
    }
  }
  return out;
}

/** The attribute that names the produced image, per builder type (from each builder's Packer docs). */
export function imageNameAttribute(builderType: string): string | undefined {
  if (builderType.startsWith("amazon-")) return "ami_name";
  if (builderType === "googlecompute") return "image_name";
  if (builderType === "azure-arm") return "managed_image_name";
  if (builderType === "digitalocean" || builderType === "hcloud") return "snapshot_name";
  if (builderType.startsWith("vsphere-") || builderType === "qemu") return "vm_name";
  return undefined;
}

/** Functions whose result differs on every build. */
const UNIQUE_FUNCTIONS = new Set(["timestamp", "uuidv4", "formatdate"]);
/**
 * Legacy Go-template functions that differ per build: `{{timestamp}}`, `{{uuid}}`, `{{isotime ...}}`;
 * `{{user `x`}}` is a variable, which the roll can set per build, as `var.x` in HCL.
 */
const UNIQUE_GO_TEMPLATE = /\{\{-?\s*(?:[^{}]*\b)?(?:timestamp|uuid|isotime|user)\b[^{}]*\}\}/;

type Uniqueness = "unique" | "constant" | "unknown";

/**
 * Whether a name expression differs per build. Variables and locals count as unique: the roll passes
 * the name (or its parts) in. Calls other than the unique ones, and other references, are "unknown"
 * and never flagged, so that only names that are certainly constant are reported.
 */
function uniqueness(expr: Expr): Uniqueness {
  switch (expr.kind) {
    case "literal":
      return typeof expr.value === "string" && UNIQUE_GO_TEMPLATE.test(expr.value) ? "unique" : "constant";
    case "template": {
      let result: Uniqueness = "constant";
      for (const part of expr.parts) {
        const u = typeof part === "string" ? (UNIQUE_GO_TEMPLATE.test(part) ? "unique" : "constant") : uniqueness(part);
        if (u === "unique") return "unique";
        if (u === "unknown") result = "unknown";
      }
      return result;
    }
    case "traversal":
      return expr.root === "var" || expr.root === "local" ? "unique" : "unknown";
    case "call":
      if (UNIQUE_FUNCTIONS.has(expr.name)) return "unique";
      return expr.args.some((a) => uniqueness(a) === "unique") ? "unique" : "unknown";
    default:
      return "unknown";
  }
}

/**
 * The builder setting with which a build makes no image at all (from each builder's Packer docs):
 * amazon-* `skip_create_ami`, googlecompute and azure-* `skip_create_image`.
 */
function noImageSetting(builderType: string): string | undefined {
  if (builderType.startsWith("amazon-")) return "skip_create_ami";
  if (builderType === "googlecompute" || builderType.startsWith("azure-")) return "skip_create_image";
  return undefined;
}

/**
 * Whether a builder makes no image: the `null` builder, or a "no image" setting that is true in its own
 * block or, for a build's source, in the top-level source it extends. Such builds are test runs.
 */
export function makesNoImage(context: RuleContext, builder: PackerBuilder, builders: PackerBuilder[]): boolean {
  if (!builder.builderType) return false;
  if (builder.builderType === "null") return true;
  const setting = noImageSetting(builder.builderType);
  if (!setting) return false;
  const own = attr(builder.block.body, setting);
  const base = builder.nested && !own ? builders.find((b) => !b.nested && b.sourceRef === builder.sourceRef) : undefined;
  const found = own
    ? { attribute: own, file: builder.file }
    : base && attr(base.block.body, setting)
      ? { attribute: attr(base.block.body, setting)!, file: base.file }
      : undefined;
  if (!found) return false;
  const value = context.resolve(found.attribute.expr, found.file)?.value;
  return value === true || value === "true";
}

/**
 * What the fix appends to a constant name: the build time, written where it holds whether the folder
 * is one template or each file is built alone (`packer build web.pkr.hcl`). A `timestamp` local is
 * used only when the same file defines it; otherwise the time is written inline, so the file needs
 * nothing from its neighbours.
 */
function buildTimeSuffix(file: SourceFile, legacy: boolean): { text: string; title: string } {
  if (legacy) return { text: "-{{timestamp}}", title: "-{{timestamp}}" };
  if (blocksOf(file.body, "locals").some((l) => attr(l.body, "timestamp") !== undefined))
    return { text: "-${local.timestamp}", title: "-${local.timestamp}" };
  const inline = '-${formatdate("YYYYMMDDhhmmss", timestamp())}';
  // Inside a JSON string the quotes of the format are escaped.
  return { text: file.syntax === "json" ? inline.replace(/"/g, '\\"') : inline, title: inline };
}

interface ConstantName {
  builder: PackerBuilder;
  attribute: Attribute;
}

export const packerUniqueImageName: Rule = {
  meta: {
    id: "packer-unique-image-name",
    severity: "warning",
    recommended: true,
    fix: "safe",
    appliesTo: ["packer"],
    docs: {
      summary:
        "The name of the image a Packer build produces (`ami_name`, `image_name`, `managed_image_name`, `snapshot_name`, `vm_name`) must differ on every build.",
      why:
        "Each build of an immutable image is a new generation, and the previous one must stay available to roll back to. " +
        "With a constant name every build collides with the image of the previous generation: Amazon and Google refuse the build " +
        "(the name exists), or the build is forced to delete the old image, and where names may repeat (DigitalOcean snapshots) " +
        "nothing tells two generations apart. A timestamp, a UUID or a variable that the roll sets makes each generation distinct. " +
        "The rule checks `ami_name` (amazon-*), `image_name` (googlecompute), `managed_image_name` (azure-arm), `snapshot_name` " +
        "(digitalocean, hcloud) and `vm_name` (vsphere-*, qemu) in `source` blocks, in `source` blocks inside `build`, and in legacy " +
        "JSON `builders`. `timestamp()`, `uuidv4()`, `formatdate(...)`, any `var.` or `local.` reference and the legacy " +
        "`{{timestamp}}`, `{{uuid}}`, `{{isotime}}` and `{{user}}` templates count as unique. A name that is not written at all is " +
        "left alone: most builders then default to a name with `{{timestamp}}` in it. So are builds that make no image: the `null` " +
        "builder, and `skip_create_ami = true` (amazon-*) or `skip_create_image = true` (googlecompute, azure-*) in the source or " +
        "in the build's source block that extends it.",
      reportedAt: "the name attribute (JSON: its key)",
      bad: [
        {
          filename: "web.pkr.hcl",
          code: 'source "amazon-ebs" "web" {\n  ami_name      = "web"\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  source_ami    = "ami-0abcdef1234567890"\n  ssh_username  = "ubuntu"\n}\n',
        },
        {
          filename: "web.json",
          code: '{\n  "builders": [\n    {\n      "type": "digitalocean",\n      "image": "ubuntu-22-04-x64",\n      "region": "ams3",\n      "size": "s-1vcpu-1gb",\n      "ssh_username": "root",\n      "snapshot_name": "web"\n    }\n  ],\n  "post-processors": ["manifest"]\n}\n',
        },
      ],
      good: [
        {
          filename: "web.pkr.hcl",
          code: 'source "amazon-ebs" "web" {\n  ami_name      = "web-${formatdate("YYYYMMDDhhmmss", timestamp())}"\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  source_ami    = "ami-0abcdef1234567890"\n  ssh_username  = "ubuntu"\n}\n',
        },
        {
          filename: "web.json",
          code: '{\n  "builders": [\n    {\n      "type": "digitalocean",\n      "image": "ubuntu-22-04-x64",\n      "region": "ams3",\n      "size": "s-1vcpu-1gb",\n      "ssh_username": "root",\n      "snapshot_name": "web-{{timestamp}}"\n    }\n  ],\n  "post-processors": ["manifest"]\n}\n',
        },
      ],
      fixSafety:
        'Safe: it appends the build time to the name, `-${formatdate("YYYYMMDDhhmmss", timestamp())}`, written inline so that the ' +
        "fixed file needs nothing from the other files of its folder: it validates and builds the same whether the folder is one " +
        "template (`packer build .`) or each file is built alone (`packer build web.pkr.hcl`). Where the same file already defines a " +
        "`timestamp` local, it appends `-${local.timestamp}` instead. In a legacy JSON template it appends `-{{timestamp}}`. Only the " +
        "next image's name changes; images that exist are not touched. The build time has only digits, which every builder's names " +
        "accept; names with a length limit (Azure, 80 characters) may need shortening. The tests check every fixed template with " +
        "`packer validate -syntax-only` (HCL syntax; for legacy JSON the template structure), evaluate the fixed name with a full " +
        "`packer validate` of the file's variables and locals (which proves `formatdate` and `timestamp` evaluate in Packer 1.6.6), " +
        "and check it with `packer fmt`.",
    },
    options: {},
  },
  check(context) {
    const builders = packerBuilders(context);
    // A top-level source whose name a build overrides is judged by the override instead.
    const overridden = new Set(
      builders
        .filter(
          (b) => b.nested && b.builderType && imageNameAttribute(b.builderType) && attr(b.block.body, imageNameAttribute(b.builderType)!),
        )
        .map((b) => b.sourceRef),
    );
    const constant: ConstantName[] = [];
    for (const builder of builders) {
      if (!builder.builderType || makesNoImage(context, builder, builders)) continue;
      const name = imageNameAttribute(builder.builderType);
      const attribute = name ? attr(builder.block.body, name) : undefined;
      if (!attribute || (!builder.nested && overridden.has(builder.sourceRef))) continue;
      if (uniqueness(attribute.expr) === "constant") constant.push({ builder, attribute });
    }
    const legacy = context.module.legacyPacker === true;
    for (const { builder, attribute } of constant) {
      const { file } = builder;
      const where = builder.sourceRef ? `source ${builder.sourceRef}` : `the ${builder.builderType} builder`;
      const expr = attribute.expr;
      const quoted =
        !(expr.kind === "template" && expr.heredoc) &&
        file.text[expr.range.endOffset - 1] === '"' &&
        expr.range.endOffset - expr.range.startOffset >= 2;
      const suffix = buildTimeSuffix(file, legacy);
      context.report({
        file,
        range: file.syntax === "json" ? attribute.nameRange : attribute.range,
        message: `${attribute.name} of ${where} is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.`,
        fix: quoted
          ? {
              title: `Append ${suffix.title} to ${attribute.name}`,
              kind: "safe",
              changes: [
                { path: file.path, edits: [{ start: expr.range.endOffset - 1, end: expr.range.endOffset - 1, newText: suffix.text }] },
              ],
            }
          : undefined,
      });
    }
  },
};
