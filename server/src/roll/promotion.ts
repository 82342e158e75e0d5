// Promotes one image with the strategy's steps and, when anything was applied and then failed, puts the previous generation back.
import { markPromoted, markVerified, setNote, type GenerationRecord, type History } from "./history.ts";
import { ToolFailedError } from "./runner.ts";
import type { Session } from "./session.ts";
import { actionStep, runSteps, Slot, STAGES, type Step } from "./steps.ts";
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
  undo: "not-needed" | "done" | "verify-failed" | "failed" | "impossible" | "restored" | "restore-failed";
  undoError?: unknown;
  /** History writes that failed, each saying what history does not show: it may be one step behind. */
  historyErrors: string[];
}

/** The steps of one promotion, in the order they run after the strategy's `prepare`. */
export interface PromotionPlan {
  promotion: Promotion;
  confirm: Step;
  /** Records the generation as promoted, before the apply: history says what the infrastructure may run. */
  promoted: Step;
  verify: Step;
  /** Records the generation as live once verified. */
  verified: Step;
}

/** Who is promoted and what happens to them when the promotion fails after the apply. */
export interface PromotionParties {
  attempted: number;
  /** The last verified generation, put back when anything was applied and then failed. */
  fallback: GenerationRecord | undefined;
  /** Records the attempted generation as no longer deployed, with the reason (roll: failed; rollback: previous). */
  withdraw: (history: History, reason: string) => History;
}

/** The confirmation step: it lists the steps already done and every step it releases, with the planned replacements. */
export function confirmStep(
  session: Session,
  title: string,
  done: readonly Step[],
  released: () => readonly Step[],
  replacements: () => string[],
): Step {
  return {
    show: () => "ask for confirmation, showing the planned replacements",
    run: async () => {
      const commands = [
        ...done.map((s) => `(done) ${s.show()}`),
        ...released()
          .filter((s) => !(s.skip?.() ?? false))
          .map((s) => s.show()),
      ];
      const confirmed = await session.host.confirm({
        title,
        commands: commands.map((c) => session.redactor.redact(c)),
        replacements: replacements(),
      });
      if (!confirmed) throw new DeclinedError();
    },
  };
}

/** A history write as a step's work: a failure says what history does not show. */
export function historyStep(session: Session, show: () => string, change: (history: History) => History): Step {
  return actionStep(undefined, show, () => void session.store.update(change));
}

/** Applies a history change; a failed write is returned as a line for the summary instead of ending the run. */
export function tryRecord(session: Session, what: string, change: (history: History) => History): string | undefined {
  try {
    session.store.update(change);
    return undefined;
  } catch (error) {
    const line = `could not record in history that ${what}: ${message(error)}`;
    session.log(line);
    return line;
  }
}

/**
 * Runs a promotion: prepare, confirm, record it as promoted, apply, verify, record it as live. Nothing is
 * applied unless history first says it is being promoted. On a failure after the apply, puts the last
 * verified generation back (not cancellable: half an undo is worse than none) and verifies it; with none,
 * puts back the configuration a first roll replaced, when the strategy can.
 */
