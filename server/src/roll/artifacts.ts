// Reads what `packer build` produced: artifacts from machine-readable output and the manifest, and the image each one names.
import path from "node:path";
import { isValid, PATTERNS, type PatternName } from "./validate.ts";

/** The builder families the roll knows how to promote and prune. */
export type BuilderKind = "amazon" | "googlecompute" | "azure-arm" | "digitalocean" | "docker" | "file";

/** One artifact as reported on `artifact,N,...` machine-readable lines. */
export interface MachineArtifact {
  /** The build name in the second column (`amazon-ebs.web`, `file.image`). */
  target: string;
  index: number;
  builderId: string;
  id: string;
  description: string;
  files: string[];
}

/** One build of the current run as recorded by the manifest post-processor. */
export interface ManifestBuild {
  name: string;
  builderType: string;
  artifactId: string;
  files: string[];
  runUuid: string;
}

/** The image a bake produced, ready to record and promote. */
export interface BakedArtifact {
  kind: BuilderKind;
  /** The builder id or manifest builder_type it came from. */
  builder: string;
  /** The artifact id exactly as Packer reported it (`eu-west-1:ami-1,us-east-1:ami-2`). */
  artifactId: string;
  /** The reference the infrastructure consumes: an AMI id, image name, managed image id, snapshot id, docker image, or absolute file path. */
  image: string;
  /** Per-region images for builders that copy to several regions (amazon, digitalocean). */
  regions: Record<string, string>;
  /** The manifest's `packer_run_uuid` of this run, when the manifest has an entry for this very artifact. */
  runUuid?: string;
}

/** Machine-readable data escapes commas and line breaks; see Packer's `packer/ui.go` (MachineReadableUi). */
export function unescapeMachineField(field: string): string {
  return field
    .replace(/%!\(PACKER_COMMA\)/g, ",")
    .replace(/\\n/g, "\n")
    .replace(/\\r/g, "\r");
}

/** Splits one machine-readable line into timestamp, target, type and data fields; undefined when it is not one. */
export function splitMachineLine(line: string): { timestamp: string; target: string; type: string; data: string[] } | undefined {
  const fields = line.split(",");
  if (fields.length < 3 || !/^\d+$/.test(fields[0])) return undefined;
  return { timestamp: fields[0], target: fields[1], type: fields[2], data: fields.slice(3).map(unescapeMachineField) };
}

/** The human text of a machine-readable line (`ui,say`, `ui,message`, `ui,error`), for streaming to the user. */
export function humanText(line: string): string | undefined {
  const parsed = splitMachineLine(line);
  if (!parsed) return line;
  if (parsed.type === "ui" && parsed.data.length >= 2) return parsed.data.slice(1).join(",");
  return undefined;
}

/** Collects every artifact from machine-readable lines, in the order Packer reported them. */
export function parseMachineReadable(lines: Iterable<string>): MachineArtifact[] {
  const byKey = new Map<string, MachineArtifact>();
  for (const line of lines) {
    const parsed = splitMachineLine(line);
    if (!parsed || parsed.type !== "artifact" || parsed.data.length < 2) continue;
    const index = Number(parsed.data[0]);
    if (!Number.isInteger(index)) continue;
    const key = `${parsed.target}\u0000${index}`;
    let artifact = byKey.get(key);
    if (!artifact) {
      artifact = { target: parsed.target, index, builderId: "", id: "", description: "", files: [] };
      byKey.set(key, artifact);
    }
    const [, field, ...rest] = parsed.data;
    switch (field) {
      case "builder-id":
        artifact.builderId = rest.join(",");
        break;
      case "id":
        artifact.id = rest.join(",");
        break;
      case "string":
        artifact.description = rest.join(",");
        break;
      case "file":
        // `artifact,N,file,I,path`: the path may itself contain escaped commas.
        artifact.files[Number(rest[0])] = rest.slice(1).join(",");
        break;
      default:
        break;
    }
  }
  return [...byKey.values()];
}

