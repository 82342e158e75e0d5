// ARGV CONTRACT: gcloud, az and doctl are recording stand-ins that print their argv; these tests pin the exact command sequence of the gcp-mig and azure-vmss strategies, of pruning, of packer init and of the cloud strategies' dry runs.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { prune, roll } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { argvFolder, configFrom, packerPrinting, recorded, RecordingHost, standIn, terraformGeneration, writeHistory } from "./helpers.ts";

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const setup = (prefix: string) => argvFolder(prefix, dirs);

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
      [
        "compute",
        "instance-groups",
        "managed",
        "rolling-action",
        "start-update",
        "web-mig",
        "--version=template=immutably-web-1-0",
        ...scope,
        "--quiet",
      ],
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
  writeHistory(dir, [
    { number: 1, image: "web-image-1", builder: "googlecompute", status: "previous" },
    { number: 2, image: "web-image-2", builder: "packer.googlecompute", created_at: "2026-01-02T00:00:00Z", status: "live" },
  ]);
  const pruned = await prune({
    generation,
    host: new RecordingHost(),
    tools: resolveToolPaths({ gcloud: gcloudPrune }, {}),
    env: {},
    keep: 1,
  });
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
  writeHistory(dir, [
    { number: 1, image: old, builder: "azure-arm", status: "previous" },
    { number: 2, image, builder: "azure-arm", created_at: "2026-01-02T00:00:00Z", status: "live" },
  ]);
  const pruneLog = path.join(dir, "prune.jsonl");
  const pruned = await prune({
    generation,
    host: new RecordingHost(),
    tools: resolveToolPaths({ az: standIn(dir, "az-prune", pruneLog) }, {}),
    env: {},
    keep: 1,
  });
  assert.equal(pruned.exitCode, 0);
  assert.deepEqual(
    recorded(pruneLog).map((c) => c.argv),
    [["image", "delete", "--ids", old, "--subscription", "prod-sub"]],
  );
});

test("argv contract: a Faulted rolling upgrade is undone by setting the previous image and upgrading again", async () => {
  const { dir, log } = setup("az-undo");
  const image = (n: number) =>
    `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-web/providers/Microsoft.Compute/images/web-${n}`;
  writeHistory(dir, [{ number: 1, image: image(1), builder: "azure-arm", status: "live" }]);
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
  const outcome = await roll({
    generation,
    host: new RecordingHost(),
    tools: resolveToolPaths({ packer, az }, {}),
    env: {},
    pollIntervalMs: 10,
  });
  assert.equal(outcome.exitCode, 1);
  const sets = recorded(log)
    .filter((c) => c.tool === "az" && c.argv[1] === "update")
    .map((c) => c.argv.find((a) => a.startsWith("virtualMachineProfile")));
  assert.deepEqual(sets, [
    `virtualMachineProfile.storageProfile.imageReference.id=${image(2)}`,
    `virtualMachineProfile.storageProfile.imageReference.id=${image(1)}`,
  ]);
  assert.match(outcome.summary.join("\n"), /failed at promote: the rolling upgrade of web-vmss ended Faulted[^]*#1 was promoted again/);
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:live", "2:failed"],
  );
});

test("argv contract: doctl deletes DigitalOcean snapshots beyond keep, never the live one", async () => {
  const { dir, log } = setup("doctl");
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await terraformGeneration(dir, "", "droplet");
  const g = (number: number, image: string, status: string) => ({
    number,
    name: "droplet",
    image,
    artifact_id: `nyc3:${image}`,
    builder: "pearkes.digitalocean",
    status,
    regions: { nyc3: image },
  });
  writeHistory(dir, [g(1, "1001", "live"), g(2, "1002", "previous"), g(3, "1003", "failed"), g(4, "1004", "previous")]);
  const outcome = await prune({
    generation,
    host: new RecordingHost(),
    tools: resolveToolPaths({ doctl: standIn(dir, "doctl", log) }, {}),
    env: {},
    keep: 2,
  });
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

test("argv contract: a template with required_plugins is initialised with packer init before the build", async () => {
  const { dir, log } = setup("init");
  fs.writeFileSync(
    path.join(dir, "images/web.pkr.hcl"),
    `packer {\n  required_plugins {\n    amazon = {\n      version = ">= 1.2.0"\n      source  = "github.com/hashicorp/amazon"\n    }\n  }\n}\n`,
  );
  fs.mkdirSync(path.join(dir, "infra"));
  const generation = await terraformGeneration(dir);
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
  const dry = async (block: string) =>
    describeRoll({ generation: await configFrom(dir, block, "web"), host: new RecordingHost(), tools: resolveToolPaths({}, {}), env: {} });
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
  assert.match(
    azure.join("\n"),
    /az vmss update --resource-group rg-web --name web-vmss --set[^]*<image from the bake>[^]*az vmss rolling-upgrade start[^]*get-latest/,
  );
  assert.ok(!fs.existsSync(path.join(dir, ".immutably")), "a dry run writes nothing");
});
