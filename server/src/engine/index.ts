// The engine's public surface: what the CLI and the language server call. See README.md beside this file.
import { allRules } from "../rules/index.ts";
import { Linter } from "./linter.ts";
import { initParsers } from "./parse.ts";

export { UNUSED_IGNORE, unusedSuppressionFindings } from "./suppress.ts";
export {
  configurableIds,
  DEFAULT_MAX_FILE_BYTES,
  defaultConfig,
  parseConfig,
  overlayRuleLevels,
  ConfigurationError,
  type ConfigError,
} from "./config.ts";
export { decodeSource } from "./input.ts";
export { byFolder, fileRole, looksLikeLegacyPacker } from "./files.ts";
export { applyEdits } from "./fix.ts";
export { FILE_READ_REFUSED_RULE, Linter, type HostRead, type LintHost, type LintResult, type SourceInput } from "./linter.ts";
export { parseHcl, parseJson, initParsers } from "./parse.ts";
export { computeLineStarts, lineStartsAfterChange, positionAt } from "./model.ts";
export { diffTexts } from "./hcl/reuse.ts";
export {
  CONFIG_FILE_NAME,
  findConfigFile,
  ignoreMatcher,
  isConfigPath,
  isInside,
  isLintablePath,
  readRoot,
  SKIPPED_FOLDERS,
  walkLintableFiles,
  type FolderEntry,
  type WalkFs,
  type WalkProblem,
} from "./workspace.ts";
export type * from "./types.ts";
export { checkPlan, PLAN_CHECKS, PlanFormatError, type PlanHost, type PlanResult } from "./plan/index.ts";

/** Loads the parsers and returns a linter with every registered rule. */
export async function createLinter(): Promise<Linter> {
  await initParsers();
  return new Linter(allRules);
}
