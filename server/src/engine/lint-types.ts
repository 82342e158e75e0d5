// What the linter takes and gives: the files handed in, the host it reads through, its options and its result.
import type { NotLoaded } from "./files.ts";
import type { SourceFile } from "./model.ts";
import type { HostRead } from "./scope.ts";
import type { Suppression } from "./suppress.ts";
import type { Finding } from "./types.ts";

export type { HostRead } from "./scope.ts";

/** A file handed to the engine: its path (used for grouping and messages) and decoded text. */
export interface SourceInput {
  path: string;
  text: string;
}

/** What the engine may ask of its host: reading files it was not handed, and listing the folders of called modules. */
export interface LintHost {
  /**
   * Reads a file: a script named by `file()` / `templatefile()`, a called module's file,
   * `.terraform/modules/modules.json`. `within` is the folder the read must stay inside, after every
   * symbolic link (the engine has checked the path as written); a host over a real disk reads only
   * regular UTF-8 files under the size limit, and refuses the rest with a reason.
   */
  readFile(absolutePath: string, within?: string): HostRead;
  /** The folder reads for a module in `dir` stay inside (see `readRoot` in workspace.ts); hosts over a real disk must give it. */
  readRoot?(dir: string): string;
  /**
   * The names of the files in a folder (a called module's), whose real path must lie inside
   * `within`; undefined when it cannot be read or lies outside. Without it, module calls are not followed.
   */
  listFiles?(absoluteDir: string, within?: string): string[] | undefined;
}

/** The rule id of the finding that says a file named by `file()` / `templatefile()` was not read. */
export const FILE_READ_REFUSED_RULE = "file-read-refused";

/** A rule that threw; reported once per rule and module instead of stopping the run. */
export interface RuleFailure {
  ruleId: string;
  moduleDir: string;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  unusedSuppressions: Suppression[];
  ruleFailures: RuleFailure[];
  /** Files read through the host (`file()`, `templatefile()` targets, called modules' files), by the folder whose lint read them. */
  reads: Array<{ dir: string; path: string }>;
  /** Folders listed through the host (called modules), by the folder whose lint listed them, with the names found. */
  listings: Array<{ dir: string; folder: string; names: string[] | undefined }>;
  /** Every parsed file, so callers can map findings and build fixes without parsing again. */
  files: SourceFile[];
  /**
   * Files handed in that the tool does not load (a `.tf` file beside its `.tofu` twin, a `.tofu` file
   * for Terraform), with why: they are not parsed and have no findings.
   */
  notLoaded: NotLoaded[];
}

export interface LintOptions {
  /** Only report findings in these files (the module is still read whole). */
  onlyPaths?: Set<string>;
  /** Skip HashiCorp's parser for exact syntax messages (tree-sitter's generic ones stay). */
  skipExactSyntax?: boolean;
  /**
   * Leave `files` of the result empty, so that each folder's models can be freed once it is linted
   * (the CLI needs only findings; keeping every model of a large input was most of its memory).
   */
  dropFiles?: boolean;
  /**
   * Files being edited (an editor's open documents): with the parse cache on, their tree-sitter trees
   * are kept from the first parse, so that the first edit is re-parsed incrementally like the later ones,
   * and the rule results of their modules are kept, so that an edit in one block re-checks only that block.
   */
  keepTreesFor?: ReadonlySet<string>;
  /**
   * false: findings' fixes keep their title and kind, and reading their edits throws. Nothing a
   * rule built a fix from is kept then, so each folder's model is freed once it is linted (a fix's
   * edits are aligned when first read, which keeps the module's files until then): measured on the
   * 5 MB bench corpus, a lint on one thread went from 1.26 s to about 1.0 s and its peak RSS from 160 to 110 MB.
   * For output that prints no edits; the default keeps them.
   */
  fixEdits?: boolean;
}

/** The rule id of syntax findings, and of files over the nesting limit or that the parsers could not take. */
export const SYNTAX_RULE = "hcl-syntax";
