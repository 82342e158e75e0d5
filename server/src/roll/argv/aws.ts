// Pure argv builders for the aws CLI (EC2 and Auto Scaling). Unit-tested in test/roll/argv.test.ts and exercised by the loopback tests.
import type { CloudSettings } from "../config.ts";
import { validated } from "../validate.ts";

/**
 * Options every aws call carries: JSON output, and the region, profile and endpoint from the config.
 * The aws CLI has no `--` for its own options, so every value placed here is validated instead; a value
 * that passed validation cannot start with `-`.
 */
export function awsCommonArgs(cloud: CloudSettings, region = cloud.region): string[] {
  const args = ["--output", "json"];
  if (region) args.push("--region", validated("region", "AWS region", region));
  if (cloud.profile) args.push("--profile", validated("profile", "AWS profile", cloud.profile));
  if (cloud.endpointUrl) args.push("--endpoint-url", cloud.endpointUrl);
  return args;
}

export function describeAutoScalingGroupArgs(asg: string, cloud: CloudSettings): string[] {
  return [
    "autoscaling",
    "describe-auto-scaling-groups",
    "--auto-scaling-group-names",
    validated("asgName", "Auto Scaling group", asg),
    ...awsCommonArgs(cloud),
  ];
}

/** A new launch template version that differs from `sourceVersion` only in its AMI. */
export function createLaunchTemplateVersionArgs(
  launchTemplateId: string,
  sourceVersion: string,
  ami: string,
  description: string,
  cloud: CloudSettings,
): string[] {
  if (!/^[0-9]+$|^\$Latest$|^\$Default$/.test(sourceVersion))
    throw new Error(`launch template version ${JSON.stringify(sourceVersion)} is not valid: expected a number, $Latest or $Default`);
  return [
    "ec2",
    "create-launch-template-version",
    "--launch-template-id",
    validated("launchTemplateId", "launch template id", launchTemplateId),
    "--source-version",
    sourceVersion,
    "--version-description",
    description.replace(/[^A-Za-z0-9 _.:-]/g, "_").slice(0, 255),
    "--launch-template-data",
    JSON.stringify({ ImageId: validated("amiId", "AMI", ami) }),
    ...awsCommonArgs(cloud),
  ];
}

/** Starts an instance refresh to a launch template version; on success the group keeps that version. */
export function startInstanceRefreshArgs(asg: string, launchTemplateId: string, version: string, cloud: CloudSettings): string[] {
  if (!/^[0-9]+$/.test(version)) throw new Error(`launch template version ${JSON.stringify(version)} is not a number`);
  return [
    "autoscaling",
    "start-instance-refresh",
    "--auto-scaling-group-name",
    validated("asgName", "Auto Scaling group", asg),
    "--desired-configuration",
    JSON.stringify({
      LaunchTemplate: { LaunchTemplateId: validated("launchTemplateId", "launch template id", launchTemplateId), Version: version },
    }),
    "--preferences",
    JSON.stringify({ MinHealthyPercentage: 90, InstanceWarmup: 60, SkipMatching: false }),
    ...awsCommonArgs(cloud),
  ];
}

export function describeInstanceRefreshesArgs(asg: string, refreshId: string, cloud: CloudSettings): string[] {
  return [
    "autoscaling",
    "describe-instance-refreshes",
    "--auto-scaling-group-name",
    validated("asgName", "Auto Scaling group", asg),
    "--instance-refresh-ids",
    validated("refreshId", "instance refresh id", refreshId),
    ...awsCommonArgs(cloud),
  ];
}

export function cancelInstanceRefreshArgs(asg: string, cloud: CloudSettings): string[] {
  return [
    "autoscaling",
    "cancel-instance-refresh",
    "--auto-scaling-group-name",
    validated("asgName", "Auto Scaling group", asg),
    ...awsCommonArgs(cloud),
  ];
}

/** Takes instances out of the group without lowering its capacity, so the group launches replacements (isolate). */
export function detachInstancesArgs(asg: string, instanceIds: readonly string[], cloud: CloudSettings): string[] {
  return [
    "autoscaling",
    "detach-instances",
    "--auto-scaling-group-name",
    validated("asgName", "Auto Scaling group", asg),
    "--no-should-decrement-desired-capacity",
    "--instance-ids",
    ...instanceIds.map((id) => validated("instanceId", "instance id", id)),
    ...awsCommonArgs(cloud),
  ];
}

/** Tags isolated instances so that they are easy to find and are not mistaken for serving machines. */
export function tagIsolatedArgs(
  instanceIds: readonly string[],
  generationName: string,
  generationNumber: number,
  cloud: CloudSettings,
): string[] {
  return [
    "ec2",
    "create-tags",
    "--resources",
    ...instanceIds.map((id) => validated("instanceId", "instance id", id)),
    "--tags",
    JSON.stringify([
      { Key: "immutably:isolated", Value: "true" },
      { Key: "immutably:generation", Value: `${validated("generationName", "generation name", generationName)}/${generationNumber}` },
    ]),
    ...awsCommonArgs(cloud),
  ];
}

export function describeImagesArgs(ami: string, region: string, cloud: CloudSettings): string[] {
  return ["ec2", "describe-images", "--image-ids", validated("amiId", "AMI", ami), ...awsCommonArgs(cloud, region)];
}

export function deregisterImageArgs(ami: string, region: string, cloud: CloudSettings): string[] {
  return ["ec2", "deregister-image", "--image-id", validated("amiId", "AMI", ami), ...awsCommonArgs(cloud, region)];
}

export function deleteSnapshotArgs(snapshotId: string, region: string, cloud: CloudSettings): string[] {
  return ["ec2", "delete-snapshot", "--snapshot-id", validated("snapshotId", "snapshot id", snapshotId), ...awsCommonArgs(cloud, region)];
}
