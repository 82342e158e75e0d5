// The roll commands (roll, rollback, prune, and their dry runs) built from steps; knows nothing of VS Code or terminals.
import path from "node:path";
import type { BakedArtifact } from "./artifacts.ts";
import { bakeSteps } from "./bake.ts";
import type { GenerationConfig } from "./config.ts";
import {
  deployedOf,
  generationsOf,
  lastVerified,
  liveOf,
  markDeclined,
  markFailed,
  markPromoted,
  markPruned,
  markVerified,
  markWithdrawn,
  recordIsolated,
  pruneCandidates,
  recordBaked,
  rollbackTarget,
  setNote,
  sharingImage,
  type GenerationRecord,
  type History,
} from "./history.ts";
import { HistoryStore } from "./history-store.ts";
import { deleteImage, describeImageDeletion, fileIdentity } from "./prune.ts";
import {
  confirmStep,
  DeclinedError,
  failureAccount,
  historyStep,
  message,
  oneLine,
  promoteWithUndo,
  tryRecord,
  wasCancelled,
  type PromotionPlan,
} from "./promotion.ts";
import { guarded } from "./plan-guard.ts";
import { Redactor } from "./redact.ts";
import { runTool } from "./runner.ts";
import { Session, type PipelineOptions } from "./session.ts";
import { actionStep, runSteps, showSteps, Slot, type Step } from "./steps.ts";
import type { PromotionTarget, RollOutcome } from "./types.ts";
import { verifyStep } from "./verify.ts";

export type { PipelineOptions } from "./session.ts";

/** Everything one roll does, built once: the dry run prints it, the confirmation lists it, `roll` runs it. */
interface RollPlan {
  number: number;
  artifact: Slot<BakedArtifact>;
  bake: Step[];
  record: Step;
  promote: PromotionPlan;
  /** Every step in the order it runs. */
  steps: Step[];
  /** What happens when something fails after the bake; not steps of their own (they are the strategy's steps again). */
  footer: string[];
}

function rollPlan(session: Session, fallback: GenerationRecord | undefined, next: number, done: Step[]): RollPlan {
  const { generation } = session;
  const name = session.name;
  const historyFile = path.relative(generation.configDir, session.store.file);
  const deployed = deployedOf(session.store.read(), name);
  const artifact = new Slot<BakedArtifact>("<image from the bake>", { kind: "file", builder: "", artifactId: "", image: "", regions: {} });
  const target: PromotionTarget = {
    image: artifact.derive("<image from the bake>", (a) => a.image),
    number: next,
    regions: artifact.derive({}, (a) => a.regions),
  };
  const plan = { number: next } as RollPlan;
  plan.artifact = artifact;
  plan.bake = bakeSteps(generation, session.runner, artifact);
  plan.record = actionStep(
    "record",
    () => `record generation ${name} #${next} (pending) in ${historyFile}`,
    async () => {
      const gitCommit = await currentCommit(session);
      const a = artifact.get();
      const identity = a.kind === "file" ? fileIdentity(a.image) : undefined;
      session.store.update((h) => {
        const recorded = recordBaked(h, {
          name,
          image: a.image,
          artifact_id: a.artifactId,
          builder: a.builder,
          created_at: session.now().toISOString(),
          git_commit: gitCommit,
          regions: Object.keys(a.regions).length ? a.regions : undefined,
          packer_run_uuid: a.runUuid,
          file_identity: identity,
        });
        plan.number = recorded.number;
        return recorded.history;
      });
      session.log(`recorded generation ${name} #${plan.number} (pending) in ${session.store.file}`);
    },
  );
  const promotion = guarded(session.strategy.promotion(target, generation.retire), generation, (l) => session.log(l));
  const verify = verifyStep(generation, session.runner, target, (l) => session.log(l), session.pollIntervalMs);
  const replacedNote = deployed ? `; #${deployed.number} ${deployed.status === "live" ? "previous" : "failed (never verified)"}` : "";
  const promoted = historyStep(
    session,
    () => `record #${next} as promoted (deployed, not verified yet)${replacedNote} in ${historyFile}`,
    // With no generation to fall back to, the configuration this first roll replaces is kept, to be put back if it fails.
    (h) => markPromoted(h, name, next, { replaced: fallback ? undefined : promotion.replaced?.() }),
  );
  const retired = generation.retire === "isolate" ? "isolated" : "previous";
  const verified = historyStep(
    session,
    () =>
      `record #${next} as live (verified)${deployed?.status === "live" && generation.retire === "isolate" ? `; #${deployed.number} isolated` : ""}`,
    (h) =>
      markVerified(h, name, next, {
        at: session.now().toISOString(),
        retired: promotion.isolated().length ? retired : "previous",
        machines: promotion.isolated(),
      }),
  );
  const released = (): Step[] => [promoted, ...promotion.apply, verify, verified];
  plan.promote = {
    promotion,
    confirm: confirmStep(session, `Roll ${name} to generation #${next}`, done, released, () => promotion.replacements()),
    promoted,
    verify,
    verified,
  };
  plan.steps = [...plan.bake, plan.record, ...promotion.prepare, plan.promote.confirm, ...released()];
  plan.footer = [
    `on a failure after the bake: ${fallback ? `#${fallback.number} (the last verified generation) promoted again (the same steps with ${fallback.image}), ` : "the configuration this first roll replaces put back where the strategy can, "}#${next} marked failed`,
  ];
  return plan;
}

