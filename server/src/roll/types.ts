// The contract between the roll pipeline and whatever drives it (the CLI or VS Code): stages, logging, confirmation.
import type { GenerationConfig, RetireMode } from "./config.ts";
import type { GenerationRecord, ReplacedConfig } from "./history.ts";
import type { Redactor } from "./redact.ts";
import type { Slot, Step } from "./steps.ts";
import type { ToolRunner } from "./tools.ts";

export type StageName = "wait" | "bake" | "record" | "plan" | "promote" | "verify" | "undo" | "rollback" | "prune";

export interface StageInfo {
  name: StageName;
  /** A short title for a progress notification or a terminal heading. */
  title: string;
  /**
   * Whether the stage's work sees the cancellation. A cancel requested during a stage that is not
   * cancellable (the moment-long record) takes effect at the next stage that is.
   */
  cancellable: boolean;
  /**
   * The run is putting the previous generation back: this stage and every one after it in the run
   * ignore cancellation (stopping halfway through an undo would leave neither generation), so a
   * front end stops offering to cancel.
   */
  undoing?: boolean;
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
  /** The private folder of this generation's runs (`.immutably/runs/<name>`, 0700): plan files live here. */
  runDir: string;
  pollIntervalMs: number;
  /**
   * Called with the machines an isolating step is about to take out of service, before it runs: the
   * pipeline records them in history on the generation they belong to, so they are never orphaned,
   * whatever happens to the roll.
   */
  recordIsolation?: (machines: string[]) => void;
  /** The clock (template names carry a time suffix); tests pin it. */
  now: () => Date;
}

/** The image to promote and the generation it belongs to; the image is a slot because a roll's bake finds it. */
export interface PromotionTarget {
  image: Slot<string>;
  number: number;
  /** Per-region images (amazon, digitalocean), known with the image. */
  regions: Slot<Record<string, string>>;
}

/**
 * How a strategy promotes one image, as steps: `prepare` is read-only or reversible work before the
 * confirmation (init, tfvars, plan; describing the group), `apply` is what the confirmation releases.
 */
export interface Promotion {
  /** Checks the values the steps will put on command lines (an image id a CLI could read as an option) before any step runs. */
  validate(): void;
  prepare: Step[];
  apply: Step[];
  /** One line per resource or machine that will be replaced (or created/destroyed); known once `prepare` ran. */
  replacements(): string[];
  /** The machines `apply` took out of service (retire = "isolate"); empty when the old ones were destroyed. */
  isolated(): string[];
  /** The configuration `prepare` replaced, as `Strategy.restore` takes it back; undefined when the strategy cannot put it back. */
  replaced?(): ReplacedConfig | undefined;
  /** Reverts what `prepare` changed (the tfvars file, the plan file) when the promotion is declined or fails before applying. */
  discard(): Promise<void> | void;
  /** The Terraform plan `prepare` makes, for the plan guard; absent for strategies that make none. */
  plan?: PlannedPromotion;
}

/** A strategy's own Terraform plan, checked before the confirmation by the same code as `immutably plan`. */
export interface PlannedPromotion {
  /** The Terraform folder the plan was made in. */
  dir: string;
  /** `terraform show -json` of the plan; known once `prepare` ran. */
  json(): string;
  /** The generation's `allow_in_place = true`: in-place updates are reported, not refused. */
  allowInPlace: boolean;
}

export interface Strategy {
  promotion(target: PromotionTarget, retire: RetireMode): Promotion;
  /**
   * The steps that put back a configuration a first roll replaced (no generation to fall back to), and
   * the image it selected, to verify; undefined when this strategy cannot.
   */
  restore?(replaced: ReplacedConfig): { promotion: Promotion; image?: string } | undefined;
}

export interface RollOutcome {
  /** 0 ok, 1 the roll failed (and was undone where possible), 2 usage/config/lock error. */
  exitCode: 0 | 1 | 2;
  /** The exact account: what happened and each generation's state. */
  summary: string[];
  generations: GenerationRecord[];
  /**
   * The user declined the confirmation: nothing was applied. Not a failure of the run, so an editor
   * shows it as information; the CLI still exits 1, as `terraform apply` does when its prompt is declined.
   */
  declined?: true;
}
