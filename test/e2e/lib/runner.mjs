// A tiny sequential test runner: each test is reported by name, a test that could not run is a
// failure with the reason (never a pass), and the run closes with "N passed, M failed".

export class Runner {
  constructor(log) {
    this.log = log;
    this.tests = [];
    this.results = [];
  }

  test(name, fn, { timeoutMs = 240_000 } = {}) {
    this.tests.push({ name, fn, timeoutMs });
  }

  /**
   * Marks tests whose name contains one of `substrings` as skipped: they are not run, are listed
   * as SKIP with the reason, count in "K skipped" and never as passed.
   */
  skip(substrings, reason) {
    for (const t of this.tests) if (substrings.some((s) => t.name.includes(s))) t.skipReason = reason;
  }

  /** Runs every registered test in order; `prepare` failing marks them all as not run. */
  async run(context, { notRunReason } = {}) {
    // A long reason (a build log) is printed once by the caller; each test names its first line.
    const shortReason = () => notRunReason.split("\n")[0];
    for (const [i, t] of this.tests.entries()) {
      const started = Date.now();
      const label = `${i + 1}/${this.tests.length} ${t.name}`;
      if (this.aborted && !notRunReason) notRunReason = this.aborted;
      if (t.skipReason) {
        this.results.push({ name: t.name, ok: false, skipped: true, ms: 0, error: `skipped: ${t.skipReason}` });
        console.log(`skip ${label} (not run: ${t.skipReason})`);
        continue;
      }
      if (notRunReason) {
        this.results.push({ name: t.name, ok: false, ms: 0, error: `not run: ${shortReason()}` });
        console.log(`not ok ${label} (NOT RUN: ${shortReason()})`);
        continue;
      }
      console.log(`\n# ${label}`);
      let timer;
      try {
        await Promise.race([
          t.fn(context, t.name),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`test timed out after ${t.timeoutMs / 1000} s`)), t.timeoutMs); }),
        ]);
        // A test that passed only after a documented second attempt says so, here and in the summary.
        const flaky = context.flaky;
        this.results.push({ name: t.name, ok: true, ms: Date.now() - started, flaky });
        console.log(`ok ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)${flaky ? ` FLAKY: ${flaky}` : ""}`);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        this.results.push({ name: t.name, ok: false, ms: Date.now() - started, error });
        console.log(`not ok ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n  ${error.split("\n").join("\n  ")}`);
      } finally {
        context.flaky = undefined;
        clearTimeout(timer);
        await context.afterEach?.(t.name).catch((e) => this.log(`cleanup after "${t.name}" failed: ${e.message}`));
      }
    }
  }

  /** Records results produced outside `run` (the mocha suites report their own tests). */
  record(name, ok, ms, error) {
    this.results.push({ name, ok, ms, error });
    console.log(`${ok ? "ok" : "not ok"} ${name}${error ? `\n  ${error.split("\n").join("\n  ")}` : ""}`);
  }

  summary() {
    // A run stopped by a signal has tests that never finished; they are failures, not omissions.
    for (const t of this.tests) {
      if (!this.results.some((r) => r.name === t.name)) this.results.push({ name: t.name, ok: false, ms: 0, error: `not finished: ${this.aborted ?? "the run stopped first"}` });
    }
    const passed = this.results.filter((r) => r.ok).length;
    const skipped = this.results.filter((r) => r.skipped).length;
    const failed = this.results.length - passed - skipped;
    console.log("\nSummary:");
    for (const r of this.results) console.log(`  ${r.ok ? (r.flaky ? "PASS (flaky)" : "PASS") : r.skipped ? "SKIP" : "FAIL"}  ${r.name}${r.ok ? "" : `: ${r.error.split("\n")[0]}`}`);
    const flaky = this.results.filter((r) => r.ok && r.flaky).length;
    if (flaky) console.log(`${flaky} passed only on a second attempt; each says why above`);
    return { passed, failed, skipped, flaky };
  }
}
