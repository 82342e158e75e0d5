// The setup every roll command shares: redaction, the tool runner, history, the strategy and the generation's lock.
import type { AtomicWriteFs } from "../engine/atomic-write.ts";
import { registerSecretVars } from "./bake.ts";
import type { GenerationConfig } from "./config.ts";
import { deployedOf, generationsOf, lastVerified, markFailed, strandedPending, type GenerationRecord } from "./history.ts";
import { FileFollower, tailOf } from "./follow.ts";
import { HistoryStore } from "./history-store.ts";
import { OrphanedToolError, stopCommand, toolAlive, type Lock } from "./lock.ts";
import { Redactor } from "./redact.ts";
import { clearLeftovers, ensurePrivateDir, runDirOf } from "./run-dir.ts";
import { STAGES } from "./steps.ts";
import { createStrategy } from "./strategies/index.ts";
import { ToolRunner, type ToolPaths } from "./tools.ts";
import type { RollHost, RollOutcome, Strategy, StrategyContext } from "./types.ts";

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

export class Session {
  readonly redactor = new Redactor();
  readonly runner: ToolRunner;
  readonly store: HistoryStore;
  readonly strategy: Strategy;
  readonly ctx: StrategyContext;
  readonly now: () => Date;
  readonly pollIntervalMs: number;
  /** `.immutably/runs/<name>`: this generation's tool output and plan files, private to this user. */
  readonly runDir: string;

  constructor(readonly options: PipelineOptions) {
    const env = options.env ?? process.env;
    this.redactor.addSecretsFromEnv(env);
    registerSecretVars(options.generation.packerVars, this.redactor);
    const log = (line: string): void => this.log(line);
    this.runner = new ToolRunner(options.tools, this.redactor, log, env);
    this.store = new HistoryStore(options.generation.configDir, this.redactor, options.historyFs);
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 10_000;
    this.runDir = runDirOf(this.store.dir, options.generation.name);
    this.ctx = {
      generation: options.generation,
      runner: this.runner,
      redactor: this.redactor,
      log,
      runDir: this.runDir,
      pollIntervalMs: this.pollIntervalMs,
      now: this.now,
    };
    this.strategy = createStrategy(this.ctx);
  }

  get name(): string {
    return this.options.generation.name;
  }

  get host(): RollHost {
    return this.options.host;
  }

  get generation(): GenerationConfig {
    return this.options.generation;
  }

  log(line: string): void {
    this.options.host.log(this.redactor.redact(line));
  }

  /**
   * Takes the generation's lock for `command`; until it is released, the lock records the tool the run
   * has running. When a killed run left a tool running, waits for it first (see `waitForOrphan`). Then
   * removes what an interrupted run left in the run folder (tool output, a plan file).
   */
  async lock(command: string): Promise<{ release(): void }> {
    for (;;) {
      let lock: Lock;
      try {
        lock = this.store.lockName(this.name, command, (l) => this.log(l));
      } catch (error) {
        if (!(error instanceof OrphanedToolError)) throw error;
        await this.waitForOrphan(error);
        continue;
      }
      try {
        ensurePrivateDir(this.runDir);
        const left = clearLeftovers(this.runDir);
        if (left.length) this.log(`removed what an interrupted run left in ${this.runDir}: ${left.join(", ")}`);
      } catch (error) {
        lock.release();
        throw error;
      }
      this.runner.outputDir = this.runDir;
      this.runner.onChild = (child) => lock.recordChild(child);
      return {
        release: () => {
          this.runner.onChild = undefined;
          lock.release();
        },
      };
    }
  }

  /**
   * A run that was killed outright could not stop the tool it had running (it is detached, so it
   * survives), and a new run must not overlap it: a second `terraform apply` on the same state, a second
   * bake. Says which tool it is, shows its output as it goes on (it writes into files), and waits until
   * it ends; cancelling stops the waiting, not the tool.
   */
  private async waitForOrphan(error: OrphanedToolError): Promise<void> {
    const { child, held } = error;
    await this.host.stage(STAGES.wait, async (signal) => {
      this.log(
        `process ${child.pid}, started by a run that was killed (process ${held.pid}, ${held.command}, started ${held.started_at}), is still running: ${child.command}`,
      );
      this.log(
        `waiting for it to end before this run starts; its output follows (cancelling stops the waiting, not the command; to stop it: ${stopCommand(child.pid)})`,
      );
      const followers = [child.stdout, child.stderr]
        .filter((f): f is string => typeof f === "string")
        .map((file) => {
          const { lines, size } = tailOf(file, 10);
          for (const line of lines) this.log(`  ${line}`);
          return new FileFollower(file, (line) => this.log(`  ${line}`), false, size);
        });
      try {
        while (toolAlive(child)) {
          if (signal.aborted)
            throw new OrphanedToolError(
              error.lockFile,
              held,
              child,
              `stopped waiting for process ${child.pid} (${child.command}); it is still running, and ${this.name} stays locked until it ends`,
            );
          for (const f of followers) f.poll();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        for (const f of followers) f.poll(true);
      } finally {
        for (const f of followers) f.close();
      }
      this.log(`process ${child.pid} has ended`);
    });
  }

  /**
   * Says what a run that died left behind (call with the roll lock held, so no run is going on): a
   * `pending` generation was never handed to the infrastructure and is marked failed; a `promoted` one
   * is what the infrastructure runs, never verified, and stays so until a roll or rollback replaces it.
   */
  recoverStranded(): void {
    const history = this.store.read();
    for (const g of strandedPending(history, this.name)) {
      const note = "left pending by an interrupted run; it was never promoted";
      this.store.update((h) => markFailed(h, this.name, g.number, note));
      this.log(`warning: generation ${this.name} #${g.number} was ${note}. It is now marked failed.`);
    }
    const deployed = deployedOf(history, this.name);
    if (deployed?.status === "promoted") {
      const back = lastVerified(history, this.name, deployed.number);
      this.log(
        `warning: generation ${this.name} #${deployed.number} was promoted by a run that did not finish and was never verified: the infrastructure runs it (or part of it). ${back ? `\`immutably rollback ${this.name}\` puts back #${back.number}, the last verified generation; ` : ""}\`immutably rollback ${this.name} --to ${deployed.number}\` verifies it.`,
      );
    }
  }

  /** One line per generation of this name, newest first, for summaries. */
  account(): string[] {
    return generationsOf(this.store.read(), this.name)
      .reverse()
      .map((g) => `  #${g.number} ${g.status.padEnd(8)} ${g.image}${g.note ? `  (${g.note})` : ""}`);
  }

  outcome(exitCode: 0 | 1 | 2, summary: string[], extra: { declined?: true } = {}): RollOutcome {
    const generations = generationsOf(this.store.read(), this.name);
    return {
      exitCode,
      summary: [
        ...summary.map((s) => this.redactor.redact(s)),
        `generations of ${this.name}:`,
        ...(generations.length ? this.account() : ["  (none)"]),
      ],
      generations,
      ...extra,
    };
  }
}

export function recordTarget(record: GenerationRecord): { image: string; number: number; regions: Record<string, string> } {
  return { image: record.image, number: record.number, regions: record.regions ?? {} };
}
