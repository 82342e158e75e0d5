// Deletes the image of one generation with the tool that owns it: aws (AMI and snapshots), gcloud, az, doctl, or the file itself.
import fs from "node:fs";
import { builderKind } from "./artifacts.ts";
import { deleteImageArgs } from "./argv/gcloud.ts";
import { imageDeleteArgs } from "./argv/az.ts";
import { deleteSnapshotArgs, deregisterImageArgs, describeImagesArgs } from "./argv/aws.ts";
import { doctlImageDeleteArgs } from "./argv/doctl.ts";
import { isInside, type GenerationConfig } from "./config.ts";
import type { GenerationRecord } from "./history.ts";
import { parseJsonOutput } from "./strategies/poll.ts";
import type { ToolRunner } from "./tools.ts";

/** The commands that delete a generation's image, for the confirmation and dry runs (AWS snapshots are found at run time). */
export function describeImageDeletion(record: GenerationRecord, generation: GenerationConfig, runner: ToolRunner): string[] {
  const cloud = generation.cloud;
  switch (builderKind(record.builder)) {
    case "file":
      return [`delete the file ${record.image}`];
    case "amazon":
      return regionsOf(record, generation).flatMap(([region, ami]) => [runner.display("aws", deregisterImageArgs(ami, region, cloud)), `  and each of its snapshots: ${runner.display("aws", ["ec2", "delete-snapshot", "--snapshot-id", "<snapshot>"])}`]);
    case "googlecompute":
      return [runner.display("gcloud", deleteImageArgs(record.image, cloud))];
    case "azure-arm":
      return [runner.display("az", imageDeleteArgs(record.image, cloud))];
    case "digitalocean":
      return [runner.display("doctl", doctlImageDeleteArgs(record.image))];
    case "docker":
    case undefined:
      return [`(not supported: images from builder ${record.builder} are not pruned by immutably)`];
  }
}

function regionsOf(record: GenerationRecord, generation: GenerationConfig): Array<[string, string]> {
  const regions = Object.entries(record.regions ?? {});
  if (regions.length) return regions;
  if (!generation.cloud.region) throw new Error(`generation ${record.name} #${record.number} records no region for ${record.image}; set cloud = { region = "..." }`);
  return [[generation.cloud.region, record.image]];
}

/** Deletes the image of one generation. Throws when the image could not be deleted. */
export async function deleteImage(record: GenerationRecord, generation: GenerationConfig, runner: ToolRunner, signal: AbortSignal): Promise<void> {
  const cloud = generation.cloud;
  const opts = { cwd: generation.configDir, timeoutMs: 10 * 60_000, signal };
  switch (builderKind(record.builder)) {
    case "file":
      // History is a file in the repository; a tampered record must not make prune delete files elsewhere.
      if (!isInside(generation.configDir, record.image)) throw new Error(`refusing to delete ${record.image}: it is outside ${generation.configDir}`);
      fs.rmSync(record.image, { force: true });
      return;
    case "amazon":
      for (const [region, ami] of regionsOf(record, generation)) {
        // Snapshots are looked up before deregistering: afterwards the image, and its mapping, is gone.
        const described = await runner.run("aws", describeImagesArgs(ami, region, cloud), { ...opts, quietStdout: true });
        const images = parseJsonOutput<{ Images?: Array<{ BlockDeviceMappings?: Array<{ Ebs?: { SnapshotId?: string } }> }> }>(described.stdout, "aws ec2 describe-images").Images ?? [];
        const snapshots = images.flatMap((i) => i.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((s): s is string => typeof s === "string");
        await runner.run("aws", deregisterImageArgs(ami, region, cloud), opts);
        for (const snapshot of snapshots) await runner.run("aws", deleteSnapshotArgs(snapshot, region, cloud), opts);
      }
      return;
    case "googlecompute":
      await runner.run("gcloud", deleteImageArgs(record.image, cloud), opts);
      return;
    case "azure-arm":
      await runner.run("az", imageDeleteArgs(record.image, cloud), opts);
      return;
    case "digitalocean":
      await runner.run("doctl", doctlImageDeleteArgs(record.image), opts);
      return;
    case "docker":
    case undefined:
      throw new Error(`images from builder ${record.builder} are not pruned by immutably; delete ${record.image} yourself`);
  }
}
