// The bake stage: `packer init` when the template needs plugins, `packer build -machine-readable`, then the artifact it produced.
import fs from "node:fs";
import path from "node:path";
import { blocksOf } from "../engine/model.ts";
import { parseHcl } from "../engine/parse.ts";
import { humanText, parseMachineReadable, parseManifest, selectArtifact, type BakedArtifact, type ManifestBuild } from "./artifacts.ts";
import { packerBuildArgs, packerInitArgs } from "./argv/packer.ts";
import { templateFolder, type GenerationConfig } from "./config.ts";
import { looksSecretName, type Redactor } from "./redact.ts";
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

/** The commands a bake runs, for dry runs and confirmations. */
export function describeBake(generation: GenerationConfig, runner: ToolRunner): string[] {
  const cwd = templateFolder(generation.packerTemplate);
  const lines: string[] = [];
  if (needsPackerInit(generation.packerTemplate)) lines.push(`(in ${cwd}) ${runner.display("packer", packerInitArgs(generation.packerTemplate))}`);
  lines.push(`(in ${cwd}) ${runner.display("packer", packerBuildArgs(generation.packerTemplate, generation.packerVars))}`);
  return lines;
}

/** Runs the bake and returns the artifact; throws ToolFailedError (or a parse error) when there is none. */
export async function bake(generation: GenerationConfig, runner: ToolRunner, signal: AbortSignal): Promise<BakedArtifact> {
  const cwd = templateFolder(generation.packerTemplate);
  const timeoutMs = generation.timeouts.bakeMs;
  if (needsPackerInit(generation.packerTemplate)) await runner.run("packer", packerInitArgs(generation.packerTemplate), { cwd, timeoutMs, signal });
  const started = Date.now();
  const result = await runner.run("packer", packerBuildArgs(generation.packerTemplate, generation.packerVars), { cwd, timeoutMs, signal, display: humanText });
  // A manifest older than this build belongs to an earlier run; only a fresh one describes this bake.
  let manifest: ManifestBuild[] = [];
  try {
    const stat = fs.statSync(generation.packerManifest);
    if (stat.mtimeMs >= started - 1000) manifest = parseManifest(fs.readFileSync(generation.packerManifest, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read the packer manifest ${generation.packerManifest}: ${(error as Error).message}`);
  }
  return selectArtifact(parseMachineReadable(result.stdout.split(/\r?\n/)), manifest, cwd, generation.cloud.region);
}
