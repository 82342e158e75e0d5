// Pure argv builders for the az CLI (scale sets, images). Covered by argv contract tests only.
import type { CloudSettings } from "../config.ts";
import { validated } from "../validate.ts";

function scope(vmss: string, cloud: CloudSettings): string[] {
  const args = [
    "--resource-group",
    validated("azureResourceGroup", "resource group", cloud.resourceGroup ?? ""),
    "--name",
    validated("azureName", "scale set", vmss),
  ];
  if (cloud.subscription) args.push("--subscription", validated("azureSubscription", "subscription", cloud.subscription));
  return args;
}

/** Points the scale set model at the new managed image; instances change only through the rolling upgrade. */
export function vmssSetImageArgs(vmss: string, imageId: string, cloud: CloudSettings): string[] {
  return [
    "vmss",
    "update",
    ...scope(vmss, cloud),
    "--set",
    `virtualMachineProfile.storageProfile.imageReference.id=${validated("azureImageId", "managed image id", imageId)}`,
    "--output",
    "json",
  ];
}

export function rollingUpgradeStartArgs(vmss: string, cloud: CloudSettings): string[] {
  return ["vmss", "rolling-upgrade", "start", ...scope(vmss, cloud), "--output", "json"];
}

export function rollingUpgradeLatestArgs(vmss: string, cloud: CloudSettings): string[] {
  return ["vmss", "rolling-upgrade", "get-latest", ...scope(vmss, cloud), "--output", "json"];
}

export function rollingUpgradeCancelArgs(vmss: string, cloud: CloudSettings): string[] {
  return ["vmss", "rolling-upgrade", "cancel", ...scope(vmss, cloud)];
}

export function imageDeleteArgs(imageId: string, cloud: CloudSettings): string[] {
  const args = ["image", "delete", "--ids", validated("azureImageId", "managed image id", imageId)];
  if (cloud.subscription) args.push("--subscription", validated("azureSubscription", "subscription", cloud.subscription));
  return args;
}
