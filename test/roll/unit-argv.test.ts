// Pure unit tests for every argv builder: exact argv, `--` where the tool allows it, validation of values that could become options.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "../../server/src/roll/argv/aws.ts";
import * as az from "../../server/src/roll/argv/az.ts";
import { doctlImageDeleteArgs } from "../../server/src/roll/argv/doctl.ts";
import * as gcloud from "../../server/src/roll/argv/gcloud.ts";
import { packerBuildArgs, packerInitArgs } from "../../server/src/roll/argv/packer.ts";
import * as tf from "../../server/src/roll/argv/terraform.ts";
import { InvalidValueError } from "../../server/src/roll/validate.ts";

const cloud = { region: "eu-west-1", profile: "prod" };
const gcp = { project: "my-project-1", zone: "europe-west1-b" };
const azure = { resourceGroup: "rg-web", subscription: "0000-sub" };
const imageId = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-web/providers/Microsoft.Compute/images/web-7";

test("packer init ends options before the template", () => {
  assert.deepEqual(packerInitArgs("/w/images/web.pkr.hcl"), ["init", "--", "/w/images/web.pkr.hcl"]);
  assert.deepEqual(packerInitArgs("-rf"), ["init", "--", "-rf"]);
});

test("packer build passes each var as one argv element, sorted, and ends options", () => {
  assert.deepEqual(packerBuildArgs("/w/t.pkr.hcl", { region: "eu-west-1", b: "x y; $(rm -rf /)\n-z" }), [
    "build",
    "-machine-readable",
    "-color=false",
    "-var",
    "b=x y; $(rm -rf /)\n-z",
    "-var",
    "region=eu-west-1",
    "--",
    "/w/t.pkr.hcl",
  ]);
});

test("packer build refuses a variable name that could be an option or carry shell code", () => {
  for (const bad of ["-force", "a b", "x;y", "$(id)", "a\nb", ""])
    assert.throws(() => packerBuildArgs("/t", { [bad]: "v" }), InvalidValueError, bad);
});

test("terraform argv: init, plan -out, show -json, apply of the plan, state rm, output", () => {
  assert.deepEqual(tf.terraformInitArgs(), ["init", "-input=false", "-no-color"]);
  assert.deepEqual(tf.terraformPlanArgs("/s/web.tfplan"), ["plan", "-input=false", "-no-color", "-out=/s/web.tfplan"]);
  assert.deepEqual(tf.terraformShowPlanArgs("/s/web.tfplan"), ["show", "-json", "-no-color", "--", "/s/web.tfplan"]);
  assert.deepEqual(tf.terraformApplyArgs("/s/web.tfplan"), ["apply", "-input=false", "-no-color", "--", "/s/web.tfplan"]);
  assert.deepEqual(tf.terraformStateRmArgs(['terraform_data.web["a b"]', "module.x.aws_instance.y[0]"]), [
    "state",
    "rm",
    "-no-color",
    "--",
    'terraform_data.web["a b"]',
    "module.x.aws_instance.y[0]",
  ]);
  assert.deepEqual(tf.terraformOutputArgs(), ["output", "-json", "-no-color"]);
  assert.throws(() => tf.terraformStateRmArgs(["-lock=false"]), InvalidValueError);
  assert.throws(() => tf.terraformStateRmArgs(["a\nb"]), InvalidValueError);
});

test("aws common options carry region, profile and endpoint; invalid ones are refused", () => {
  assert.deepEqual(aws.awsCommonArgs({ ...cloud, endpointUrl: "http://127.0.0.1:9" }), [
    "--output",
    "json",
    "--region",
    "eu-west-1",
    "--profile",
    "prod",
    "--endpoint-url",
    "http://127.0.0.1:9",
  ]);
  assert.deepEqual(aws.awsCommonArgs({}), ["--output", "json"]);
  assert.throws(() => aws.awsCommonArgs({ region: "--debug" }), InvalidValueError);
  assert.throws(() => aws.awsCommonArgs({ profile: "-p" }), InvalidValueError);
});

