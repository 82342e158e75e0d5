// Holds the one tree-sitter parser (HCL grammar) and its queries, loaded once per process.
import fs from "node:fs";
import path from "node:path";
import { Language, Parser, Query } from "web-tree-sitter";

export interface HclRuntime {
  parser: Parser;
  language: Language;
  /** The query for comments, compiled on first use: only files that can hold a directive need it (a cold run saves ~3 ms). */
  commentQuery(): Query;
}

let runtime: HclRuntime | undefined;
let loading: Promise<HclRuntime> | undefined;

/** Finds a WASM file beside the bundle (dist/) or, when running from sources, in node_modules. */
function locateWasm(file: string, packageFile: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageFile);
}

async function load(): Promise<HclRuntime> {
  const wasm = locateWasm("web-tree-sitter.wasm", "web-tree-sitter/web-tree-sitter.wasm");
  await Parser.init({ locateFile: () => wasm });
  // Handed as bytes: given a path, web-tree-sitter loads node:fs/promises just to read it.
  const language = await Language.load(
    fs.readFileSync(locateWasm("tree-sitter-terraform.wasm", "@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm")),
  );
  const parser = new Parser();
  parser.setLanguage(language);
  let comments: Query | undefined;
  runtime = { parser, language, commentQuery: () => (comments ??= new Query(language, "(comment) @comment")) };
  return runtime;
}

/** Loads the runtime; concurrent callers share one load. */
export function loadHclRuntime(): Promise<HclRuntime> {
  loading ??= load();
  return loading;
}

/** The loaded runtime; parsing before `loadHclRuntime()` resolved is a programming error. */
export function hclRuntime(): HclRuntime {
  if (!runtime) throw new Error("initParsers() must complete before parsing");
  return runtime;
}
