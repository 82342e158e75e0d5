// Builds the typed syntax model from JSON syntax (.tf.json, .pkr.json, legacy Packer JSON) with jsonc-parser.
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import {
  computeLineStarts,
  mapExprRanges,
  rangeOf,
  type Attribute,
  type Block,
  type Body,
  type Comment,
  type Expr,
  type Range,
  type SourceFile,
} from "../model.ts";
import { convertSingleExpression } from "./native-expressions.ts";
import { usesTreeSitter } from "./parser-choice.ts";
import { readSingleAttributeValue } from "./reader/index.ts";
import { hclRuntime } from "./runtime.ts";

/**
 * How JSON properties map to blocks. JSON syntax carries no schema, so a property is a block only
 * where the language says so: `topLevel` gives the label depth of top-level block types, `nested`
 * the label depth of block types known to appear inside bodies. Every other object-valued property
 * is exposed both as an attribute and as a label-less block, so that rules asking for either find it.
 */
export interface JsonLayout {
  topLevel: Record<string, number>;
  nested: Record<string, number>;
  /**
   * Label-less block types whose array entries may also be a bare string standing for an object
   * with one attribute (legacy Packer: `"manifest"` in `post-processors` means `{"type": "manifest"}`).
   * The block is then given that attribute, ranged at the string.
   */
  shorthand?: Record<string, string>;
  /**
   * Label-less block types whose array entries may be nested arrays (legacy Packer post-processor
   * chains): each entry of a chain is a block too, with the chain's index in its `jsonPath`.
   */
  chains?: string[];
}

export const terraformJsonLayout: JsonLayout = {
  topLevel: {
    resource: 2,
    data: 2,
    module: 1,
    provider: 1,
    variable: 1,
    output: 1,
    locals: 0,
    terraform: 0,
    moved: 0,
    import: 0,
    check: 1,
    removed: 0,
  },
  nested: { provisioner: 1, dynamic: 1, lifecycle: 0, connection: 0, required_providers: 0, backend: 1 },
};

export const packerJsonLayout: JsonLayout = {
  topLevel: { source: 2, data: 2, build: 0, variable: 1, variables: 0, locals: 0, packer: 0 },
  nested: { provisioner: 1, "post-processor": 1, "post-processors": 0, required_plugins: 0, source: 1 },
};

/** Variable files (.tfvars.json, .pkrvars.json): every top-level property is a variable value. */
export const varsJsonLayout: JsonLayout = { topLevel: {}, nested: {} };

/**
 * Legacy Packer JSON templates: `builders`, `provisioners` and `post-processors` are arrays of
 * objects, each one a label-less block of that type (a `post-processors` entry may itself be an
 * array, a chained sequence); `variables` is a plain map attribute.
 */
export const legacyPackerLayout: JsonLayout = {
  topLevel: { builders: 0, provisioners: 0, "post-processors": 0 },
  nested: {},
  shorthand: { "post-processors": "type" },
  chains: ["post-processors"],
};

class JsonConverter {
  readonly lineStarts: number[];
  constructor(
    readonly text: string,
    readonly layout: JsonLayout,
  ) {
    this.lineStarts = computeLineStarts(text);
  }

  range(node: JsonNode): Range {
    return rangeOf(this.lineStarts, node.offset, node.offset + node.length);
  }

