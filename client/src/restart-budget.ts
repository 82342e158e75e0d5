// The crash budget of the language server: how many unexpected exits are restarted before the extension gives up. No VS Code imports.

/** How many crashes within the window are restarted before giving up (as vscode-eslint and rust-analyzer do). */
export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** Counts recent crashes; pure so that it can be tested without VS Code. */
export class RestartBudget {
  private crashes: number[] = [];

  constructor(
    private readonly max = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /** Records a crash at `now`; true while the crashes in the window stay within the budget. */
  allow(now: number): boolean {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.max;
  }

  reset(): void {
    this.crashes = [];
  }
}
