// Which attributes of a replaceable resource must be unique, so that it and its replacement can exist at once.
import { eolOf, indentAt, indentUnit } from "../engine/edits.ts";
import { attr, blocksOf, literalValue, type Body } from "../engine/model.ts";
import type { Attribute, Block, Expr, Origin, RuleContext, SourceFile, TextEdit } from "../engine/types.ts";

/** What a unique attribute holds: a name, an address, or an object only one machine can hold. */
export type UniqueKind = "name" | "address" | "attachment";

interface UniqueAttribute {
  /** Nested block types from the resource body, then the attribute. */
  blocks: string[];
  attribute: string;
  kind: UniqueKind;
  /** How messages name it, e.g. "private IP", "network interface". */
  noun: string;
  /** An attribute of the same block under which the object may be shared (a disk attached read-only). */
  sharedWhen?: { attribute: string; value: string };
}

/** How a type can make its name unique per generation, and where its image is, for `random_id` keepers. */
export interface UniqueSpec {
  attributes: UniqueAttribute[];
  /** The provider's own unique-name attribute, when the type has one. */
  namePrefix?: boolean;
  /** Where the image is: nested block types, then the attribute (for `random_id` keepers). */
  image?: { blocks: string[]; attribute: string };
  /** The longest name the provider accepts. */
  maxName?: number;
}

const NAME: UniqueAttribute = { blocks: [], attribute: "name", kind: "name", noun: "name" };

/**
 * Resource types replaced by a new image whose replacement needs attributes of its own. Sources:
 * - google_compute_instance: `name` "A unique name for the resource, required by GCE" (names are
 *   unique per project and zone, at most 63 characters, no `name_prefix`); `network_interface.network_ip`
 *   and `access_config.nat_ip` are addresses one instance holds; `boot_disk.source` and
 *   `attached_disk.source` name an existing disk, attached `READ_WRITE` unless `mode = "READ_ONLY"`.
 * - azurerm_linux/windows_virtual_machine: `name` is unique in its resource group (no `name_prefix`,
 *   at most 64 characters, 15 for Windows, whose computer name defaults to it); each network interface
 *   in `network_interface_ids` attaches to one virtual machine; a named `os_disk` is a managed disk
 *   whose name is unique in the resource group.
 * - hcloud_server: "Server names must be unique per Project"; `network.ip` is an address in a network.
 * - aws_instance: no name, but `private_ip` and `secondary_private_ips` are addresses one instance holds,
 *   and `network_interface.network_interface_id` is an interface attached to one instance.
 * - aws_launch_configuration, google_compute_(region_)instance_template: `name` is unique; the
 *   provider's `name_prefix` makes it unique (no-static-template-name reports these names).
 * aws_launch_template is left out: a new image adds a version to it in place, nothing is replaced.
 * digitalocean_droplet is left out: droplet names need not be unique.
 */
export const UNIQUE_ATTRIBUTES: Record<string, UniqueSpec> = {
  google_compute_instance: {
    attributes: [
      NAME,
      { blocks: ["network_interface"], attribute: "network_ip", kind: "address", noun: "internal IP" },
      { blocks: ["network_interface", "access_config"], attribute: "nat_ip", kind: "address", noun: "external IP" },
      { blocks: ["boot_disk"], attribute: "source", kind: "attachment", noun: "boot disk" },
      {
        blocks: ["attached_disk"],
        attribute: "source",
        kind: "attachment",
        noun: "disk",
        sharedWhen: { attribute: "mode", value: "READ_ONLY" },
      },
    ],
    image: { blocks: ["boot_disk", "initialize_params"], attribute: "image" },
    maxName: 63,
  },
  azurerm_linux_virtual_machine: {
    attributes: [
      NAME,
      { blocks: [], attribute: "network_interface_ids", kind: "attachment", noun: "network interface" },
      { blocks: ["os_disk"], attribute: "name", kind: "name", noun: "OS disk name" },
    ],
    image: { blocks: [], attribute: "source_image_id" },
    maxName: 64,
  },
  azurerm_windows_virtual_machine: {
    attributes: [
      NAME,
      { blocks: [], attribute: "network_interface_ids", kind: "attachment", noun: "network interface" },
      { blocks: ["os_disk"], attribute: "name", kind: "name", noun: "OS disk name" },
    ],
    image: { blocks: [], attribute: "source_image_id" },
    maxName: 15,
  },
  hcloud_server: {
    attributes: [NAME, { blocks: ["network"], attribute: "ip", kind: "address", noun: "network IP" }],
    image: { blocks: [], attribute: "image" },
    maxName: 63,
  },
  aws_instance: {
    attributes: [
      { blocks: [], attribute: "private_ip", kind: "address", noun: "private IP" },
      { blocks: [], attribute: "secondary_private_ips", kind: "address", noun: "secondary private IPs" },
      { blocks: ["network_interface"], attribute: "network_interface_id", kind: "attachment", noun: "network interface" },
    ],
  },
  aws_launch_configuration: { attributes: [NAME], namePrefix: true },
  google_compute_instance_template: { attributes: [NAME], namePrefix: true },
  google_compute_region_instance_template: { attributes: [NAME], namePrefix: true },
};

