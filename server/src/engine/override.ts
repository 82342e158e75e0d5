// Override files: merges them into the blocks they override, as Terraform and OpenTofu do, and maps what rules report on the merged view back to the file that holds it.
import path from "node:path";
import { isOverrideFile } from "./files.ts";
import { shiftBlock, type Shift } from "./hcl/reuse.ts";
import { computeLineStarts, literalValue, type Attribute, type Block, type Body, type Range, type SourceFile } from "./model.ts";
import type { Finding, Fix, Origin } from "./types.ts";

/**
 * One part of a merged file's text: a real file, from `base` on. A file whose blocks an override file
 * changes is replaced, for the rules, by a merged file whose text is its own followed by the text of
 * every override file of the module (each on a line of its own). Each node keeps its place in that
 * text, so that a rule reading a node's text, its line or its offsets reads it right, and each range
 * maps back to exactly one real file.
 */
export interface Segment {
  file: SourceFile;
  base: number;
  lineBase: number;
}

/** What the override files of a module change: the files rules see, and how their ranges map back. */
export interface MergedModuleFiles {
  /** The module's files other than override files, a file with merged blocks replaced by its merged form. */
  files: SourceFile[];
  /** The override files, in the order they apply (by name). */
  overrideFiles: SourceFile[];
  /** The segments of each merged file, by path (a merged file has the path of the file it stands for). */
  segments: Map<string, Segment[]>;
}

/**
 * The key under which a top-level block is merged: its type and labels; a provider's alias too, since
 * `provider "aws"` and `provider "aws" { alias = "west" }` are two configurations.
 */
function headerKey(block: Block): string {
  const alias = block.type === "provider" ? block.body.attributes.find((a) => a.name === "alias") : undefined;
  const aliasValue = alias ? literalValue(alias.expr) : undefined;
  return [block.type, ...block.labels, ...(typeof aliasValue === "string" ? [`alias=${aliasValue}`] : [])].join("\0");
}

/**
 * Merges an override block into a block, by Terraform's rules
 * (https://developer.hashicorp.com/terraform/language/files/override#merging-behavior): an argument
 * replaces the argument of the same name; the nested blocks of each type the override holds replace
 * every nested block of that type (so `provisioner` and `connection` blocks are replaced wholesale);
 * in `resource` and `data` blocks, `lifecycle` is merged argument by argument; in the `terraform`
 * block, each `required_providers` entry replaces the entry of the same name.
 */
export function mergeBlock(base: Block, override: Block): Block {
  const nestedTypes = new Set(override.body.blocks.map((b) => b.type));
  const blocks: Block[] = [];
  for (const b of base.body.blocks) if (!nestedTypes.has(b.type)) blocks.push(b);
  for (const type of nestedTypes) {
    const replacing = override.body.blocks.filter((b) => b.type === type);
    const existing = base.body.blocks.find((b) => b.type === type);
    const argumentWise =
      existing &&
      ((type === "lifecycle" && (base.type === "resource" || base.type === "data")) ||
        (type === "required_providers" && base.type === "terraform"));
    if (argumentWise)
      blocks.push(
        replacing.reduce(
          (merged, over) =>
            withBody(merged, { attributes: mergeAttributes(merged.body.attributes, over.body.attributes), blocks: merged.body.blocks }),
          existing,
        ),
      );
    else blocks.push(...replacing);
  }
  return withBody(base, { attributes: mergeAttributes(base.body.attributes, override.body.attributes), blocks });
}

/** A block with another body. Its fields are copied one by one: a parser's block may compute its ranges in getters, which spreading would lose. */
function withBody(block: Block, body: Body): Block {
  const out: Block = {
    type: block.type,
    labels: block.labels,
    headerRange: block.headerRange,
    range: block.range,
    body,
    openBraceEnd: block.openBraceEnd,
    closeBraceStart: block.closeBraceStart,
  };
  if (block.jsonPath) out.jsonPath = block.jsonPath;
  return out;
}

/** Arguments with those of `over` replacing the ones of the same name, in place; new ones at the end. */
function mergeAttributes(base: readonly Attribute[], over: readonly Attribute[]): Attribute[] {
  const byName = new Map(over.map((a) => [a.name, a]));
  const out = base.map((a) => byName.get(a.name) ?? a);
  for (const a of over) if (!base.some((b) => b.name === a.name)) out.push(a);
  return out;
}

