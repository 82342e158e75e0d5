// ARGV CONTRACT: gcloud, az and doctl are recording stand-ins that print their argv; these tests pin the exact command sequence of the gcp-mig and azure-vmss strategies and of pruning. Also the argument-injection tests (issue 8).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { Writable } from "node:stream";
import { runRollCommand } from "../../server/src/cli/roll-commands.ts";
import { prune, roll } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { configFrom, recorded, RecordingHost, standIn, tempDir } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A packer stand-in that records its argv and prints one artifact of the given builder. */
function packerPrinting(dir: string, log: string, builderId: string, artifactId: string, files: string[] = []): string {
  const t = "1700000000";
  const lines = [
    `${t},x.web,artifact,0,builder-id,${builderId}`,
    `${t},x.web,artifact,0,id,${artifactId.replace(/,/g, "%!(PACKER_COMMA)")}`,
    ...files.map((f, i) => `${t},x.web,artifact,0,file,${i},${f}`),
    `${t},x.web,artifact,0,end`,
  ];
  return standIn(dir, "packer", log, { build: `${lines.join("\n")}\n` });
}

function setup(prefix: string): { dir: string; log: string } {
  const dir = tempDir(prefix);
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, "images"));
  fs.writeFileSync(path.join(dir, "images/web.pkr.hcl"), "");
  return { dir, log: path.join(dir, "argv.jsonl") };
}

test("argv contract: gcp-mig copies the group's template with the new image, starts a rolling update and waits until stable", async () => {
  const { dir, log } = setup("gcp");
  const packer = packerPrinting(dir, log, "packer.googlecompute", "web-image-2");
  const gcloud = standIn(dir, "gcloud", log, {
    "compute instance-groups managed describe": JSON.stringify({
      instanceTemplate: "https://www.googleapis.com/compute/v1/projects/my-project-1/global/instanceTemplates/web-tmpl-1",
    }),
    "compute instance-groups managed list-instances": JSON.stringify([
      { instance: "https://www.googleapis.com/compute/v1/projects/my-project-1/zones/europe-west1-b/instances/web-a" },
      { name: "web-b" },
    ]),
  });
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "gcp-mig"
  target   = "web-mig"
  cloud    = { project = "my-project-1", zone = "europe-west1-b" }
  retire   = "isolate"
  wait_timeout = "10m"
}`,
    "web",
  );
  const host = new RecordingHost();
  const outcome = await roll({ generation, host, tools: resolveToolPaths({ packer, gcloud }, {}), env: {}, now: () => new Date(0) });
  assert.equal(outcome.exitCode, 0, host.text());
  const scope = ["--project", "my-project-1", "--zone", "europe-west1-b"];
  assert.deepEqual(
    recorded(log)
      .filter((c) => c.tool === "gcloud")
      .map((c) => c.argv),
    [
      ["compute", "instance-groups", "managed", "describe", "web-mig", ...scope, "--format=json"],
      ["compute", "instance-groups", "managed", "list-instances", "web-mig", ...scope, "--format=json"],
      [
        "compute",
        "instance-templates",
        "create",
        "immutably-web-1-0",
        "--source-instance-template=web-tmpl-1",
        "--image=web-image-2",
        "--project",
        "my-project-1",
        "--format=json",
      ],
      ["compute", "instance-groups", "managed", "abandon-instances", "web-mig", "--instances=web-a,web-b", ...scope, "--quiet"],
      ["compute", "instance-groups", "managed", "rolling-action", "start-update", "web-mig", "--version=template=immutably-web-1-0", ...scope, "--quiet"],
      ["compute", "instance-groups", "managed", "wait-until", "web-mig", "--stable", "--timeout=600", ...scope],
    ],
  );
  // The first generation has no predecessor, so nothing is marked isolated; the instances were still abandoned.
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}:${g.image}`),
    ["1:live:web-image-2"],
  );

  const pruneLog = path.join(dir, "prune.jsonl");
  const gcloudPrune = standIn(dir, "gcloud-prune", pruneLog);
  fs.writeFileSync(
    path.join(dir, ".immutably/generations.json"),
    JSON.stringify({
      generations: [
        {
          number: 1,
          name: "web",
          image: "web-image-1",
          artifact_id: "web-image-1",
          builder: "googlecompute",
          created_at: "2026-01-01T00:00:00Z",
          git_commit: "",
          status: "previous",
        },
        {
          number: 2,
          name: "web",
          image: "web-image-2",
          artifact_id: "web-image-2",
          builder: "packer.googlecompute",
          created_at: "2026-01-02T00:00:00Z",
          git_commit: "",
          status: "live",
        },
      ],
    }),
  );
  const pruned = await prune({ generation, host: new RecordingHost(), tools: resolveToolPaths({ gcloud: gcloudPrune }, {}), env: {}, keep: 1 });
  assert.equal(pruned.exitCode, 0);
  assert.deepEqual(
    recorded(pruneLog).map((c) => c.argv),
    [["compute", "images", "delete", "web-image-1", "--project", "my-project-1", "--quiet"]],
  );
});

