// The engine's public contracts: rules and their metadata, findings, fixes, configuration, modules.
import type { LanguageSetting } from "./files.ts";
import type { Attribute, Block, Expr, Range, SourceFile, Value } from "./model.ts";
import type { Segment } from "./override.ts";

export type Severity = "error" | "warning" | "info";
/** `safe` fixes may be applied by `--fix` and fix-on-save; `unsafe` ones are offered as quick fixes only. */
export type FixKind = "safe" | "unsafe" | "none";
/** What kind of configuration a module is. */
export type ModuleKind = "terraform" | "packer";

/** One text replacement in one file, by string offsets into the text the engine was handed. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** The edits a fix makes to one file; `create` marks a file that does not exist yet. */
export interface FileChange {
  path: string;
  edits: TextEdit[];
  create?: boolean;
}

export interface Fix {
  /** Imperative title shown in the editor, e.g. "Add lifecycle { create_before_destroy = true }". */
  title: string;
  kind: "safe" | "unsafe";
  changes: FileChange[];
}

/** Where a value that a finding is about came from (variable default, tfvars, local, a module call's argument). */
export interface Origin {
  path: string;
  range: Range;
  /** e.g. "default of variable \"image\"", "terraform.tfvars", "local \"image\"". */
  description: string;
  /**
   * Set on the steps of the path a value takes from a module call's argument (where the finding is
   * reported) into the module: the variable that receives it, an argument that passes it on to a
   * nested module, the attribute that uses it. They come first in `related`, in that order.
   */
  step?: "variable" | "argument" | "attribute";
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  range: Range;
  fix?: Fix;
  related?: Origin[];
}

/** A code example in a rule's docs: `bad` ones must yield exactly this rule's finding, `good` ones none. */
export interface DocExample {
  /** File name the example is linted as, e.g. "main.tf", "web.pkr.hcl", "template.json". */
  filename: string;
  code: string;
  /**
   * Other files the example reads but does not lint itself (a called module's), by path relative to
   * the example's folder, e.g. "modules/web/main.tf".
   */
  files?: Record<string, string>;
}

/** How a rule checks the values that module calls hand to modules (see `RuleDocs.throughModules`). */
export interface ModuleDocs {
  /**
   * Which arguments of a module that was never downloaded the rule judges by name, and what it flags
   * in them; absent when the rule needs the module's resources themselves.
   */
  arguments?: string;
  bad: DocExample[];
  good: DocExample[];
}

export interface RuleDocs {
  summary: string;
  /** Why the flagged pattern breaks immutability (Markdown). */
  why: string;
  /** Where the finding's range starts, e.g. "the provisioner block header". */
  reportedAt: string;
  bad: DocExample[];
  good: DocExample[];
  /** For rules about values: how they are checked through module calls, with examples. */
  throughModules?: ModuleDocs;
  /** Where the rule behaves differently for OpenTofu and Terraform, beyond which files each loads (Markdown). */
  opentofu?: string;
  /** What the fix does and why it is safe or unsafe; for `none`, why there is no automatic fix. */
  fixSafety: string;
}

export interface OptionSpec {
  type: "boolean" | "string" | "string[]" | "number";
  default: boolean | string | string[] | number;
  description: string;
}

export interface RuleMeta {
  /** kebab-case, permanent, never reused. */
  id: string;
  severity: Severity;
  recommended: boolean;
  fix: FixKind;
  /** The kinds of module the rule inspects. */
  appliesTo: ModuleKind[];
  docs: RuleDocs;
  options: Record<string, OptionSpec>;
}

export type RuleOptions = Record<string, boolean | string | string[] | number>;

/** A value resolved through var/local/tfvars chains, with where it came from when not written in place. */
export interface Resolved {
  value: Value;
  origin?: Origin;
}

/** A finding as a rule reports it; the engine fills rule id, severity and path. */
export interface Report {
  message: string;
  /** The file the finding is in; defaults to the file of `range`'s node when the rule passes `file`. */
  file: SourceFile;
  range: Range;
  fix?: Fix;
  related?: Origin[];
}

/** A directory of configuration files treated as one unit, as Terraform and Packer do. */
export interface Module {
  dir: string;
  kind: ModuleKind;
  /** Parsed configuration files (.tf/.tf.json, or .pkr.hcl/.pkr.json/legacy JSON). */
  files: SourceFile[];
  /** Variable-value files (.tfvars, .tfvars.json, .pkrvars.hcl), in the order they apply. */
  varFiles: SourceFile[];
  /** True for a legacy Packer JSON template (top-level `builders` array). */
  legacyPacker?: boolean;
  /**
   * Override files (`override.tf`, `*_override.tf`, their `.tofu` and `.json` forms). Rules see their
   * blocks only merged into the blocks they override, in `files`, where a file with merged blocks is
   * replaced by its merged form (see `override.ts`).
   */
  overrideFiles?: SourceFile[];
  /** How the ranges of each merged file in `files` map back to real files, by path. */
  segments?: ReadonlyMap<string, Segment[]>;
}