/**
 * A module's files with its override files merged in: override files apply after the others, in
 * lexicographic order of their names, each block in the order written; a `locals` block overrides
 * value by value whichever block defines it. An override block that overrides nothing is left out,
 * since both tools refuse such a configuration ("Missing base ... to override"). Undefined when the
 * module has no override file.
 */
export function mergeOverrideFiles(files: readonly SourceFile[]): MergedModuleFiles | undefined {
  const overrideFiles = files
    .filter((f) => isOverrideFile(f.path))
    .sort((a, b) => (path.basename(a.path) < path.basename(b.path) ? -1 : 1));
  if (overrideFiles.length === 0) return undefined;
  const primary = files.filter((f) => !isOverrideFile(f.path));

  // Which primary file each override block (or overriding local) lands in.
  const byHeader = new Map<string, SourceFile>();
  const localHome = new Map<string, SourceFile>();
  for (const file of primary) {
    for (const block of file.body.blocks) {
      if (block.type !== "locals") {
        if (!byHeader.has(headerKey(block))) byHeader.set(headerKey(block), file);
        continue;
      }
      for (const a of block.body.attributes) if (!localHome.has(a.name)) localHome.set(a.name, file);
    }
  }
  const touched = new Set<SourceFile>();
  for (const o of overrideFiles) {
    for (const block of o.body.blocks) {
      const homes = block.type === "locals" ? block.body.attributes.map((a) => localHome.get(a.name)) : [byHeader.get(headerKey(block))];
      for (const home of homes) if (home) touched.add(home);
    }
  }

  const segments = new Map<string, Segment[]>();
  const merged = new Map<SourceFile, SourceFile>();
  for (const file of touched) {
    const { view, parts } = mergedFile(file, overrideFiles, byHeader, localHome);
    merged.set(file, view);
    segments.set(file.path, parts);
  }
  // A `terraform` block needs no base: its settings are merged one by one into the module's ("Merging
  // terraform blocks" in the override docs), whether or not another file has such a block. Without
  // one, it stands as written.
  const standalone = byHeader.has("terraform")
    ? []
    : overrideFiles.flatMap((o) => {
        const blocks = o.body.blocks.filter((b) => b.type === "terraform");
        return blocks.length === 0 ? [] : [{ ...withoutBlocks(o), body: { attributes: [], blocks } }];
      });
  return { files: [...primary.map((f) => merged.get(f) ?? f), ...standalone], overrideFiles, segments };
}

/** A file's fields but its body, copied one by one (see `withBody`). */
function withoutBlocks(file: SourceFile): Omit<SourceFile, "body"> {
  return {
    path: file.path,
    text: file.text,
    syntax: file.syntax,
    comments: file.comments,
    syntaxErrors: file.syntaxErrors,
    lineStarts: file.lineStarts,
  };
}

/** One primary file with every override block that lands in it merged in (see `Segment`). */
function mergedFile(
  file: SourceFile,
  overrideFiles: readonly SourceFile[],
  byHeader: Map<string, SourceFile>,
  localHome: Map<string, SourceFile>,
): { view: SourceFile; parts: Segment[] } {
  let text = file.text;
  const bases: number[] = [];
  for (const o of overrideFiles) {
    text += "\n";
    bases.push(text.length);
    text += o.text;
  }
  const lineStarts = computeLineStarts(text);
  const source = { text, lineStarts };
  const parts: Segment[] = [{ file, base: 0, lineBase: 0 }];
  const blocks = [...file.body.blocks];
  // The first block of each header, as `byHeader` chose (a repeated header is Terraform's to reject).
  const indexOf = new Map<string, number>();
  blocks.forEach((b, i) => {
    if (!indexOf.has(headerKey(b))) indexOf.set(headerKey(b), i);
  });
  overrideFiles.forEach((o, i) => {
    const base = bases[i];
    const lineBase = lineStarts.indexOf(base);
    parts.push({ file: o, base, lineBase });
    const shift: Shift = { delta: base, lineDelta: lineBase, afterLine: -1, lineStarts };
    for (const block of o.body.blocks) {
      if (block.type === "locals") {
        const moved = shiftBlock(block, shift, source);
        for (const a of moved.body.attributes) {
          if (localHome.get(a.name) !== file) continue;
          const at = blocks.findIndex((b) => b.type === "locals" && b.body.attributes.some((x) => x.name === a.name));
          blocks[at] = withBody(blocks[at], {
            attributes: mergeAttributes(blocks[at].body.attributes, [a]),
            blocks: blocks[at].body.blocks,
          });
        }
        continue;
      }
      const key = headerKey(block);
      if (byHeader.get(key) !== file) continue;
      const at = indexOf.get(key)!;
      blocks[at] = mergeBlock(blocks[at], shiftBlock(block, shift, source));
    }
  });
  const view: SourceFile = { ...withoutBlocks(file), text, lineStarts, body: { attributes: file.body.attributes, blocks } };
  return { view, parts };
}