export async function promoteWithUndo(
  session: Session,
  plan: PromotionPlan,
  parties: PromotionParties,
  done: Step[],
): Promise<PromotionResult> {
  const { promotion } = plan;
  const historyErrors: string[] = [];
  let stage: StageName = "plan";
  try {
    promotion.validate();
    await runSteps(session.host, promotion.prepare, { done });
    for (const line of promotion.replacements()) session.log(`plan: ${line}`);
    await runSteps(session.host, [plan.confirm], { done });
    stage = "record";
    await runSteps(session.host, [plan.promoted], { done });
  } catch (error) {
    // Nothing reached the infrastructure: put back what preparation changed (the tfvars file).
    await promotion.discard();
    if (error instanceof DeclinedError)
      return { ok: false, declined: true, isolated: [], applied: false, undo: "not-needed", historyErrors };
    session.log(`${wasCancelled(error) ? "cancelled" : "failed"} at ${stage}: ${message(error)}`);
    return { ok: false, isolated: [], failedStage: stage, error, applied: false, undo: "not-needed", historyErrors };
  }
  try {
    stage = "promote";
    await runSteps(session.host, promotion.apply, { done });
    stage = "verify";
    await runSteps(session.host, [plan.verify], { done });
  } catch (error) {
    session.log(`${wasCancelled(error) ? "cancelled" : "failed"} at ${stage}: ${message(error)}`);
    const reason = `${wasCancelled(error) ? "cancelled" : "failed"} at ${stage}: ${message(error)}`;
    const failed = { ok: false, isolated: [], failedStage: stage, error, applied: true, historyErrors };
    if (parties.fallback) return { ...failed, ...(await putBack(session, parties, reason, historyErrors)) };
    const replaced = promotion.replaced?.();
    const restore = replaced ? session.strategy.restore?.(replaced) : undefined;
    if (restore) return { ...failed, ...(await putReplacedBack(session, restore, parties, reason, historyErrors)) };
    const error2 = tryRecord(session, `#${parties.attempted} failed`, (h) =>
      setNote(h, session.name, parties.attempted, oneLine(`${reason}; there was nothing to put back`)),
    );
    if (error2) historyErrors.push(error2);
    return { ...failed, undo: "impossible" };
  }
  try {
    await runSteps(session.host, [plan.verified], { done });
  } catch (error) {
    historyErrors.push(
      `could not record in history that #${parties.attempted} passed verify: ${message(error)}; history still says it is promoted (deployed, not verified)`,
    );
  }
  return { ok: true, isolated: promotion.isolated(), applied: true, undo: "not-needed", historyErrors };
}

/** Promotes `fallback` again with the strategy's own steps, then verifies it; neither can be cancelled. */
async function putBack(
  session: Session,
  parties: PromotionParties,
  reason: string,
  historyErrors: string[],
): Promise<Pick<PromotionResult, "undo" | "undoError">> {
  const fallback = parties.fallback as GenerationRecord;
  const name = session.name;
  const note = (error: string | undefined): void => {
    if (error) historyErrors.push(error);
  };
  // Written before the undo applies anything, like any promotion; if the write fails, the infrastructure still comes first.
  note(
    tryRecord(session, `#${fallback.number} is being put back`, (h) =>
      markPromoted(parties.withdraw(h, oneLine(reason)), name, fallback.number, {
        note: `put back after #${parties.attempted} ${reason.split(":")[0]}`,
      }),
    ),
  );
  const target = { image: Slot.of(fallback.image), number: fallback.number, regions: Slot.of(fallback.regions ?? {}) };
  const back = session.strategy.promotion(target, "destroy");
  try {
    session.log(`putting generation ${name} #${fallback.number} (${fallback.image}) back`);
    back.validate();
    await runSteps(session.host, back.prepare, { as: STAGES.undo });
    for (const line of back.replacements()) session.log(`undo plan: ${line}`);
    await runSteps(session.host, back.apply, { as: STAGES.undo });
  } catch (undoError) {
    session.log(`undo failed: ${message(undoError)}`);
    note(
      tryRecord(session, `putting #${fallback.number} back failed`, (h) =>
        setNote(
          h,
          name,
          fallback.number,
          oneLine(
            `putting it back failed: ${message(undoError)}; the infrastructure may run #${parties.attempted}, #${fallback.number} or a mix`,
          ),
        ),
      ),
    );
    return { undo: "failed", undoError };
  }
  try {
    const verify = verifyStep(session.generation, session.runner, target, (l) => session.log(l), session.pollIntervalMs);
    await runSteps(session.host, [verify], {
      as: { ...STAGES.verify, title: "Verifying the restored generation", cancellable: false, undoing: true },
    });
  } catch (verifyError) {
    note(
      tryRecord(session, `#${fallback.number} was put back`, (h) =>
        setNote(
          h,
          name,
          fallback.number,
          oneLine(`put back after #${parties.attempted} failed, but its own verify failed: ${message(verifyError)}`),
        ),
      ),
    );
    return { undo: "verify-failed", undoError: verifyError };
  }
  note(
    tryRecord(session, `#${fallback.number} is live again`, (h) =>
      markVerified(h, name, fallback.number, { at: session.now().toISOString(), note: `put back after #${parties.attempted} failed` }),
    ),
  );
  return { undo: "done" };
}

