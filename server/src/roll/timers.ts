// Timers for the roll's long waits: setTimeout fires a delay over 2^31-1 ms (about 24.8 days) after 1 ms instead.

/** The longest delay setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `fire` after `ms`, however long (a 720h apply_timeout), by chaining timers no longer than the limit. */
export function setLongTimeout(fire: () => void, ms: number): { clear(): void } {
  let remaining = Math.max(0, ms);
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    timer = setTimeout(() => {
      remaining -= step;
      if (remaining <= 0) fire();
      else arm();
    }, step);
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