/** The real file and range of a range in a merged file; undefined when `filePath` is not a merged file. */
function realRange(segments: ReadonlyMap<string, Segment[]>, filePath: string, range: Range): { path: string; range: Range } | undefined {
  const parts = segments.get(filePath);
  if (!parts) return undefined;
  let part = parts[0];
  for (const p of parts) if (p.base <= range.startOffset) part = p;
  if (part.base === 0) return { path: part.file.path, range };
  return {
    path: part.file.path,
    range: {
      start: { line: range.start.line - part.lineBase, character: range.start.character },
      end: { line: range.end.line - part.lineBase, character: range.end.character },
      startOffset: range.startOffset - part.base,
      endOffset: range.endOffset - part.base,
    },
  };
}

/**
 * A finding with its range, its related locations and its fix's edits moved from merged files to the
 * files that hold them; a finding in no merged file is returned as it is (so mapping twice is harmless).
 * A fix whose edits cannot be placed exactly is dropped and the finding kept: one in a merged JSON
 * file (its edits are computed on the JSON path, which may name a block of another file), or one with
 * an edit that spans two files or lands in a JSON override file (the rule wrote it as HCL).
 */
export function toRealFiles(finding: Finding, segments: ReadonlyMap<string, Segment[]>): Finding {
  if (segments.size === 0) return finding;
  const at = realRange(segments, finding.path, finding.range);
  const related = finding.related?.map((o): Origin => {
    const real = realRange(segments, o.path, o.range);
    return real ? { ...o, path: real.path, range: real.range } : o;
  });
  const fix = finding.fix && realFix(finding.fix, segments);
  if (!at && !finding.related?.some((o) => segments.has(o.path)) && fix === finding.fix) return finding;
  const out: Finding = { ...finding, path: at?.path ?? finding.path, range: at?.range ?? finding.range, related };
  if (fix) out.fix = fix;
  else delete out.fix;
  return out;
}

function realFix(fix: Fix, segments: ReadonlyMap<string, Segment[]>): Fix | undefined {
  if (!fix.changes.some((c) => segments.has(c.path) && !c.create)) return fix;
  const changes: Fix["changes"] = [];
  for (const change of fix.changes) {
    const parts = segments.get(change.path);
    if (!parts || change.create) {
      changes.push(change);
      continue;
    }
    // JSON edits are computed on a property path, which in a merged JSON text may name another file's block.
    if (parts[0].file.syntax === "json") return undefined;
    for (const edit of change.edits) {
      let part = parts[0];
      for (const p of parts) if (p.base <= edit.start) part = p;
      const next = parts[parts.indexOf(part) + 1];
      if (next && edit.end >= next.base) return undefined;
      if (part.file.syntax !== "hcl") return undefined;
      const real = { start: edit.start - part.base, end: edit.end - part.base, newText: edit.newText };
      const existing = changes.find((c) => c.path === part.file.path && !c.create);
      if (existing) existing.edits.push(real);
      else changes.push({ path: part.file.path, edits: [real] });
    }
  }
  return { title: fix.title, kind: fix.kind, changes };
}

/** The real files of a module: its files as parsed (a merged file's own), and its override files. */
export function realFilesOf(module: {
  files: readonly SourceFile[];
  overrideFiles?: readonly SourceFile[];
  segments?: ReadonlyMap<string, Segment[]>;
}): SourceFile[] {
  const own = module.files.map((f) => module.segments?.get(f.path)?.[0].file ?? f);
  return [...own, ...(module.overrideFiles ?? [])];
}
