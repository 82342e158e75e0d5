// Pure argv builders for gcloud (managed instance groups, instance templates, images). Covered by argv contract tests only.
import type { CloudSettings } from "../config.ts";
import { validated } from "../validate.ts";

/** Project, zone and JSON output; gcloud's positional arguments are validated names, which cannot start with `-`. */
function scope(cloud: CloudSettings): string[] {
  return [
    "--project",
    validated("gcpProject", "GCP project", cloud.project ?? ""),
    "--zone",
    validated("region", "GCP zone", cloud.zone ?? ""),
  ];
}

export function describeManagedGroupArgs(mig: string, cloud: CloudSettings): string[] {
  return [
    "compute",
    "instance-groups",
    "managed",
    "describe",
    validated("gceName", "managed instance group", mig),
    ...scope(cloud),
    "--format=json",
  ];
}

export function listManagedInstancesArgs(mig: string, cloud: CloudSettings): string[] {
  return [
    "compute",
    "instance-groups",
    "managed",
    "list-instances",
    validated("gceName", "managed instance group", mig),
    ...scope(cloud),
    "--format=json",
  ];
}

/** A new instance template: a copy of the group's current one with the new image. */
export function createInstanceTemplateArgs(templateName: string, sourceTemplate: string, image: string, cloud: CloudSettings): string[] {
  return [
    "compute",
    "instance-templates",
    "create",
    validated("gceName", "instance template", templateName),
    `--source-instance-template=${validated("gceName", "instance template", sourceTemplate)}`,
    `--image=${validated("gceName", "image", image)}`,
    "--project",
    validated("gcpProject", "GCP project", cloud.project ?? ""),
    "--format=json",
  ];
}

export function startUpdateArgs(mig: string, template: string, cloud: CloudSettings): string[] {
  return [
    "compute",
    "instance-groups",
    "managed",
    "rolling-action",
    "start-update",
    validated("gceName", "managed instance group", mig),
    `--version=template=${validated("gceName", "instance template", template)}`,
    ...scope(cloud),
    "--quiet",
  ];
}

export function waitUntilStableArgs(mig: string, timeoutSeconds: number, cloud: CloudSettings): string[] {
  return [
    "compute",
    "instance-groups",
    "managed",
    "wait-until",
    validated("gceName", "managed instance group", mig),
    "--stable",
    `--timeout=${Math.max(1, Math.floor(timeoutSeconds))}`,
    ...scope(cloud),
  ];
}

/** Takes instances out of the group and keeps them running (isolate). */
export function abandonInstancesArgs(mig: string, instances: readonly string[], cloud: CloudSettings): string[] {
  return [
    "compute",
    "instance-groups",
    "managed",
    "abandon-instances",
    validated("gceName", "managed instance group", mig),
    `--instances=${instances.map((i) => validated("gceName", "instance", i)).join(",")}`,
    ...scope(cloud),
    "--quiet",
  ];
}

export function deleteImageArgs(image: string, cloud: CloudSettings): string[] {
  return [
    "compute",
    "images",
    "delete",
    validated("gceName", "image", image),
    "--project",
    validated("gcpProject", "GCP project", cloud.project ?? ""),
    "--quiet",
  ];
}
