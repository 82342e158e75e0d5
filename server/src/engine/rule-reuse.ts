// Rule results kept between lints of a module being edited (the language server): after an edit inside one block that nothing else in the module names, each rule checks only that block again, and the other blocks' findings are moved along from the previous lint.
import { partRead, type PartRead } from "./hcl/reader/index.ts";
import { shiftRange } from "./hcl/reuse.ts";
import type { Block, Range, SourceFile } from "./model.ts";
import type { Finding, Module, Origin, ResolvedConfig } from "./types.ts";

/** What one rule reported in one lint of a module, by the top-level block its loop was checking (see `RuleContext.checkBlocks`). */
export interface RuleRecord {
  byBlock: Map<Block, Finding[]>;
  /** Blocks whose check read a file through the host (a `file()` script): checked again on every lint, since the file may have changed. */
  volatile: Set<Block>;
}

/** One lint of a module, kept for the next. */
interface ModuleRecord {
  config: ResolvedConfig;
  files: SourceFile[];
  varFiles: SourceFile[];
  /** The files of the folder's other modules (a Packer template beside), which rules may read. */
  others: SourceFile[];
  rules: Map<string, RuleRecord>;
  /** Whether text outside the edited block may name it, worked out for the last block edited (the text outside it has not changed since) and the names it had. */
  named?: { file: SourceFile; index: number; key: string; value: boolean };
}

/** How a lint can reuse the previous one: the block edited, and how the previous lint's blocks and ranges map into this one. */
export interface ReusePlan {
  previous: ModuleRecord;
  /** The edited block, as this lint reads it and as the previous one did. */
  edited: Block;
  old: Block;
  /** This lint's version of a block of the previous lint. */
  now(block: Block): Block;
  /** A finding of the previous lint moved into this lint's text, without its fix; undefined when it overlaps the edit. */
  moved(finding: Finding): Finding | undefined;
}

/** Modules kept: those of the folders being edited. */
const MAX_MODULES = 32;

export class RuleReuse {
  private readonly records = new Map<string, ModuleRecord>();

  /**
   * How this lint of `module` may reuse the previous one, or undefined when it may not: the module is
   * a Terraform module without override files; every file of its folder is the object the previous
   * lint read (the parse cache returns the same one for an unchanged text) but one, which the own
   * reader read in part from the previous version; the block it read again has the same type and
   * labels as before and is one other blocks can only reach by a reference (a resource, data source,
   * variable, local, module call or output, see `namesOf`); and no text outside that block names it,
   * so no other block's check can look into it. What is left to a rule is its promise in `checkBlocks`.
   */
  plan(module: Module, config: ResolvedConfig, allModules: Module[]): ReusePlan | undefined {
    const plan = this.planFrom(module, config, allModules);
    if (plan) this.reused++;
    return plan;
  }

  /** How many lints of a module reused the previous one (tests and benchmarks read it). */
  reused = 0;

  private planFrom(module: Module, config: ResolvedConfig, allModules: Module[]): ReusePlan | undefined {
    if (!eligible(module)) return undefined;
    const previous = this.records.get(keyOf(module));
    if (!previous || previous.config !== config || !sameFiles(previous.varFiles, module.varFiles)) return undefined;
    if (!sameFiles(previous.others, othersOf(module, allModules)) || previous.files.length !== module.files.length) return undefined;
    let edited = -1;
    for (let i = 0; i < module.files.length; i++) {
      if (module.files[i] === previous.files[i]) continue;
      if (edited >= 0 || module.files[i].path !== previous.files[i].path) return undefined;
      edited = i;
    }
    if (edited < 0) return undefined;
    const file = module.files[edited];
    const read = partRead(file);
    if (!read || read.previous !== previous.files[edited]) return undefined;
    const block = file.body.blocks[read.index];
    const old = read.previous.body.blocks[read.index];
    const names = namesOf(old, block);
    if (!names) return undefined;
    const key = names.join("\0");
    const carried = previous.named;
    const named =
      carried && carried.file === read.previous && carried.index === read.index && carried.key === key
        ? carried.value
        : names.some(([root, name]) => module.files.some((f) => mayName(f, root, name, f === file ? block : undefined)));
    previous.named = { file, index: read.index, key, value: named };
    if (named) return undefined;
    return planFor(previous, file, read, block, old);
  }

  /** Keeps this lint's results for the next lint of the module. */
  remember(
    module: Module,
    config: ResolvedConfig,
    allModules: Module[],
    rules: Map<string, RuleRecord>,
    plan: ReusePlan | undefined,
  ): void {
    if (!eligible(module)) return;
    const key = keyOf(module);
    this.records.delete(key);
    this.records.set(key, {
      config,
      files: module.files,
      varFiles: module.varFiles,
      others: othersOf(module, allModules),
      rules,
      named: plan?.previous.named,
    });
    while (this.records.size > MAX_MODULES) this.records.delete(this.records.keys().next().value as string);
  }

  /** Drops what is kept for the modules a file belongs to. */
  forget(filePath: string): void {
    for (const [key, record] of this.records)
      if ([...record.files, ...record.varFiles, ...record.others].some((f) => f.path === filePath)) this.records.delete(key);
  }
}