test("argv contract: azure-vmss sets the image, starts a rolling upgrade and polls it; prune deletes the managed image", async () => {
  const { dir, log } = setup("az");
  const image = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-web/providers/Microsoft.Compute/images/web-2";
  const packer = packerPrinting(dir, log, "Azure.ResourceManagement.VMImage", image);
  const az = standIn(dir, "az", log, { "vmss rolling-upgrade get-latest": JSON.stringify({ runningStatus: { code: "Completed" } }) });
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "azure-vmss"
  target   = "web-vmss"
  cloud    = { resource_group = "rg-web", subscription = "prod-sub" }
}`,
    "web",
  );
  const host = new RecordingHost();
  const outcome = await roll({ generation, host, tools: resolveToolPaths({ packer, az }, {}), env: {}, pollIntervalMs: 10 });
  assert.equal(outcome.exitCode, 0, host.text());
  const scope = ["--resource-group", "rg-web", "--name", "web-vmss", "--subscription", "prod-sub"];
  assert.deepEqual(
    recorded(log)
      .filter((c) => c.tool === "az")
      .map((c) => c.argv),
    [
      ["vmss", "update", ...scope, "--set", `virtualMachineProfile.storageProfile.imageReference.id=${image}`, "--output", "json"],
      ["vmss", "rolling-upgrade", "start", ...scope, "--output", "json"],
      ["vmss", "rolling-upgrade", "get-latest", ...scope, "--output", "json"],
    ],
  );

  const old = image.replace("web-2", "web-1");
  fs.writeFileSync(
    path.join(dir, ".immutably/generations.json"),
    JSON.stringify({
      generations: [
        { number: 1, name: "web", image: old, artifact_id: old, builder: "azure-arm", created_at: "2026-01-01T00:00:00Z", git_commit: "", status: "previous" },
        { number: 2, name: "web", image, artifact_id: image, builder: "azure-arm", created_at: "2026-01-02T00:00:00Z", git_commit: "", status: "live" },
      ],
    }),
  );
  const pruneLog = path.join(dir, "prune.jsonl");
  const pruned = await prune({ generation, host: new RecordingHost(), tools: resolveToolPaths({ az: standIn(dir, "az-prune", pruneLog) }, {}), env: {}, keep: 1 });
  assert.equal(pruned.exitCode, 0);
  assert.deepEqual(
    recorded(pruneLog).map((c) => c.argv),
    [["image", "delete", "--ids", old, "--subscription", "prod-sub"]],
  );
});

test("argv contract: a Faulted rolling upgrade is undone by setting the previous image and upgrading again", async () => {
  const { dir, log } = setup("az-undo");
  const image = (n: number) => `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-web/providers/Microsoft.Compute/images/web-${n}`;
  fs.mkdirSync(path.join(dir, ".immutably"));
  fs.writeFileSync(
    path.join(dir, ".immutably/generations.json"),
    JSON.stringify({
      generations: [{ number: 1, name: "web", image: image(1), artifact_id: image(1), builder: "azure-arm", created_at: "2026-01-01T00:00:00Z", git_commit: "", status: "live" }],
    }),
  );
  const packer = packerPrinting(dir, log, "Azure.ResourceManagement.VMImage", image(2));
  // Faulted for the new image, Completed for the undo: the stand-in answers by counting its get-latest calls.
  const az = path.join(dir, "az");
  fs.writeFileSync(
    az,
    `#!${process.execPath}
const fs = require("node:fs");
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: "az", argv }) + "\\n");
if (argv.join(" ").startsWith("vmss rolling-upgrade get-latest")) {
  const n = fs.readFileSync(${JSON.stringify(log)}, "utf8").split("get-latest").length - 1;
  process.stdout.write(JSON.stringify({ runningStatus: { code: n === 1 ? "Faulted" : "Completed" } }));
}
`,
    { mode: 0o755 },
  );
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "azure-vmss"
  target   = "web-vmss"
  cloud    = { resource_group = "rg-web" }
}`,
    "web",
  );
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, az }, {}), env: {}, pollIntervalMs: 10 });
  assert.equal(outcome.exitCode, 1);
  const sets = recorded(log)
    .filter((c) => c.tool === "az" && c.argv[1] === "update")
    .map((c) => c.argv.find((a) => a.startsWith("virtualMachineProfile")));
  assert.deepEqual(sets, [`virtualMachineProfile.storageProfile.imageReference.id=${image(2)}`, `virtualMachineProfile.storageProfile.imageReference.id=${image(1)}`]);
  assert.match(outcome.summary.join("\n"), /failed at promote: the rolling upgrade of web-vmss ended Faulted[^]*#1 was promoted again/);
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:live", "2:failed"],
  );
});