/** A file a rule asked for: its text, or why it was not read. */
export type ModuleFileRead = { path: string; text: string; refused?: undefined } | { path: string; refused: string; text?: undefined };

/**
 * What a value is: an expression that is not a reference to a variable or local, nor a call that
 * hands its argument on (`nonsensitive()`, `try()`, `coalesce()`, `join("", x[*].id)`...), with the
 * scope it is written in. A module's variable given at a module call is followed into the caller.
 */
export interface Followed {
  expr: Expr;
  file: SourceFile;
  /** Where `expr` is read: its references (data sources, locals, `path.module`) are the scope's. */
  scope: Scope;
  /** Where the value was written when not in place (a local, a variable's default or tfvars, a module call's argument). */
  origin?: Origin;
}

/** A module call whose module is not read (a registry or remote module never downloaded, a missing folder). */
export interface ModuleCallSite {
  /** The call's name: `module "<name>"`. */
  name: string;
  block: Block;
  file: SourceFile;
}

/** One module as the rules see it: its blocks, and the values of its variables (bound by a module call, or the root's). */
export interface Scope {
  module: Module;
  /** Resolves an expression to a literal value through var/local/tfvars, module call arguments, operators and common functions. */
  resolve(expr: Expr, file: SourceFile): Resolved | undefined;
  /**
   * The expressions a value may be (one, or each branch of a conditional whose condition is not
   * known), seen through variables, locals and pass-through functions. An unknown variable is
   * returned as the reference itself.
   */
  follow(expr: Expr, file: SourceFile): Followed[];
  /**
   * Reads a file named by `file()`/`templatefile()` with a literal path (relative to the module):
   * its text, undefined when there is no such file, or `refused` when it exists but is not read (it
   * lies outside the repository, is not a regular file, is over the size limit or is not UTF-8).
   * With `at` (the path argument of the call), a refusal is reported there as `file-read-refused`.
   * Supplied by the host, never by the rule.
   */
  readModuleFile(relativePath: string, at?: { file: SourceFile; range: Range }): ModuleFileRead | undefined;
  /** Every top-level block of the module with its file, in file order. */
  topBlocks(type?: string): ReadonlyArray<{ block: Block; file: SourceFile }>;
  /** The first top-level block of `type` with exactly these labels (`data "aws_ami" "web"`), looked up in an index, not a scan. */
  findTopBlock(type: string, ...labels: string[]): { block: Block; file: SourceFile } | undefined;
  /** The first definition of `local.<name>` in the module's `locals` blocks, looked up in an index. */
  findLocal(name: string): { attribute: Attribute; file: SourceFile } | undefined;
  /**
   * Module calls whose module the engine cannot read. Their arguments are checked by name (an
   * image-like input given a floating image); the modules it reads are checked as they use them.
   */
  moduleCallsNotFollowed(): ModuleCallSite[];
}

export interface RuleContext extends Scope {
  options: RuleOptions;
  report(report: Report): void;
  /**
   * The top-level blocks of `type` that this run checks, for a rule's loop over them: every one in a
   * full lint. In the editor, after an edit inside one resource block that nothing else names, only
   * that block (and blocks whose check read a file) are checked again, and the findings the other
   * blocks had in the previous lint are kept (rule-reuse.ts). A rule that loops over these promises
   * that what it reports while a block is the loop's current one is about that block, and depends
   * only on that block and on what it looks up (resolve, follow, topBlocks, findTopBlock, findLocal,
   * readModuleFile), never on which other blocks the loop visits or on state kept across them. Loops
   * over it are not nested.
   */
  checkBlocks(type: string): Iterable<{ block: Block; file: SourceFile }>;
  /**
   * A fix whose edits `build` makes when they are first read (most fixes are never applied). When the
   * lint was asked for no edits (`LintOptions.fixEdits`), `build` is not kept at all: a kept builder
   * keeps the module it reads alive, and on the 5 MB bench corpus that quadrupled what V8 promoted
   * to its old generation (52 MB against 13 MB) and cost the CLI a tenth of its time.
   */
  fix(title: string, kind: Fix["kind"], build: () => FileChange[]): Fix;
  /**
   * The module of the given kind in the same directory (the Packer template beside a Terraform
   * module), when its files were handed to the engine in the same run; never a legacy JSON template.
   */
  moduleBeside(kind: ModuleKind): Module | undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

/** A rule's configuration after `.immutably.hcl` and editor settings are overlaid. */
export interface RuleSetting {
  enabled: boolean;
  severity: Severity;
  options: RuleOptions;
}

export interface ResolvedConfig {
  rules: Record<string, RuleSetting>;
  /** Glob patterns (relative to the config root) that are not linted. */
  ignorePaths: string[];
  /** Files larger than this are reported and skipped. */
  maxFileBytes: number;
  /** Deeper nesting than this is reported and the file skipped. */
  maxNestingDepth: number;
  /** Whose loading rules Terraform-language files follow (`.tofu` files, extension precedence); see `loadedTerraformFiles`. */
  language: LanguageSetting;
}

/** Helpers re-exported so rules import from one place. */
export type { Attribute, Block, Expr, Range, SourceFile, Value };
