// Parses the files handed in by their role and groups them into modules: one per folder and kind, one per legacy Packer template.
import path from "node:path";
import { autoVarFileRank, byFolder, fileRole, loadedTerraformFiles, looksLikeLegacyPacker, type NotLoaded } from "./files.ts";
import { legacyPackerLayout, packerJsonLayout, terraformJsonLayout, varsJsonLayout } from "./hcl/json.ts";
import { usesTreeSitter } from "./hcl/parser-choice.ts";
import { READER_MAX_NESTING } from "./hcl/reader/index.ts";
import type { LiveTree } from "./hcl/reuse.ts";
import { SYNTAX_RULE, type LintHost, type SourceInput } from "./lint-types.ts";
import { rangeOf, type SourceFile } from "./model.ts";
import { maxNesting } from "./nesting.ts";
import { mergeOverrideFiles } from "./override.ts";
import { parseHcl, parseHclIncremental, parseJson, UnparsableFile, type JsonLayout } from "./parse.ts";
import type { ParseCache } from "./parse-cache.ts";
import type { Finding, Module, ModuleKind, ResolvedConfig } from "./types.ts";

/** A file parsed according to its role; `legacy` marks a legacy Packer JSON template. */
export type ParsedInput = { file: SourceFile; role: ReturnType<typeof fileRole>; legacy?: boolean } | undefined;

/**
 * Parses one file according to its role, or returns undefined for files the engine does not read.
 * @param cache the parse cache, when the host keeps one
 * @param keep receives the file's tree-sitter tree, kept alive so that values convert from it; the
 * caller releases it. Without it the tree is deleted at once.
 * @param keepTree with the parse cache on, keep the tree from the first parse (a file being edited)
 */
export function parseInput(input: SourceInput, cache: ParseCache | undefined, keep?: LiveTree[], keepTree = false): ParsedInput {
  const role = fileRole(input.path);
  const json = input.path.endsWith(".json");
  switch (role) {
    case "terraform":
      return { file: json ? cachedJson(input, cache, terraformJsonLayout) : cachedHcl(input, cache, keep, keepTree), role };
    case "terraform-stack":
      return { file: cachedHcl(input, cache, keep, keepTree), role };
    case "packer":
      return { file: json ? cachedJson(input, cache, packerJsonLayout) : cachedHcl(input, cache, keep, keepTree), role };
    case "terraform-vars":
    case "packer-vars":
      return { file: json ? cachedJson(input, cache, varsJsonLayout) : cachedHcl(input, cache, keep, keepTree), role };
    case "json-candidate":
      if (!looksLikeLegacyPacker(input.text)) return undefined;
      return { file: cachedJson(input, cache, legacyPackerLayout), role, legacy: true };
    default:
      return undefined;
  }
}

function cachedHcl(input: SourceInput, cache: ParseCache | undefined, keep: LiveTree[] | undefined, keepTree: boolean): SourceFile {
  if (cache) return cache.hcl(input, keep, keepTree);
  if (!keep || !usesTreeSitter()) return parseHcl(input.path, input.text);
  const state = parseHclIncremental(input.path, input.text);
  keep.push(state.live);
  return state.file;
}

function cachedJson(input: SourceInput, cache: ParseCache | undefined, layout: JsonLayout): SourceFile {
  if (!cache) return parseJson(input.path, input.text, layout);
  return cache.other(input, () => parseJson(input.path, input.text, layout));
}

/**
 * Groups parsed files into modules: one per directory and kind, one per legacy Packer template.
 * @param cache the parse cache, when the host keeps one
 * @param keep receives the files' live trees (see `parseInput`)
 * @param keepTreesFor files being edited, whose trees the parse cache keeps from their first parse
 */
