// Resolves `.immutably.hcl` (rule blocks, ignore_paths, language, limits) and editor overrides into one configuration.
import { LANGUAGE_SETTINGS, type LanguageSetting } from "./files.ts";
import { attr, literalValue, type Attribute, type Range, type SourceFile } from "./model.ts";
import { parseHcl } from "./parse.ts";
import { PLAN_CHECKS } from "./plan/checks.ts";
import type { ResolvedConfig, RuleMeta, RuleOptions, RuleSetting, Severity } from "./types.ts";

/** What configuration reads of a rule or a plan check. */
export type Configurable = { meta: Pick<RuleMeta, "id" | "severity" | "recommended" | "options"> };

/**
 * The rules handed in plus the plan checks: one `.immutably.hcl` configures `lint` and `plan`, so a
 * `rule "plan-in-place-update"` block is known to every front end, whichever it runs.
 */
function withPlanChecks(rules: readonly Configurable[]): Configurable[] {
  const ids = new Set(rules.map((r) => r.meta.id));
  return [...rules, ...PLAN_CHECKS.filter((c) => !ids.has(c.meta.id))];
}

/** The ids a `rule` block or a suppression comment may name: the rules handed in and the plan checks. */
export function configurableIds(rules: readonly Configurable[]): Set<string> {
  return new Set(withPlanChecks(rules).map((r) => r.meta.id));
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_NESTING_DEPTH = 500;

/** A configuration problem, located precisely so a user can fix it. */
export interface ConfigError {
  path: string;
  line: number; // 1-based
  column: number; // 1-based
  /** Where the erroneous attribute, block header or value ends (1-based, exclusive), so an editor can mark exactly it. */
  endLine?: number;
  endColumn?: number;
  message: string;
}

export class ConfigurationError extends Error {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => `${e.path}:${e.line}:${e.column}: ${e.message}`).join("\n"));
  }
}

const SEVERITIES: Severity[] = ["error", "warning", "info"];

/** The configuration every rule starts from: its own default severity and options, enabled if recommended. */
export function defaultConfig(rules: readonly Configurable[]): ResolvedConfig {
  const settings: Record<string, RuleSetting> = {};
  for (const rule of withPlanChecks(rules)) {
    const options: RuleOptions = {};
    for (const [name, spec] of Object.entries(rule.meta.options)) options[name] = spec.default;
    settings[rule.meta.id] = { enabled: rule.meta.recommended, severity: rule.meta.severity, options };
  }
  return {
    rules: settings,
    ignorePaths: [],
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    maxNestingDepth: DEFAULT_MAX_NESTING_DEPTH,
    language: "auto",
  };
}

/** A configuration error at a range of a file, as the CLI and the editor show it (1-based line and column). */
export function errorAt(file: SourceFile, range: Range, message: string): ConfigError {
  return {
    path: file.path,
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
    message,
  };
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return "list";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v;
}

/**
 * Parses `.immutably.hcl` text over the defaults. Unknown rules, unknown options and wrong types are
 * errors (thrown as ConfigurationError with every problem found), never silently ignored.
 * `generation` blocks belong to the roll and are skipped here.
 */