test("argv contract: doctl deletes DigitalOcean snapshots beyond keep, never the live one", async () => {
  const { dir, log } = setup("doctl");
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await configFrom(
    dir,
    `generation "droplet" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
}`,
    "droplet",
  );
  fs.mkdirSync(path.join(dir, ".immutably"));
  const g = (number: number, image: string, status: string) => ({
    number,
    name: "droplet",
    image,
    artifact_id: `nyc3:${image}`,
    builder: "pearkes.digitalocean",
    created_at: "2026-01-01T00:00:00Z",
    git_commit: "",
    status,
    regions: { nyc3: image },
  });
  fs.writeFileSync(
    path.join(dir, ".immutably/generations.json"),
    JSON.stringify({ generations: [g(1, "1001", "live"), g(2, "1002", "previous"), g(3, "1003", "failed"), g(4, "1004", "previous")] }),
  );
  const outcome = await prune({ generation, host: new RecordingHost(), tools: resolveToolPaths({ doctl: standIn(dir, "doctl", log) }, {}), env: {}, keep: 2 });
  assert.equal(outcome.exitCode, 0);
  assert.deepEqual(
    recorded(log).map((c) => c.argv),
    [["compute", "image", "delete", "--force", "--", "1002"]],
  );
  assert.deepEqual(
    outcome.generations.map((x) => `${x.number}:${x.status}`),
    ["1:live", "2:pruned", "3:failed", "4:previous"],
  );
});

const HOSTILE = ["a b", `it's "quoted"`, "x; touch pwned", "$(touch pwned)", "`touch pwned`", "line1\nline2", "-rf", "--help"];