export function buildModules(
  inputs: SourceInput[],
  config: ResolvedConfig,
  cache: ParseCache | undefined,
  keep?: LiveTree[],
  keepTreesFor?: ReadonlySet<string>,
): { modules: Module[]; files: SourceFile[]; limitFindings: Finding[]; notLoaded: NotLoaded[] } {
  const byKey = new Map<string, Module>();
  const files: SourceFile[] = [];
  const limitFindings: Finding[] = [];
  const modules: Module[] = [];
  const sorted = [...inputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A file the tool does not load is not parsed: it contributes no values and has no findings.
  const notLoaded: NotLoaded[] = [];
  for (const folder of byFolder(sorted, (i) => path.dirname(i.path)).values()) {
    notLoaded.push(
      ...loadedTerraformFiles(
        folder.map((i) => i.path),
        config.language,
      ).notLoaded,
    );
  }
  const skipped = new Set(notLoaded.map((n) => n.path));
  for (const input of sorted) {
    if (skipped.has(input.path)) continue;
    const role = fileRole(input.path);
    if (role === "other" || role === "config") continue;
    // The own HCL reader recurses per nesting level, so it reads at most READER_MAX_NESTING levels.
    const limit = usesTreeSitter() ? config.maxNestingDepth : Math.min(config.maxNestingDepth, READER_MAX_NESTING);
    const depth = cache ? cache.nesting(input, limit) : maxNesting(input.text, limit, input.path.endsWith(".json"));
    if (depth > limit) {
      limitFindings.push({
        ruleId: SYNTAX_RULE,
        severity: "error",
        message:
          limit < config.maxNestingDepth
            ? `Nesting deeper than ${limit} levels, the most the HCL reader reads; the file was not analysed.`
            : `Nesting deeper than ${config.maxNestingDepth} levels; the file was not analysed (setting max_nesting_depth).`,
        path: input.path,
        range: rangeOf([0], 0, 0),
      });
      continue;
    }
    let parsed: ParsedInput;
    try {
      parsed = parseInput(input, cache, keep, keepTreesFor?.has(input.path) ?? false);
    } catch (error) {
      if (!(error instanceof UnparsableFile)) throw error;
      // One file the parsers cannot take is reported on its own; the rest of the folder and the run go on.
      cache?.forget(input.path);
      limitFindings.push({
        ruleId: SYNTAX_RULE,
        severity: "error",
        message: unparsableMessage(error, input),
        path: input.path,
        range: rangeOf([0], 0, 0),
      });
      continue;
    }
    if (!parsed) continue;
    files.push(parsed.file);
    const dir = path.dirname(input.path);
    if (parsed.legacy) {
      modules.push({ dir, kind: "packer", files: [parsed.file], varFiles: [], legacyPacker: true });
      continue;
    }
    const kind: ModuleKind = role === "terraform" || role === "terraform-vars" || role === "terraform-stack" ? "terraform" : "packer";
    // A Stack's component configuration is a configuration of its own, apart from a module in the same folder.
    const key = `${role === "terraform-stack" ? "stack" : kind}\0${dir}`;
    let module = byKey.get(key);
    if (!module) {
      module = { dir, kind, files: [], varFiles: [] };
      byKey.set(key, module);
      modules.push(module);
    }
    if (role === "terraform-vars" || role === "packer-vars") {
      if (autoVarFileRank(input.path) !== undefined) module.varFiles.push(parsed.file);
      else files.pop(); // Explicit -var-file files are not applied automatically; keep them out of results.
    } else module.files.push(parsed.file);
  }
  for (const m of modules) {
    m.varFiles.sort((a, b) => autoVarFileRank(a.path)! - autoVarFileRank(b.path)! || (a.path < b.path ? -1 : 1));
    const merged = m.kind === "terraform" ? mergeOverrideFiles(m.files) : undefined;
    if (merged) Object.assign(m, merged);
  }
  return { modules, files, limitFindings, notLoaded };
}

/**
 * The Terraform module in a folder that a module call names, read through the host inside
 * `within`. Its variable files are left out (they apply to root modules only), as are files over
 * the size or nesting limits and files the host refuses.
 */
export function loadCalledModule(
  dir: string,
  within: string | undefined,
  host: LintHost,
  config: ResolvedConfig,
  cache: ParseCache | undefined,
  keep: LiveTree[] | undefined,
): Module | undefined {
  const names = host.listFiles?.(dir, within);
  if (!names) return undefined;
  const inputs: SourceInput[] = [];
  // The files the tool loads of the called module, by its own folder's language in `auto` mode.
  const { loaded } = loadedTerraformFiles(
    names.map((name) => path.join(dir, name)),
    config.language,
  );
  for (const p of loaded.sort()) {
    if (fileRole(p) !== "terraform") continue;
    const text = host.readFile(p, within);
    if (typeof text === "string" && text.length <= config.maxFileBytes) inputs.push({ path: p, text });
  }
  return buildModules(inputs, config, cache, keep).modules.find((m) => m.kind === "terraform" && m.dir === dir);
}

/** What a finding says about a file the parsers could not take, naming the setting that avoids it. */
function unparsableMessage(error: UnparsableFile, input: SourceInput): string {
  if (error.reason === "nesting") return "Nesting too deep for the parser; the file was not analysed (setting max_nesting_depth).";
  const bytes = Buffer.byteLength(input.text);
  return `The parser ran out of memory on this file (${bytes} bytes); it was not analysed. Split it, or set max_file_bytes below its size to skip such files.`;
}
