// LOOPBACK: the real aws CLI (--endpoint-url) against an in-test EC2/Auto Scaling server; packer is a stand-in that prints amazon-ebs machine-readable artifacts.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import type { GenerationConfig } from "../../server/src/roll/config.ts";
import { prune, roll } from "../../server/src/roll/pipeline.ts";
import { resolveToolPaths } from "../../server/src/roll/tools.ts";
import { startLoopbackAws, type LoopbackAws } from "./aws-loopback-server.ts";
import { configFrom, RecordingHost, requireTool, tempDir } from "./helpers.ts";

// AWS's documented example credentials: the shapes the redaction must catch, not real keys.
const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = `IQoJb3JpZ2luX2VjEHYaCXVzLWVhc3QtMSJHMEUCIQD${"B".repeat(100)}`;

let dir = "";
let server: LoopbackAws;
let awsPath = "";
let packerStandIn = "";

before(async () => {
  awsPath = requireTool("aws", "apt-get install -y awscli");
  server = await startLoopbackAws();
  dir = tempDir("aws");
  fs.mkdirSync(path.join(dir, "images"));
  fs.writeFileSync(path.join(dir, "images/web.pkr.hcl"), "# baked by the stand-in\n");
  // The packer stand-in prints what amazon-ebs prints on success, with a new AMI per bake.
  packerStandIn = path.join(dir, "packer");
  fs.writeFileSync(
    packerStandIn,
    `#!${process.execPath}
const fs = require("node:fs");
const counter = ${JSON.stringify(path.join(dir, "bakes"))};
const n = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, "utf8")) : 0) + 1;
fs.writeFileSync(counter, String(n));
const ami = "ami-0" + String(n).padStart(16, "0");
const t = Math.floor(Date.now() / 1000);
for (const l of ["ui,say,==> amazon-ebs.web: AMI: " + ami, "artifact-count,1", "artifact,0,builder-id,mitchellh.amazonebs", "artifact,0,id,eu-west-1:" + ami, "artifact,0,string,AMIs were created:\\\\neu-west-1: " + ami, "artifact,0,files-count,0", "artifact,0,end"]) {
  console.log(t + "," + (l.startsWith("ui") ? "" : "amazon-ebs.web") + "," + l);
}
`,
    { mode: 0o755 },
  );
});
after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function generation(retire = "destroy"): Promise<GenerationConfig> {
  return configFrom(
    dir,
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  strategy        = "aws-instance-refresh"
  target          = "web-asg"
  cloud           = { region = "eu-west-1", endpoint_url = "${server.url}" }
  retire          = "${retire}"
  wait_timeout    = "90s"
  verify {
    http    = "${server.url}/healthz"
    timeout = "20s"
  }
}`,
    "web",
  );
}

const env = {
  PATH: process.env.PATH ?? "",
  HOME: dir,
  AWS_ACCESS_KEY_ID: KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_SESSION_TOKEN: TOKEN,
  AWS_CONFIG_FILE: path.join(dir, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "no-aws-credentials"),
  AWS_EC2_METADATA_DISABLED: "true",
};

async function run(host: RecordingHost, retire = "destroy") {
  return roll({
    generation: await generation(retire),
    host,
    tools: resolveToolPaths({ packer: packerStandIn, aws: awsPath }, {}),
    env,
    pollIntervalMs: 50,
  });
}

function historyText(): string {
  return fs.readFileSync(path.join(dir, ".immutably/generations.json"), "utf8");
}

test(
  "loopback: a roll creates a launch template version with the new AMI, refreshes the group and polls it to Successful",
  { timeout: 240_000 },
  async () => {
    server.health.push(503);
    server.refreshScript.push("succeed-after-a-poll");
    const host = new RecordingHost();
    const outcome = await run(host);
    assert.equal(outcome.exitCode, 0, host.text());
    assert.deepEqual(server.actions(), [
      "DescribeAutoScalingGroups",
      "CreateLaunchTemplateVersion",
      "StartInstanceRefresh",
      "DescribeInstanceRefreshes",
      "DescribeInstanceRefreshes",
    ]);
    const create = server.calls[1].params;
    assert.equal(create["LaunchTemplateId"], "lt-0123456789abcdef0");
    assert.equal(create["SourceVersion"], "$Latest");
    assert.equal(create["LaunchTemplateData.ImageId"], "ami-00000000000000001");
    const start = server.calls[2].params;
    assert.equal(start["AutoScalingGroupName"], "web-asg");
    assert.equal(start["DesiredConfiguration.LaunchTemplate.Version"], "2");
    assert.equal(start["Preferences.MinHealthyPercentage"], "90");
    assert.equal(server.calls[0].accessKeyId, KEY_ID, "the CLI really signed with the environment's credentials");
    assert.match(host.text(), /GET .*\/healthz: HTTP 503; retrying[^]*GET .*\/healthz: 200/);
    assert.deepEqual(
      outcome.generations.map((g) => `${g.number}:${g.status}:${g.image}`),
      ["1:live:ami-00000000000000001"],
    );
    assert.deepEqual(outcome.generations[0].regions, { "eu-west-1": "ami-00000000000000001" });
  },
);

test(
  "loopback: a failed refresh puts the previous AMI back, and the credentials it echoed are redacted everywhere",
  { timeout: 240_000 },
  async () => {
    server.calls.length = 0;
    server.refreshScript.push("fail-echoing-credentials");
    const host = new RecordingHost();
    const outcome = await run(host);
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(
      server.calls.filter((c) => c.action === "CreateLaunchTemplateVersion").map((c) => c.params["LaunchTemplateData.ImageId"]),
      ["ami-00000000000000002", "ami-00000000000000001"],
      "the undo created a version with the previous AMI",
    );
    assert.equal(server.actions().filter((a) => a === "StartInstanceRefresh").length, 2);
    assert.deepEqual(
      outcome.generations.map((g) => `${g.number}:${g.status}`),
      ["1:live", "2:failed"],
    );
    const everything = [host.text(), outcome.summary.join("\n"), historyText()].join("\n");
    assert.match(everything, /ended Failed: Access denied for \[REDACTED\] with token \[REDACTED\]/);
    for (const secret of [KEY_ID, SECRET, TOKEN]) assert.ok(!everything.includes(secret), `${secret.slice(0, 8)}… leaked`);
  },
);

test("loopback: cancelling while the refresh runs cancels it in AWS, then puts the previous AMI back", { timeout: 240_000 }, async () => {
  server.calls.length = 0;
  server.refreshScript.push("hang");
  const host = new RecordingHost();
  host.abortOn = /^instance refresh InProgress/;
  const outcome = await run(host);
  assert.equal(outcome.exitCode, 1);
  assert.ok(server.actions().includes("CancelInstanceRefresh"), server.actions().join(","));
  assert.match(
    outcome.summary.join("\n"),
    /roll of web to #3 was cancelled during promote[^]*#1 was promoted again and verified; it is live/,
  );
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:live", "2:failed", "3:failed"],
  );
});

test("loopback: retire = isolate detaches the old instances without lowering capacity and tags them", { timeout: 240_000 }, async () => {
  server.calls.length = 0;
  const host = new RecordingHost();
  const outcome = await run(host, "isolate");
  assert.equal(outcome.exitCode, 0, host.text());
  const detach = server.calls.find((c) => c.action === "DetachInstances");
  assert.ok(detach);
  assert.equal(detach.params["ShouldDecrementDesiredCapacity"], "false");
  assert.ok(detach.params["InstanceIds.member.1"]?.startsWith("i-0"));
  const tags = server.calls.find((c) => c.action === "CreateTags");
  assert.ok(tags);
  assert.equal(tags.params["Tag.1.Key"], "immutably:isolated");
  assert.equal(tags.params["Tag.2.Value"], "web/4");
  assert.deepEqual(server.actions().indexOf("DetachInstances") < server.actions().indexOf("StartInstanceRefresh"), true);
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:isolated", "2:failed", "3:failed", "4:live"],
  );
});

test("loopback: prune deregisters each AMI beyond keep and deletes its snapshots, never the live one", { timeout: 240_000 }, async () => {
  server.calls.length = 0;
  const host = new RecordingHost();
  const outcome = await prune({
    generation: await generation(),
    host,
    tools: resolveToolPaths({ packer: packerStandIn, aws: awsPath }, {}),
    env,
    keep: 1,
  });
  assert.equal(outcome.exitCode, 0, host.text());
  const deregistered = server.calls.filter((c) => c.action === "DeregisterImage").map((c) => c.params["ImageId"]);
  assert.deepEqual(deregistered.sort(), ["ami-00000000000000001", "ami-00000000000000002", "ami-00000000000000003"]);
  assert.deepEqual(
    server.calls
      .filter((c) => c.action === "DeleteSnapshot")
      .map((c) => c.params["SnapshotId"])
      .sort(),
    ["snap-00000000000000001", "snap-00000000000000002", "snap-00000000000000003"],
  );
  assert.ok(!deregistered.includes("ami-00000000000000004"));
  assert.equal(host.confirmations.length, 1);
  assert.deepEqual(
    outcome.generations.map((g) => `${g.number}:${g.status}`),
    ["1:pruned", "2:pruned", "3:pruned", "4:live"],
  );
});