/**
 * How other blocks would refer to an edited block, as the word before a dot and the name after it
 * (`aws_instance` `web` for `aws_instance.web` and `data.aws_ami.web` alike, `var` `image`,
 * `local` `tags`, `module` `web`); undefined for a block an edit may not be reused after: its type or
 * labels changed, or it is of a kind whose effect on other blocks is not a reference (`terraform`,
 * `provider`, `moved`, ...). An output is never referred to inside its module.
 */
function namesOf(old: Block, block: Block): Array<[string, string]> | undefined {
  if (old.type !== block.type || old.labels.length !== block.labels.length || old.labels.some((l, i) => l !== block.labels[i]))
    return undefined;
  const [first, second] = block.labels;
  switch (block.type) {
    case "resource":
    case "data":
      return block.labels.length === 2 ? [[first, second]] : undefined;
    case "variable":
      return block.labels.length === 1 ? [["var", first]] : undefined;
    case "module":
      return block.labels.length === 1 ? [["module", first]] : undefined;
    case "output":
      return block.labels.length === 1 ? [] : undefined;
    case "locals": {
      if (block.labels.length !== 0) return undefined;
      const names = new Set([...old.body.attributes, ...block.body.attributes].map((a) => a.name));
      return [...names].map((name): [string, string] => ["local", name]);
    }
    default:
      return undefined;
  }
}

function eligible(module: Module): boolean {
  return module.kind === "terraform" && !module.legacyPacker && (module.segments === undefined || module.segments.size === 0);
}

const keyOf = (module: Module) => `${module.kind}\0${module.dir}`;

function othersOf(module: Module, allModules: Module[]): SourceFile[] {
  return allModules.filter((m) => m !== module).flatMap((m) => [...m.files, ...m.varFiles]);
}

function sameFiles(a: SourceFile[], b: SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

function planFor(previous: ModuleRecord, file: SourceFile, read: PartRead, edited: Block, old: Block): ReusePlan {
  const { change, shift } = read;
  let indexes: Map<Block, number> | undefined;
  const moveRange = (r: Range): Range | undefined => {
    if (r.endOffset <= change.start) return r;
    if (r.startOffset >= change.oldEnd) return shiftRange(r, shift);
    return undefined;
  };
  return {
    previous,
    edited,
    old,
    now(block) {
      if (!indexes) {
        indexes = new Map();
        read.previous.body.blocks.forEach((b, i) => indexes!.set(b, i));
      }
      const i = indexes.get(block);
      return i === undefined ? block : file.body.blocks[i];
    },
    moved(finding) {
      const inFile = finding.path === file.path;
      const range = inFile ? moveRange(finding.range) : finding.range;
      if (!range) return undefined;
      let related: Origin[] | undefined;
      if (finding.related) {
        related = [];
        for (const origin of finding.related) {
          if (origin.path !== file.path) related.push(origin);
          else {
            const moved = moveRange(origin.range);
            if (!moved) return undefined;
            related.push(moved === origin.range ? origin : { ...origin, range: moved });
          }
        }
      }
      // The fields a rule's report has, so that a reused finding is one a whole lint would give.
      return {
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        path: finding.path,
        range,
        fix: undefined,
        related,
      };
    },
  };
}

const isNameChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c > 127;
const isBlank = (c: number) => c === 32 || c === 9;

/**
 * Whether `file` may refer to the resource `type.name` outside `except`: a `name` token after
 * `type .` counts, and so does one after anything that is not a plain identifier and a dot on the
 * same line (a comment, a bracket, a line break), which a reference split oddly might be. It may
 * say yes where nothing refers (the lint is then only not reused); it never says no where something does.
 */
function mayName(file: SourceFile, type: string, name: string, except: Block | undefined): boolean {
  const text = file.text;
  // A JSON string may spell a reference with escapes.
  if (file.syntax === "json" && text.includes("\\u")) return true;
  const from = except?.range.startOffset ?? 0;
  const to = except?.range.endOffset ?? 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at >= from && at < to) continue;
    if (at > 0 && isNameChar(text.charCodeAt(at - 1))) continue;
    const after = at + name.length;
    if (after < text.length && isNameChar(text.charCodeAt(after))) continue;
    let i = at - 1;
    while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
    if (i < 0) continue;
    if (text[i] !== ".") {
      // A label or string (`"name"`, but not `["name"]`), an object key or an argument start a token of
      // their own, which no reference to a resource is; anything else (a line break, a comment) may hide one.
      if (text[i] === '"') {
        let j = i - 1;
        while (j >= 0 && isBlank(text.charCodeAt(j))) j--;
        if (text[j] === "[") return true;
        continue;
      }
      if (text[i] === "{" || text[i] === "=" || text[i] === "(" || text[i] === ",") continue;
      return true;
    }
    i--;
    while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
    const end = i + 1;
    while (i >= 0 && isNameChar(text.charCodeAt(i))) i--;
    const word = text.slice(i + 1, end);
    if (word === "" || word === type) return true;
  }
  return false;
}
