// The editor's run progress driven by the real pipeline (stand-in tools): one notification per run, Cancel offered exactly while a cancel can take effect.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { RunProgress, type OpenNotification } from "../../client/src/run-progress.ts";
import { roll, rollback } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { configFrom, standInGeneration } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A notification as the user would see it: whether it offers Cancel, each message, whether it is still open. */
interface Shown {
  cancellable: boolean;
  messages: string[];
  closed: boolean;
  cancel: () => void;
}

function recordingProgress(onLog: (line: string, shown: Shown[]) => void = () => {}): {
  progress: RunProgress;
  shown: Shown[];
  lines: string[];
} {
  const shown: Shown[] = [];
  const lines: string[] = [];
  const open: OpenNotification = (cancellable, onCancel) => {
    const n: Shown = { cancellable, messages: [], closed: false, cancel: onCancel };
    shown.push(n);
    return { report: (m) => void n.messages.push(m), close: () => void (n.closed = true) };
  };
  const progress = new RunProgress(open, (line) => {
    lines.push(line);
    onLog(line, shown);
  });
  return { progress, shown, lines };
}

async function setup(prefix: string, failingGeneration: number) {
  // The verify of generation `failingGeneration` fails; every other generation passes.
  const made = standInGeneration(
    prefix,
    `  verify {\n    command = ["sh", "-c", "test \\"$IMMUTABLY_GENERATION\\" != ${failingGeneration}"]\n  }`,
  );
  dirs.push(made.dir);
  const generation = await configFrom(made.dir, fs.readFileSync(path.join(made.dir, ".immutably.hcl"), "utf8"), "web");
  return { generation, tools: resolveToolPaths({ packer: made.packer, terraform: made.terraform }, {}) };
}

test("a successful roll and rollback each open one cancellable notification that reports every stage and the confirmation", async () => {
  const { generation, tools } = await setup("progress-ok", 0);
  const runs = [];
  for (const run of [() => roll, () => roll, () => rollback]) {
    const r = recordingProgress();
    const outcome = await run()({ generation, host: r.progress.host(async () => true), tools, env: {} });
    r.progress.close();
    assert.equal(outcome.exitCode, 0, outcome.summary.join("\n"));
    runs.push(r);
  }
  for (const r of runs) {
    assert.equal(r.shown.length, 1, "one notification for the whole run");
    assert.equal(r.shown[0].cancellable, true);
    assert.equal(r.shown[0].closed, true);
  }
  assert.deepEqual(runs[1].shown[0].messages, [
    "Baking the image (packer build)",
    "Recording the generation",
    "Planning the promotion",
    "Waiting for your confirmation",
    "Promoting the new generation",
    "Verifying the new generation",
  ]);
  assert.deepEqual(runs[2].shown[0].messages, [
    "Planning the promotion",
    "Waiting for your confirmation",
    "Promoting the new generation",
    "Verifying the new generation",
  ]);
});

test("a failing verify: the undo continues in a notification without Cancel, and a cancel then is not offered", async () => {
  const { generation, tools } = await setup("progress-undo", 2);
  const first = await roll({ generation, host: recordingProgress().progress.host(async () => true), tools, env: {} });
  assert.equal(first.exitCode, 0, first.summary.join("\n"));
  const run = recordingProgress();
  const outcome = await roll({ generation, host: run.progress.host(async () => true), tools, env: {} });
  run.progress.close();
  assert.equal(outcome.exitCode, 1);
  assert.match(outcome.summary.join("\n"), /rolled back: #1 was promoted again and verified; it is live/);
  assert.deepEqual(
    run.shown.map((n) => n.cancellable),
    [true, false],
    "the run's notification, then one without Cancel for the undo",
  );
  assert.equal(run.shown[0].closed, true, "the cancellable notification is gone when the undo starts");
  assert.deepEqual(run.shown[1].messages, [
    "Putting the previous generation back (cannot be cancelled)",
    "Verifying the restored generation (cannot be cancelled)",
  ]);
  assert.ok(run.shown.every((n) => n.closed));
});

test("a cancel during the record step, which cannot be interrupted, stops the run at the next stage: nothing is applied", async () => {
  const { generation, tools } = await setup("progress-cancel", 0);
  const run = recordingProgress((line, shown) => {
    if (line === "== Recording the generation") shown.at(-1)?.cancel();
  });
  const outcome = await roll({
    generation,
    host: run.progress.host(async () => assert.fail("the confirmation is never reached after a cancel")),
    tools,
    env: {},
  });
  run.progress.close();
  assert.equal(outcome.exitCode, 1);
  assert.match(outcome.summary.join("\n"), /roll of web to #1 was cancelled during plan\nnothing was applied/);
  assert.ok(
    run.lines.includes('cancel requested during "Recording the generation", which cannot be interrupted: the run stops when it is done'),
  );
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:failed"],
  );
  assert.equal(run.shown.length, 1);
});