/** Reads every build a manifest records, of every run (the post-processor appends; two bakes of one template share the file). */
export function parseManifest(text: string): ManifestBuild[] {
  const data: unknown = JSON.parse(text);
  if (data === null || typeof data !== "object" || !Array.isArray((data as { builds?: unknown }).builds))
    throw new Error("the manifest has no builds list");
  const builds: ManifestBuild[] = [];
  for (const raw of (data as { builds: unknown[] }).builds) {
    if (raw === null || typeof raw !== "object") continue;
    const b = raw as Record<string, unknown>;
    const files = Array.isArray(b.files)
      ? b.files
          .map((f) =>
            f && typeof f === "object" && typeof (f as { name?: unknown }).name === "string" ? (f as { name: string }).name : "",
          )
          .filter(Boolean)
      : [];
    builds.push({
      name: typeof b.name === "string" ? b.name : "",
      builderType: typeof b.builder_type === "string" ? b.builder_type : "",
      artifactId: typeof b.artifact_id === "string" ? b.artifact_id : "",
      files,
      runUuid: typeof b.packer_run_uuid === "string" ? b.packer_run_uuid : "",
    });
  }
  return builds;
}

/** Maps a Packer builder id (machine-readable) or builder type (manifest) to the family the roll handles. */
export function builderKind(builder: string): BuilderKind | undefined {
  // Builder ids from each plugin's `BuilderId` constant; builder types are the names used in templates.
  if (/^mitchellh\.amazon/.test(builder) || /^amazon-(ebs|instance|chroot|ebssurrogate)$/.test(builder)) return "amazon";
  if (builder === "packer.googlecompute" || builder === "googlecompute") return "googlecompute";
  if (builder === "Azure.ResourceManagement.VMImage" || builder === "azure-arm") return "azure-arm";
  if (builder === "pearkes.digitalocean" || builder === "digitalocean") return "digitalocean";
  if (
    builder === "packer.docker" ||
    builder === "docker" ||
    builder === "packer.post-processor.docker-tag" ||
    builder === "packer.post-processor.docker-import"
  )
    return "docker";
  if (builder === "packer.file" || builder === "file") return "file";
  return undefined;
}

/**
 * Derives the image reference from one artifact id:
 * - amazon: `region:ami-…[,region:ami-…]`; the AMI of `preferredRegion`, else the first.
 * - digitalocean: `region[,region]:snapshot-id`; the snapshot id.
 * - googlecompute: the image name; azure-arm: the managed image id (or VHD URL); docker: the image id or tag.
 * - file: the absolute path of the first file, resolved against the folder Packer ran in.
 */
