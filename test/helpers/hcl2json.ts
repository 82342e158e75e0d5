// Walks a body of the model beside hcl2json's JSON of the same text, pairing each attribute and block with what hcl2json wrote for it.
import type { Attribute, Body, Value } from "../../server/src/engine/model.ts";

/**
 * hcl2json writes Terraform's JSON syntax, where strings are templates again: a literal `${` is
 * written `$${` there. Reading its strings back gives the real values.
 */
export function fromJsonSyntax(v: unknown): Value {
  if (typeof v === "string") return v.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  if (Array.isArray(v)) return v.map(fromJsonSyntax);
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [fromJsonSyntax(k) as string, fromJsonSyntax(x)]));
  return v as Value;
}

/** What a test does with each pair; `path` names the attribute or block (`type.label/name`). */
export interface Hcl2jsonVisitor {
  /** An attribute, with hcl2json's value for it read back from JSON syntax; `present` is false when hcl2json wrote none. */
  attribute(attribute: Attribute, path: string, present: boolean, theirs: Value): void;
  /** A block hcl2json wrote nothing for at its place; its body is not walked. */
  missingBlock(path: string): void;
}

/**
 * Walks `body` beside `json`, hcl2json's output for it: attributes are keys of the object, blocks
 * nest by type and then by label, and blocks of the same type and labels are a list in order. A name
 * used for both an attribute and a block is passed over: hcl2json writes the blocks first and the
 * attribute over them, so neither can be compared.
 */
export function walkBesideHcl2json(body: Body, json: Record<string, unknown>, visitor: Hcl2jsonVisitor, where = ""): void {
  const blockTypes = new Set(body.blocks.map((b) => b.type));
  for (const a of body.attributes) {
    if (blockTypes.has(a.name)) continue;
    visitor.attribute(a, `${where}${a.name}`, a.name in json, fromJsonSyntax(json[a.name]));
  }
  const seen = new Map<string, number>();
  const attributeNames = new Set(body.attributes.map((a) => a.name));
  for (const b of body.blocks) {
    if (attributeNames.has(b.type)) continue;
    let node: unknown = json[b.type];
    for (const label of b.labels) node = (node as Record<string, unknown> | undefined)?.[label];
    const key = [b.type, ...b.labels].join("\0");
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const list = node as Array<Record<string, unknown>> | undefined;
    const path = `${where}${[b.type, ...b.labels].join(".")}`;
    if (!Array.isArray(list) || !list[index]) {
      visitor.missingBlock(path);
      continue;
    }
    walkBesideHcl2json(b.body, list[index], visitor, `${path}/`);
  }
}
