// Deletes the image of one generation with the tool that owns it: aws (AMI and snapshots), gcloud, az, doctl, or the file itself.
import fs from "node:fs";
import { builderKind } from "./artifacts.ts";
import { deleteImageArgs } from "./argv/gcloud.ts";
import { imageDeleteArgs } from "./argv/az.ts";
import { deleteSnapshotArgs, deregisterImageArgs, describeImagesArgs } from "./argv/aws.ts";
import { doctlImageDeleteArgs } from "./argv/doctl.ts";
import path from "node:path";
import { isInside, templateFolder, type GenerationConfig } from "./config.ts";
import type { FileIdentity, GenerationRecord } from "./history.ts";
import { parseJsonOutput } from "./strategies/poll.ts";
import type { ToolRunner } from "./tools.ts";

/** Which file this is (device, inode, size, modification time); undefined when it is not a regular file. */
export function fileIdentity(file: string): FileIdentity | undefined {
  try {
    const st = fs.lstatSync(file, { bigint: true });
    if (!st.isFile()) return undefined;
    return { dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtime_ns: String(st.mtimeNs) };
  } catch {
    return undefined;
  }
}

/**
 * Deletes a file builder's image, but only a file the bake recorded: a regular file (not a link), inside
 * the folder Packer ran in (where the file builder writes), and still the same file (device, inode, size
 * and modification time as recorded). History is a file in the repository; an edited record must not
 * make prune delete terraform.tfstate, the template or anything else.
 */
function deleteBakedFile(record: GenerationRecord, generation: GenerationConfig): void {
  const folder = templateFolder(generation.packerTemplate);
  const refuse = (why: string): Error => new Error(`refusing to delete ${record.image}: ${why}; delete it yourself if it is an old image`);
  if (!isInside(folder, record.image)) throw refuse(`it is outside the folder packer ran in (${folder})`);
  if (!fs.existsSync(record.image) && !isSymlink(record.image)) return; // Already gone: nothing to delete.
  if (!isInside(fs.realpathSync(folder), fs.realpathSync(path.dirname(record.image))))
    throw refuse(`its folder leads outside ${folder} through a symbolic link`);
  const now = fileIdentity(record.image);
  if (!now) throw refuse("it is not a regular file");
  if (!record.file_identity) throw refuse("the history records no identity for it (it was recorded by an older immutably)");
  const recorded = record.file_identity;
  if (now.dev !== recorded.dev || now.ino !== recorded.ino || now.size !== recorded.size || now.mtime_ns !== recorded.mtime_ns)
    throw refuse("it is not the file the bake produced (device, inode, size or modification time differ from the record)");
  fs.rmSync(record.image);
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The commands that delete a generation's image, for the confirmation and dry runs (AWS snapshots are found at run time). */
export function describeImageDeletion(record: GenerationRecord, generation: GenerationConfig, runner: ToolRunner): string[] {
  const cloud = generation.cloud;
  switch (builderKind(record.builder)) {
    case "file":
      return [`delete the file ${record.image}`];
    case "amazon":
      return regionsOf(record, generation).flatMap(([region, ami]) => [
        runner.display("aws", deregisterImageArgs(ami, region, cloud)),
        `  and each of its snapshots: ${runner.display("aws", ["ec2", "delete-snapshot", "--snapshot-id", "<snapshot>"])}`,
      ]);
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
  if (!generation.cloud.region)
    throw new Error(`generation ${record.name} #${record.number} records no region for ${record.image}; set cloud = { region = "..." }`);
  return [[generation.cloud.region, record.image]];
}

/** Deletes the image of one generation. Throws when the image could not be deleted. */
export async function deleteImage(
  record: GenerationRecord,
  generation: GenerationConfig,
  runner: ToolRunner,
  signal: AbortSignal,
): Promise<void> {
  const cloud = generation.cloud;
  const opts = { cwd: generation.configDir, timeoutMs: 10 * 60_000, signal };
  switch (builderKind(record.builder)) {
    case "file":
      deleteBakedFile(record, generation);
      return;
    case "amazon":
      for (const [region, ami] of regionsOf(record, generation)) {
        // Snapshots are looked up before deregistering: afterwards the image, and its mapping, is gone.
        const described = await runner.run("aws", describeImagesArgs(ami, region, cloud), { ...opts, quietStdout: true });
        const images =
          parseJsonOutput<{ Images?: Array<{ BlockDeviceMappings?: Array<{ Ebs?: { SnapshotId?: string } }> }> }>(
            described.stdout,
            "aws ec2 describe-images",
          ).Images ?? [];
        const snapshots = images
          .flatMap((i) => i.BlockDeviceMappings ?? [])
          .map((m) => m.Ebs?.SnapshotId)
          .filter((s): s is string => typeof s === "string");
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
