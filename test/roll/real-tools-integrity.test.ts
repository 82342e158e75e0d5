// REAL TOOLS: roll integrity with Debian packer 1.6.6 and terraform on temp copies of examples/generation: artifact identity, prune safety, tools that outlive immutably, exact recovery, long timeouts, isolate after a failure, steps as data.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cli, image, useRealTools, workspace } from "./real-tools.ts";

useRealTools();

// ---- 8. Steps are data ----

test("steps are data: the dry run prints exactly the steps the confirmation lists and the runner runs", { timeout: 180_000 }, async () => {
  const ws = workspace("steps");
  assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
  const dry = await cli(ws, "roll", ["demo", "--dry-run"]);
  assert.equal(dry.code, 0, dry.stderr);
  const planned = dry.stdout
    .split("\n")
    .filter((l) => /^ *\d+\. /.test(l))
    .map((l) => l.replace(/^ *\d+\. /, ""));
  const r = await cli(ws, "roll", ["demo", "--yes"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const listed = /\ncommands:\n((?: {2}[^\n]*\n)+)confirmed by --yes/.exec(r.stderr)?.[1].split("\n").filter(Boolean).map((l) => l.slice(2).replace(/^\(done\) /, ""));
  assert.ok(listed, "the confirmation lists the steps");
  // The dry run cannot know the image; it shows where it goes. Everything else is the same text.
  const baked = image(ws, 2);
  const expected = planned
    .filter((l) => l !== "ask for confirmation, showing the planned replacements" && !l.startsWith("on success") && !l.startsWith("on a failure"))
    .map((l) => l.replace('"<image from the bake>"', JSON.stringify(baked)));
  assert.deepEqual(listed, expected);
  // Every command step shown is a command that ran, in that order.
  const ran = r.stderr.split("\n").filter((l) => l.startsWith("$ ")).map((l) => l.slice(2));
  const commands = expected.filter((l) => l.startsWith("(in ")).map((l) => l.replace(/^\(in [^)]+\) /, "").replace(/^verify: /, ""));
  assert.deepEqual(ran.filter((c) => !c.startsWith("node ")), commands.filter((c) => !c.startsWith("node ")));
});
