// The verify stage: run the configured argv in the config's folder, or GET a URL until it answers 2xx, within the timeout.
import path from "node:path";
import type { GenerationConfig } from "./config.ts";
import { CancelledError, sleep } from "./strategies/poll.ts";
import type { Slot, Step } from "./steps.ts";
import type { ToolRunner } from "./tools.ts";

export interface VerifyTarget {
  image: string;
  number: number;
}

/** The program of a verify command: a path with a slash resolves against the config folder, a bare name uses PATH. */
export function verifyProgram(generation: GenerationConfig): { file: string; args: string[] } | undefined {
  const command = generation.verify?.command;
  if (!command) return undefined;
  const [program, ...args] = command;
  const file = program.includes("/") || program.includes("\\") ? path.resolve(generation.configDir, program) : program;
  return { file, args };
}

/** What the verify step does, as the dry run and the confirmation show it. */
export function describeVerify(generation: GenerationConfig, runner: ToolRunner): string {
  const verify = generation.verify;
  if (!verify) return "no verify block: the new generation is kept without a check";
  const seconds = Math.round(verify.timeoutMs / 1000);
  const program = verifyProgram(generation);
  if (program) return `verify: (in ${generation.configDir}, within ${seconds} s) ${runner.display(program.file, program.args)}`;
  return `verify: GET ${verify.http} until it answers 2xx, within ${seconds} s`;
}

/** The verify step for one generation; `stage` is "verify", or the undo's own non-cancellable stage. */
export function verifyStep(
  generation: GenerationConfig,
  runner: ToolRunner,
  target: { image: Slot<string>; number: number },
  log: (line: string) => void,
  pollIntervalMs: number,
): Step {
  return {
    stage: "verify",
    show: () => describeVerify(generation, runner),
    run: (signal) =>
      verifyGeneration(generation, { image: target.image.get(), number: target.number }, runner, log, signal, pollIntervalMs),
  };
}

/**
 * Verifies a promoted generation. The command gets IMMUTABLY_IMAGE, IMMUTABLY_GENERATION and
 * IMMUTABLY_GENERATION_NAME so that a smoke test can check it reached the right image.
 */
export async function verifyGeneration(
  generation: GenerationConfig,
  target: VerifyTarget,
  runner: ToolRunner,
  log: (line: string) => void,
  signal: AbortSignal,
  pollIntervalMs: number,
): Promise<void> {
  const verify = generation.verify;
  if (!verify) {
    log("no verify block: the new generation is kept without a check");
    return;
  }
  const program = verifyProgram(generation);
  if (program) {
    await runner.runFile(program.file, "verify command", program.args, {
      cwd: generation.configDir,
      timeoutMs: verify.timeoutMs,
      signal,
      env: { IMMUTABLY_IMAGE: target.image, IMMUTABLY_GENERATION: String(target.number), IMMUTABLY_GENERATION_NAME: generation.name },
    });
    return;
  }
  const url = verify.http ?? "";
  const deadline = Date.now() + verify.timeoutMs;
  let last: string;
  log(`GET ${url} until it answers 2xx (within ${Math.round(verify.timeoutMs / 1000)} s)`);
  for (;;) {
    if (signal.aborted) throw new CancelledError();
    const remaining = deadline - Date.now();
    try {
      const response = await fetch(url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, Math.min(remaining, 30_000)))]),
        redirect: "follow",
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        log(`GET ${url}: ${response.status}`);
        return;
      }
      last = `HTTP ${response.status}`;
    } catch (error) {
      if (signal.aborted) throw new CancelledError();
      last = (error as Error).message;
    }
    if (Date.now() + pollIntervalMs > deadline)
      throw new Error(`GET ${url} did not answer 2xx within ${Math.round(verify.timeoutMs / 1000)} s (last: ${last})`);
    log(`GET ${url}: ${last}; retrying`);
    await sleep(pollIntervalMs, signal);
  }
}