/** Puts back the configuration a first roll replaced (no earlier generation exists) and verifies it when it names an image. */
async function putReplacedBack(
  session: Session,
  restore: { promotion: Promotion; image?: string },
  parties: PromotionParties,
  reason: string,
  historyErrors: string[],
): Promise<Pick<PromotionResult, "undo" | "undoError">> {
  const recorded = tryRecord(session, `#${parties.attempted} failed`, (h) =>
    parties.withdraw(h, oneLine(`${reason}; the configuration it replaced is being put back`)),
  );
  if (recorded) historyErrors.push(recorded);
  try {
    session.log(`putting back the configuration generation ${session.name} #${parties.attempted} replaced`);
    restore.promotion.validate();
    await runSteps(session.host, restore.promotion.prepare, { as: STAGES.undo });
    for (const line of restore.promotion.replacements()) session.log(`undo plan: ${line}`);
    await runSteps(session.host, restore.promotion.apply, { as: STAGES.undo });
    if (restore.image !== undefined) {
      const verify = verifyStep(
        session.generation,
        session.runner,
        { image: Slot.of(restore.image), number: 0 },
        (l) => session.log(l),
        session.pollIntervalMs,
      );
      await runSteps(session.host, [verify], {
        as: { ...STAGES.verify, title: "Verifying the restored configuration", cancellable: false, undoing: true },
      });
    }
  } catch (undoError) {
    session.log(`putting the earlier configuration back failed: ${message(undoError)}`);
    return { undo: "restore-failed", undoError };
  }
  return { undo: "restored" };
}

/** Notes in history are one line: a table row or tree item cannot show more. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " / ").slice(0, 500);
}

/** Lines explaining a failed promotion, shared by roll and rollback. */
export function failureAccount(
  session: Session,
  result: PromotionResult,
  attempted: { number: number; image: string },
  fallback: GenerationRecord | undefined,
  verb: string,
): string[] {
  const name = session.name;
  const how = wasCancelled(result.error)
    ? `was cancelled during ${result.failedStage}`
    : `failed at ${result.failedStage}: ${message(result.error)}`;
  const lines = [`${verb} of ${name} to #${attempted.number} ${how}`];
  switch (result.undo) {
    case "not-needed":
      lines.push(`nothing was applied; ${fallback ? `#${fallback.number} stays live` : "no generation is live"}`);
      break;
    case "done":
      lines.push(`rolled back: #${fallback?.number} was promoted again and verified; it is live`);
      break;
    case "verify-failed":
      lines.push(
        `rolled back: #${fallback?.number} was promoted again and is live, but its own verify failed too: ${message(result.undoError)}`,
      );
      break;
    case "failed":
      lines.push(`PUTTING #${fallback?.number} BACK FAILED: ${message(result.undoError)}`);
      lines.push(
        `the infrastructure may be running #${attempted.number} (${attempted.image}); fix the cause, then run \`immutably rollback ${name} --to ${fallback?.number}\``,
      );
      break;
    case "impossible":
      lines.push(
        `there is no earlier live generation to put back: the infrastructure may be running #${attempted.number} (${attempted.image}); fix the cause and roll again`,
      );
      break;
    case "restored":
      lines.push(`rolled back: the configuration #${attempted.number} replaced (before the first roll) was put back`);
      break;
    case "restore-failed":
      lines.push(`PUTTING BACK THE CONFIGURATION #${attempted.number} REPLACED FAILED: ${message(result.undoError)}`);
      lines.push(`the infrastructure may be running #${attempted.number} (${attempted.image}); fix the cause and roll again`);
      break;
  }
  return lines;
}