test("injection: hostile packer variable values and template paths reach packer verbatim, one argv element each", async () => {
  const { dir, log } = setup("inject-packer");
  const weird = path.join(dir, "images", `-x ; $(touch pwned) 'q"`);
  fs.mkdirSync(weird);
  fs.writeFileSync(path.join(weird, "web.pkr.hcl"), "");
  fs.mkdirSync(path.join(dir, "infra"));
  const vars = HOSTILE.map((v, i) => `    v${i} = ${JSON.stringify(v)}`).join("\n");
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = ${JSON.stringify(path.relative(dir, path.join(weird, "web.pkr.hcl")))}
  packer_vars = {
${vars}
  }
  terraform_dir  = "infra"
  image_variable = "image"
}`,
    "web",
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/i.img"]);
  const terraform = standIn(dir, "terraform", log, { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0);
  const build = recorded(log).find((c) => c.tool === "packer");
  assert.ok(build);
  assert.deepEqual(build.argv, ["build", "-machine-readable", "-color=false", ...HOSTILE.flatMap((v, i) => ["-var", `v${i}=${v}`]), "--", path.join(weird, "web.pkr.hcl")]);
  assert.ok(!fs.existsSync(path.join(dir, "pwned")) && !fs.existsSync(path.join(weird, "pwned")), "no shell ran");
});

test("injection: a hostile image never reaches terraform's argv; it goes only into the tfvars JSON", async () => {
  const { dir, log } = setup("inject-tf");
  fs.mkdirSync(path.join(dir, "infra"));
  fs.writeFileSync(path.join(dir, "infra/immutably.auto.tfvars.json"), JSON.stringify({ other: "kept" }));
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
}`,
    "web",
  );
  const file = "out/-rf ; $(touch pwned)\nx.img";
  const packer = packerPrinting(dir, log, "packer.file", "File", [file.replace(/\n/g, "\\n")]);
  const terraform = standIn(dir, "terraform", log, { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0);
  const image = path.join(dir, "images", file);
  assert.equal(outcome.generations[0].image, image);
  for (const call of recorded(log).filter((c) => c.tool === "terraform")) assert.ok(!call.argv.some((a) => a.includes("pwned")), call.argv.join(" "));
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "infra/immutably.auto.tfvars.json"), "utf8")), { other: "kept", image });
});

test("injection: hostile resource addresses from a plan are passed after -- to state rm; one starting with - is refused", async () => {
  const { dir, log } = setup("inject-addr");
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
  retire          = "isolate"
}`,
    "web",
  );
  fs.mkdirSync(path.join(dir, ".immutably"));
  fs.writeFileSync(
    path.join(dir, ".immutably/generations.json"),
    JSON.stringify({
      generations: [{ number: 1, name: "web", image: "/old.img", artifact_id: "File", builder: "file", created_at: "2026-01-01T00:00:00Z", git_commit: "", status: "live" }],
    }),
  );
  const address = `terraform_data.web["a b; $(touch pwned) -x"]`;
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/2.img"]);
  const terraform = standIn(dir, "terraform", log, { "show -json": JSON.stringify({ resource_changes: [{ address, change: { actions: ["create", "delete"] } }] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0, outcome.summary.join("\n"));
  assert.deepEqual(recorded(log).find((c) => c.argv[0] === "state")?.argv, ["state", "rm", "-no-color", "--", address]);
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:isolated", "2:live"],
  );

  const log2 = path.join(dir, "argv2.jsonl");
  const evil = standIn(dir, "terraform-evil", log2, {
    "show -json": JSON.stringify({ resource_changes: [{ address: "-lock=false", change: { actions: ["create", "delete"] } }] }),
  });
  const refused = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform: evil }, {}), env: {} });
  assert.equal(refused.exitCode, 1);
  assert.match(refused.summary.join("\n"), /resource address "-lock=false" is not valid/);
  assert.ok(!recorded(log2).some((c) => c.argv[0] === "state" || c.argv[0] === "apply"), "nothing was removed from state or applied");
});

test("injection: a hostile image id from packer is refused before any cloud CLI sees it", async () => {
  const { dir, log } = setup("inject-gcp");
  const packer = packerPrinting(dir, log, "packer.googlecompute", "--impersonate-service-account=evil");
  const gcloud = standIn(dir, "gcloud", log, {
    "compute instance-groups managed describe": JSON.stringify({ instanceTemplate: "t/web-tmpl-1" }),
    "compute instance-groups managed list-instances": "[]",
  });
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "gcp-mig"
  target   = "web-mig"
  cloud    = { project = "my-project-1", zone = "europe-west1-b" }
}`,
    "web",
  );
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, gcloud }, {}), env: {} });
  assert.equal(outcome.exitCode, 1);
  assert.match(outcome.summary.join("\n"), /image "--impersonate-service-account=evil" is not valid/);
  assert.deepEqual(
    recorded(log).filter((c) => c.tool === "gcloud"),
    [],
  );
});

