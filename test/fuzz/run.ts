// The fuzz loop shared by `npm run fuzz` and the seeded short run in `npm test`.
import fs from "node:fs";
import path from "node:path";
import { createLinter, defaultConfig, type LintHost, type ResolvedConfig } from "../../server/src/engine/index.ts";
import { checkInput, emptyStats, type FuzzStats, type InvariantFailure, type PackerValidate } from "./check.ts";
import { loadSeeds } from "./corpus.ts";
import { iterationSeed, mutate, Prng } from "./mutate.ts";

export interface FuzzOptions {
  root: string;
  iterations: number;
  seed: number;
  /** Run only this iteration (to reproduce a saved crash). */
  only?: number;
  kinds: Array<"safe" | "unsafe">;
  packer?: PackerValidate;
  /** Where to save failing inputs; nothing is written when undefined. */
  crashDir?: string;
  /** Progress lines (every few hundred inputs); silent when undefined. */
  log?: (line: string) => void;
}

export interface SavedFailure {
  seed: number;
  iteration: number;
  seedFile: string;
  steps: string[];
  configVariant: string;
  failures: InvariantFailure[];
  savedAs?: string;
}

export interface FuzzReport {
  stats: FuzzStats;
  failures: SavedFailure[];
  seconds: number;
}

/**
 * Scripts named by file()/templatefile() resolve to a small shell script, so rules that read
 * scripts see one; any other path is missing, as a deleted file would be.
 */
const fuzzHost: LintHost = {
  readFile: (p) => (/\.(sh|ps1|tpl|tftpl)$/.test(p) ? "#!/bin/sh\napt-get update && apt-get install -y nginx\n" : undefined),
};

/**
 * Most inputs use the defaults; some use a tiny nesting limit (so the limit's finding is exercised
 * on every kind of file), a size limit below the input's size, or hcl-syntax turned off (the
 * engine then skips HashiCorp's parser).
 */
function configFor(prng: Prng, base: ResolvedConfig, size: number): { config: ResolvedConfig; variant: string } {
  const roll = prng.next();
  if (roll < 0.1) {
    const depth = 1 + prng.below(6);
    return { config: { ...base, maxNestingDepth: depth }, variant: `max_nesting_depth=${depth}` };
  }
  if (roll < 0.13 && size > 1) return { config: { ...base, maxFileBytes: size - 1 }, variant: `max_file_bytes=${size - 1}` };
  if (roll < 0.18) {
    return {
      config: { ...base, rules: { ...base.rules, "hcl-syntax": { ...base.rules["hcl-syntax"], enabled: false } } },
      variant: "hcl-syntax off",
    };
  }
  return { config: base, variant: "default" };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const linter = await createLinter();
  const base = defaultConfig(linter.rules);
  const seeds = loadSeeds(options.root);
  const stats = emptyStats();
  const failures: SavedFailure[] = [];
  const first = options.only ?? 0;
  const last = options.only ?? options.iterations - 1;
  for (let iteration = first; iteration <= last; iteration++) {
    const prng = new Prng(iterationSeed(options.seed, iteration));
    const seedFile = prng.pick(seeds);
    const { bytes, steps } = mutate(seedFile.bytes, prng);
    const { config, variant } = configFor(prng, base, bytes.length);
    const t = Date.now();
    let found: InvariantFailure[];
    try {
      found = await checkInput(
        { linter, config, host: fuzzHost, kinds: options.kinds, packer: options.packer, prng, stats },
        { path: seedFile.path, bytes, siblings: seedFile.siblings },
      );
    } catch (error) {
      // The checks guard every engine call; reaching here means the harness itself broke, which must not pass silently.
      found = [{ invariant: "exception", detail: `harness: ${error instanceof Error ? error.stack : String(error)}` }];
    }
    const ms = Date.now() - t;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestInput = `iteration ${iteration} (${seedFile.path}, ${bytes.length} bytes, ${steps.join("; ")})`;
    }
    if (found.length) {
      const failure: SavedFailure = {
        seed: options.seed,
        iteration,
        seedFile: seedFile.path,
        steps,
        configVariant: variant,
        failures: found,
      };
      if (options.crashDir) {
        fs.mkdirSync(options.crashDir, { recursive: true });
        const name = `seed-${options.seed}-iter-${iteration}--${path.posix.basename(seedFile.path)}`;
        fs.writeFileSync(path.join(options.crashDir, name), bytes);
        fs.writeFileSync(path.join(options.crashDir, `${name}.failure.json`), JSON.stringify(failure, null, 2) + "\n");
        failure.savedAs = path.join(options.crashDir, name);
      }
      failures.push(failure);
      options.log?.(`iteration ${iteration}: ${found.map((f) => f.invariant).join(", ")} (${seedFile.path}; ${steps.join("; ")})`);
    }
    if (options.log && (iteration + 1) % 500 === 0)
      options.log(`${iteration + 1} inputs, ${failures.length} failing, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { stats, failures, seconds: (Date.now() - started) / 1000 };
}
