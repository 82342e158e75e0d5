// Shared test helpers for the roll suites: temp copies of the example, a recording host, stand-in executables, tool checks.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { initParsers } from "../../server/src/engine/parse.ts";
import { parseRollConfig, type GenerationConfig } from "../../server/src/roll/config.ts";
import type { ConfirmRequest, RollHost, StageInfo, StageName } from "../../server/src/roll/types.ts";

export const ROOT = path.resolve(__dirname, "../..");
export const EXAMPLE = path.join(ROOT, "examples/generation");

/** A fresh folder under the OS temp dir, removed by the caller's `after`. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `immutably-${prefix}-`));
}

/** Copies examples/generation without any runtime state left by a local demo run. */
export function copyExample(prefix = "roll"): string {
  const dir = tempDir(prefix);
  const skip = new Set([
    "out",
    ".immutably",
    ".terraform",
    "packer-manifest.json",
    "immutably.auto.tfvars.json",
    "terraform.tfstate",
    "terraform.tfstate.backup",
  ]);
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !skip.has(path.basename(src)) });
  return dir;
}

/** The absolute path of a tool on PATH, or undefined. */
export function which(tool: string): string | undefined {
  const r = spawnSync("sh", ["-c", 'command -v "$1"', "sh", tool], { encoding: "utf8" });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

/**
 * Fails (never skips) when a real tool is missing: a suite that silently skips would count as a pass.
 * The message says how to install it.
 */
export function requireTool(tool: string, install: string): string {
  const found = which(tool);
  if (!found)
    throw new Error(
      `${tool} is not installed, so the real-tool tests cannot run. Install it: ${install} (test/setup-tools.sh, the first stage of npm test, does this).`,
    );
  return found;
}

/** A RollHost that records everything and answers confirmations from a script. */
export class RecordingHost implements RollHost {
  readonly lines: string[] = [];
  readonly stages: StageName[] = [];
  readonly confirmations: ConfirmRequest[] = [];
  /** Aborts the run when this stage starts (cancellation tests). */
  cancelAt?: StageName;
  answer = true;
  /** Aborts the run as soon as a logged line matches (cancel at a precise moment, e.g. while polling). */
  abortOn?: RegExp;
  private readonly controller = new AbortController();

  log(line: string): void {
    this.lines.push(line);
    if (this.abortOn?.test(line)) this.controller.abort();
    if (process.env.IMMUTABLY_TEST_VERBOSE) process.stderr.write(`${line}\n`);
  }

  async stage<T>(info: StageInfo, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.stages.push(info.name);
    this.log(`== ${info.title}`);
    const signal = info.cancellable ? this.controller.signal : new AbortController().signal;
    if (this.cancelAt === info.name && info.cancellable) {
      // Cancel once the stage's work has started its first command, as a user pressing Cancel would.
      const timer = setInterval(() => {
        if (this.lines.some((l, i) => i > this.lines.lastIndexOf(`== ${info.title}`) && l.startsWith("$ "))) {
          clearInterval(timer);
          this.controller.abort();
        }
      }, 20);
      try {
        return await work(signal);
      } finally {
        clearInterval(timer);
      }
    }
    return work(signal);
  }

  async confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirmations.push(request);
    return this.answer;
  }

  text(): string {
    return this.lines.join("\n");
  }
}

/** Parses config text written into `dir` (parsers initialised on first use). */
export async function configFrom(dir: string, text: string, name: string): Promise<GenerationConfig> {
  await initParsers();
  const file = path.join(dir, ".immutably.hcl");
  fs.writeFileSync(file, text);
  const config = parseRollConfig(file, text);
  const g = config.generations.find((x) => x.name === name);
  if (!g) throw new Error(`no generation ${name}`);
  return g;
}

/**
 * Writes a recording stand-in for a tool: it appends its argv (one JSON line) to `log` and prints the
 * canned stdout whose key is a prefix of its argv joined by spaces (longest match wins).
 */
export function standIn(dir: string, tool: string, log: string, responses: Record<string, string> = {}, exitCode = 0): string {
  const file = path.join(dir, tool);
  const script = `#!${process.execPath}
const fs = require("node:fs");
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: ${JSON.stringify(tool)}, argv }) + "\\n");
const responses = ${JSON.stringify(responses)};
const joined = argv.join(" ");
const key = Object.keys(responses).filter((k) => joined.startsWith(k)).sort((a, b) => b.length - a.length)[0];
if (key !== undefined) process.stdout.write(responses[key]);
process.exit(${exitCode});
`;
  fs.writeFileSync(file, script, { mode: 0o755 });
  return file;
}

