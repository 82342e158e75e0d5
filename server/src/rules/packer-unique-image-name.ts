// packer-unique-image-name: a Packer image name must differ on every build, or each build collides with the last generation.
import { jsonSet } from "../engine/edits.ts";
import { attr, blocksOf, type Expr } from "../engine/model.ts";
import type { Attribute, Block, FileChange, Module, Rule, RuleContext, SourceFile, TextEdit } from "../engine/types.ts";

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

/** Packer's own idiom (what `packer hcl2_upgrade` writes for `{{timestamp}}`): a compact build time. */
const TIMESTAMP_LOCAL_EXPR = 'regex_replace(timestamp(), "[- TZ:]", "")';

function hasTimestampLocal(module: Module): boolean {
  return module.files.some((f) => blocksOf(f.body, "locals").some((l) => attr(l.body, "timestamp") !== undefined));
}

/** Edits that add `locals { timestamp = ... }` to a file: before its first source or build block (HCL), or as a JSON property. */
function addTimestampLocal(file: SourceFile): TextEdit[] {
  if (file.syntax === "json") {
    const locals = blocksOf(file.body, "locals")[0];
    return locals ? jsonSet(file, [...locals.jsonPath!, "timestamp"], `\${${TIMESTAMP_LOCAL_EXPR}}`) : jsonSet(file, ["locals"], { timestamp: `\${${TIMESTAMP_LOCAL_EXPR}}` });
  }
  const eol = file.text.includes("\r\n") ? "\r\n" : "\n";
  const line = `locals { timestamp = ${TIMESTAMP_LOCAL_EXPR} }`;
  const anchor = file.body.blocks.find((b) => b.type === "source" || b.type === "build");
  if (!anchor) {
    const sep = file.text === "" || file.text.endsWith("\n") ? "" : eol;
    return [{ start: file.text.length, end: file.text.length, newText: `${sep}${line}${eol}` }];
  }
  // Insert above the comment lines that document the anchor block, so they stay attached to it.
  let at = file.lineStarts[anchor.range.start.line];
  for (let l = anchor.range.start.line - 1; l >= 0; l--) {
    const text = file.text.slice(file.lineStarts[l], file.lineStarts[l + 1]).trim();
    if (!text.startsWith("#") && !text.startsWith("//")) break;
    at = file.lineStarts[l];
  }
  return [{ start: at, end: at, newText: `${line}${eol}${eol}` }];
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
        "left alone: most builders then default to a name with `{{timestamp}}` in it.",
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
          code:
            'locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }\n\n' +
            'source "amazon-ebs" "web" {\n  ami_name      = "web-${local.timestamp}"\n  instance_type = "t3.micro"\n  region        = "eu-west-1"\n  source_ami    = "ami-0abcdef1234567890"\n  ssh_username  = "ubuntu"\n}\n',
        },
        {
          filename: "web.json",
          code: '{\n  "builders": [\n    {\n      "type": "digitalocean",\n      "image": "ubuntu-22-04-x64",\n      "region": "ams3",\n      "size": "s-1vcpu-1gb",\n      "ssh_username": "root",\n      "snapshot_name": "web-{{timestamp}}"\n    }\n  ],\n  "post-processors": ["manifest"]\n}\n',
        },
      ],
      fixSafety:
        "Safe: it appends `-${local.timestamp}` to the name and, when the template has no `timestamp` local yet, adds " +
        '`locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }`, which is what `packer hcl2_upgrade` itself writes for ' +
        "`{{timestamp}}`. In a legacy JSON template it appends `-{{timestamp}}`. Only the next image's name changes; images that " +
        "exist are not touched. Names with a length limit (Azure, 80 characters) may need shortening. " +
        "The tests check every fixed template with `packer validate -syntax-only` (HCL syntax; for legacy JSON the template " +
        "structure) and evaluate the added local with a full `packer validate` of the template's variables and locals. " +
        "Packer does not check there that the name inside the source renders (`-syntax-only` leaves source bodies alone).",
    },
    options: {},
  },
  check(context) {
    const builders = packerBuilders(context);
    // A top-level source whose name a build overrides is judged by the override instead.
    const overridden = new Set(
      builders.filter((b) => b.nested && b.builderType && imageNameAttribute(b.builderType) && attr(b.block.body, imageNameAttribute(b.builderType)!)).map((b) => b.sourceRef),
    );
    const constant: ConstantName[] = [];
    for (const builder of builders) {
      if (!builder.builderType) continue;
      const name = imageNameAttribute(builder.builderType);
      const attribute = name ? attr(builder.block.body, name) : undefined;
      if (!attribute || (!builder.nested && overridden.has(builder.sourceRef))) continue;
      if (uniqueness(attribute.expr) === "constant") constant.push({ builder, attribute });
    }
    if (constant.length === 0) return;
    const legacy = context.module.legacyPacker === true;
    // The timestamp local goes into one file only, the first with a finding, so that fixes in several files never add it twice.
    const localsHome = legacy || hasTimestampLocal(context.module) ? undefined : constant[0].builder.file;
    for (const { builder, attribute } of constant) {
      const { file } = builder;
      const where = builder.sourceRef ? `source ${builder.sourceRef}` : `${builder.builderType} builder`;
      const expr = attribute.expr;
      const quoted = !(expr.kind === "template" && expr.heredoc) && file.text[expr.range.endOffset - 1] === '"' && expr.range.endOffset - expr.range.startOffset >= 2;
      const suffix = legacy ? "-{{timestamp}}" : "-${local.timestamp}";
      const changes: FileChange[] = [{ path: file.path, edits: [{ start: expr.range.endOffset - 1, end: expr.range.endOffset - 1, newText: suffix }] }];
      if (localsHome) {
        const localsEdits = addTimestampLocal(localsHome);
        if (localsHome === file) changes[0].edits.push(...localsEdits);
        else changes.push({ path: localsHome.path, edits: localsEdits });
      }
      context.report({
        file,
        range: file.syntax === "json" ? attribute.nameRange : attribute.range,
        message: `${attribute.name} of ${where} is the same on every build: each build collides with the image of the previous generation.`,
        fix: quoted ? { title: legacy ? `Append -{{timestamp}} to ${attribute.name}` : `Append -\${local.timestamp} to ${attribute.name}`, kind: "safe", changes } : undefined,
      });
    }
  },
};