  /** Converts an object node into a body; `topLevel` selects the top-level layout. */
  body(obj: JsonNode | undefined, path: Array<string | number>, topLevel: boolean): Body {
    const body: Body = { attributes: [], blocks: [] };
    if (!obj || obj.type !== "object" || !obj.children) return body;
    for (const prop of obj.children) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode || !valueNode || typeof keyNode.value !== "string") continue;
      const key = keyNode.value;
      if (key === "//") continue; // Comments in JSON syntax.
      const depth = topLevel ? this.layout.topLevel[key] : this.layout.nested[key];
      if (depth !== undefined) {
        this.collectBlocks(body.blocks, key, [], keyNode, valueNode, depth, [...path, key]);
        if (topLevel) continue;
      } else if (!topLevel && isObjectLike(valueNode)) {
        // Unknown nested object: might be a block (`root_block_device {}`) or a map attribute (`tags`).
        this.collectBlocks(body.blocks, key, [], keyNode, valueNode, 0, [...path, key]);
      }
      body.attributes.push(this.attribute(key, keyNode, valueNode, prop));
    }
    return body;
  }

  attribute(name: string, keyNode: JsonNode, valueNode: JsonNode, prop: JsonNode): Attribute {
    return { name, nameRange: this.range(keyNode), range: this.range(prop), expr: this.expr(valueNode) };
  }

  collectBlocks(
    out: Block[],
    type: string,
    labels: string[],
    keyNode: JsonNode,
    valueNode: JsonNode,
    depth: number,
    path: Array<string | number>,
  ): void {
    if (depth > 0) {
      // Labels are nested object keys; an array at this level lists several such objects.
      const objects = valueNode.type === "array" ? (valueNode.children ?? []) : [valueNode];
      objects.forEach((objNode, i) => {
        if (objNode.type !== "object") return;
        const base = valueNode.type === "array" ? [...path, i] : path;
        for (const prop of objNode.children ?? []) {
          const [k, v] = prop.children ?? [];
          if (!k || !v || typeof k.value !== "string" || k.value === "//") continue;
          this.collectBlocks(out, type, [...labels, k.value], k, v, depth - 1, [...base, k.value]);
        }
      });
      return;
    }
    type Entry = [JsonNode, Array<string | number>];
    const objects: Entry[] = valueNode.type === "array" ? (valueNode.children ?? []).map((n, i) => [n, [...path, i]]) : [[valueNode, path]];
    const chains = this.layout.chains?.includes(type) && valueNode.type === "array";
    for (const [entry, entryPath] of objects) {
      // A chain is an array inside the array; its entries are blocks of the same type.
      const members: Entry[] =
        chains && entry.type === "array" ? (entry.children ?? []).map((n, j) => [n, [...entryPath, j]]) : [[entry, entryPath]];
      for (const [objNode, objPath] of members) {
        const body = this.entryBody(type, objNode, objPath);
        if (!body) continue;
        out.push({
          type,
          labels,
          headerRange: this.range(keyNode),
          range: rangeOf(this.lineStarts, keyNode.offset, objNode.offset + objNode.length),
          body,
          jsonPath: objPath,
        });
      }
    }
  }

  /** The body of one block entry: an object, or a bare string where the layout allows the shorthand. */
  entryBody(type: string, node: JsonNode, path: Array<string | number>): Body | undefined {
    if (node.type === "object") return this.body(node, path, false);
    const shorthand = this.layout.shorthand?.[type];
    if (shorthand === undefined || node.type !== "string") return undefined;
    const range = this.range(node);
    return { attributes: [{ name: shorthand, nameRange: range, range, expr: this.expr(node) }], blocks: [] };
  }

  expr(node: JsonNode): Expr {
    const range = this.range(node);
    switch (node.type) {
      case "string": {
        const s = node.value as string;
        if (!s.includes("${") && !s.includes("%{")) return { kind: "literal", value: s, range };
        const parsed = parseJsonTemplate(this.text, this.lineStarts, node.offset, node.length);
        return parsed ?? { kind: "other", range };
      }
      case "number":
      case "boolean":
      case "null":
        return { kind: "literal", value: node.value as number | boolean | null, range };
      case "array":
        return { kind: "tuple", items: (node.children ?? []).map((c) => this.expr(c)), range };
      case "object":
        return {
          kind: "object",
          entries: (node.children ?? []).flatMap((prop) => {
            const [k, v] = prop.children ?? [];
            if (!k || !v) return [];
            return [{ key: typeof k.value === "string" ? k.value : undefined, keyRange: this.range(k), value: this.expr(v) }];
          }),
          range,
        };
      default:
        return { kind: "other", range };
    }
  }

  comments(root: JsonNode | undefined): Comment[] {
    const out: Comment[] = [];
    if (!root || root.type !== "object") return out;
    for (const prop of root.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (k?.value !== "//" || !v) continue;
      const values = v.type === "array" ? (v.children ?? []) : [v];
      for (const c of values) if (typeof c.value === "string") out.push({ text: c.value, range: this.range(c) });
    }
    return out;
  }
}

function isObjectLike(node: JsonNode): boolean {
  return (
    node.type === "object" ||
    (node.type === "array" && (node.children ?? []).length > 0 && (node.children ?? []).every((c) => c.type === "object"))
  );
}

/**
 * Parses a template string written inside JSON syntax (the whole token, quotes included, at
 * `offset`) and returns its expression with ranges in the JSON file.
 */
