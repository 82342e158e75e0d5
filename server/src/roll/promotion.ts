// Promotes one image with the strategy's steps and, when anything was applied and then failed, puts the previous generation back.
import type { GenerationRecord } from "./history.ts";
import { ToolFailedError } from "./runner.ts";
import type { Session } from "./session.ts";
import { runSteps, Slot, STAGES, type Step } from "./steps.ts";
import { CancelledError } from "./strategies/poll.ts";
import type { Promotion, StageName } from "./types.ts";
import { verifyStep } from "./verify.ts";

/** The confirmation was declined: nothing was applied. */
export class DeclinedError extends Error {
  override name = "DeclinedError";
  constructor() {
    super("the confirmation was declined");
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function wasCancelled(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof ToolFailedError && error.result.cancelled);
}

export interface PromotionResult {
  ok: boolean;
  declined?: boolean;
  isolated: string[];
  failedStage?: StageName;
  error?: unknown;
  /** Whether anything was applied before the failure (so the old generation had to be put back). */
  applied: boolean;
  undo: "not-needed" | "done" | "verify-failed" | "failed" | "impossible";
  undoError?: unknown;
}

/** The steps of one promotion, in the order they run: what the confirmation releases follows `confirm`. */
export interface PromotionPlan {
  promotion: Promotion;
  confirm: Step;
  /** Steps after the apply: verify, then recording the outcome. */
  verify: Step;
}

/** The confirmation step: it lists the steps already done and every step it releases, with the planned replacements. */
export function confirmStep(session: Session, title: string, done: readonly Step[], released: () => readonly Step[], replacements: () => string[]): Step {
  return {
    show: () => "ask for confirmation, showing the planned replacements",
    run: async () => {
      const commands = [...done.map((s) => `(done) ${s.show()}`), ...released().filter((s) => !(s.skip?.() ?? false)).map((s) => s.show())];
      const confirmed = await session.host.confirm({ title, commands: commands.map((c) => session.redactor.redact(c)), replacements: replacements() });
      if (!confirmed) throw new DeclinedError();
    },
  };
}

/**
 * Runs a promotion: prepare, confirm, apply, verify. On a failure after anything was applied, puts
 * `fallback` back (not cancellable: half an undo is worse than none) and verifies it.
 */
export async function promoteWithUndo(session: Session, plan: PromotionPlan, fallback: GenerationRecord | undefined, done: Step[]): Promise<PromotionResult> {
  const { promotion } = plan;
  let stage: StageName = "plan";
  let applied = false;
  try {
    promotion.validate();
    await runSteps(session.host, promotion.prepare, { done });
    for (const line of promotion.replacements()) session.log(`plan: ${line}`);
    await runSteps(session.host, [plan.confirm], { done });
    stage = "promote";
    applied = true;
    await runSteps(session.host, promotion.apply, { done });
    stage = "verify";
    await runSteps(session.host, [plan.verify], { done });
    return { ok: true, isolated: promotion.isolated(), applied, undo: "not-needed" };
  } catch (error) {
    if (!applied) {
      // Nothing reached the infrastructure: put back what preparation changed (the tfvars file).
      await promotion.discard();
      if (error instanceof DeclinedError) return { ok: false, declined: true, isolated: [], applied, undo: "not-needed" };
    }
    session.log(`${wasCancelled(error) ? "cancelled" : "failed"} at ${stage}: ${message(error)}`);
    if (!applied) return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "not-needed" };
    if (!fallback) return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "impossible" };
    return { ok: false, isolated: [], failedStage: stage, error, applied, ...(await putBack(session, fallback)) };
  }
}

/** Promotes `fallback` again with the strategy's own steps, then verifies it; neither can be cancelled. */
async function putBack(session: Session, fallback: GenerationRecord): Promise<Pick<PromotionResult, "undo" | "undoError">> {
  const target = { image: Slot.of(fallback.image), number: fallback.number, regions: Slot.of(fallback.regions ?? {}) };
  const back = session.strategy.promotion(target, "destroy");
  try {
    session.log(`putting generation ${session.name} #${fallback.number} (${fallback.image}) back`);
    back.validate();
    await runSteps(session.host, back.prepare, { as: STAGES.undo });
    for (const line of back.replacements()) session.log(`undo plan: ${line}`);
    await runSteps(session.host, back.apply, { as: STAGES.undo });
  } catch (undoError) {
    session.log(`undo failed: ${message(undoError)}`);
    return { undo: "failed", undoError };
  }
  try {
    const verify = verifyStep(session.generation, session.runner, target, (l) => session.log(l), session.pollIntervalMs);
    await runSteps(session.host, [verify], { as: { ...STAGES.verify, title: "Verifying the restored generation", cancellable: false } });
  } catch (verifyError) {
    return { undo: "verify-failed", undoError: verifyError };
  }
  return { undo: "done" };
}

/** Lines explaining a failed promotion, shared by roll and rollback. */
export function failureAccount(session: Session, result: PromotionResult, attempted: { number: number; image: string }, fallback: GenerationRecord | undefined, verb: string): string[] {
  const name = session.name;
  const how = wasCancelled(result.error) ? `was cancelled during ${result.failedStage}` : `failed at ${result.failedStage}: ${message(result.error)}`;
  const lines = [`${verb} of ${name} to #${attempted.number} ${how}`];
  switch (result.undo) {
    case "not-needed":
      lines.push(`nothing was applied; ${fallback ? `#${fallback.number} stays live` : "no generation is live"}`);
      break;
    case "done":
      lines.push(`rolled back: #${fallback?.number} was promoted again and verified; it is live`);
      break;
    case "verify-failed":
      lines.push(`rolled back: #${fallback?.number} was promoted again and is live, but its own verify failed too: ${message(result.undoError)}`);
      break;
    case "failed":
      lines.push(`PUTTING #${fallback?.number} BACK FAILED: ${message(result.undoError)}`);
      lines.push(`the infrastructure may be running #${attempted.number} (${attempted.image}); fix the cause, then run \`immutably rollback ${name} --to ${fallback?.number}\``);
      break;
    case "impossible":
      lines.push(`there is no earlier live generation to put back: the infrastructure may be running #${attempted.number} (${attempted.image}); fix the cause and roll again`);
      break;
  }
  return lines;
}