export function imageFromArtifact(
  kind: BuilderKind,
  artifactId: string,
  files: readonly string[],
  packerCwd: string,
  preferredRegion?: string,
): { image: string; regions: Record<string, string> } {
  switch (kind) {
    case "amazon": {
      const regions: Record<string, string> = {};
      for (const pair of artifactId.split(",")) {
        const i = pair.indexOf(":");
        if (i <= 0) continue;
        regions[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
      }
      const names = Object.keys(regions);
      if (names.length === 0)
        throw new Error(`cannot read an AMI from the amazon artifact id ${JSON.stringify(artifactId)} (expected region:ami-…)`);
      return { image: regions[preferredRegion ?? ""] ?? regions[names[0]], regions };
    }
    case "digitalocean": {
      const i = artifactId.lastIndexOf(":");
      if (i <= 0)
        throw new Error(
          `cannot read a snapshot id from the digitalocean artifact id ${JSON.stringify(artifactId)} (expected region:snapshot-id)`,
        );
      const id = artifactId.slice(i + 1);
      const regions: Record<string, string> = {};
      for (const region of artifactId.slice(0, i).split(",")) regions[region.trim()] = id;
      return { image: id, regions };
    }
    case "file": {
      const first = files.find((f) => f !== undefined && f !== "");
      if (!first) throw new Error("the file builder reported no file");
      return { image: path.resolve(packerCwd, first), regions: {} };
    }
    case "googlecompute":
    case "azure-arm":
    case "docker":
      if (!artifactId) throw new Error(`the ${kind} artifact has no id`);
      return { image: artifactId, regions: {} };
  }
}

/**
 * Chooses the artifact of a bake from the machine-readable `artifact` lines of this run's own output:
 * only they are proven to be this bake's. A manifest is a file that other builds write too (an earlier
 * roll, another generation sharing the template, a build run by hand), and Packer 1.6 sets its run UUID
 * itself, so the manifest never supplies the artifact; see `runUuidOf` for what it is still used for.
 * For docker, a tag from docker-tag/docker-import is preferred over the bare image id, because the tag
 * is what a deployment refers to.
 */
export function selectArtifact(machine: readonly MachineArtifact[], packerCwd: string, preferredRegion?: string): BakedArtifact {
  const tagged = machine.find(
    (a) => a.builderId === "packer.post-processor.docker-tag" || a.builderId === "packer.post-processor.docker-import",
  );
  if (tagged && tagged.id) return { kind: "docker", builder: tagged.builderId, artifactId: tagged.id, image: tagged.id, regions: {} };
  for (const artifact of machine) {
    const kind = builderKind(artifact.builderId);
    if (!kind) continue;
    const { image, regions } = imageFromArtifact(kind, artifact.id, artifact.files, packerCwd, preferredRegion);
    // Refused here, before it is recorded or reaches any command line.
    const problem = imageProblem(kind, image, regions);
    if (problem) throw new Error(`packer reported an unusable artifact: ${problem}`);
    return { kind, builder: artifact.builderId, artifactId: artifact.id, image, regions };
  }
  const seen = [...new Set(machine.map((a) => a.builderId).filter(Boolean))];
  throw new Error(
    seen.length
      ? `packer produced no artifact the roll can use (builders seen: ${seen.join(", ")}; supported: amazon, googlecompute, azure-arm, digitalocean, docker, file)`
      : "packer reported no artifact in its machine-readable output",
  );
}

/**
 * The manifest's entry for this bake: the newest one that records this very artifact (same builder
 * family, artifact id and files). It gives the run UUID recorded in history (so a generation can be
 * traced to its Packer run) and the builder type as the template names it; undefined when the template
 * has no manifest post-processor.
 */
export function manifestEntryFor(
  artifact: BakedArtifact,
  manifest: readonly ManifestBuild[],
  packerCwd: string,
): ManifestBuild | undefined {
  for (const build of [...manifest].reverse()) {
    if (builderKind(build.builderType) !== artifact.kind || build.artifactId !== artifact.artifactId || !build.runUuid) continue;
    if (artifact.kind === "file" && (build.files.length === 0 || path.resolve(packerCwd, build.files[0]) !== artifact.image)) continue;
    return build;
  }
  return undefined;
}

/** The pattern an image must match for each builder family; the others are checked by `imageProblem` itself. */
const IMAGE_PATTERNS: Partial<Record<BuilderKind, PatternName>> = {
  amazon: "amiId",
  googlecompute: "gceName",
  digitalocean: "digitaloceanImageId",
};

/**
 * What is wrong with an image for its builder family, or undefined: an AMI id, a GCE name, a managed
 * image id or VHD URL, a snapshot id, a docker reference, an absolute normalised file path. Checked when
 * packer reports it and whenever history is read, since an image reaches command lines and deletions.
 */
export function imageProblem(kind: BuilderKind, image: string, regions?: unknown): string | undefined {
  const invalid = (expected: string): string => `image ${JSON.stringify(image)} is not valid: expected ${expected}`;
  if (kind === "file" && !(path.isAbsolute(image) && path.normalize(image) === image && !image.includes("\0")))
    return invalid("an absolute, normalised file path");
  if (kind === "azure-arm" && !isValid("azureImageId", image) && !/^https:\/\/[^\s"']+$/.test(image))
    return invalid(`${PATTERNS.azureImageId.expected} or a VHD URL`);
  if (kind === "docker" && !/^[A-Za-z0-9][^\s\0]*$/.test(image)) return invalid("a docker image id or tag");
  const pattern = IMAGE_PATTERNS[kind];
  if (pattern && !isValid(pattern, image)) return invalid(PATTERNS[pattern].expected);
  if (regions !== undefined) {
    if (regions === null || typeof regions !== "object" || Array.isArray(regions)) return "regions is not an object";
    for (const [region, id] of Object.entries(regions)) {
      if (
        typeof id !== "string" ||
        !isValid(kind === "digitalocean" ? "digitaloceanRegion" : "region", region) ||
        (pattern && !isValid(pattern, id))
      )
        return `regions.${region} is not a valid ${kind} image in a valid region`;
    }
  }
  return undefined;
}
