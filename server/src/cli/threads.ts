// Node's worker_threads, loaded only by the runs that start or are lint workers.
//
// Loading the module also loads Node's streams: 1-2 ms of a cold one-file lint, which starts no
// worker. A lint worker is started with LINT_WORKER_ARGUMENT after its script, so a thread can tell
// whether it may be one without loading the module; only then is the module asked.
import type * as WorkerThreads from "node:worker_threads";

export const LINT_WORKER_ARGUMENT = "--immutably-lint-worker";

let loaded: typeof WorkerThreads | undefined;

export function workerThreads(): typeof WorkerThreads {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above).
  loaded ??= require("node:worker_threads") as typeof WorkerThreads;
  return loaded;
}

/** Whether this thread is a lint worker (a user passing the argument to the CLI still runs the CLI). */
export function isLintWorkerThread(): boolean {
  return process.argv[2] === LINT_WORKER_ARGUMENT && !workerThreads().isMainThread;
}