test("injection: verify argv with hostile arguments reaches the program verbatim, run without a shell", async () => {
  const { dir, log } = setup("inject-verify");
  fs.mkdirSync(path.join(dir, "infra"));
  fs.mkdirSync(path.join(dir, "scripts"));
  standIn(path.join(dir, "scripts"), "smoke", log);
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
  verify {
    command = ["./scripts/smoke", ${HOSTILE.map((h) => JSON.stringify(h)).join(", ")}]
  }
}`,
    "web",
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/1.img"]);
  const terraform = standIn(dir, "terraform", path.join(dir, "tf.jsonl"), { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0, outcome.summary.join("\n"));
  assert.deepEqual(recorded(log).find((c) => c.tool === "smoke")?.argv, HOSTILE);
  assert.ok(!fs.existsSync(path.join(dir, "pwned")));
});

test("secrets: -var values with secret names never reach the log, the summary or history", async () => {
  const { dir, log } = setup("secrets");
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  packer_vars     = { db_password = "hunter2-hunter2", api_token = "tok-0123456789", region = "eu-west-1" }
  terraform_dir   = "infra"
  image_variable  = "image"
}`,
    "web",
  );
  // A packer that fails while echoing its secret inputs, as a careless plugin might.
  const packer = path.join(dir, "packer");
  fs.writeFileSync(packer, `#!/bin/sh\necho "using $*" ; echo "error: auth failed for AKIAIOSFODNN7EXAMPLE with hunter2-hunter2" >&2; exit 1\n`, { mode: 0o755 });
  const host = new RecordingHost();
  const outcome = await roll({ generation, host, tools: resolveToolPaths({ packer, terraform: standIn(dir, "terraform", log) }, {}), env: {} });
  assert.equal(outcome.exitCode, 1);
  const everything = [
    host.text(),
    outcome.summary.join("\n"),
    fs.existsSync(path.join(dir, ".immutably/generations.json")) ? fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8") : "",
  ].join("\n");
  for (const secret of ["hunter2-hunter2", "tok-0123456789", "AKIAIOSFODNN7EXAMPLE"]) assert.ok(!everything.includes(secret), secret);
  assert.match(host.text(), /\$ \S*packer build .*-var 'api_token=\[REDACTED\]' -var 'db_password=\[REDACTED\]' -var region=eu-west-1/);
  assert.match(outcome.summary.join("\n"), /auth failed for \[REDACTED\] with \[REDACTED\]/);
});

