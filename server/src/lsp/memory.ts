// Gives back memory a workspace pass used: each folder's model is garbage once its diagnostics are published.

/** What a release did, for the log: heap used before and after, in MB (undefined: the server was started without `--expose-gc`). */
export interface Release {
  beforeMb: number;
  afterMb: number;
}

/**
 * Collects garbage at once, when node was started with `--expose-gc` (the extension starts the
 * server so). Measured on the 5 MB bench workspace: the server's RSS went from 126-139 MB to about
 * 100 MB, as the old generation shrank from 40 MB to 11 MB; V8 alone keeps it until it needs the
 * room again. It is called when a workspace pass ends, not while typing: a full collection of that
 * heap takes a few tens of milliseconds.
 */
export function releaseMemory(gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc): Release | undefined {
  if (typeof gc !== "function") return undefined;
  const mb = () => process.memoryUsage().heapUsed / 2 ** 20;
  const beforeMb = mb();
  gc();
  return { beforeMb, afterMb: mb() };
}

/**
 * Waits until the process's resident memory stops falling after `releaseMemory`, for at most
 * `maxMs`. The pages a collection frees leave the process shortly after it, not during it (measured
 * on the 5 MB bench workspace: 125-133 MB when the pass's end was reported, 103-107 MB 15 ms
 * later), so whoever reads the memory at the end of a pass saw what was about to go.
 */
export async function untilMemorySettles(maxMs = 250, stepMs = 10): Promise<void> {
  const mb = () => process.memoryUsage.rss() / 2 ** 20;
  let last = mb();
  for (let waited = 0; waited < maxMs; waited += stepMs) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    const now = mb();
    // Two samples alike, after at least three steps: the release has come and gone.
    if (waited >= 2 * stepMs && Math.abs(now - last) < 0.5) return;
    last = now;
  }
}
