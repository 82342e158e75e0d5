// REAL TOOLS: the whole roll cycle with Debian packer 1.6.6 (file builder + manifest) and terraform (terraform_data, local state) on a temp copy of examples/generation, with fault injection and cancellation.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { runRollCommand } from "../../server/src/cli/roll-commands.ts";
import { validateHistory, type History } from "../../server/src/roll/history.ts";
import { copyExample, requireTool } from "./helpers.ts";

let dir = "";
let realTerraform = "";
let realPacker = "";
let faults = "";
let terraformWrapper = "";
let packerWrapper = "";

before(() => {
  realPacker = requireTool("packer", "apt-get install -y packer");
  realTerraform = requireTool("terraform", "the terraform 1.11 binary at /usr/local/bin/terraform");
  dir = copyExample("cycle");
  faults = path.join(dir, ".faults");
  fs.mkdirSync(faults);
  // Fault injection: wrappers around the real tools that fail, crash or stall once when a marker file exists,
  // then behave exactly like the tool (the marker is consumed).
  terraformWrapper = path.join(faults, "terraform");
  fs.writeFileSync(
    terraformWrapper,
    `#!/bin/sh
F=${JSON.stringify(faults)}
if [ "$1" = "plan" ] && [ -f "$F/fail-plan" ]; then rm "$F/fail-plan"; echo "injected fault: plan failed" >&2; exit 1; fi
if [ "$1" = "apply" ] && [ -f "$F/fail-apply" ]; then rm "$F/fail-apply"; echo "injected fault: apply failed" >&2; exit 1; fi
if [ "$1" = "apply" ] && [ -f "$F/crash-after-apply" ]; then rm "$F/crash-after-apply"; ${JSON.stringify(realTerraform)} "$@"; echo "injected fault: crashed after applying" >&2; exit 137; fi
if [ "$1" = "apply" ] && [ -f "$F/stall-apply" ]; then rm "$F/stall-apply"; echo "stalling before apply"; sleep 60; fi
exec ${JSON.stringify(realTerraform)} "$@"
`,
    { mode: 0o755 },
  );
  packerWrapper = path.join(faults, "packer");
  fs.writeFileSync(
    packerWrapper,
    `#!/bin/sh
F=${JSON.stringify(faults)}
if [ -f "$F/fail-bake" ]; then rm "$F/fail-bake"; echo "injected fault: bake failed" >&2; exit 1; fi
if [ -f "$F/stall-bake" ]; then rm "$F/stall-bake"; echo "stalling the bake"; sleep 60; fi
exec ${JSON.stringify(realPacker)} "$@"
`,
    { mode: 0o755 },
  );
  // A verify that hangs for one chosen generation (cancellation test), else the example's own verify.
  fs.writeFileSync(
    path.join(dir, "scripts/test-verify.mjs"),
    `if (process.env.TEST_VERIFY_HANG && process.env.TEST_VERIFY_HANG === process.env.IMMUTABLY_GENERATION) { console.log("hanging"); setInterval(() => {}, 1000); } else { await import("./verify.mjs"); }\n`,
  );
  const config = fs
    .readFileSync(path.join(dir, ".immutably.hcl"), "utf8")
    .replace('["node", "scripts/verify.mjs"]', '["node", "scripts/test-verify.mjs"]');
  fs.writeFileSync(path.join(dir, ".immutably.hcl"), config);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI roll command in-process against the temp copy; `abortWhen` cancels once stderr matches. */
async function cli(
  command: "roll" | "rollback" | "generations" | "prune",
  args: string[],
  env: Record<string, string> = {},
  abortWhen?: RegExp,
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const controller = new AbortController();
  const out = new Writable({ write: (chunk, _enc, cb) => ((stdout += String(chunk)), cb()) });
  const err = new Writable({
    write: (chunk, _enc, cb) => {
      stderr += String(chunk);
      if (process.env.IMMUTABLY_TEST_VERBOSE) process.stderr.write(chunk);
      if (abortWhen && abortWhen.test(stderr) && !controller.signal.aborted) controller.abort();
      cb();
    },
  });
  const code = await runRollCommand(command, [...args, "--terraform", terraformWrapper, "--packer", packerWrapper], {
    stdout: out,
    stderr: err,
    cwd: dir,
    isTTY: false,
    signal: controller.signal,
    env: { ...process.env, ...env },
  });
  return { code, stdout, stderr };
}

function history(): History {
  return JSON.parse(fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8")) as History;
}
function statuses(): string {
  return history()
    .generations.map((g) => `${g.number}:${g.status}`)
    .join(" ");
}
function image(n: number): string {
  const g = history().generations.find((x) => x.number === n);
  assert.ok(g, `generation ${n}`);
  return g.image;
}
function state(): { image: string; id: string } {
  const s = JSON.parse(fs.readFileSync(path.join(dir, "infra/terraform.tfstate"), "utf8")) as {
    outputs: { image: { value: string } };
    resources: Array<{ instances: Array<{ attributes: { id: string } }> }>;
  };
  return { image: s.outputs.image.value, id: s.resources[0].instances[0].attributes.id };
}

/** The invariant every outcome must keep: valid history, one live generation, and Terraform running exactly it. */
function assertConsistent(live: number): void {
  const h = history();
  assert.deepEqual(validateHistory(h), []);
  assert.deepEqual(
    h.generations.filter((g) => g.status === "live").map((g) => g.number),
    [live],
  );
  assert.ok(!h.generations.some((g) => g.status === "pending"), "no generation is left pending");
  assert.equal(state().image, image(live), "Terraform state runs the live generation");
  const tfvars = JSON.parse(fs.readFileSync(path.join(dir, "infra/immutably.auto.tfvars.json"), "utf8")) as { image: string };
  assert.equal(tfvars.image, image(live), "the tfvars file selects the live generation");
  assert.deepEqual(
    fs.readdirSync(path.join(dir, ".immutably")).filter((f) => f.endsWith(".lock") || f.endsWith(".tmp") || f.endsWith(".tfplan")),
    [],
    "no lock, temp or plan file is left",
  );
  assert.ok(fs.existsSync(image(live)), "the live image file exists");
}

test("dry run prints every command in order and changes nothing", { timeout: 120_000 }, async () => {
  const r = await cli("roll", ["demo", "--dry-run"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1\. \(in .*\/images\) .*packer build -machine-readable -color=false -var label=demo -- .*demo\.pkr\.hcl/);
  assert.match(
    r.stdout,
    /terraform plan -input=false -no-color -out=.*demo\.tfplan[^]*terraform show -json[^]*terraform apply -input=false -no-color -- [^]*node scripts\/test-verify\.mjs/,
  );
  assert.ok(!fs.existsSync(path.join(dir, ".immutably")), "no history folder was created");
  assert.ok(!fs.existsSync(path.join(dir, "images/out")), "nothing was baked");
  assert.ok(!fs.existsSync(path.join(dir, "infra/immutably.auto.tfvars.json")));
});

test("roll without --yes outside a terminal is refused before anything runs", { timeout: 120_000 }, async () => {
  const r = await cli("roll", ["demo"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs a confirmation: pass --yes/);
  assert.ok(!fs.existsSync(path.join(dir, "images/out")));
});

test("first roll: generation 1 is baked by packer, applied by terraform, verified and live", { timeout: 120_000 }, async () => {
  const r = await cli("roll", ["demo", "--yes"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(statuses(), "1:live");
  const g = history().generations[0];
  assert.equal(g.builder, "file");
  assert.equal(g.artifact_id, "File");
  assert.match(g.image, /\/images\/out\/demo-[0-9a-f-]{36}\.img$/);
  assert.match(fs.readFileSync(g.image, "utf8"), /status=healthy/);
  assert.match(r.stderr, /terraform_data\.server: create/);
  assertConsistent(1);
});

test("second roll replaces the resource: generation 1 previous, 2 live", { timeout: 120_000 }, async () => {
  const before = state().id;
  const r = await cli("roll", ["demo", "--yes"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(statuses(), "1:previous 2:live");
  assert.match(r.stderr, /plan: terraform_data\.server: replace \(create before destroy\)/);
  // The confirmation shows the exact steps of this run (those already run, then those it releases) and the replacement.
  // Each line is the step's own line, as the dry run prints it.
  assert.match(
    r.stderr,
    /== Roll demo to generation #2\nplanned replacements:\n {2}terraform_data\.server: replace \(create before destroy\)\ncommands:\n {2}\(done\) \(in [^)]+\/images\) \S*packer build [^\n]+\n(?: {2}\(done\) [^\n]+\n)* {2}record #2 as promoted \(deployed, not verified yet\); #1 previous in \.immutably\/generations\.json\n {2}\(in [^)]+\/infra\) \S*terraform apply -input=false -no-color -- \S+demo\.tfplan\n {2}verify: \(in [^)]+\) node scripts\/test-verify\.mjs\n {2}record #2 as live \(verified\)\nconfirmed by --yes/,
  );
  assert.notEqual(state().id, before, "terraform_data was replaced (new id)");
  assertConsistent(2);
});

test("a failing verify rolls back automatically: 3 failed, 2 live again, exit 1 with an exact account", { timeout: 120_000 }, async () => {
  const r = await cli("roll", ["demo", "--yes"], { IMMUTABLY_DEMO_FAIL_VERIFY: "1" });
  assert.equal(r.code, 1);
  assert.equal(statuses(), "1:previous 2:live 3:failed");
  assert.match(r.stdout, /roll of demo to #3 failed at verify: node scripts\/test-verify\.mjs exited with code 1/);
  assert.match(r.stdout, /#2 was promoted again and verified; it is live/);
  assert.match(r.stdout, /#3 failed +\S+demo-[^]*#2 live[^]*#1 previous/);
  assertConsistent(2);
});

test("fault at bake: nothing is recorded or changed", { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(faults, "fail-bake"), "");
  const r = await cli("roll", ["demo", "--yes"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /roll of demo failed at bake: .*exited with code 1:\ninjected fault: bake failed/);
  assert.match(r.stdout, /nothing was recorded or changed; #2 stays live/);
  assert.equal(statuses(), "1:previous 2:live 3:failed");
  assertConsistent(2);
});

test("fault at plan: the new generation is failed, nothing applied, tfvars restored", { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(faults, "fail-plan"), "");
  const r = await cli("roll", ["demo", "--yes"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /failed at plan: .*injected fault: plan failed/);
  assert.match(r.stdout, /nothing was applied; #2 stays live/);
  assert.equal(statuses(), "1:previous 2:live 3:failed 4:failed");
  assertConsistent(2);
});

test("fault at apply (apply fails): the previous generation is promoted again", { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(faults, "fail-apply"), "");
  const r = await cli("roll", ["demo", "--yes"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /failed at promote: [^]*injected fault: apply failed[^]*#2 was promoted again and verified/);
  assert.equal(statuses(), "1:previous 2:live 3:failed 4:failed 5:failed");
  assertConsistent(2);
});

test("fault at apply (crash after the new generation was applied): state is put back to the live one", { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(faults, "crash-after-apply"), "");
  const r = await cli("roll", ["demo", "--yes"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /failed at promote: .*exited with code 137[^]*#2 was promoted again and verified/);
  assert.match(r.stderr, /undo plan: terraform_data\.server: replace/, "the crash had applied #6, so the undo replaced it");
  assert.equal(statuses(), "1:previous 2:live 3:failed 4:failed 5:failed 6:failed");
  assertConsistent(2);
});

test("cancellation during verify: the previous generation is put back", { timeout: 120_000 }, async () => {
  const r = await cli("roll", ["demo", "--yes"], { TEST_VERIFY_HANG: "7" }, /\n {2}hanging\n/);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /roll of demo to #7 was cancelled during verify[^]*#2 was promoted again and verified/);
  assert.equal(statuses(), "1:previous 2:live 3:failed 4:failed 5:failed 6:failed 7:failed");
  assertConsistent(2);
});

test("cancellation during apply: the stalled apply is stopped and the previous generation stays", { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(faults, "stall-apply"), "");
  const started = Date.now();
  const r = await cli("roll", ["demo", "--yes"], {}, /stalling before apply/);
  assert.ok(Date.now() - started < 45_000, "the stalled apply did not run to its end");
  assert.equal(r.code, 1);
  assert.match(r.stdout, /roll of demo to #8 was cancelled during promote/);
  assert.equal(statuses(), "1:previous 2:live 3:failed 4:failed 5:failed 6:failed 7:failed 8:failed");
  assertConsistent(2);
});

test("cancellation during bake: nothing is recorded", { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(faults, "stall-bake"), "");
  const r = await cli("roll", ["demo", "--yes"], {}, /stalling the bake/);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /was cancelled during bake[^]*nothing was recorded or changed; #2 stays live/);
  assert.equal(history().generations.length, 8);
  assertConsistent(2);
});

test("a stale lock from a crashed run is detected by PID and cleared with a message", { timeout: 120_000 }, async () => {
  const lock = path.join(dir, ".immutably/demo.lock");
  fs.writeFileSync(
    lock,
    JSON.stringify({ pid: 2 ** 22 + 12345, hostname: os.hostname(), started_at: "2026-01-01T00:00:00.000Z", command: "roll demo" }),
  );
  const r = await cli("rollback", ["demo", "--yes"]);
  assert.match(
    r.stderr,
    /removed a stale lock .*demo\.lock: process 4206649 \(roll demo, started 2026-01-01T00:00:00\.000Z\) is no longer running/,
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  // That rollback went from #2 to the newest previous older than it: #1.
  assert.equal(statuses(), "1:live 2:previous 3:failed 4:failed 5:failed 6:failed 7:failed 8:failed");
  assertConsistent(1);
});

test("rollback --to N promotes that generation; failed ones are refused", { timeout: 120_000 }, async () => {
  const refused = await cli("rollback", ["demo", "--to", "3", "--yes"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stdout, /generation demo #3 is failed; only a previous or isolated generation can be rolled back to/);
  const r = await cli("rollback", ["demo", "--to", "2", "--yes"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /rolled demo back to generation #2/);
  assertConsistent(2);
});

test("generations lists the history as a table and as JSON", { timeout: 120_000 }, async () => {
  const table = await cli("generations", ["demo"]);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^# +STATUS +CREATED +COMMIT +IMAGE +NOTE\n8 +failed/);
  const json = await cli("generations", ["demo", "--format", "json"]);
  const data = JSON.parse(json.stdout) as { name: string; generations: Array<{ number: number; status: string }> };
  assert.equal(data.name, "demo");
  assert.deepEqual(
    data.generations.map((g) => g.status),
    ["previous", "live", "failed", "failed", "failed", "failed", "failed", "failed"],
  );
});

test("prune deletes image files beyond the newest N, never the live one", { timeout: 120_000 }, async () => {
  const dry = await cli("prune", ["demo", "--keep", "1", "--dry-run"]);
  assert.equal(dry.code, 0);
  assert.match(dry.stdout, /#7 \(failed\): delete the file/);
  assert.doesNotMatch(dry.stdout, /#2 \(live\)/);
  const liveImage = image(2);
  const doomed = image(1);
  const r = await cli("prune", ["demo", "--keep", "1", "--yes"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(statuses(), "1:pruned 2:live 3:pruned 4:pruned 5:pruned 6:pruned 7:pruned 8:failed");
  assert.ok(!fs.existsSync(doomed));
  assert.ok(fs.existsSync(liveImage));
  assertConsistent(2);
  const again = await cli("prune", ["demo", "--keep", "1", "--yes"]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /nothing to prune/);
});

test(
  "retire = isolate: the old resource is taken out of state before the apply, so it is not destroyed",
  { timeout: 120_000 },
  async () => {
    const configFile = path.join(dir, ".immutably.hcl");
    fs.writeFileSync(configFile, fs.readFileSync(configFile, "utf8").replace('retire          = "destroy"', 'retire          = "isolate"'));
    const oldId = state().id;
    const r = await cli("roll", ["demo", "--yes"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stderr,
      /\$ \S*terraform state rm -no-color -- terraform_data\.server\n[^]*Removed terraform_data\.server[^]*Resources: 1 added, 0 changed, 0 destroyed/,
    );
    assert.match(r.stdout, /#2 is isolated: terraform_data\.server \(id [0-9a-f-]{36}\) kept out of service for analysis/);
    assert.equal(statuses(), "1:pruned 2:isolated 3:pruned 4:pruned 5:pruned 6:pruned 7:pruned 8:failed 9:live");
    assert.notEqual(state().id, oldId);
    assertConsistent(9);
  },
);
