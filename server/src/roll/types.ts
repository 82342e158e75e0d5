// The contract between the roll pipeline and whatever drives it (the CLI or VS Code): stages, logging, confirmation.
import type { GenerationConfig, RetireMode } from "./config.ts";
import type { GenerationRecord } from "./history.ts";
import type { Redactor } from "./redact.ts";
import type { ToolRunner } from "./tools.ts";

export type StageName = "bake" | "record" | "plan" | "promote" | "verify" | "undo" | "rollback" | "prune";

export interface StageInfo {
  name: StageName;
  /** A short title for a progress notification or a terminal heading. */
  title: string;
  /** The undo stage is not cancellable: stopping halfway through putting the old generation back would leave neither. */
  cancellable: boolean;
}

/** What the user is asked to approve: the exact commands and the planned replacements. */
export interface ConfirmRequest {
  title: string;
  commands: string[];
  replacements: string[];
}

/** The front end: the CLI prints and reads `--yes`; VS Code shows progress, the output channel and a modal. */
export interface RollHost {
  /** One line of output, already redacted. */
  log(line: string): void;
  /** Runs one stage; `signal` aborts when the user cancels this stage (or the whole run). */
  stage<T>(info: StageInfo, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  confirm(request: ConfirmRequest): Promise<boolean>;
}

/** Everything a strategy needs to promote an image. */
export interface StrategyContext {
  generation: GenerationConfig;
  runner: ToolRunner;
  redactor: Redactor;
  log: (line: string) => void;
  /** `.immutably/` next to the config: plan files and other scratch state live here. */
  stateDir: string;
  pollIntervalMs: number;
  /** The clock (template names carry a time suffix); tests pin it. */
  now: () => Date;
}

/** The image to promote and the generation it belongs to. */
export interface PromotionTarget {
  image: string;
  number: number;
  regions: Record<string, string>;
}

/** A prepared promotion: what it will change and the commands it will run, not yet applied. */
export interface PreparedPromotion {
  /** One line per resource or machine that will be replaced (or created/destroyed). */
  replacements: string[];
  /** The exact commands `apply` runs, in order, redacted. */
  commands: string[];
  /** Runs the promotion; returns what was isolated (empty when the old machines were destroyed). */
  apply(signal: AbortSignal): Promise<{ isolated: string[] }>;
  /** Reverts preparation side effects (the tfvars file) when the promotion is declined or never applied. */
  discard(): Promise<void>;
}

export interface Strategy {
  /** Read-only or reversible work before confirmation: init, tfvars, plan; or describing the group. */
  prepare(target: PromotionTarget, retire: RetireMode, signal: AbortSignal): Promise<PreparedPromotion>;
  /** The commands a roll would run, for `--dry-run`, with `image` standing for the image the bake produces. */
  describe(image: string, retire: RetireMode): string[];
}

export interface RollOutcome {
  /** 0 ok, 1 the roll failed (and was undone where possible), 2 usage/config/lock error. */
  exitCode: 0 | 1 | 2;
  /** The exact account: what happened and each generation's state. */
  summary: string[];
  generations: GenerationRecord[];
}