export function parseConfig(path: string, text: string, rules: readonly Configurable[]): ResolvedConfig {
  const file = parseHcl(path, text);
  const config = defaultConfig(rules);
  const errors: ConfigError[] = [];
  for (const e of file.syntaxErrors) errors.push(errorAt(file, e.range, `syntax error: ${e.message}`));
  const byId = new Map(withPlanChecks(rules).map((r) => [r.meta.id, r]));

  const literal = (a: Attribute): unknown => {
    const v = literalValue(a.expr);
    if (v === undefined) errors.push(errorAt(file, a.range, `"${a.name}" must be a literal value (no references or functions)`));
    return v;
  };

  for (const a of file.body.attributes) {
    const v = literal(a);
    if (v === undefined) continue;
    switch (a.name) {
      case "ignore_paths":
        if (Array.isArray(v) && v.every((x) => typeof x === "string")) config.ignorePaths = v;
        else errors.push(errorAt(file, a.range, `"ignore_paths" must be a list of strings, got ${typeName(v)}`));
        break;
      case "max_file_bytes":
      case "max_nesting_depth":
        if (typeof v === "number" && v > 0 && Number.isInteger(v)) {
          if (a.name === "max_file_bytes") config.maxFileBytes = v;
          else config.maxNestingDepth = v;
        } else errors.push(errorAt(file, a.range, `"${a.name}" must be a positive whole number, got ${JSON.stringify(v)}`));
        break;
      case "language":
        if (typeof v === "string" && (LANGUAGE_SETTINGS as readonly string[]).includes(v)) config.language = v as LanguageSetting;
        else errors.push(errorAt(file, a.range, `"language" must be "auto", "terraform" or "opentofu", got ${JSON.stringify(v)}`));
        break;
      default:
        errors.push(
          errorAt(
            file,
            a.nameRange,
            `unknown setting "${a.name}" (expected ignore_paths, language, max_file_bytes, max_nesting_depth, or rule/generation blocks)`,
          ),
        );
    }
  }

  for (const block of file.body.blocks) {
    if (block.type === "generation") continue;
    if (block.type !== "rule") {
      errors.push(errorAt(file, block.headerRange, `unknown block "${block.type}" (expected "rule" or "generation")`));
      continue;
    }
    const id = block.labels[0];
    const rule = id === undefined ? undefined : byId.get(id);
    if (!id || !rule) {
      const known = [...byId.keys()].sort().join(", ");
      errors.push(errorAt(file, block.headerRange, `unknown rule "${id ?? ""}"; known rules: ${known}`));
      continue;
    }
    const setting = config.rules[id];
    if (attr(block.body, "enabled") === undefined && attr(block.body, "severity") !== undefined) setting.enabled = true;
    for (const a of block.body.attributes) {
      const v = literal(a);
      if (v === undefined) continue;
      if (a.name === "enabled") {
        if (typeof v === "boolean") setting.enabled = v;
        else errors.push(errorAt(file, a.range, `rule "${id}": "enabled" must be true or false, got ${typeName(v)}`));
      } else if (a.name === "severity") {
        if (typeof v === "string" && (SEVERITIES as string[]).includes(v)) setting.severity = v as Severity;
        else
          errors.push(errorAt(file, a.range, `rule "${id}": "severity" must be one of ${SEVERITIES.join(", ")}, got ${JSON.stringify(v)}`));
      } else {
        const spec = rule.meta.options[a.name];
        if (!spec) {
          const known = Object.keys(rule.meta.options);
          errors.push(
            errorAt(
              file,
              a.nameRange,
              `rule "${id}" has no option "${a.name}"${known.length ? ` (options: ${known.join(", ")})` : " (it takes no options)"}`,
            ),
          );
          continue;
        }
        const ok = spec.type === "string[]" ? Array.isArray(v) && v.every((x) => typeof x === "string") : typeName(v) === spec.type;
        if (ok) setting.options[a.name] = v as string | number | boolean | string[];
        else
          errors.push(
            errorAt(
              file,
              a.range,
              `rule "${id}": option "${a.name}" must be ${spec.type === "string[]" ? "a list of strings" : `a ${spec.type}`}, got ${typeName(v)}`,
            ),
          );
      }
    }
  }
  if (errors.length) throw new ConfigurationError(errors);
  return config;
}

/** Editor settings (`immutably.rules`: id → off/info/warning/error) overlaid on a configuration. */
export function overlayRuleLevels(config: ResolvedConfig, levels: Record<string, string>): { config: ResolvedConfig; unknown: string[] } {
  const out: ResolvedConfig = { ...config, rules: { ...config.rules } };
  const unknown: string[] = [];
  for (const [id, level] of Object.entries(levels)) {
    const current = out.rules[id];
    if (!current) {
      unknown.push(id);
      continue;
    }
    if (level === "off") out.rules[id] = { ...current, enabled: false };
    else if ((SEVERITIES as string[]).includes(level)) out.rules[id] = { ...current, enabled: true, severity: level as Severity };
    else unknown.push(`${id}=${level}`);
  }
  return { config: out, unknown };
}