/**
 * Writes and parses a generation that bakes images/web.pkr.hcl and hands the image to the Terraform
 * configuration in infra/ as its variable "image"; `extra` lines go at the end of the block.
 */
export function terraformGeneration(dir: string, extra = "", name = "web"): Promise<GenerationConfig> {
  return configFrom(
    dir,
    `generation "${name}" {\n  packer_template = "images/web.pkr.hcl"\n  terraform_dir   = "infra"\n  image_variable  = "image"\n${extra}}`,
    name,
  );
}

/** A packer stand-in that records its argv and prints one artifact of the given builder. */
export function packerPrinting(dir: string, log: string, builderId: string, artifactId: string, files: string[] = []): string {
  const t = "1700000000";
  const lines = [
    `${t},x.web,artifact,0,builder-id,${builderId}`,
    `${t},x.web,artifact,0,id,${artifactId.replace(/,/g, "%!(PACKER_COMMA)")}`,
    ...files.map((f, i) => `${t},x.web,artifact,0,file,${i},${f}`),
    `${t},x.web,artifact,0,end`,
  ];
  return standIn(dir, "packer", log, { build: `${lines.join("\n")}\n` });
}

/** A fresh folder with an empty images/web.pkr.hcl, added to `dirs` (the caller's `after` removes them), and the path of its argv log. */
export function argvFolder(prefix: string, dirs: string[]): { dir: string; log: string } {
  const dir = tempDir(prefix);
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, "images"));
  fs.writeFileSync(path.join(dir, "images/web.pkr.hcl"), "");
  return { dir, log: path.join(dir, "argv.jsonl") };
}

/** Reads the argv lines a stand-in recorded. */
export function recorded(log: string): Array<{ tool: string; argv: string[] }> {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { tool: string; argv: string[] });
}

/**
 * A generation "web" in a fresh folder (the caller removes it) with a stand-in packer (each bake names
 * a new file) and a recording stand-in terraform whose plan replaces one resource; `verify` is
 * inserted into the generation block.
 */
export function standInGeneration(prefix: string, verify = ""): { dir: string; log: string; packer: string; terraform: string } {
  const dir = tempDir(prefix);
  fs.mkdirSync(path.join(dir, "images"));
  fs.mkdirSync(path.join(dir, "infra"));
  fs.writeFileSync(path.join(dir, "images/web.pkr.hcl"), "");
  const log = path.join(dir, "argv.jsonl");
  const t = "1700000000";
  // Each bake names a new file, as the example's uuidv4() target does.
  const packer = path.join(dir, "packer");
  fs.writeFileSync(
    packer,
    `#!/bin/sh\nn=$(date +%s%N)\necho "${t},file.image,artifact,0,builder-id,packer.file"\necho "${t},file.image,artifact,0,id,File"\necho "${t},file.image,artifact,0,file,0,out/$n.img"\n`,
    { mode: 0o755 },
  );
  const terraform = standIn(dir, "terraform", log, {
    "show -json": JSON.stringify({ resource_changes: [{ address: "terraform_data.server", change: { actions: ["create", "delete"] } }] }),
  });
  fs.writeFileSync(
    path.join(dir, ".immutably.hcl"),
    `generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
${verify}
}`,
  );
  return { dir, log, packer, terraform };
}

/** A generation record as an earlier run left it: what a test is about, the rest filled in. */
export interface HistorySeed {
  number: number;
  image: string;
  builder: string;
  status: string;
  name?: string;
  artifact_id?: string;
  created_at?: string;
  regions?: Record<string, string>;
}

/** Writes `.immutably/generations.json` in `dir`: generation "web", the image as its artifact id, created 2026-01-01, no commit, unless a record says otherwise. */
export function writeHistory(dir: string, records: HistorySeed[]): void {
  fs.mkdirSync(path.join(dir, ".immutably"), { recursive: true });
  const generations = records.map((r) => ({ name: "web", artifact_id: r.image, created_at: "2026-01-01T00:00:00Z", git_commit: "", ...r }));
  fs.writeFileSync(path.join(dir, ".immutably/generations.json"), JSON.stringify({ generations }));
}
