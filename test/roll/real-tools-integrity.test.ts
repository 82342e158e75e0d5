// REAL TOOLS: roll integrity with Debian packer 1.6.6 and terraform on temp copies of examples/generation: artifact identity, prune safety, tools that outlive immutably, exact recovery, long timeouts, isolate after a failure, steps as data.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { validateHistory, type History } from "../../server/src/roll/history.ts";
import fs from "node:fs";
import path from "node:path";
import {
  cli,
  editConfig,
  filesUnder,
  groupGone,
  history,
  image,
  lockChild,
  spawnCli,
  state,
  statuses,
  tfvarsImage,
  useRealTools,
  workspace,
} from "./real-tools.ts";

const tools = useRealTools();

// ---- 1. Artifact identity ----

test(
  "artifact identity: a manifest written just before the bake by another build is not taken; the bake's own artifact is recorded, deployed and verified",
  { timeout: 180_000 },
  async () => {
    const ws = workspace("identity-manifest");
    // This template has no manifest post-processor, so this bake writes no manifest at all.
    const template = path.join(ws.dir, "images/demo.pkr.hcl");
    fs.writeFileSync(template, fs.readFileSync(template, "utf8").replace(/\n {2}post-processor "manifest" \{[^}]*\}\n/, "\n"));
    fs.mkdirSync(path.join(ws.dir, "images/out"));
    const planted = path.join(ws.dir, "images/out/another-build.img");
    fs.writeFileSync(planted, "status=healthy\nlabel=another\n");
    fs.writeFileSync(
      path.join(ws.dir, "images/packer-manifest.json"),
      JSON.stringify({
        builds: [
          {
            name: "image",
            builder_type: "file",
            build_time: 1,
            files: [{ name: "out/another-build.img", size: 30 }],
            artifact_id: "File",
            packer_run_uuid: "0e3c7c55-0000-4000-8000-000000000001",
          },
        ],
        last_run_uuid: "0e3c7c55-0000-4000-8000-000000000001",
      }),
    );
    const r = await cli(ws, "roll", ["demo", "--yes"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const recorded = image(ws, 1);
    assert.notEqual(recorded, planted, "the other build's image was not taken");
    assert.match(recorded, /\/images\/out\/demo-[0-9a-f-]{36}\.img$/);
    assert.match(
      r.stderr,
      new RegExp(
        `artifact,0,file,0,out/${path.basename(recorded).replace(/\./g, "\\.")}|Stored file: out/${path.basename(recorded).replace(/\./g, "\\.")}`,
      ),
      "the recorded image is the one this packer run reported",
    );
    assert.equal(state(ws).image, recorded, "Terraform runs this bake's image");
  },
);

test(
  "artifact identity: two generations sharing one Packer template, rolled at once, each record, deploy and verify their own image",
  { timeout: 240_000 },
  async () => {
    const ws = workspace("identity-shared");
    fs.cpSync(path.join(ws.dir, "infra"), path.join(ws.dir, "infra-a"), { recursive: true });
    fs.cpSync(path.join(ws.dir, "infra"), path.join(ws.dir, "infra-b"), { recursive: true });
    // Checks that the image this generation's Terraform runs is the one promoted and carries its own label.
    fs.writeFileSync(
      path.join(ws.dir, "scripts/verify-own.mjs"),
      `import fs from "node:fs";
const [infra, label] = process.argv.slice(2);
const image = process.env.IMMUTABLY_IMAGE;
const running = JSON.parse(fs.readFileSync(new URL("../" + infra + "/terraform.tfstate", import.meta.url), "utf8")).outputs.image.value;
if (running !== image) { console.error("runs " + running + ", expected " + image); process.exit(1); }
if (!fs.readFileSync(image, "utf8").includes("label=" + label + "\\n")) { console.error(image + " is not a " + label + " image"); process.exit(1); }
`,
    );
    const block = (name: string) => `generation "${name}" {
  packer_template = "images/demo.pkr.hcl"
  packer_vars     = { label = "${name}" }
  terraform_dir   = "infra-${name}"
  image_variable  = "image"
  verify {
    command = ["node", "scripts/verify-own.mjs", "infra-${name}", "${name}"]
  }
}
`;
    fs.writeFileSync(path.join(ws.dir, ".immutably.hcl"), block("a") + block("b"));
    // Generation a's packer finishes first, then its wrapper lingers, so b's bake writes the shared manifest last.
    fs.writeFileSync(
      ws.packer,
      `#!/bin/sh
${JSON.stringify(tools.packer())} "$@"
s=$?
case "$*" in *label=a*) sleep 4 ;; *label=b*) sleep 1 ;; esac
exit $s
`,
      { mode: 0o755 },
    );
    const [a, b] = await Promise.all([cli(ws, "roll", ["a", "--yes"]), cli(ws, "roll", ["b", "--yes"])]);
    assert.equal(a.code, 0, a.stderr + a.stdout);
    assert.equal(b.code, 0, b.stderr + b.stdout);
    const h = history(ws);
    const imageOf = (name: string) => h.generations.find((g) => g.name === name)?.image ?? "";
    assert.match(imageOf("a"), /\/images\/out\/a-[0-9a-f-]{36}\.img$/);
    assert.match(imageOf("b"), /\/images\/out\/b-[0-9a-f-]{36}\.img$/);
    assert.equal(state(ws, "infra-a").image, imageOf("a"));
    assert.equal(state(ws, "infra-b").image, imageOf("b"));
    // Each record carries the run UUID of the manifest entry for its own file.
    const manifest = JSON.parse(fs.readFileSync(path.join(ws.dir, "images/packer-manifest.json"), "utf8")) as {
      builds: Array<{ files: Array<{ name: string }>; packer_run_uuid: string }>;
    };
    for (const name of ["a", "b"]) {
      const record = h.generations.find((g) => g.name === name);
      const entry = manifest.builds.find((b) => path.join(ws.dir, "images", b.files[0].name) === record?.image);
      assert.ok(record?.packer_run_uuid && record.packer_run_uuid === entry?.packer_run_uuid, `${name} records its own Packer run`);
    }
  },
);

// ---- 2. Prune ----

test("prune: an image two records share is never deleted while a kept or live record uses it", { timeout: 180_000 }, async () => {
  const ws = workspace("prune-shared");
  assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
  assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
  // #1 claims the image #2 (live) runs, as a record of the same image would.
  const h = history(ws);
  const liveImage = image(ws, 2);
  const oldImage = image(ws, 1);
  h.generations[0] = { ...h.generations[0], image: liveImage };
  fs.writeFileSync(path.join(ws.dir, ".immutably/generations.json"), JSON.stringify(h, null, 2));
  const r = await cli(ws, "prune", ["demo", "--keep", "1", "--yes"]);
  assert.ok(fs.existsSync(liveImage), `the live generation's image is still there (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  assert.ok(fs.existsSync(oldImage));
  assert.equal(state(ws).image, liveImage);
});

test(
  "prune: a tampered history cannot make prune delete terraform.tfstate or any file packer did not produce",
  { timeout: 180_000 },
  async () => {
    const ws = workspace("prune-tampered");
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    const tfstate = path.join(ws.dir, "infra/terraform.tfstate");
    const template = path.join(ws.dir, "images/demo.pkr.hcl");
    const stateBefore = fs.readFileSync(tfstate, "utf8");
    for (const victim of [tfstate, template, path.join(ws.dir, ".immutably.hcl")]) {
      const h = history(ws);
      h.generations[0] = { ...h.generations[0], image: victim, status: "previous" };
      fs.writeFileSync(path.join(ws.dir, ".immutably/generations.json"), JSON.stringify(h, null, 2));
      const r = await cli(ws, "prune", ["demo", "--keep", "1", "--yes"]);
      assert.ok(fs.existsSync(victim), `${path.basename(victim)} survived prune (exit ${r.code}):\n${r.stdout}${r.stderr}`);
      assert.notEqual(r.code, 0, "prune reports that it refused");
    }
    assert.equal(fs.readFileSync(tfstate, "utf8"), stateBefore);
  },
);

// ---- 3. Tools survive immutably ----

test(
  "tools survive immutably: SIGKILL during terraform apply does not kill the apply; a new run reports the apply, waits for it, then rolls",
  { timeout: 240_000 },
  async () => {
    const ws = workspace("survive-apply");
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    fs.writeFileSync(path.join(ws.faults, "before-apply"), `echo "apply about to start"\nsleep 3\n`);
    const run = spawnCli(ws, ["roll", "demo", "--yes"]);
    await run.waitFor(/apply about to start/);
    run.child.kill("SIGKILL");
    await run.exited;
    const apply = lockChild(ws);
    assert.match(apply.command, /terraform apply/);
    // A new run finds the apply still running, says so, waits for it and then rolls.
    const next = await cli(ws, "roll", ["demo", "--yes"]);
    assert.equal(next.code, 0, next.stderr + next.stdout);
    assert.match(next.stderr, new RegExp(`process ${apply.pid}[^\\n]*still running[^]*terraform apply[^]*waiting`, "i"));
    assert.equal(
      fs.readFileSync(path.join(ws.faults, "apply-status"), "utf8").trim(),
      "0",
      "the orphaned apply ran to its end instead of dying of SIGPIPE",
    );
    assert.ok(!fs.existsSync(path.join(ws.dir, "infra/.terraform.tfstate.lock.info")), "no Terraform state lock is left");
    assert.equal(state(ws).image, image(ws, 3));
    assert.match(statuses(ws), /^1:previous 2:\w+ 3:live$/);
  },
);

test("tools survive immutably: SIGKILL during packer build does not kill the bake", { timeout: 240_000 }, async () => {
  const ws = workspace("survive-bake");
  fs.writeFileSync(path.join(ws.faults, "before-build"), `echo "bake about to start"\nsleep 3\n`);
  const run = spawnCli(ws, ["roll", "demo", "--yes"]);
  await run.waitFor(/bake about to start/);
  run.child.kill("SIGKILL");
  await run.exited;
  const bake = lockChild(ws);
  await groupGone(bake.pid);
  assert.equal(
    fs.readFileSync(path.join(ws.faults, "build-status"), "utf8").trim(),
    "0",
    "the orphaned bake ran to its end instead of dying of SIGPIPE",
  );
  assert.equal(fs.readdirSync(path.join(ws.dir, "images/out")).length, 1, "the bake produced its image");
});

test(
  "tools survive immutably: SIGHUP (a closed terminal) is handled like SIGTERM: the stage is cancelled and the previous generation put back",
  { timeout: 240_000 },
  async () => {
    const ws = workspace("sighup");
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    const run = spawnCli(ws, ["roll", "demo", "--yes"], { TEST_VERIFY_HANG: "2" });
    await run.waitFor(/\n {2}hanging\n/);
    run.child.kill("SIGHUP");
    const end = await run.exited;
    assert.equal(end.signal, null, `immutably handled SIGHUP instead of dying of it:\n${run.stderr()}`);
    assert.equal(end.code, 1);
    assert.match(run.stdout(), /roll of demo to #2 was cancelled during verify[^]*#1 was promoted again and verified/);
    assert.equal(state(ws).image, image(ws, 1));
    assert.equal(statuses(ws), "1:live 2:failed");
  },
);

test(
  "tools survive immutably: plan files are private (0600) and removed after use; the tfvars file is private",
  { timeout: 180_000 },
  async () => {
    const ws = workspace("private");
    fs.writeFileSync(
      path.join(ws.faults, "before-apply"),
      `for a in "$@"; do case "$a" in *.tfplan) stat -c %a "$a" > "$F/plan-mode" ;; esac; done\n`,
    );
    const r = await cli(ws, "roll", ["demo", "--yes"]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(fs.readFileSync(path.join(ws.faults, "plan-mode"), "utf8").trim(), "600");
    assert.deepEqual(
      filesUnder(path.join(ws.dir, ".immutably")).filter((f) => f.endsWith(".tfplan")),
      [],
      "no plan file is left",
    );
    assert.equal(fs.statSync(path.join(ws.dir, "infra/immutably.auto.tfvars.json")).mode & 0o777, 0o600);
  },
);

// ---- 4. Recovery is exact ----

test(
  "recovery: after a kill during verify, generations shows the generation Terraform runs, rollback goes to the last verified one, and rollback --to the deployed one works",
  { timeout: 300_000 },
  async () => {
    const ws = workspace("recovery");
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    const killDuringVerify = async (): Promise<void> => {
      const run = spawnCli(ws, ["roll", "demo", "--yes"], { TEST_VERIFY_HANG: String(history(ws).generations.length + 1) });
      await run.waitFor(/\n {2}hanging\n/);
      run.child.kill("SIGKILL");
      await run.exited;
      // The hanging verify outlives the killed run; stop it as its lock message says.
      const verify = lockChild(ws);
      process.kill(-verify.pid, "SIGTERM");
      await groupGone(verify.pid);
    };
    await killDuringVerify();
    assert.equal(state(ws).image, image(ws, 3), "Terraform runs #3");
    const listed = await cli(ws, "generations", ["demo", "--format", "json"]);
    const records = (JSON.parse(listed.stdout) as History).generations;
    assert.deepEqual(
      records.map((g) => `${g.number}:${g.status}`),
      ["1:previous", "2:previous", "3:promoted"],
      "history says #3 is deployed (not verified), not that #2 is live",
    );
    const back = await cli(ws, "rollback", ["demo", "--yes"]);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    assert.match(back.stdout, /rolled demo back to generation #2/);
    assert.equal(state(ws).image, image(ws, 2), "rollback went to the last verified generation");
    assert.equal(history(ws).generations.find((g) => g.number === 2)?.status, "live");

    await killDuringVerify();
    assert.equal(state(ws).image, image(ws, 4));
    const again = await cli(ws, "rollback", ["demo", "--to", "4", "--yes"]);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.equal(history(ws).generations.find((g) => g.number === 4)?.status, "live", "rollback --to the deployed generation verified it");
    assert.deepEqual(validateHistory(history(ws)), []);
  },
);

test(
  "recovery: the first roll over an existing fleet remembers the configuration it replaced and restores it when verify fails",
  { timeout: 240_000 },
  async () => {
    const ws = workspace("first-roll");
    // An existing fleet: Terraform already runs an image someone set by hand.
    fs.mkdirSync(path.join(ws.dir, "images/out"));
    const handmade = path.join(ws.dir, "images/out/handmade.img");
    fs.writeFileSync(handmade, "status=healthy\nlabel=handmade\n");
    fs.utimesSync(handmade, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    fs.writeFileSync(path.join(ws.dir, "infra/immutably.auto.tfvars.json"), `${JSON.stringify({ image: handmade })}\n`);
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-input=false", "-auto-approve"],
    ]) {
      const r = spawnSync(tools.terraform(), args, { cwd: path.join(ws.dir, "infra"), encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    }
    assert.equal(state(ws).image, handmade);
    const r = await cli(ws, "roll", ["demo", "--yes"], { IMMUTABLY_DEMO_FAIL_VERIFY: "1" });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /failed at verify/);
    assert.equal(tfvarsImage(ws), handmade, "the tfvars value it replaced is back");
    assert.equal(state(ws).image, handmade, "Terraform runs the fleet's image again");
    assert.equal(statuses(ws), "1:failed");
    assert.deepEqual(
      history(ws).generations[0].replaced,
      { image_variable: "image", value: handmade },
      "history remembers what the first roll replaced",
    );
    assert.match(r.stdout, /rolled back: the configuration #1 replaced \(before the first roll\) was put back/);
  },
);

// ---- 7. Smaller items ----

test("timeouts of 720h are honoured, not turned into an immediate timeout", { timeout: 180_000 }, async () => {
  const ws = workspace("long-timeouts");
  editConfig(ws.dir, (c) =>
    c
      .replace(
        "  keep            = 2\n",
        '  keep            = 2\n  bake_timeout    = "720h"\n  plan_timeout    = "720h"\n  apply_timeout   = "720h"\n',
      )
      .replace('timeout = "1m"', 'timeout = "720h"'),
  );
  const r = await cli(ws, "roll", ["demo", "--yes"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.doesNotMatch(r.stdout + r.stderr, /timed out/);
  assert.equal(statuses(ws), "1:live");
});

test(
  "retire = isolate with a failed roll: the isolated machines are recorded and reported, never orphaned",
  { timeout: 240_000 },
  async () => {
    const ws = workspace("isolate-failed");
    editConfig(ws.dir, (c) => c.replace('retire          = "destroy"', 'retire          = "isolate"'));
    assert.equal((await cli(ws, "roll", ["demo", "--yes"])).code, 0);
    const isolatedId = state(ws).id;
    const r = await cli(ws, "roll", ["demo", "--yes"], { IMMUTABLY_DEMO_FAIL_VERIFY: "1" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /terraform state rm -no-color -- terraform_data\.server/);
    assert.equal(state(ws).image, image(ws, 1), "#1 serves again");
    assert.match(
      r.stdout,
      new RegExp(`terraform_data\\.server \\(id ${isolatedId}\\)[^\\n]*out of service`),
      "the summary names the machine taken out of service",
    );
    const listed = JSON.parse((await cli(ws, "generations", ["demo", "--format", "json"])).stdout) as History;
    const first = listed.generations.find((g) => g.number === 1);
    assert.deepEqual(
      first?.isolated_machines,
      [`terraform_data.server (id ${isolatedId})`],
      "history keeps the isolated machine on the generation it belonged to",
    );
  },
);

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
  const listed = /\ncommands:\n((?: {2}[^\n]*\n)+)confirmed by --yes/
    .exec(r.stderr)?.[1]
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(2).replace(/^\(done\) /, ""));
  assert.ok(listed, "the confirmation lists the steps");
  // The dry run cannot know the image; it shows where it goes. Everything else is the same text.
  const baked = image(ws, 2);
  const expected = planned
    .filter(
      (l) => l !== "ask for confirmation, showing the planned replacements" && !l.startsWith("on success") && !l.startsWith("on a failure"),
    )
    .map((l) => l.replace('"<image from the bake>"', JSON.stringify(baked)));
  assert.deepEqual(listed, expected);
  // Every command step shown is a command that ran, in that order.
  const ran = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("$ "))
    .map((l) => l.slice(2));
  const commands = expected.filter((l) => l.startsWith("(in ")).map((l) => l.replace(/^\(in [^)]+\) /, "").replace(/^verify: /, ""));
  assert.deepEqual(
    ran.filter((c) => !c.startsWith("node ")),
    commands.filter((c) => !c.startsWith("node ")),
  );
});