/**
 * Records in history, before an isolating step runs, the machines it takes out of service, on the
 * generation they belong to (the one deployed when the run started). Returns what was recorded.
 */
function watchIsolation(session: Session, owner: GenerationRecord | undefined, by: number): { owner?: number; machines: string[] } {
  const isolated: string[] = [];
  session.ctx.recordIsolation = (machines) => {
    if (owner) session.store.update((h) => recordIsolated(h, session.name, owner.number, machines, by));
    isolated.push(...machines);
    session.log(`taking out of service, kept running${owner ? ` (recorded on #${owner.number})` : ""}: ${machines.join(", ")}`);
  };
  return { owner: owner?.number, machines: isolated };
}

/** After a failed promotion, the machines it took out of service still run: say which, so they are never forgotten. */
function isolationAccount(session: Session, isolated: { owner?: number; machines: readonly string[] }, ok: boolean): string[] {
  session.ctx.recordIsolation = undefined;
  if (ok || isolated.machines.length === 0) return [];
  const where = isolated.owner !== undefined ? `, listed in history on #${isolated.owner}` : "";
  return [
    `machines taken out of service before the failure still run: ${isolated.machines.join(", ")} (out of service${where}); delete them when they are no longer needed`,
  ];
}

/** The number the next roll of a name will get. */
function nextNumber(session: Session): number {
  return generationsOf(session.store.read(), session.name).reduce((max, g) => Math.max(max, g.number), 0) + 1;
}

/** `immutably roll <name>`: bake, record, promote, verify, then keep the new generation or put the old one back. */
export async function roll(options: PipelineOptions): Promise<RollOutcome> {
  const session = new Session(options);
  const name = session.name;
  const lock = await session.lock(`roll ${name}`);
  try {
    session.recoverStranded();
    const history = session.store.read();
    const live = liveOf(history, name);
    const fallback = lastVerified(history, name);
    session.log(live ? `generation ${name} #${live.number} is live (${live.image})` : `generation ${name} has no live generation yet`);
    const done: Step[] = [];
    const plan = rollPlan(session, fallback, nextNumber(session), done);
    const stays = fallback
      ? `#${fallback.number} stays ${fallback.status === "live" ? "live" : "the last verified generation"}`
      : "no generation is live";
    try {
      await runSteps(session.host, plan.bake, { done });
    } catch (error) {
      return session.outcome(1, [
        `roll of ${name} ${wasCancelled(error) ? "was cancelled during bake" : `failed at bake: ${message(error)}`}`,
        `nothing was recorded or changed; ${stays}`,
      ]);
    }
    const artifact = plan.artifact.get();
    session.log(`baked ${artifact.kind} image ${artifact.image}`);
    try {
      await runSteps(session.host, [plan.record], { done });
    } catch (error) {
      return session.outcome(1, [
        `roll of ${name}: ${message(error)}`,
        `the image ${artifact.image} was baked but is not recorded in history; nothing was changed; ${stays}`,
      ]);
    }
    const number = plan.number;
    const isolatedNow = watchIsolation(session, deployedOf(session.store.read(), name), number);
    const result = await promoteWithUndo(
      session,
      plan.promote,
      { attempted: number, fallback, withdraw: (h, reason) => markFailed(h, name, number, reason) },
      done,
    );
    const historyLines = [...result.historyErrors, ...isolationAccount(session, isolatedNow, result.ok)];
    if (result.ok) {
      const lines = [`rolled ${name} to generation #${number} (${artifact.image})`];
      if (live)
        lines.push(
          `#${live.number} is ${result.isolated.length ? "isolated" : "previous"}${result.isolated.length ? `: ${result.isolated.join(", ")} kept out of service for analysis` : ""}`,
        );
      return session.outcome(historyLines.length ? 1 : 0, [...lines, ...historyLines]);
    }
    if (result.declined) {
      // Declining is the user's decision, not a fault of the image: it is recorded as such, and prune deletes it.
      const declined = tryRecord(session, `#${number} was declined`, (h) =>
        markDeclined(h, name, number, "not promoted: the confirmation was declined"),
      );
      if (declined) historyLines.push(declined);
      return session.outcome(
        1,
        [
          `roll of ${name} was not confirmed; nothing was applied`,
          `#${number} is marked declined (its image stays until pruned)`,
          ...historyLines,
        ],
        {
          declined: true,
        },
      );
    }
    if (!result.applied) {
      // Nothing reached the infrastructure: the generation is marked failed here (once applied, the undo recorded it).
      const reason = oneLine(`${wasCancelled(result.error) ? "cancelled" : "failed"} at ${result.failedStage}: ${message(result.error)}`);
      const failed = tryRecord(session, `#${number} failed`, (h) => markFailed(h, name, number, reason));
      if (failed) historyLines.push(failed);
    }
    const marked =
      result.undo === "impossible"
        ? `#${number} stays promoted in history: the infrastructure runs it, not verified`
        : `#${number} is marked failed (its image stays until pruned)`;
    return session.outcome(1, [
      ...failureAccount(session, result, { number, image: artifact.image }, fallback, "roll"),
      marked,
      ...historyLines,
    ]);
  } finally {
    lock.release();
  }
}

/** `immutably rollback <name> [--to N]`: promotes an earlier generation again, with the same undo on failure. */
export async function rollback(options: PipelineOptions & { to?: number }): Promise<RollOutcome> {
  const session = new Session(options);
  const name = session.name;
  const lock = await session.lock(`rollback ${name}`);
  try {
    session.recoverStranded();
    const history = session.store.read();
    const deployed = deployedOf(history, name);
    let target: GenerationRecord;
    try {
      target = rollbackTarget(history, name, options.to);
    } catch (error) {
      return session.outcome(2, [message(error)]);
    }
    // If this rollback fails after applying, the generation verified last goes back (never the target itself).
    const fallback = lastVerified(history, name, target.number);
    session.log(
      `rolling ${name} back from ${deployed ? `#${deployed.number}${deployed.status === "live" ? "" : " (promoted, not verified)"}` : "no deployed generation"} to #${target.number} (${target.image})`,
    );
    const done: Step[] = [];
    const image = Slot.of(target.image);
    const promotion = guarded(
      session.strategy.promotion({ image, number: target.number, regions: Slot.of(target.regions ?? {}) }, session.generation.retire),
      session.generation,
      (l) => session.log(l),
    );
    const verify = verifyStep(
      session.generation,
      session.runner,
      { image, number: target.number },
      (l) => session.log(l),
      session.pollIntervalMs,
    );
    const from = deployed && deployed.number !== target.number ? deployed : undefined;
    const promoted = historyStep(
      session,
      () => `record #${target.number} as promoted (deployed, not verified yet)`,
      (h) => markPromoted(h, name, target.number, { note: from ? `rolled back from #${from.number}` : undefined }),
    );
    const verified = historyStep(
      session,
      () => `record #${target.number} as live (verified)`,
      (h) =>
        markVerified(h, name, target.number, {
          at: session.now().toISOString(),
          retired: promotion.isolated().length ? "isolated" : "previous",
          machines: promotion.isolated(),
          note: from ? `rolled back from #${from.number}` : undefined,
        }),
    );
    const confirm = confirmStep(
      session,
      `Roll ${name} back to generation #${target.number}`,
      done,
      () => [promoted, ...promotion.apply, verify, verified],
      () => promotion.replacements(),
    );
    const isolatedNow = watchIsolation(session, from, target.number);
    const result = await promoteWithUndo(
      session,
      { promotion, confirm, promoted, verify, verified },
      { attempted: target.number, fallback, withdraw: (h, reason) => markWithdrawn(h, name, target.number, `rollback to it ${reason}`) },
      done,
    );
    result.historyErrors.push(...isolationAccount(session, isolatedNow, result.ok));
    if (result.ok) {
      return session.outcome(result.historyErrors.length ? 1 : 0, [
        `rolled ${name} back to generation #${target.number} (${target.image})`,
        ...(from
          ? [
              `#${from.number} is ${from.status === "live" ? (result.isolated.length ? "isolated" : "previous") : "failed (it was never verified)"}`,
            ]
          : []),
        ...result.historyErrors,
      ]);
    }
    if (result.declined)
      return session.outcome(1, [`rollback of ${name} was not confirmed; nothing was applied`, ...result.historyErrors], {
        declined: true,
      });
    if (!result.applied) {
      const noted = tryRecord(session, `the rollback to #${target.number} failed`, (h) =>
        setNote(
          h,
          name,
          target.number,
          `rollback to it ${wasCancelled(result.error) ? "was cancelled" : "failed"} at ${result.failedStage}`,
        ),
      );
      if (noted) result.historyErrors.push(noted);
    }
    return session.outcome(1, [...failureAccount(session, result, target, fallback, "rollback"), ...result.historyErrors]);
  } finally {
    lock.release();
  }
}

/** Why an image is kept although its record is pruned: another record that is kept still uses it. */
function keptBy(history: History, record: GenerationRecord): string | undefined {
  const others = sharingImage(history, record);
  return others.length
    ? others.map((g) => `#${g.number}${g.name === record.name ? "" : ` of ${g.name}`} (${g.status})`).join(", ")
    : undefined;
}

/**
 * One step per image prune deletes; a failure is recorded in `failures` and the next image is tried.
 * An image another record still uses (two records can name one image) is not deleted: only this
 * record is marked pruned, and the image goes with the last record that holds it.
 */
function pruneSteps(session: Session, candidates: readonly GenerationRecord[], pruned: number[], failures: string[]): Step[] {
  const snapshot = session.store.read();
  return candidates.map((g) =>
    actionStep(
      "prune",
      () => {
        const users = keptBy(snapshot, g);
        return `#${g.number} (${g.status}): ${users ? `keep ${g.image}: ${users} uses it too; only the record is marked pruned` : describeImageDeletion(g, session.generation, session.runner).join("; ")}`;
      },
      async (signal) => {
        if (signal.aborted) {
          failures.push(`#${g.number}: not pruned (cancelled)`);
          return;
        }
        try {
          // Asked again now: an earlier step of this prune, or another run, may have changed who uses the image.
          const users = keptBy(session.store.read(), g);
          if (users) session.log(`kept the image of #${g.number} (${g.image}): ${users} uses it too`);
          else await deleteImage(g, session.generation, session.runner, signal);
          session.store.update((h) =>
            users
              ? setNote(markPruned(h, session.name, g.number), session.name, g.number, `image kept: ${users} uses it too`)
              : markPruned(h, session.name, g.number),
          );
          pruned.push(g.number);
          session.log(`pruned #${g.number} (${g.image})`);
        } catch (error) {
          failures.push(`#${g.number}: ${message(error)}`);
          session.log(`could not prune #${g.number}: ${message(error)}`);
        }
      },
    ),
  );
}

/** `immutably prune <name> [--keep N]`: deletes images beyond the newest N, never the live one. */
export async function prune(options: PipelineOptions & { keep?: number }): Promise<RollOutcome> {
  const session = new Session(options);
  const name = session.name;
  const keep = options.keep ?? session.generation.keep;
  const lock = await session.lock(`prune ${name}`);
  try {
    session.recoverStranded();
    const candidates = pruneCandidates(session.store.read(), name, keep);
    if (candidates.length === 0)
      return session.outcome(0, [`nothing to prune: ${name} has no image beyond the newest ${keep} that is not live`]);
    const pruned: number[] = [];
    const failures: string[] = [];
    const steps = pruneSteps(session, candidates, pruned, failures);
    const confirm = confirmStep(
      session,
      `Prune ${candidates.length} image(s) of ${name}`,
      [],
      () => steps,
      () => candidates.map((g) => `#${g.number} ${g.status}: ${g.image}`),
    );
    try {
      await runSteps(session.host, [confirm, ...steps]);
    } catch (error) {
      if (error instanceof DeclinedError) return session.outcome(1, ["prune was not confirmed; nothing was deleted"], { declined: true });
      throw error;
    }
    const lines = [
      pruned.length ? `pruned ${pruned.map((n) => `#${n}`).join(", ")} of ${name}` : `pruned nothing of ${name}`,
      ...failures.map((f) => `not pruned ${f}`),
    ];
    return session.outcome(failures.length ? 1 : 0, lines);
  } finally {
    lock.release();
  }
}

/** `immutably roll <name> --dry-run`: every step the roll would run, in order; changes nothing. */
export function describeRoll(options: PipelineOptions): string[] {
  const session = new Session(options);
  const plan = rollPlan(session, lastVerified(session.store.read(), session.name), nextNumber(session), []);
  return [...showSteps(plan.steps), ...plan.footer].map((line) => session.redactor.redact(line));
}

/** `immutably prune <name> --dry-run`: the images prune would delete and how; changes nothing. */
export function describePrune(options: PipelineOptions & { keep?: number }): string[] {
  const session = new Session(options);
  const keep = options.keep ?? session.generation.keep;
  const candidates = pruneCandidates(session.store.read(), session.name, keep);
  if (candidates.length === 0) return [`nothing to prune: ${session.name} has no image beyond the newest ${keep} that is not live`];
  return showSteps(pruneSteps(session, candidates, [], [])).map((line) => session.redactor.redact(line));
}

/** The history of one generation name, oldest first (read-only; no lock). */
export function listGenerations(generation: GenerationConfig): GenerationRecord[] {
  return generationsOf(new HistoryStore(generation.configDir, new Redactor()).read(), generation.name);
}

/** A fixed-width table of generations, newest first, for terminals. */
export function formatGenerationsTable(records: readonly GenerationRecord[]): string {
  if (records.length === 0) return "no generations yet\n";
  const rows = [
    ["#", "STATUS", "CREATED", "COMMIT", "IMAGE", "NOTE"],
    ...[...records]
      .reverse()
      .map((g) => [String(g.number), g.status, g.created_at.replace(/\.\d+Z$/, "Z"), g.git_commit.slice(0, 8), g.image, g.note ?? ""]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

/** The commit the configuration is at, or "" outside a git repository or without git. */
async function currentCommit(session: Session): Promise<string> {
  try {
    // Run directly rather than through the logged runner: outside a repository git's complaint is noise.
    const result = await runTool({
      file: session.options.tools.git,
      args: ["rev-parse", "HEAD"],
      cwd: session.generation.configDir,
      timeoutMs: 10_000,
      redactor: session.redactor,
      baseEnv: session.options.env,
    });
    const sha = result.stdout.trim();
    return result.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? sha : "";
  } catch {
    return "";
  }
}
