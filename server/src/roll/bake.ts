// The bake stage: `packer init` when the template needs plugins, `packer build -machine-readable`, then the artifact it produced.
import fs from "node:fs";
import path from "node:path";
import { blocksOf } from "../engine/model.ts";
import { parseHcl } from "../engine/parse.ts";
import {
  humanText,
  parseMachineReadable,
  parseManifest,
  manifestEntryFor,
  selectArtifact,
  type BakedArtifact,
  type ManifestBuild,
} from "./artifacts.ts";
import { packerBuildArgs, packerInitArgs } from "./argv/packer.ts";
import { templateFolder, type GenerationConfig } from "./config.ts";
import { looksSecretName, type Redactor } from "./redact.ts";
import { commandStep, type Slot, type Step } from "./steps.ts";
import type { ToolRunner } from "./tools.ts";

/** The template files of a template path: the file itself, or every `*.pkr.hcl` in a folder. */
function templateFiles(template: string): string[] {
  if (fs.statSync(template).isDirectory()) {
    return fs
      .readdirSync(template)
      .filter((f) => f.endsWith(".pkr.hcl"))
      .sort()
      .map((f) => path.join(template, f));
  }
  return [template];
}

/** Whether a template declares `packer { required_plugins { ... } }`, which `packer init` must install first. */
export function needsPackerInit(template: string): boolean {
  for (const file of templateFiles(template)) {
    if (!file.endsWith(".hcl")) continue;
    const parsed = parseHcl(file, fs.readFileSync(file, "utf8"));
    for (const packer of blocksOf(parsed.body, "packer")) {
      if (blocksOf(packer.body, "required_plugins").length > 0) return true;
    }
  }
  return false;
}

/** Registers `packer_vars` values whose names look secret, so they are redacted wherever they appear. */
export function registerSecretVars(vars: Readonly<Record<string, string>>, redactor: Redactor): void {
  for (const [name, value] of Object.entries(vars)) if (looksSecretName(name)) redactor.addSecret(value);
}

/** The artifact of a finished build: from its own output, with the manifest's run UUID when the manifest records that same artifact. */
function readArtifact(generation: GenerationConfig, stdout: string, cwd: string): BakedArtifact {
  const artifact = selectArtifact(parseMachineReadable(stdout.split(/\r?\n/)), cwd, generation.cloud.region);
  let manifest: ManifestBuild[] = [];
  try {
    manifest = parseManifest(fs.readFileSync(generation.packerManifest, "utf8"));
  } catch (error) {
    // No manifest (no post-processor) or one that is not JSON: the run UUID is only a trace; the artifact stands without it.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") return artifact;
  }
  const entry = manifestEntryFor(artifact, manifest, cwd);
  // The template's builder type ("file", "amazon-ebs") reads better in history than the plugin's builder id.
  return entry ? { ...artifact, builder: entry.builderType, runUuid: entry.runUuid } : artifact;
}

/** The bake as steps: `packer init` when the template needs plugins, then `packer build`, whose artifact fills `artifact`. */
export function bakeSteps(generation: GenerationConfig, runner: ToolRunner, artifact: Slot<BakedArtifact>): Step[] {
  const cwd = templateFolder(generation.packerTemplate);
  const timeoutMs = generation.timeouts.bakeMs;
  const build = commandStep(runner, {
    stage: "bake",
    tool: "packer",
    args: () => packerBuildArgs(generation.packerTemplate, generation.packerVars),
    cwd,
    showCwd: true,
    options: { timeoutMs, display: humanText },
    after: (result) => artifact.set(readArtifact(generation, result.stdout, cwd)),
  });
  return [
    commandStep(runner, {
      stage: "bake",
      tool: "packer",
      args: () => packerInitArgs(generation.packerTemplate),
      cwd,
      showCwd: true,
      options: { timeoutMs },
      skip: () => !needsPackerInit(generation.packerTemplate),
    }),
    build,
  ];
}