/** Resources whose every generation gets a new value (`random_id.x.hex`, ...). */
const PER_GENERATION_RESOURCES = /^random_(id|string|pet|uuid|integer|bytes)$/;
/** Functions whose value differs on every apply. */
const PER_APPLY_FUNCTIONS = new Set(["uuid", "timestamp", "plantimestamp"]);

/**
 * Whether a unique attribute's value is the same for every generation (`fixed`), new for each
 * (`per-generation`), or cannot be told from the configuration (`unknown`, e.g. a variable without a
 * default). An absent or null value is `absent`.
 */
export type Uniqueness = "fixed" | "per-generation" | "unknown" | "absent";

export interface UniqueValue {
  attribute: Attribute;
  spec: UniqueAttribute;
  uniqueness: Uniqueness;
  /** How a message shows the value: `"web"` or the reference written (`azurerm_network_interface.web`). */
  shown: string;
  origin?: Origin;
}

/** Text of an expression as written. */
function textOf(file: SourceFile, expr: Expr): string {
  return file.text.slice(expr.range.startOffset, expr.range.endOffset);
}

/** The managed resource a reference names (`aws_network_interface.web.id` -> its block), if in the module. */
function referencedResource(context: RuleContext, expr: Expr): { block: Block; file: SourceFile } | undefined {
  if (expr.kind !== "traversal" || typeof expr.path[0] !== "string") return undefined;
  const [name] = expr.path;
  return context.topBlocks("resource").find(({ block }) => block.labels[0] === expr.root && block.labels[1] === name);
}

/**
 * Parts of a name that are the same for every generation although the resolver cannot give them a
 * value: the index of a counted or iterated resource (`web-${count.index}` stays `web-0`).
 */
function isInstanceKey(expr: Expr): boolean {
  return (
    expr.kind === "traversal" && ((expr.root === "count" && expr.path[0] === "index") || (expr.root === "each" && expr.path[0] === "key"))
  );
}

/** Whether `text` holds the reference `ref` (not just a longer name that starts with it). */
function mentions(text: string, ref: string): boolean {
  for (let at = text.indexOf(ref); at >= 0; at = text.indexOf(ref, at + 1)) if (!/[\w-]/.test(text[at + ref.length] ?? "")) return true;
  return false;
}

/**
 * How unique one value (an attribute's expression, or one item of a list) is across generations.
 * @param image the image reference as written: a value built from it changes with each new image
 */
