// Entry point for parsing: loads the tree-sitter HCL grammar once, then parses HCL and JSON files into the model.
import { convertJson, type JsonLayout } from "./hcl/json.ts";
import { convertTree } from "./hcl/native.ts";
import { hclRuntime, loadHclRuntime } from "./hcl/runtime.ts";
import type { SourceFile } from "./model.ts";

/** Loads the parsers; call once before parsing. Safe to call again. */
export async function initParsers(): Promise<void> {
  await loadHclRuntime();
}

/** Parses HCL native syntax (.tf, .tfvars, .pkr.hcl, .pkrvars.hcl, .immutably.hcl). Never throws on bad syntax. */
export function parseHcl(filePath: string, text: string): SourceFile {
  const { parser, commentQuery } = hclRuntime();
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${filePath}`);
  try {
    return convertTree(filePath, text, tree, commentQuery);
  } finally {
    tree.delete();
  }
}

/** Parses JSON syntax (.tf.json, .pkr.json, legacy Packer JSON) with the block layout of its language. */
export function parseJson(filePath: string, text: string, layout: JsonLayout): SourceFile {
  return convertJson(filePath, text, layout);
}

export { packerJsonLayout, terraformJsonLayout } from "./hcl/json.ts";
export type { JsonLayout };