test("argv contract: a template with required_plugins is initialised with packer init before the build", async () => {
  const { dir, log } = setup("init");
  fs.writeFileSync(
    path.join(dir, "images/web.pkr.hcl"),
    `packer {\n  required_plugins {\n    amazon = {\n      version = ">= 1.2.0"\n      source  = "github.com/hashicorp/amazon"\n    }\n  }\n}\n`,
  );
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
}`,
    "web",
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/1.img"]);
  const terraform = standIn(dir, "terraform", path.join(dir, "tf.jsonl"), { "show -json": JSON.stringify({ resource_changes: [] }) });
  const outcome = await roll({ generation, host: new RecordingHost(), tools: resolveToolPaths({ packer, terraform }, {}), env: {} });
  assert.equal(outcome.exitCode, 0);
  const template = path.join(dir, "images/web.pkr.hcl");
  assert.deepEqual(
    recorded(log).map((c) => c.argv.slice(0, 2)),
    [
      ["init", "--"],
      ["build", "-machine-readable"],
    ],
  );
  assert.deepEqual(recorded(log)[0].argv, ["init", "--", template]);
});

test("argv contract: dry runs of the cloud strategies list every command in order, with placeholders for what the bake decides", async () => {
  const { dir } = setup("dry");
  const { describeRoll } = await import("../../server/src/roll/pipeline.ts");
  const dry = async (block: string) => describeRoll({ generation: await configFrom(dir, block, "web"), host: new RecordingHost(), tools: resolveToolPaths({}, {}), env: {} });
  const aws = await dry(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "aws-instance-refresh"
  target   = "web-asg"
  cloud    = { region = "eu-west-1", profile = "prod" }
  retire   = "isolate"
}`);
  assert.match(
    aws.join("\n"),
    /packer build[^]*aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names web-asg[^]*aws ec2 create-launch-template-version --launch-template-id <launch template of the group>[^]*'\{"ImageId":"<image from the bake>"\}'[^]*aws autoscaling detach-instances[^]*aws ec2 create-tags[^]*aws autoscaling start-instance-refresh[^]*"Version":"<new version>"[^]*describe-instance-refreshes[^]*until Successful, Failed or Cancelled/,
  );
  const gcp = await dry(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "gcp-mig"
  target   = "web-mig"
  cloud    = { project = "my-project-1", zone = "europe-west1-b" }
}`);
  assert.match(
    gcp.join("\n"),
    /gcloud compute instance-groups managed describe web-mig[^]*instance-templates create <new template> --source-instance-template=<current template> --image=<image from the bake>[^]*rolling-action start-update web-mig[^]*wait-until web-mig --stable --timeout=7200/,
  );
  const azure = await dry(`generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy = "azure-vmss"
  target   = "web-vmss"
  cloud    = { resource_group = "rg-web" }
}`);
  assert.match(azure.join("\n"), /az vmss update --resource-group rg-web --name web-vmss --set[^]*<image from the bake>[^]*az vmss rolling-upgrade start[^]*get-latest/);
  assert.ok(!fs.existsSync(path.join(dir, ".immutably")), "a dry run writes nothing");
});

test("secrets: every secret-named environment variable, token shapes and URL credentials never reach the dry run, the log, the summary or history", async () => {
  const { dir, log } = setup("secrets-env");
  fs.mkdirSync(path.join(dir, "infra"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_TOKEN: "gh-env-value-0001",
    TF_TOKEN_app_terraform_io: "tfc-env-value-0002",
    VAULT_TOKEN: "vault-env-value-0003",
    HCP_CLIENT_SECRET: "hcp-env-value-0004",
    CLOUDFLARE_API_TOKEN: "cf-env-value-0005",
    sshKey: "ssh-env-value-0006",
  };
  const pat = `ghp_${"Z9y8".repeat(9)}`;
  fs.writeFileSync(
    path.join(dir, ".immutably.hcl"),
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
  verify {
    http = "https://web.example.invalid/healthz?token=verify-query-secret&region=eu"
  }
}`,
  );
  const packer = packerPrinting(dir, log, "packer.file", "File", ["out/1.img"]);
  // A terraform that fails at plan, echoing its whole environment, a token and a URL with credentials, as a careless provider might.
  const terraform = path.join(dir, "terraform");
  fs.writeFileSync(
    terraform,
    `#!/bin/sh\nif [ "$1" = "plan" ]; then env >&2; echo "auth with ${pat} at https://deploy:url-password-0007@registry.example.invalid/v2?sig=url-sig-0008 failed" >&2; exit 1; fi\n`,
    { mode: 0o755 },
  );
  const run = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runRollCommand("roll", ["web", ...args, "--packer", packer, "--terraform", terraform], {
      stdout: new Writable({ write: (c, _e, cb) => ((stdout += String(c)), cb()) }),
      stderr: new Writable({ write: (c, _e, cb) => ((stderr += String(c)), cb()) }),
      cwd: dir,
      isTTY: false,
      signal: new AbortController().signal,
      env,
    });
    return { code, text: stdout + stderr };
  };
  const dry = await run(["--dry-run"]);
  assert.equal(dry.code, 0, dry.text);
  assert.match(dry.text, /GET https:\/\/web\.example\.invalid\/healthz\?token=\[REDACTED\]&region=eu until it answers 2xx/);
  const real = await run(["--yes"]);
  assert.equal(real.code, 1);
  const history = fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8");
  assert.match(history, /failed at plan/);
  const everything = [dry.text, real.text, history].join("\n");
  for (const secret of [
    ...Object.entries(env)
      .filter(([k]) => k !== "PATH")
      .map(([, v]) => v),
    pat,
    "url-password-0007",
    "url-sig-0008",
    "verify-query-secret",
  ])
    assert.ok(!everything.includes(secret), `${secret} leaked`);
  assert.match(real.text, /GITHUB_TOKEN=\[REDACTED\]/);
});
