// Watches a child process's resident memory (Linux /proc) and kills it past a limit, so a test that reproduces a memory blow-up fails instead of taking the machine down.
import fs from "node:fs";

export interface RssWatch {
  /** The largest resident set seen, in MB. */
  peakMb(): number;
  /** True when the process was killed for going over the limit. */
  exceeded(): boolean;
  stop(): void;
}

/** Polls every 50 ms; on platforms without /proc it watches nothing and reports 0. */
export function watchRss(pid: number, limitMb: number): RssWatch {
  let peak = 0;
  let over = false;
  const timer = setInterval(() => {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      return; // Not started yet, or gone.
    }
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    peak = Math.max(peak, kb / 1024);
    if (peak > limitMb && !over) {
      over = true;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }, 50);
  return { peakMb: () => peak, exceeded: () => over, stop: () => clearInterval(timer) };
}
