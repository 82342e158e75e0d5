// The roll pipeline (bake, record, promote, verify, keep or undo, retire), rollback and prune; knows nothing of VS Code or terminals.
import type { AtomicWriteFs } from "../engine/atomic-write.ts";
import path from "node:path";
import type { GenerationConfig } from "./config.ts";
import { bake, describeBake, registerSecretVars } from "./bake.ts";
import { HistoryStore } from "./history-store.ts";
import {
  generationsOf,
  liveOf,
  markFailed,
  markLive,
  markPruned,
  pruneCandidates,
  recordBaked,
  rollbackTarget,
  setNote,
  strandedPending,
  type GenerationRecord,
} from "./history.ts";
import { describeImageDeletion, deleteImage } from "./prune.ts";
import { Redactor } from "./redact.ts";
import { runTool, ToolFailedError } from "./runner.ts";
import { createStrategy } from "./strategies/index.ts";
import { CancelledError } from "./strategies/poll.ts";
import { ToolRunner, type ToolPaths } from "./tools.ts";
import type { PreparedPromotion, PromotionTarget, RollHost, RollOutcome, StageInfo, StageName, Strategy, StrategyContext } from "./types.ts";
import { describeVerify, verifyGeneration } from "./verify.ts";

export interface PipelineOptions {
  generation: GenerationConfig;
  host: RollHost;
  tools: ToolPaths;
  /** The environment tools run with; its credentials are registered for redaction. */
  env?: NodeJS.ProcessEnv;
  /** Interval between status polls (instance refresh, rolling upgrade, HTTP verify); default 10 s. */
  pollIntervalMs?: number;
  now?: () => Date;
  /** File operations for history writes; tests inject failures (disk full). */
  historyFs?: Partial<AtomicWriteFs>;
}

const STAGES: Record<StageName, StageInfo> = {
  bake: { name: "bake", title: "Baking the image (packer build)", cancellable: true },
  record: { name: "record", title: "Recording the generation", cancellable: false },
  plan: { name: "plan", title: "Planning the promotion", cancellable: true },
  promote: { name: "promote", title: "Promoting the new generation", cancellable: true },
  verify: { name: "verify", title: "Verifying the new generation", cancellable: true },
  undo: { name: "undo", title: "Putting the previous generation back", cancellable: false },
  rollback: { name: "rollback", title: "Rolling back", cancellable: true },
  prune: { name: "prune", title: "Pruning images", cancellable: true },
};

/** The shared setup of every command: redaction, the runner, history and the strategy. */
class Session {
  readonly redactor = new Redactor();
  readonly runner: ToolRunner;
  readonly store: HistoryStore;
  readonly strategy: Strategy;
  readonly ctx: StrategyContext;
  readonly now: () => Date;
  readonly pollIntervalMs: number;

  constructor(readonly options: PipelineOptions) {
    const env = options.env ?? process.env;
    this.redactor.addSecretsFromEnv(env);
    registerSecretVars(options.generation.packerVars, this.redactor);
    const log = (line: string): void => options.host.log(this.redactor.redact(line));
    this.runner = new ToolRunner(options.tools, this.redactor, log, env);
    this.store = new HistoryStore(options.generation.configDir, this.redactor, options.historyFs);
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 10_000;
    this.ctx = { generation: options.generation, runner: this.runner, redactor: this.redactor, log, stateDir: this.store.dir, pollIntervalMs: this.pollIntervalMs, now: this.now };
    this.strategy = createStrategy(this.ctx);
  }

  get name(): string {
    return this.options.generation.name;
  }

  log(line: string): void {
    this.options.host.log(this.redactor.redact(line));
  }

  /** Takes the generation's lock for `command`; until it is released, the lock records the tool the run has running. */
  lock(command: string): { release(): void } {
    const lock = this.store.lockName(this.name, command, (l) => this.log(l));
    this.runner.onChild = (child) => lock.recordChild(child);
    return {
      release: () => {
        this.runner.onChild = undefined;
        lock.release();
      },
    };
  }

  /** Marks generations a dead run left `pending` as failed, saying what that means. Call with the roll lock held. */
  recoverStranded(): void {
    for (const g of strandedPending(this.store.read(), this.name)) {
      const note = "left pending by an interrupted run; the infrastructure may be running its image";
      this.store.update((h) => markFailed(h, this.name, g.number, note));
      this.log(`warning: generation ${this.name} #${g.number} was ${note}. It is now marked failed; check the infrastructure and run \`immutably rollback ${this.name}\` if it serves that image.`);
    }
  }

