// Holds the one tree-sitter parser (HCL grammar) and its queries, loaded once per process.
import fs from "node:fs";
import path from "node:path";
import type * as TreeSitter from "web-tree-sitter";

export interface HclRuntime {
  parser: TreeSitter.Parser;
  language: TreeSitter.Language;
  /** The query for comments, compiled on first use: only files that can hold a directive need it (a cold run saves ~3 ms). */
  commentQuery: () => TreeSitter.Query;
}

let treeSitterModule: typeof TreeSitter | undefined;

/**
 * web-tree-sitter, required on first use: initialising the module cost a cold one-file lint with
 * the own reader, which never parses with it, several milliseconds (measured).
 */
export function treeSitter(): typeof TreeSitter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above).
  treeSitterModule ??= require("web-tree-sitter") as typeof TreeSitter;
  return treeSitterModule;
}

let runtime: HclRuntime | undefined;
let loading: Promise<HclRuntime> | undefined;

/** The one WebAssembly constructor used here (the DOM library, which declares it, is not loaded). */
declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => object };

/** 64 KiB pages: 32 MB at start, as web-tree-sitter itself starts. */
const INITIAL_PAGES = 512;
/** WebAssembly's 32-bit limit as web-tree-sitter sets it: 2 GB. */
const DEFAULT_MAXIMUM_MB = 2048;

/**
 * The most memory tree-sitter's heap may grow to: 2 GB, or IMMUTABLY_PARSER_MEMORY_MB (from 64 to
 * 2048). A lower limit keeps a host's memory bounded; the tests use one to run out of memory on a
 * file of a few megabytes instead of twenty.
 */
function maximumPages(): number {
  const mb = Number(process.env.IMMUTABLY_PARSER_MEMORY_MB);
  const limit = Number.isInteger(mb) && mb >= 64 && mb <= DEFAULT_MAXIMUM_MB ? mb : DEFAULT_MAXIMUM_MB;
  return (limit * 1024 * 1024) / 65536;
}

/** Finds a WASM file beside the bundle (dist/) or, when running from sources, in node_modules. */
function locateWasm(file: string, packageFile: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageFile);
}

async function load(): Promise<HclRuntime> {
  const { Language, Parser, Query } = treeSitter();
  const wasm = locateWasm("web-tree-sitter.wasm", "web-tree-sitter/web-tree-sitter.wasm");
  await Parser.init({
    locateFile: () => wasm,
    // A failed allocation aborts the module: the engine reports the file it was parsing (see parse.ts), so
    // tree-sitter's own "Aborted()" line on stderr would only repeat it.
    printErr: () => undefined,
    wasmMemory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maximumPages() }),
  });
  // Handed as bytes: given a path, web-tree-sitter loads node:fs/promises just to read it.
  const language = await Language.load(
    fs.readFileSync(locateWasm("tree-sitter-terraform.wasm", "@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm")),
  );
  const parser = new Parser();
  parser.setLanguage(language);
  let comments: TreeSitter.Query | undefined;
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
