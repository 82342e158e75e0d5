// What a promotion strategy declares beside its code, as a rule declares its metadata: its attributes, its checks and how it is built.
import type { LanguageSetting } from "../../engine/files.ts";
import type { CloudSettings, RetireMode } from "../config.ts";
import type { BlockReader } from "../config-reader.ts";
import type { Strategy, StrategyContext } from "../types.ts";
import { isValid, PATTERNS, type PatternName } from "../validate.ts";

/** One attribute of a generation block that only some strategies use. */
export interface StrategyAttribute {
  name: string;
  /** What the value is, for the message when a required one is missing ("the Terraform folder, relative to .immutably.hcl"). */
  what: string;
  required: boolean;
  /** Reads and validates the value, reporting problems through the reader; undefined when absent or refused. */
  read(reader: BlockReader): string | undefined;
}

/** The settings a strategy's checks look at, already read and validated one by one. */
export interface StrategyCheckInput {
  cloud: CloudSettings;
  retire: RetireMode;
  settings: Readonly<Record<string, string>>;
  /** The config file's `language` setting, which decides whether a folder is OpenTofu's. */
  language: LanguageSetting;
  /** The paths in a folder (empty when it cannot be listed). */
  folderFiles: (folder: string) => string[];
}

/** A problem a strategy's check found: the attribute it is about and what is wrong. */
export interface StrategyProblem {
  attribute: string;
  message: string;
}

export interface StrategyDefinition<N extends string = string> {
  /** The value of `strategy = "..."`: permanent once released. */
  readonly name: N;
  /** One line for docs and the CLI: what the strategy does to promote an image. */
  readonly summary: string;
  readonly attributes: readonly StrategyAttribute[];
  /** Checks that involve several settings (cloud keys a strategy needs, a retire mode it cannot do). */
  check(input: StrategyCheckInput): StrategyProblem[];
  create(ctx: StrategyContext): Strategy;
}

/** The value of a strategy attribute that the configuration guaranteed (it is required and was validated). */
export function requiredSetting(ctx: StrategyContext, name: string): string {
  const value = ctx.generation.settings[name];
  if (value === undefined) throw new Error(`generation "${ctx.generation.name}" has no ${name}`);
  return value;
}

/** `target`: the name of the group a cloud strategy updates, validated against the cloud's naming rules. */
export function targetAttribute(what: string, pattern: PatternName): StrategyAttribute {
  return {
    name: "target",
    what,
    required: true,
    read(reader) {
      const value = reader.string("target");
      const a = reader.attribute("target");
      if (value === undefined || !a) return undefined;
      if (!isValid(pattern, value)) return reader.fail(a, `expected ${PATTERNS[pattern].expected}, got ${JSON.stringify(value)}`);
      return value;
    },
  };
}