  /** One line per generation of this name, newest first, for summaries. */
  account(): string[] {
    return generationsOf(this.store.read(), this.name)
      .reverse()
      .map((g) => `  #${g.number} ${g.status.padEnd(8)} ${g.image}${g.note ? `  (${g.note})` : ""}`);
  }

  outcome(exitCode: 0 | 1 | 2, summary: string[]): RollOutcome {
    const generations = generationsOf(this.store.read(), this.name);
    return { exitCode, summary: [...summary.map((s) => this.redactor.redact(s)), `generations of ${this.name}:`, ...(generations.length ? this.account() : ["  (none)"])], generations };
  }
}

/** Notes in history are one line: a table row or tree item cannot show more. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " / ").slice(0, 500);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function wasCancelled(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof ToolFailedError && error.result.cancelled);
}

interface PromotionResult {
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

/**
 * Prepares, confirms, applies and verifies one image; on a failure after anything was applied, puts
 * `fallback` back (not cancellable: half an undo is worse than none) and verifies it.
 */
async function promoteWithUndo(session: Session, target: PromotionTarget, fallback: GenerationRecord | undefined, title: string): Promise<PromotionResult> {
  const { host, generation } = session.options;
  let stage: StageName = "plan";
  let prepared: PreparedPromotion | undefined;
  let applied = false;
  try {
    prepared = await host.stage(STAGES.plan, (signal) => session.strategy.prepare(target, generation.retire, signal));
    for (const line of prepared.replacements) session.log(`plan: ${line}`);
    // The exact commands of this run: those that already ran (bake, plan), then those the confirmation releases.
    const commands = [...session.runner.started.map((c) => `(done) ${c}`), ...prepared.commands, ...describeVerify(generation, session.runner).map((c) => `then verify: ${c}`)];
    const confirmed = await host.confirm({ title, commands, replacements: prepared.replacements });
    if (!confirmed) {
      await prepared.discard();
      return { ok: false, declined: true, isolated: [], applied: false, undo: "not-needed" };
    }
    stage = "promote";
    applied = true;
    const ready = prepared;
    const { isolated } = await host.stage(STAGES.promote, (signal) => ready.apply(signal));
    stage = "verify";
    await host.stage(STAGES.verify, (signal) => verifyGeneration(generation, target, session.runner, (l) => session.log(l), signal, session.pollIntervalMs));
    return { ok: true, isolated, applied, undo: "not-needed" };
  } catch (error) {
    session.log(`${wasCancelled(error) ? "cancelled" : "failed"} at ${stage}: ${message(error)}`);
    if (!applied) {
      // Nothing reached the infrastructure; preparation already reverted its own files on failure.
      return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "not-needed" };
    }
    if (!fallback) return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "impossible" };
    const never = new AbortController().signal;
    try {
      await host.stage(STAGES.undo, async () => {
        session.log(`putting generation ${session.name} #${fallback.number} (${fallback.image}) back`);
        const back = await session.strategy.prepare({ image: fallback.image, number: fallback.number, regions: fallback.regions ?? {} }, "destroy", never);
        for (const line of back.replacements) session.log(`undo plan: ${line}`);
        await back.apply(never);
      });
    } catch (undoError) {
      session.log(`undo failed: ${message(undoError)}`);
      return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "failed", undoError };
    }
    try {
      await host.stage({ ...STAGES.verify, title: "Verifying the restored generation", cancellable: false }, () =>
        verifyGeneration(generation, { image: fallback.image, number: fallback.number }, session.runner, (l) => session.log(l), never, session.pollIntervalMs),
      );
    } catch (verifyError) {
      return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "verify-failed", undoError: verifyError };
    }
    return { ok: false, isolated: [], failedStage: stage, error, applied, undo: "done" };
  }
}

