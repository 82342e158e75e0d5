// End-to-end scenarios of Roll New Generation: a roll and a failing verify that rolls back, then ten quick roll/rollback cycles and a declined roll.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { sel, until } from "../lib/workbench.mjs";
import { confirmRoll, dismissDialog, liveGeneration, rollCommandWithResult } from "./helpers.mjs";

export function registerRollScenarios(runner) {
  runner.test("6. Roll New Generation on examples/generation: confirmation, streamed bake, Generations view; a failing verify rolls back", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-"), "examples/generation");
    if (!fs.existsSync(path.join(ws, ".immutably.hcl"))) throw new Error("examples/generation/.immutably.hcl does not exist yet");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, ".immutably.hcl");
    await confirmRoll(ctx, wb);
    // Packer's own line, streamed into the channel while the image bakes.
    await wb.step("bake-output", () => wb.waitOutputLine("Build 'file.image' finished"));
    const live = await wb.step("generations-view", () => liveGeneration(wb));
    ctx.log(`  live generation after the first roll: ${live}`);
    assert.equal(fs.readdirSync(path.join(ws, "images/out")).length, 1, "the first roll baked one image");

    // The example fails its verify step when IMMUTABLY_DEMO_FAIL_VERIFY=1 is in the environment
    // of the roll (examples/generation/README.md). The editor passes its extension host's
    // environment on, so the second roll runs in a second code-server started with that variable,
    // on the same workspace folder and its state.
    const failing = await ctx.startServer("roll-failing-verify", { env: { IMMUTABLY_DEMO_FAIL_VERIFY: "1" } });
    await ctx.afterEach();
    const wb2 = await ctx.workbench(`${name} (failing verify)`);
    await wb2.open(failing.url, ws, ".immutably.hcl");
    await confirmRoll(ctx, wb2);
    // A failed run's result is a modal: it cannot be dropped in a burst of toasts or missed.
    const error = await wb2.step("verify-error", () => until("a modal error that names the failed verify", async () => {
      const texts = await wb2.page.locator(sel.dialog).allInnerTexts();
      return texts.map((t) => t.replace(/\s+/g, " ")).find((t) => /verif/i.test(t)) ?? false;
    }, 180_000, 500));
    ctx.log(`  error shown: ${error.slice(0, 200)}`);
    await wb2.step("verify-error-dismissed", () => dismissDialog(wb2));
    // The exact words matter: the workspace folder's own name contains "rolls-back".
    await wb2.step("rollback-output", () => wb2.waitOutputLine("rolled back"));
    const liveAfter = await wb2.step("generations-after-rollback", () => liveGeneration(wb2));
    assert.equal(liveAfter, live, "the generation that was live before the failed roll is live again");
    await ctx.stopServer(failing);
  }, { timeoutMs: 600_000 });

  runner.test("8. ten quick roll/rollback cycles: one progress notification per run, every result seen as a toast; a declined roll is information and recorded declined", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-").slice(0, 60), "examples/generation");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, ".immutably.hcl");
    const first = await rollCommandWithResult(wb, "Immutably: Roll New Generation", /rolled demo to generation #1 /);
    ctx.log(`  first roll: ${first.text.slice(0, 120)}`);
    // Each command starts as soon as the previous result is on screen. Roll i+1 makes #(i+1) live;
    // the rollback after it goes to the newest previous generation before it, #i.
    for (let i = 1; i <= 10; i++) {
      const rolled = await rollCommandWithResult(wb, "Immutably: Roll New Generation", new RegExp(`rolled demo to generation #${i + 1} `));
      const back = await rollCommandWithResult(wb, "Immutably: Roll Back Generation", new RegExp(`rolled demo back to generation #${i} `));
      await wb.shot(`cycle-${i}`);
      ctx.log(`  cycle ${i}: "${rolled.text.slice(0, 60)}" / "${back.text.slice(0, 60)}"; progress notifications on screen at once: ${rolled.most}, ${back.most}`);
      assert.ok(rolled.most <= 1 && back.most <= 1, "a run shows one progress notification at a time");
    }
    const declined = await wb.step("declined", () => rollCommandWithResult(wb, "Immutably: Roll New Generation", /roll of demo was not confirmed; nothing was applied\. #12 is marked declined/, { apply: false }));
    ctx.log(`  declined: ${declined.text.slice(0, 160)}`);
    assert.doesNotMatch(declined.text, /error/i);
    await wb.step("generations-declined", async () => {
      await wb.runCommand("Focus on Generations View");
      await wb.page.locator(".pane-body .monaco-list-row").filter({ hasText: /#12 declined/, visible: true }).first().waitFor({ timeout: 60_000 });
    });
    const history = JSON.parse(fs.readFileSync(path.join(ws, ".immutably/generations.json"), "utf8"));
    assert.equal(history.generations.find((g) => g.number === 12)?.status, "declined");
  }, { timeoutMs: 1_200_000 });
}