test("aws instance refresh argv", () => {
  assert.deepEqual(aws.describeAutoScalingGroupArgs("web-asg", cloud), [
    "autoscaling",
    "describe-auto-scaling-groups",
    "--auto-scaling-group-names",
    "web-asg",
    "--output",
    "json",
    "--region",
    "eu-west-1",
    "--profile",
    "prod",
  ]);
  assert.deepEqual(
    aws
      .createLaunchTemplateVersionArgs("lt-0123456789abcdef0", "$Latest", "ami-0123456789abcdef0", "immutably web generation 3", cloud)
      .slice(0, 10),
    [
      "ec2",
      "create-launch-template-version",
      "--launch-template-id",
      "lt-0123456789abcdef0",
      "--source-version",
      "$Latest",
      "--version-description",
      "immutably web generation 3",
      "--launch-template-data",
      '{"ImageId":"ami-0123456789abcdef0"}',
    ],
  );
  assert.deepEqual(aws.startInstanceRefreshArgs("web-asg", "lt-0123456789abcdef0", "4", {}), [
    "autoscaling",
    "start-instance-refresh",
    "--auto-scaling-group-name",
    "web-asg",
    "--desired-configuration",
    '{"LaunchTemplate":{"LaunchTemplateId":"lt-0123456789abcdef0","Version":"4"}}',
    "--preferences",
    '{"MinHealthyPercentage":90,"InstanceWarmup":60,"SkipMatching":false}',
    "--output",
    "json",
  ]);
  assert.deepEqual(aws.describeInstanceRefreshesArgs("web-asg", "12345678-1234-1234-1234-123456789012", {}).slice(0, 6), [
    "autoscaling",
    "describe-instance-refreshes",
    "--auto-scaling-group-name",
    "web-asg",
    "--instance-refresh-ids",
    "12345678-1234-1234-1234-123456789012",
  ]);
  assert.deepEqual(aws.cancelInstanceRefreshArgs("web-asg", {}), [
    "autoscaling",
    "cancel-instance-refresh",
    "--auto-scaling-group-name",
    "web-asg",
    "--output",
    "json",
  ]);
  assert.deepEqual(aws.detachInstancesArgs("web-asg", ["i-0123456789abcdef0"], {}), [
    "autoscaling",
    "detach-instances",
    "--auto-scaling-group-name",
    "web-asg",
    "--no-should-decrement-desired-capacity",
    "--instance-ids",
    "i-0123456789abcdef0",
    "--output",
    "json",
  ]);
  assert.deepEqual(aws.tagIsolatedArgs(["i-0123456789abcdef0"], "web", 3, {}), [
    "ec2",
    "create-tags",
    "--resources",
    "i-0123456789abcdef0",
    "--tags",
    '[{"Key":"immutably:isolated","Value":"true"},{"Key":"immutably:generation","Value":"web/3"}]',
    "--output",
    "json",
  ]);
  assert.throws(() => aws.createLaunchTemplateVersionArgs("lt-0123456789abcdef0", "1; rm", "ami-0123456789abcdef0", "d", {}), /version/);
  assert.throws(() => aws.startInstanceRefreshArgs("web-asg", "lt-0123456789abcdef0", "$Latest", {}), /not a number/);
  assert.throws(() => aws.describeAutoScalingGroupArgs("-web", {}), InvalidValueError);
  assert.throws(() => aws.detachInstancesArgs("web", ["i-1; id"], {}), InvalidValueError);
});

test("aws prune argv: describe, deregister, delete snapshot, per region", () => {
  assert.deepEqual(aws.describeImagesArgs("ami-0123456789abcdef0", "us-east-1", cloud), [
    "ec2",
    "describe-images",
    "--image-ids",
    "ami-0123456789abcdef0",
    "--output",
    "json",
    "--region",
    "us-east-1",
    "--profile",
    "prod",
  ]);
  assert.deepEqual(aws.deregisterImageArgs("ami-0123456789abcdef0", "us-east-1", {}), [
    "ec2",
    "deregister-image",
    "--image-id",
    "ami-0123456789abcdef0",
    "--output",
    "json",
    "--region",
    "us-east-1",
  ]);
  assert.deepEqual(aws.deleteSnapshotArgs("snap-0123456789abcdef0", "us-east-1", {}), [
    "ec2",
    "delete-snapshot",
    "--snapshot-id",
    "snap-0123456789abcdef0",
    "--output",
    "json",
    "--region",
    "us-east-1",
  ]);
  assert.throws(() => aws.deregisterImageArgs("ami-XYZ", "us-east-1", {}), InvalidValueError);
});