/** Lines explaining a failed promotion, shared by roll and rollback. */
function failureAccount(session: Session, result: PromotionResult, attempted: GenerationRecord | { number: number; image: string }, fallback: GenerationRecord | undefined, verb: string): string[] {
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

/** `immutably roll <name>`: bake, record, promote, verify, then keep the new generation or put the old one back. */
export async function roll(options: PipelineOptions): Promise<RollOutcome> {
  const session = new Session(options);
  const { host, generation } = options;
  const name = generation.name;
  const lock = session.lock(`roll ${name}`);
  try {
    session.recoverStranded();
    const live = liveOf(session.store.read(), name);
    session.log(live ? `generation ${name} #${live.number} is live (${live.image})` : `generation ${name} has no live generation yet`);

    let artifact;
    try {
      artifact = await host.stage(STAGES.bake, (signal) => bake(generation, session.runner, signal));
    } catch (error) {
      return session.outcome(1, [`roll of ${name} ${wasCancelled(error) ? "was cancelled during bake" : `failed at bake: ${message(error)}`}`, `nothing was recorded or changed; ${live ? `#${live.number} stays live` : "no generation is live"}`]);
    }
    session.log(`baked ${artifact.kind} image ${artifact.image}`);

    const gitCommit = await currentCommit(session);
    let number = 0;
    await host.stage(STAGES.record, async () => {
      session.store.update((h) => {
        const recorded = recordBaked(h, { name, image: artifact.image, artifact_id: artifact.artifactId, builder: artifact.builder, created_at: session.now().toISOString(), git_commit: gitCommit, regions: Object.keys(artifact.regions).length ? artifact.regions : undefined });
        number = recorded.number;
        return recorded.history;
      });
    });
    session.log(`recorded generation ${name} #${number} (pending) in ${session.store.file}`);

    const target: PromotionTarget = { image: artifact.image, number, regions: artifact.regions };
    const result = await promoteWithUndo(session, target, live, `Roll ${name} to generation #${number}`);
    if (result.ok) {
      const retired = result.isolated.length ? "isolated" : "previous";
      session.store.update((h) => markLive(h, name, number, retired));
      const lines = [`rolled ${name} to generation #${number} (${artifact.image})`];
      if (live) lines.push(`#${live.number} is ${retired}${result.isolated.length ? `: ${result.isolated.join(", ")} kept out of service for analysis` : ""}`);
      return session.outcome(0, lines);
    }
    const reason = oneLine(result.declined ? "not promoted: the confirmation was declined" : `${wasCancelled(result.error) ? "cancelled" : "failed"} at ${result.failedStage}: ${message(result.error)}`);
    session.store.update((h) => markFailed(h, name, number, reason));
    if (result.declined) return session.outcome(1, [`roll of ${name} was not confirmed; nothing was applied`, `#${number} is marked failed (its image stays until pruned)`]);
    return session.outcome(1, [...failureAccount(session, result, { number, image: artifact.image }, live, "roll"), `#${number} is marked failed (its image stays until pruned)`]);
  } finally {
    lock.release();
  }
}

/** `immutably rollback <name> [--to N]`: promotes an earlier generation again, with the same undo on failure. */
export async function rollback(options: PipelineOptions & { to?: number }): Promise<RollOutcome> {
  const session = new Session(options);
  const name = options.generation.name;
  const lock = session.lock(`rollback ${name}`);
  try {
    session.recoverStranded();
    const history = session.store.read();
    const live = liveOf(history, name);
    let target: GenerationRecord;
    try {
      target = rollbackTarget(history, name, options.to);
    } catch (error) {
      return session.outcome(2, [message(error)]);
    }
    session.log(`rolling ${name} back from ${live ? `#${live.number}` : "no live generation"} to #${target.number} (${target.image})`);
    const result = await promoteWithUndo(session, { image: target.image, number: target.number, regions: target.regions ?? {} }, live, `Roll ${name} back to generation #${target.number}`);
    if (result.ok) {
      const retired = result.isolated.length ? "isolated" : "previous";
      session.store.update((h) => markLive(h, name, target.number, retired, live ? `rolled back from #${live.number}` : undefined));
      return session.outcome(0, [`rolled ${name} back to generation #${target.number} (${target.image})`, ...(live ? [`#${live.number} is ${retired}`] : [])]);
    }
    if (result.declined) return session.outcome(1, [`rollback of ${name} was not confirmed; nothing was applied`]);
    session.store.update((h) => setNote(h, name, target.number, `rollback to it ${wasCancelled(result.error) ? "was cancelled" : "failed"} at ${result.failedStage}`));
    return session.outcome(1, failureAccount(session, result, target, live, "rollback"));
  } finally {
    lock.release();
  }
}

/** `immutably prune <name> [--keep N]`: deletes images beyond the newest N, never the live one. */
export async function prune(options: PipelineOptions & { keep?: number }): Promise<RollOutcome> {
  const session = new Session(options);
  const { host, generation } = options;
  const name = generation.name;
  const keep = options.keep ?? generation.keep;
  const lock = session.lock(`prune ${name}`);
  try {
    session.recoverStranded();
    const candidates = pruneCandidates(session.store.read(), name, keep);
    if (candidates.length === 0) return session.outcome(0, [`nothing to prune: ${name} has no image beyond the newest ${keep} that is not live`]);
    const commands = candidates.flatMap((g) => describeImageDeletion(g, generation, session.runner).map((c) => `#${g.number}: ${c}`));
    const confirmed = await host.confirm({ title: `Prune ${candidates.length} image(s) of ${name}`, commands, replacements: candidates.map((g) => `#${g.number} ${g.status}: ${g.image}`) });
    if (!confirmed) return session.outcome(1, ["prune was not confirmed; nothing was deleted"]);
    const failures: string[] = [];
    const pruned: number[] = [];
    await host.stage(STAGES.prune, async (signal) => {
      for (const g of candidates) {
        if (signal.aborted) {
          failures.push(`#${g.number}: not pruned (cancelled)`);
          continue;
        }
        try {
          await deleteImage(g, generation, session.runner, signal);
          session.store.update((h) => markPruned(h, name, g.number));
          pruned.push(g.number);
          session.log(`pruned #${g.number} (${g.image})`);
        } catch (error) {
          failures.push(`#${g.number}: ${message(error)}`);
          session.log(`could not prune #${g.number}: ${message(error)}`);
        }
      }
    });
    const lines = [pruned.length ? `pruned ${pruned.map((n) => `#${n}`).join(", ")} of ${name}` : `pruned nothing of ${name}`, ...failures.map((f) => `not pruned ${f}`)];
    return session.outcome(failures.length ? 1 : 0, lines);
  } finally {
    lock.release();
  }
}

/** `immutably roll <name> --dry-run`: every command the roll would run, in order; changes nothing. */
export function describeRoll(options: PipelineOptions): string[] {
  const session = new Session(options);
  const { generation } = options;
  const history = session.store.read();
  const live = liveOf(history, generation.name);
  const next = generationsOf(history, generation.name).reduce((max, g) => Math.max(max, g.number), 0) + 1;
  const image = "<image from the bake>";
  return [
    ...describeBake(generation, session.runner),
    `record generation ${generation.name} #${next} (pending) in ${path.relative(generation.configDir, session.store.file)}`,
    ...session.strategy.describe(image, generation.retire),
    ...describeVerify(generation, session.runner),
    `on success: #${next} live${live ? `, #${live.number} ${generation.retire === "isolate" ? "isolated" : "previous"}` : ""}`,
    `on a failure after the bake: ${live ? `#${live.number} promoted again (the same commands with ${live.image}), ` : ""}#${next} marked failed`,
  ];
}

/** `immutably prune <name> --dry-run`: the images prune would delete and how; changes nothing. */
export function describePrune(options: PipelineOptions & { keep?: number }): string[] {
  const session = new Session(options);
  const keep = options.keep ?? options.generation.keep;
  const candidates = pruneCandidates(session.store.read(), options.generation.name, keep);
  if (candidates.length === 0) return [`nothing to prune: ${options.generation.name} has no image beyond the newest ${keep} that is not live`];
  return candidates.flatMap((g) => describeImageDeletion(g, options.generation, session.runner).map((c) => `#${g.number} (${g.status}): ${c}`));
}

/** The history of one generation name, oldest first (read-only; no lock). */
export function listGenerations(generation: GenerationConfig): GenerationRecord[] {
  return generationsOf(new HistoryStore(generation.configDir, new Redactor()).read(), generation.name);
}

/** A fixed-width table of generations, newest first, for terminals. */
export function formatGenerationsTable(records: readonly GenerationRecord[]): string {
  if (records.length === 0) return "no generations yet\n";
  const rows = [["#", "STATUS", "CREATED", "COMMIT", "IMAGE", "NOTE"], ...[...records].reverse().map((g) => [String(g.number), g.status, g.created_at.replace(/\.\d+Z$/, "Z"), g.git_commit.slice(0, 8), g.image, g.note ?? ""])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd()).join("\n")}\n`;
}

/** The commit the configuration is at, or "" outside a git repository or without git. */
async function currentCommit(session: Session): Promise<string> {
  try {
    // Run directly rather than through the logged runner: outside a repository git's complaint is noise.
    const result = await runTool({ file: session.options.tools.git, args: ["rev-parse", "HEAD"], cwd: session.options.generation.configDir, timeoutMs: 10_000, redactor: session.redactor, baseEnv: session.options.env });
    const sha = result.stdout.trim();
    return result.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? sha : "";
  } catch {
    return "";
  }
}
