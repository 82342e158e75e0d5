// The roll's work as data: each step is shown by the dry run, listed by the confirmation and executed by the runner, from one definition.
import type { RollHost, StageInfo, StageName } from "./types.ts";
import type { RunOptions, ToolName, ToolRunner } from "./tools.ts";
import type { ToolResult } from "./runner.ts";

/**
 * A value one step finds and a later step uses (the baked image, a launch template id, the planned
 * replacements). Until it is known, a step that shows it renders a `sample` (a value that passes the
 * argv builders' validation) and then replaces the sample with the `placeholder`, so a dry run shows
 * the command the builder really produces, with `<image from the bake>` where the image will go.
 */
export class Slot<T> {
  private value: T | undefined;
  private filled = false;

  constructor(
    readonly placeholder: string,
    readonly sample: T,
  ) {}

  /**
   * A value computed from this one once it is known (the AMI of the configured region from the baked
   * image), with its own sample so that each argv builder's validation accepts it while unknown.
   */
  derive<U>(sample: U, compute: (value: T) => U): Slot<U> {
    const parent = this as Slot<T>;
    return new (class extends Slot<U> {
      override get known(): boolean {
        return parent.known;
      }
      override get(): U {
        return compute(parent.get());
      }
    })(this.placeholder, sample);
  }

  /** A slot that is known from the start (a rollback's image). */
  static of<T>(value: T, placeholder = String(value)): Slot<T> {
    const slot = new Slot<T>(placeholder, value);
    slot.set(value);
    return slot;
  }

  get known(): boolean {
    return this.filled;
  }

  set(value: T): void {
    this.value = value;
    this.filled = true;
  }

  /** The value; asking before a step has found it is a bug in the step order. */
  get(): T {
    if (!this.filled) throw new Error(`internal error: ${this.placeholder} is not known yet`);
    return this.value as T;
  }

  /** The value, or the sample while unknown: for showing a step, never for running it. */
  peek(): T {
    return this.known ? this.get() : this.sample;
  }

  /** The sample's text as it appears in a rendered line. */
  sampleTexts(): string[] {
    const s: unknown = this.sample;
    if (Array.isArray(s)) return s.map(String);
    if (s !== null && typeof s === "object") return Object.values(s as Record<string, unknown>).map(String);
    return [String(s)];
  }
}

/** Reads a slot: `peek` while showing, `get` while running. */
export type SlotReader = <T>(slot: Slot<T>) => T;
export const peek: SlotReader = (slot) => slot.peek();
export const get: SlotReader = (slot) => slot.get();

/** Replaces the sample of each slot not known yet with its placeholder. */
export function withPlaceholders(line: string, slots: ReadonlyArray<Slot<unknown>>): string {
  let out = line;
  for (const slot of slots) {
    if (slot.known) continue;
    for (const text of slot.sampleTexts()) if (text !== "") out = out.split(text).join(slot.placeholder);
  }
  return out;
}

export interface Step {
  /** The progress stage it runs in; undefined for bookkeeping between stages (a history write). */
  stage?: StageName;
  /** The line the dry run prints and the confirmation lists: the exact command, redacted, or what the step does. */
  show(): string;
  /** Whether the step is left out; asked when showing and again right before running. A value not known yet never skips. */
  skip?(): boolean;
  run(signal: AbortSignal): Promise<void>;
}

export interface CommandStepSpec {
  stage: StageName;
  tool: ToolName;
  /** The argv, built by a pure builder from slot values: `read` peeks while showing and gets while running. */
  args(read: SlotReader): string[];
  cwd: string;
  /** Show `(in <cwd>)` before the command (the folder is not the config's own). */
  showCwd?: boolean;
  /** Slots the argv uses, replaced by their placeholders while unknown. */
  slots?: ReadonlyArray<Slot<unknown>>;
  /** Appended to the shown line: `(repeated until ...)`. */
  note?: string;
  options: Omit<RunOptions, "cwd" | "signal">;
  skip?: () => boolean;
  /** Reads what the command printed into slots. */
  after?(result: ToolResult): void;
}

/** A step that runs one tool command through the runner. */
export function commandStep(runner: ToolRunner, spec: CommandStepSpec): Step {
  return {
    stage: spec.stage,
    skip: spec.skip,
    show: () => {
      const line = withPlaceholders(runner.display(spec.tool, spec.args(peek)), spec.slots ?? []);
      return `${spec.showCwd ? `(in ${spec.cwd}) ` : ""}${line}${spec.note ? `   ${spec.note}` : ""}`;
    },
    run: async (signal) => {
      const result = await runner.run(spec.tool, spec.args(get), { ...spec.options, cwd: spec.cwd, signal });
      spec.after?.(result);
    },
  };
}

/** The same step, with `before` run first (recording what it is about to do). */
export function withBefore(step: Step, before: () => void): Step {
  return {
    ...step,
    run: async (signal) => {
      before();
      await step.run(signal);
    },
  };
}

/** A step that is not one command: a file write, a history record, a wait, a confirmation. */
export function actionStep(
  stage: StageName | undefined,
  show: () => string,
  run: (signal: AbortSignal) => Promise<void> | void,
  skip?: () => boolean,
): Step {
  return { stage, show, skip, run: async (signal) => run(signal) };
}

export function skipped(step: Step): boolean {
  return step.skip?.() ?? false;
}

/** The lines of steps that will run, for a dry run or a confirmation. */
export function showSteps(steps: readonly Step[]): string[] {
  return steps.filter((s) => !skipped(s)).map((s) => s.show());
}

/** The progress stages, as the CLI prints them and VS Code shows them. */
export const STAGES: Readonly<Record<StageName, StageInfo>> = {
  wait: { name: "wait", title: "Waiting for a command a killed run left running", cancellable: true },
  bake: { name: "bake", title: "Baking the image (packer build)", cancellable: true },
  record: { name: "record", title: "Recording the generation", cancellable: false },
  plan: { name: "plan", title: "Planning the promotion", cancellable: true },
  promote: { name: "promote", title: "Promoting the new generation", cancellable: true },
  verify: { name: "verify", title: "Verifying the new generation", cancellable: true },
  undo: { name: "undo", title: "Putting the previous generation back", cancellable: false, undoing: true },
  rollback: { name: "rollback", title: "Rolling back", cancellable: true },
  prune: { name: "prune", title: "Pruning images", cancellable: true },
};

/**
 * Runs steps in order. Consecutive steps of one stage run inside one `host.stage` (one progress
 * notification, one cancellation); steps without a stage run between stages. `as` runs them all in
 * one given stage instead (the undo). Each step that ran is appended to `done`, so a confirmation can
 * list what already ran.
 */
export async function runSteps(host: RollHost, steps: readonly Step[], options: { done?: Step[]; as?: StageInfo } = {}): Promise<void> {
  const done = options.done ?? [];
  const runAll =
    (group: readonly Step[]) =>
    async (signal: AbortSignal): Promise<void> => {
      for (const step of group) {
        if (skipped(step)) continue;
        await step.run(signal);
        done.push(step);
      }
    };
  if (options.as) {
    await host.stage(options.as, runAll(steps));
    return;
  }
  let i = 0;
  while (i < steps.length) {
    const stage = steps[i].stage;
    let j = i;
    while (j < steps.length && steps[j].stage === stage) j++;
    const work = runAll(steps.slice(i, j));
    if (stage) await host.stage(STAGES[stage], work);
    else await work(new AbortController().signal);
    i = j;
  }
}
