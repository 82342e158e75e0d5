// The extension restarts a crashed server a few times within a window, then stops restarting until the user asks.
import assert from "node:assert/strict";
import { it } from "node:test";
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartBudget } from "../../client/src/restart-budget.ts";

it("allows MAX_RESTARTS crashes within the window, refuses the next, and forgets crashes older than the window", () => {
  const budget = new RestartBudget();
  for (let i = 0; i < MAX_RESTARTS; i++) assert.equal(budget.allow(1000 + i), true, `crash ${i + 1}`);
  assert.equal(budget.allow(2000), false);
  assert.equal(budget.allow(2000 + RESTART_WINDOW_MS + 1), true, "crashes older than the window no longer count");
});

it("starts afresh after a manual restart", () => {
  const budget = new RestartBudget(1, 60_000);
  assert.equal(budget.allow(0), true);
  assert.equal(budget.allow(1), false);
  budget.reset();
  assert.equal(budget.allow(2), true);
});
