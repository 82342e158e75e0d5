// Which parser reads HCL native syntax: tree-sitter (WASM) or the engine's own reader. One choice per process.

export type HclParserKind = "own" | "tree-sitter";

let chosen: HclParserKind | undefined;

/**
 * The parser an environment asks for: the engine's own reader, or tree-sitter when
 * `IMMUTABLY_PARSER=tree-sitter` (kept for comparison while the reader is new). The CLI, its worker
 * threads and the language server all start from this, so the three front ends always read HCL alike.
 */
export function hclParserFromEnvironment(env: Record<string, string | undefined>): HclParserKind {
  return env.IMMUTABLY_PARSER === "tree-sitter" ? "tree-sitter" : "own";
}

/** Chooses the parser; call before `initParsers()` (a later call applies to later parses). */
export function chooseHclParser(kind: HclParserKind): void {
  chosen = kind;
}

/** The parser in use: the one chosen, else the one the process environment asks for. */
export function hclParserInUse(): HclParserKind {
  chosen ??= hclParserFromEnvironment(process.env);
  return chosen;
}

/** Whether tree-sitter reads HCL (and its trees, warm-up and incremental reuse are in play). */
export function usesTreeSitter(): boolean {
  return hclParserInUse() === "tree-sitter";
}