function parseJsonTemplate(text: string, lineStarts: number[], offset: number, length: number): Expr | undefined {
  // With JSON escapes (`"${file(\"init.sh\")}"`, which CDK for Terraform writes) the raw token is
  // not the template: Terraform decodes the JSON string first.
  if (text.slice(offset, offset + length).includes("\\")) return parseEscapedJsonTemplate(text, lineStarts, offset, length);
  // The padding keeps tree-sitter's offsets equal to the offsets in the JSON file.
  if (offset < 4) return undefined;
  const synthetic = " ".repeat(offset - 4) + "x = " + text.slice(offset, offset + length);
  return convertAttributeValue(synthetic, lineStarts);
}

/** The value of the one attribute in `synthetic` (HCL native syntax), with positions from `lineStarts`. */
function convertAttributeValue(synthetic: string, lineStarts: number[]): Expr | undefined {
  if (!usesTreeSitter()) return readSingleAttributeValue(synthetic, lineStarts);
  const tree = hclRuntime().parser.parse(synthetic);
  if (!tree) return undefined;
  try {
    return convertSingleExpression(synthetic, lineStarts, tree);
  } finally {
    tree.delete();
  }
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * Decodes a JSON string token (quotes included) as Terraform does before it parses the template,
 * and gives for each decoded character the offset of its source in the file; the last entry is
 * the closing quote. Undefined for an invalid escape (jsonc-parser reports those).
 */
export function decodeJsonString(token: string, offset: number): { text: string; offsets: number[] } | undefined {
  let text = "";
  const offsets: number[] = [];
  for (let i = 1; i < token.length - 1; i++) {
    offsets.push(offset + i);
    if (token[i] !== "\\") {
      text += token[i];
      continue;
    }
    const escape = token[i + 1];
    if (escape in JSON_ESCAPES) {
      text += JSON_ESCAPES[escape];
      i++;
    } else if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(token.slice(i + 2, i + 6))) {
      text += String.fromCharCode(parseInt(token.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      return undefined;
    }
  }
  offsets.push(offset + token.length - 1);
  return { text, offsets };
}

/**
 * A template whose JSON string has escapes: the decoded text is parsed as a heredoc (where quotes
 * and newlines need no escaping), and every range is mapped back to the characters it came from.
 */
function parseEscapedJsonTemplate(text: string, lineStarts: number[], offset: number, length: number): Expr | undefined {
  const decoded = decodeJsonString(text.slice(offset, offset + length), offset);
  if (!decoded) return undefined;
  let marker = "IMMUTABLY_JSON_TEMPLATE";
  while (decoded.text.includes(marker)) marker += "_";
  const head = `x = <<${marker}\n`;
  const synthetic = `${head}${decoded.text}\n${marker}\n`;
  const expr = convertAttributeValue(synthetic, computeLineStarts(synthetic));
  if (!expr) return undefined;
  const last = decoded.offsets.length - 1;
  const fileOffset = (at: number) => decoded.offsets[Math.max(0, Math.min(last, at - head.length))];
  const remapped = mapExprRanges(expr, (r) => rangeOf(lineStarts, fileOffset(r.startOffset), fileOffset(r.endOffset)));
  const whole = rangeOf(lineStarts, offset, offset + length);
  if (remapped.kind !== "template") return { ...remapped, range: whole };
  // The heredoc added a newline after the text, and the value was a quoted string.
  const parts = [...remapped.parts];
  const tail = parts[parts.length - 1];
  if (typeof tail === "string" && tail.endsWith("\n")) {
    if (tail.length === 1) parts.pop();
    else parts[parts.length - 1] = tail.slice(0, -1);
  }
  return { ...remapped, parts, heredoc: false, range: whole };
}

/** Parses JSON syntax into the model; JSON errors become syntax errors with jsonc-parser's positions. */
export function convertJson(path: string, text: string, layout: JsonLayout): SourceFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const conv = new JsonConverter(text, layout);
  return {
    path,
    text,
    syntax: "json",
    body: conv.body(root, [], true),
    comments: conv.comments(root),
    syntaxErrors: errors.map((e) => ({
      message: `Invalid JSON: ${printParseErrorCode(e.error)}`,
      range: rangeOf(conv.lineStarts, e.offset, e.offset + e.length),
    })),
    lineStarts: conv.lineStarts,
  };
}