function uniquenessOf(context: RuleContext, expr: Expr, file: SourceFile, image: string | undefined, depth = 0): Uniqueness {
  if (depth > 8) return "unknown";
  if (image !== undefined && mentions(textOf(file, expr), image)) return "per-generation";
  switch (expr.kind) {
    case "literal":
      return expr.value === null ? "absent" : "fixed";
    case "template": {
      let result: Uniqueness = "fixed";
      for (const part of expr.parts) {
        if (typeof part === "string" || isInstanceKey(part)) continue;
        const u = uniquenessOf(context, part, file, image, depth + 1);
        if (u === "per-generation") return u;
        if (u === "unknown" || u === "absent") result = "unknown";
      }
      return result;
    }
    case "call": {
      if (PER_APPLY_FUNCTIONS.has(expr.name)) return "per-generation";
      const args = expr.args.map((a) => uniquenessOf(context, a, file, image, depth + 1));
      if (args.includes("per-generation")) return "per-generation";
      return "unknown";
    }
    case "tuple": {
      const items = expr.items.map((i) => uniquenessOf(context, i, file, image, depth + 1));
      if (items.includes("fixed")) return "fixed";
      if (items.includes("unknown")) return "unknown";
      return items.length === 0 ? "absent" : "per-generation";
    }
    case "traversal": {
      if (PER_GENERATION_RESOURCES.test(expr.root)) return "per-generation";
      // A local is judged by what it is built from (a random suffix in it makes it per-generation).
      const local = expr.root === "local" && typeof expr.path[0] === "string" ? context.findLocal(expr.path[0]) : undefined;
      if (local && expr.path.length === 1) return uniquenessOf(context, local.attribute.expr, local.file, image, depth + 1);
      if (expr.root === "var" || expr.root === "local") {
        const resolved = context.resolve(expr, file);
        if (!resolved) return "unknown";
        return resolved.value === null ? "absent" : "fixed";
      }
      if (expr.root === "data") return "fixed"; // An object that exists outside this configuration.
      // A managed resource (an interface, a disk, an address) is the same object for every generation
      // unless its own name is new for each.
      const target = referencedResource(context, expr);
      if (!target) return "unknown";
      const name = attr(target.block.body, "name");
      if (!name) return "fixed";
      const u = uniquenessOf(context, name.expr, target.file, image, depth + 1);
      return u === "per-generation" ? u : "fixed";
    }
    default:
      return "unknown";
  }
}

/**
 * The bodies at a path of nested block types (every match at each level), including the `content` of
 * `dynamic "<type>"` blocks, whose values (from the iterator) cannot be told and so count as unknown.
 */
function bodiesAt(body: Body, path: string[]): Body[] {
  let level: Body[] = [body];
  for (const type of path) {
    level = level.flatMap((b) => [
      ...blocksOf(b, type).map((block) => block.body),
      ...blocksOf(b, "dynamic")
        .filter((d) => d.labels[0] === type)
        .flatMap((d) => blocksOf(d.body, "content").map((content) => content.body)),
    ]);
  }
  return level;
}

/** The image expression of a resource, as written, when it is one attribute on one line. */
function imageOf(spec: UniqueSpec, block: Block, file: SourceFile): { text: string; reference: boolean } | undefined {
  if (!spec.image) return undefined;
  const [body] = bodiesAt(block.body, spec.image.blocks);
  const image = body ? attr(body, spec.image.attribute) : undefined;
  if (!image) return undefined;
  const text = textOf(file, image.expr);
  return text.includes("\n") ? undefined : { text, reference: image.expr.kind === "traversal" };
}

/** Every unique attribute a resource writes, with how unique its value is. */
export function uniqueValues(context: RuleContext, block: Block, file: SourceFile): UniqueValue[] {
  const spec = UNIQUE_ATTRIBUTES[block.labels[0] ?? ""];
  if (!spec) return [];
  const image = imageOf(spec, block, file);
  const imageReference = image?.reference ? image.text : undefined;
  const out: UniqueValue[] = [];
  for (const unique of spec.attributes) {
    for (const body of bodiesAt(block.body, unique.blocks)) {
      const a = attr(body, unique.attribute);
      if (!a) continue;
      if (unique.sharedWhen) {
        const shared = attr(body, unique.sharedWhen.attribute);
        if (shared && context.resolve(shared.expr, file)?.value === unique.sharedWhen.value) continue;
      }
      const uniqueness = uniquenessOf(context, a.expr, file, imageReference);
      if (uniqueness === "absent") continue;
      const resolved = a.expr.kind === "traversal" || a.expr.kind === "template" ? context.resolve(a.expr, file) : undefined;
      const literal = resolved?.value ?? literalValue(a.expr);
      const shown = typeof literal === "string" ? JSON.stringify(literal) : shownReference(context, file, a.expr);
      out.push({ attribute: a, spec: unique, uniqueness, shown, origin: resolved?.origin });
    }
  }
  return out;
}