test("gcloud argv: template from the current one, rolling update, wait, abandon, delete image", () => {
  assert.deepEqual(gcloud.describeManagedGroupArgs("web-mig", gcp), [
    "compute",
    "instance-groups",
    "managed",
    "describe",
    "web-mig",
    "--project",
    "my-project-1",
    "--zone",
    "europe-west1-b",
    "--format=json",
  ]);
  assert.deepEqual(gcloud.createInstanceTemplateArgs("immutably-web-3-x", "web-tmpl-2", "web-image-3", gcp), [
    "compute",
    "instance-templates",
    "create",
    "immutably-web-3-x",
    "--source-instance-template=web-tmpl-2",
    "--image=web-image-3",
    "--project",
    "my-project-1",
    "--format=json",
  ]);
  assert.deepEqual(gcloud.startUpdateArgs("web-mig", "immutably-web-3-x", gcp), [
    "compute",
    "instance-groups",
    "managed",
    "rolling-action",
    "start-update",
    "web-mig",
    "--version=template=immutably-web-3-x",
    "--project",
    "my-project-1",
    "--zone",
    "europe-west1-b",
    "--quiet",
  ]);
  assert.deepEqual(gcloud.waitUntilStableArgs("web-mig", 600.5, gcp), [
    "compute",
    "instance-groups",
    "managed",
    "wait-until",
    "web-mig",
    "--stable",
    "--timeout=600",
    "--project",
    "my-project-1",
    "--zone",
    "europe-west1-b",
  ]);
  assert.deepEqual(gcloud.abandonInstancesArgs("web-mig", ["web-a", "web-b"], gcp), [
    "compute",
    "instance-groups",
    "managed",
    "abandon-instances",
    "web-mig",
    "--instances=web-a,web-b",
    "--project",
    "my-project-1",
    "--zone",
    "europe-west1-b",
    "--quiet",
  ]);
  assert.deepEqual(gcloud.deleteImageArgs("web-image-1", gcp), [
    "compute",
    "images",
    "delete",
    "web-image-1",
    "--project",
    "my-project-1",
    "--quiet",
  ]);
  assert.deepEqual(gcloud.listManagedInstancesArgs("web-mig", gcp), [
    "compute",
    "instance-groups",
    "managed",
    "list-instances",
    "web-mig",
    "--project",
    "my-project-1",
    "--zone",
    "europe-west1-b",
    "--format=json",
  ]);
  for (const bad of ["-web", "Web", "web;id", "web image", "web,other"])
    assert.throws(() => gcloud.deleteImageArgs(bad, gcp), InvalidValueError, bad);
  assert.throws(() => gcloud.describeManagedGroupArgs("web", {}), InvalidValueError);
});

test("az argv: set image, rolling upgrade start/get-latest/cancel, image delete", () => {
  assert.deepEqual(az.vmssSetImageArgs("web-vmss", imageId, azure), [
    "vmss",
    "update",
    "--resource-group",
    "rg-web",
    "--name",
    "web-vmss",
    "--subscription",
    "0000-sub",
    "--set",
    `virtualMachineProfile.storageProfile.imageReference.id=${imageId}`,
    "--output",
    "json",
  ]);
  assert.deepEqual(az.rollingUpgradeStartArgs("web-vmss", { resourceGroup: "rg-web" }), [
    "vmss",
    "rolling-upgrade",
    "start",
    "--resource-group",
    "rg-web",
    "--name",
    "web-vmss",
    "--output",
    "json",
  ]);
  assert.deepEqual(az.rollingUpgradeLatestArgs("web-vmss", { resourceGroup: "rg-web" }), [
    "vmss",
    "rolling-upgrade",
    "get-latest",
    "--resource-group",
    "rg-web",
    "--name",
    "web-vmss",
    "--output",
    "json",
  ]);
  assert.deepEqual(az.rollingUpgradeCancelArgs("web-vmss", { resourceGroup: "rg-web" }), [
    "vmss",
    "rolling-upgrade",
    "cancel",
    "--resource-group",
    "rg-web",
    "--name",
    "web-vmss",
  ]);
  assert.deepEqual(az.imageDeleteArgs(imageId, {}), ["image", "delete", "--ids", imageId]);
  assert.throws(() => az.imageDeleteArgs(`${imageId} --yes`, {}), InvalidValueError);
  assert.throws(() => az.vmssSetImageArgs("-web", imageId, azure), InvalidValueError);
});

test("doctl argv ends options before the numeric image id", () => {
  assert.deepEqual(doctlImageDeleteArgs("123456"), ["compute", "image", "delete", "--force", "--", "123456"]);
  assert.throws(() => doctlImageDeleteArgs("-1"), InvalidValueError);
  assert.throws(() => doctlImageDeleteArgs("12 34"), InvalidValueError);
});
