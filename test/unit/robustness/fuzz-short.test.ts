// The seeded short fuzz run that `npm test` includes: 200 mutated inputs, no broken invariant allowed.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { runFuzz } from "../../fuzz/run.ts";

const root = path.resolve(__dirname, "../../..");

describe("fuzzing (seeded short run)", () => {
  it("200 mutated inputs: no crash, fixes keep files parsing, converge, and keep suppressions", { timeout: 120_000 }, async () => {
    // Packer is left out here: no safe fix edits a Packer file today, and each call costs half a second.
    const report = await runFuzz({ root, iterations: 200, seed: 20261127, kinds: ["safe"] });
    const summary = report.failures.map(
      (f) =>
        `iteration ${f.iteration} (${f.seedFile}; ${f.steps.join("; ")}): ${f.failures.map((x) => `${x.invariant}: ${x.detail.split("\n")[0]}`).join(" | ")}`,
    );
    assert.deepEqual(summary, []);
    assert.equal(report.stats.inputs, 200);
    // The run must have exercised the checks it claims, or a broken harness would pass quietly.
    assert.ok(report.stats.linted >= 100, `only ${report.stats.linted} inputs reached the engine`);
    assert.ok(report.stats.parseChecks >= 100, `only ${report.stats.parseChecks} parse checks`);
    assert.ok(report.stats.fixesChecked >= 10, `only ${report.stats.fixesChecked} fixed files checked`);
    assert.ok(report.stats.suppressionChecks >= 10, `only ${report.stats.suppressionChecks} suppression checks`);
  });
});