/** A reference as a message shows it: the resource of the module it names (`aws_network_interface.web`), or the text written. */
function shownReference(context: RuleContext, file: SourceFile, expr: Expr): string {
  const items = expr.kind === "tuple" ? expr.items : [expr];
  const named = items.map((i) => (referencedResource(context, i) && i.kind === "traversal" ? `${i.root}.${i.path[0]}` : undefined));
  if (named.every((n) => n !== undefined)) return named.join(", ");
  return textOf(file, expr).replace(/\s+/g, " ");
}

/** What to do about a unique value that is fixed, for messages. */
export function adviceFor(value: UniqueValue, namePrefix: boolean): string {
  switch (value.spec.kind) {
    case "name":
      return namePrefix && value.spec === NAME ? "use name_prefix instead of name" : `make the ${value.spec.noun} unique per generation`;
    case "address":
      return "let the provider assign the address and reach the machines through a load balancer or DNS";
    case "attachment":
      return `give each generation its own ${value.spec.noun}`;
  }
}

/** How a message names a unique value: `the fixed name "web"`, `the network interface azurerm_network_interface.web`. */
export function describeUnique(value: UniqueValue): string {
  return `the ${value.spec.kind === "attachment" ? "" : "fixed "}${value.spec.noun} ${value.shown}`;
}

/** A label for a new `random_id` resource that no resource of the module has yet. */
function freeRandomLabel(context: RuleContext, base: string): string {
  const taken = new Set(
    context
      .topBlocks("resource")
      .filter(({ block }) => block.labels[0] === "random_id")
      .map(({ block }) => block.labels[1]),
  );
  let label = `${base}_name`;
  for (let n = 2; taken.has(label); n++) label = `${base}_name_${n}`;
  return label;
}

/**
 * Edits that make a resource's fixed `name` unique per generation the way the provider allows it:
 * a `random_id` whose `keepers` hold the image, so that each new image (and only a new image) gives the
 * replacement a new suffix. Undefined when there is no image reference to keep, the file is JSON, or
 * the longer name would not fit the provider's limit.
 */
export function randomNameEdits(context: RuleContext, block: Block, file: SourceFile, name: UniqueValue): TextEdit[] | undefined {
  const spec = UNIQUE_ATTRIBUTES[block.labels[0] ?? ""];
  const image = spec && imageOf(spec, block, file)?.text;
  if (!spec || !image || spec.namePrefix || file.syntax !== "hcl" || name.spec !== NAME) return undefined;
  const expr = name.attribute.expr;
  const label = freeRandomLabel(context, block.labels[1] ?? "machine");
  const suffix = `-\${random_id.${label}.hex}`;
  // random_id's hex of 4 bytes is 8 characters; the name gains 9.
  const resolved = context.resolve(expr, file)?.value;
  if (spec.maxName !== undefined && typeof resolved === "string" && resolved.length + 9 > spec.maxName) return undefined;
  const written = textOf(file, expr);
  const quoted =
    ((expr.kind === "template" && !expr.heredoc) || (expr.kind === "literal" && typeof expr.value === "string")) &&
    written.startsWith('"') &&
    written.endsWith('"');
  const nameEdit: TextEdit = quoted
    ? { start: expr.range.endOffset - 1, end: expr.range.endOffset - 1, newText: suffix }
    : { start: expr.range.startOffset, end: expr.range.endOffset, newText: `"\${${written}}${suffix}"` };
  if (!quoted && written.includes("\n")) return undefined;
  const eol = eolOf(file);
  const outer = indentAt(file, block.range.startOffset);
  const unit = indentUnit(file);
  const lines = [
    `# A new suffix for each new image, so that the next generation's ${block.labels[0]} can be created beside this one.`,
    `resource "random_id" "${label}" {`,
    `${unit}byte_length = 4`,
    ``,
    `${unit}keepers = {`,
    `${unit}${unit}image = ${image}`,
    `${unit}}`,
    `}`,
  ].map((l) => (l === "" ? "" : outer + l));
  return [nameEdit, { start: block.range.endOffset, end: block.range.endOffset, newText: `${eol}${eol}${lines.join(eol)}` }];
}
