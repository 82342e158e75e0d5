// Reads the `generation "name" { ... }` blocks of `.immutably.hcl` into typed, validated roll settings.
import fs from "node:fs";
import path from "node:path";
import { ConfigurationError, type ConfigError } from "../engine/config.ts";
import { attr, blocksOf, literalValue, type Attribute, type Block, type Range, type SourceFile, type Value } from "../engine/model.ts";
import { initParsers, parseHcl } from "../engine/parse.ts";
import { isValid, parseDuration, PATTERNS, type PatternName } from "./validate.ts";

export const CONFIG_FILE_NAME = ".immutably.hcl";

export type StrategyName = "terraform" | "aws-instance-refresh" | "gcp-mig" | "azure-vmss";
export const STRATEGIES: readonly StrategyName[] = ["terraform", "aws-instance-refresh", "gcp-mig", "azure-vmss"];
export type RetireMode = "destroy" | "isolate";

/** Settings passed to the cloud CLIs; each is validated before it can reach a command line. */
export interface CloudSettings {
  region?: string;
  profile?: string;
  /** An alternative API endpoint (LocalStack, a test server); http(s) only. */
  endpointUrl?: string;
  project?: string;
  zone?: string;
  resourceGroup?: string;
  subscription?: string;
}

export interface VerifySettings {
  /** argv run in the config's folder; argv[0] is the program. */
  command?: string[];
  /** A URL polled with GET until it answers 2xx. */
  http?: string;
  timeoutMs: number;
}

export interface GenerationConfig {
  name: string;
  /** The folder of `.immutably.hcl`; relative paths resolve against it and may not leave it. */
  configDir: string;
  configPath: string;
  /** Where `.immutably.hcl` declares this block (1-based line), for messages. */
  line: number;
  packerTemplate: string;
  packerVars: Record<string, string>;
  /** Where the manifest post-processor writes (default `packer-manifest.json` in the template folder). */
  packerManifest: string;
  terraformDir?: string;
  imageVariable?: string;
  strategy: StrategyName;
  target?: string;
  cloud: CloudSettings;
  keep: number;
  retire: RetireMode;
  verify?: VerifySettings;
  /** Per-command limits (bake, plan, apply, cloud waits). */
  timeouts: { bakeMs: number; planMs: number; applyMs: number; waitMs: number };
}

export interface RollConfigFile {
  path: string;
  dir: string;
  generations: GenerationConfig[];
}

const GENERATION_ATTRIBUTES = [
  "packer_template",
  "packer_vars",
  "packer_manifest",
  "terraform_dir",
  "image_variable",
  "strategy",
  "target",
  "cloud",
  "keep",
  "retire",
  "bake_timeout",
  "plan_timeout",
  "apply_timeout",
  "wait_timeout",
] as const;
const CLOUD_KEYS: Record<string, { field: keyof CloudSettings; pattern?: PatternName }> = {
  region: { field: "region", pattern: "region" },
  profile: { field: "profile", pattern: "profile" },
  endpoint_url: { field: "endpointUrl" },
  project: { field: "project", pattern: "gcpProject" },
  zone: { field: "zone", pattern: "region" },
  resource_group: { field: "resourceGroup", pattern: "azureResourceGroup" },
  subscription: { field: "subscription", pattern: "azureSubscription" },
};

/** Finds `.immutably.hcl` in `start` or the nearest parent folder. */
export function findConfigFile(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and validates every generation block of a config file. Throws ConfigurationError listing each problem. */
export async function loadRollConfig(configPath: string): Promise<RollConfigFile> {
  await initParsers();
  const text = fs.readFileSync(configPath, "utf8");
  return parseRollConfig(path.resolve(configPath), text);
}

/** Validates the generation blocks of already-read config text (parsers must be initialised). */
export function parseRollConfig(configPath: string, text: string): RollConfigFile {
  const file = parseHcl(configPath, text);
  const dir = path.dirname(configPath);
  const errors: ConfigError[] = [];
  for (const e of file.syntaxErrors) errors.push(at(file, e.range, `syntax error: ${e.message}`));
  const generations: GenerationConfig[] = [];
  const seen = new Set<string>();
  for (const block of blocksOf(file.body, "generation")) {
    const before = errors.length;
    const generation = readGeneration(file, dir, block, errors);
    if (generation && errors.length === before) {
      if (seen.has(generation.name)) errors.push(at(file, block.headerRange, `generation "${generation.name}" is declared twice; names must be unique`));
      seen.add(generation.name);
      generations.push(generation);
    }
  }
  if (errors.length > 0) throw new ConfigurationError(errors);
  return { path: configPath, dir, generations };
}

/** Picks one generation by name, with a message listing the declared names when it is missing. */
export function selectGeneration(config: RollConfigFile, name: string): GenerationConfig {
  const found = config.generations.find((g) => g.name === name);
  if (found) return found;
  const names = config.generations.map((g) => `"${g.name}"`).join(", ");
  throw new ConfigurationError([
    {
      path: config.path,
      line: 1,
      column: 1,
      message: names ? `no generation "${name}" in this file (declared: ${names})` : `no generation blocks in this file; add generation "${name}" { ... }`,
    },
  ]);
}

function at(file: SourceFile, range: Range, message: string): ConfigError {
  return { path: file.path, line: range.start.line + 1, column: range.start.character + 1, message };
}

function describe(v: Value): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function readGeneration(file: SourceFile, dir: string, block: Block, errors: ConfigError[]): GenerationConfig | undefined {
  if (block.labels.length !== 1) {
    errors.push(at(file, block.headerRange, `a generation block takes exactly one label, its name: generation "web" { ... }`));
    return undefined;
  }
  const name = block.labels[0];
  const where = `generation "${name}"`;
  if (!isValid("generationName", name)) {
    errors.push(at(file, block.headerRange, `${where}: the name is not valid: expected ${PATTERNS.generationName.expected}`));
    return undefined;
  }
  const fail = (a: Attribute | Block, message: string): undefined => {
    const range = "nameRange" in a ? a.nameRange : a.headerRange;
    const label = "nameRange" in a ? `attribute "${a.name}"` : `block "${a.type}"`;
    errors.push(at(file, range, `${where}, ${label}: ${message}`));
    return undefined;
  };
  const literal = (a: Attribute): Value | undefined => {
    const v = literalValue(a.expr);
    if (v === undefined) fail(a, "expected a literal value (no references, functions or interpolation)");
    return v;
  };
  const str = (a: Attribute | undefined, expected = "a string"): string | undefined => {
    if (!a) return undefined;
    const v = literal(a);
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v === "") return fail(a, `expected ${expected}, got ${describe(v)}`);
    return v;
  };
  // A path from the config may not leave the config's folder: a cloned repository must not be able to
  // point the roll at files elsewhere on the machine.
  const insidePath = (a: Attribute | undefined, mustExist: boolean): string | undefined => {
    const v = str(a, "a path relative to the config file");
    if (v === undefined || !a) return undefined;
    if (v.includes("\0")) return fail(a, "expected a path without NUL characters");
    const resolved = path.resolve(dir, v);
    if (!isInside(dir, resolved)) return fail(a, `the path ${JSON.stringify(v)} leaves the folder of ${CONFIG_FILE_NAME} (${dir}); expected a path inside it`);
    if (fs.existsSync(resolved)) {
      const real = fs.realpathSync(resolved);
      if (!isInside(fs.realpathSync(dir), real)) return fail(a, `the path ${JSON.stringify(v)} resolves through a symbolic link to ${real}, outside ${dir}; expected a path inside it`);
    } else if (mustExist) {
      return fail(a, `the path ${JSON.stringify(v)} does not exist (resolved to ${resolved})`);
    }
    return resolved;
  };

  for (const a of block.body.attributes) {
    if (!(GENERATION_ATTRIBUTES as readonly string[]).includes(a.name)) fail(a, `unknown attribute; expected one of ${GENERATION_ATTRIBUTES.join(", ")}, or a verify block`);
  }
  for (const b of block.body.blocks) {
    if (b.type !== "verify") fail(b, "unknown block; expected only a verify block");
  }

  const body = block.body;
  const packerTemplateAttr = attr(body, "packer_template");
  if (!packerTemplateAttr) errors.push(at(file, block.headerRange, `${where}: attribute "packer_template" is required: the Packer template file or folder, relative to ${CONFIG_FILE_NAME}`));
  const packerTemplate = insidePath(packerTemplateAttr, true);

  const packerVars: Record<string, string> = {};
  const varsAttr = attr(body, "packer_vars");
  if (varsAttr) {
    const v = literal(varsAttr);
    if (v !== undefined) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) fail(varsAttr, `expected an object of variable = value, got ${describe(v)}`);
      else {
        for (const [key, value] of Object.entries(v)) {
          if (!isValid("variableName", key)) fail(varsAttr, `variable name ${JSON.stringify(key)} is not valid: expected ${PATTERNS.variableName.expected}`);
          else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") packerVars[key] = String(value);
          else fail(varsAttr, `variable "${key}": expected a string, number or bool, got ${describe(value)}`);
        }
      }
    }
  }

  const strategyAttr = attr(body, "strategy");
  let strategy: StrategyName = "terraform";
  const strategyText = str(strategyAttr);
  if (strategyText !== undefined && strategyAttr) {
    if ((STRATEGIES as readonly string[]).includes(strategyText)) strategy = strategyText as StrategyName;
    else fail(strategyAttr, `expected one of ${STRATEGIES.join(" | ")}, got ${JSON.stringify(strategyText)}`);
  }

  const terraformDirAttr = attr(body, "terraform_dir");
  const terraformDir = insidePath(terraformDirAttr, true);
  const imageVariableAttr = attr(body, "image_variable");
  const imageVariable = str(imageVariableAttr);
  if (imageVariable !== undefined && imageVariableAttr && !isValid("variableName", imageVariable)) fail(imageVariableAttr, `expected ${PATTERNS.variableName.expected}, got ${JSON.stringify(imageVariable)}`);
  if (strategy === "terraform") {
    if (!terraformDirAttr) errors.push(at(file, block.headerRange, `${where}: attribute "terraform_dir" is required by strategy "terraform": the Terraform folder, relative to ${CONFIG_FILE_NAME}`));
    if (!imageVariableAttr) errors.push(at(file, block.headerRange, `${where}: attribute "image_variable" is required by strategy "terraform": the Terraform variable that selects the image`));
  }

  const cloud: CloudSettings = {};
  const cloudAttr = attr(body, "cloud");
  if (cloudAttr) {
    const v = literal(cloudAttr);
    if (v !== undefined) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) fail(cloudAttr, `expected an object such as { region = "eu-west-1", profile = "prod" }, got ${describe(v)}`);
      else {
        for (const [key, value] of Object.entries(v)) {
          const spec = CLOUD_KEYS[key];
          if (!spec) {
            fail(cloudAttr, `unknown key "${key}"; expected ${Object.keys(CLOUD_KEYS).join(", ")}`);
            continue;
          }
          if (typeof value !== "string") {
            fail(cloudAttr, `key "${key}": expected a string, got ${describe(value)}`);
            continue;
          }
          if (spec.pattern && !isValid(spec.pattern, value)) fail(cloudAttr, `key "${key}": ${JSON.stringify(value)} is not valid: expected ${PATTERNS[spec.pattern].expected}`);
          else if (key === "endpoint_url" && !/^https?:\/\/[A-Za-z0-9.:[\]-]+(:\d+)?(\/[A-Za-z0-9._~/-]*)?$/.test(value)) fail(cloudAttr, `key "endpoint_url": expected an http(s) URL such as http://127.0.0.1:4566, got ${JSON.stringify(value)}`);
          else cloud[spec.field] = value;
        }
      }
    }
  }

  const targetAttr = attr(body, "target");
  const target = str(targetAttr);
  if (strategy !== "terraform") {
    if (!targetAttr) errors.push(at(file, block.headerRange, `${where}: attribute "target" is required by strategy "${strategy}": the ${strategy === "aws-instance-refresh" ? "Auto Scaling group" : strategy === "gcp-mig" ? "managed instance group" : "scale set"} name`));
    else if (target !== undefined && targetAttr) {
      const kind: PatternName = strategy === "aws-instance-refresh" ? "asgName" : strategy === "gcp-mig" ? "gceName" : "azureName";
      if (!isValid(kind, target)) fail(targetAttr, `expected ${PATTERNS[kind].expected}, got ${JSON.stringify(target)}`);
    }
    if (strategy === "gcp-mig" && (!cloud.project || !cloud.zone)) errors.push(at(file, cloudAttr?.nameRange ?? block.headerRange, `${where}, attribute "cloud": strategy "gcp-mig" needs cloud = { project = "...", zone = "..." }`));
    if (strategy === "azure-vmss" && !cloud.resourceGroup) errors.push(at(file, cloudAttr?.nameRange ?? block.headerRange, `${where}, attribute "cloud": strategy "azure-vmss" needs cloud = { resource_group = "..." }`));
  }

  let keep = 3;
  const keepAttr = attr(body, "keep");
  if (keepAttr) {
    const v = literal(keepAttr);
    if (v !== undefined) {
      if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 1000) keep = v;
      else fail(keepAttr, `expected a whole number from 1 to 1000 (images kept by prune), got ${describe(v)}`);
    }
  }

  let retire: RetireMode = "destroy";
  const retireAttr = attr(body, "retire");
  const retireText = str(retireAttr);
  if (retireText !== undefined && retireAttr) {
    if (retireText === "destroy" || retireText === "isolate") retire = retireText;
    else fail(retireAttr, `expected "destroy" or "isolate", got ${JSON.stringify(retireText)}`);
  }
  // Azure scale sets have no way to take an instance out of the set and keep it running on its own.
  if (retire === "isolate" && strategy === "azure-vmss" && retireAttr) fail(retireAttr, `"isolate" is not supported by strategy "azure-vmss" (a scale set cannot release an instance); expected "destroy"`);

  const duration = (name: string, fallbackMs: number): number => {
    const a = attr(body, name);
    const text = str(a, 'a duration such as "30s", "5m" or "1h"');
    if (text === undefined || !a) return fallbackMs;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) return fail(a, `expected a duration such as "30s", "5m" or "1h", got ${JSON.stringify(text)}`) ?? fallbackMs;
    return ms;
  };
  const timeouts = {
    bakeMs: duration("bake_timeout", 2 * 3_600_000),
    planMs: duration("plan_timeout", 30 * 60_000),
    applyMs: duration("apply_timeout", 2 * 3_600_000),
    waitMs: duration("wait_timeout", 2 * 3_600_000),
  };

  let packerManifest = packerTemplate ? path.join(templateFolder(packerTemplate), "packer-manifest.json") : "";
  const manifestAttr = attr(body, "packer_manifest");
  if (manifestAttr) packerManifest = insidePath(manifestAttr, false) ?? packerManifest;

  let verify: VerifySettings | undefined;
  const verifyBlocks = blocksOf(body, "verify");
  if (verifyBlocks.length > 1) fail(verifyBlocks[1], "only one verify block is allowed");
  const verifyBlock = verifyBlocks[0];
  if (verifyBlock) {
    const vb = verifyBlock.body;
    const vfail = (a: Attribute, message: string): undefined => {
      errors.push(at(file, a.nameRange, `${where}, block "verify", attribute "${a.name}": ${message}`));
      return undefined;
    };
    for (const a of vb.attributes) if (!["command", "http", "timeout"].includes(a.name)) vfail(a, "unknown attribute; expected command, http or timeout");
    const commandAttr = attr(vb, "command");
    const httpAttr = attr(vb, "http");
    const timeoutAttr = attr(vb, "timeout");
    let command: string[] | undefined;
    let http: string | undefined;
    let timeoutMs = 5 * 60_000;
    if (commandAttr) {
      const v = literalValue(commandAttr.expr);
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "string" && x !== "" && !x.includes("\0"))) {
        vfail(commandAttr, 'expected a non-empty list of strings (argv, run without a shell), such as ["./scripts/smoke.sh", "--quick"]');
      } else {
        command = v as string[];
        const program = command[0];
        if (program.includes("/") || program.includes("\\")) {
          const resolved = path.resolve(dir, program);
          if (!isInside(dir, resolved)) vfail(commandAttr, `the program ${JSON.stringify(program)} leaves the folder of ${CONFIG_FILE_NAME}; expected a path inside it or a program on PATH`);
        }
      }
    }
    if (httpAttr) {
      const v = literalValue(httpAttr.expr);
      if (typeof v !== "string" || !/^https?:\/\/\S+$/.test(v)) vfail(httpAttr, `expected an http(s) URL, got ${v === undefined ? "a non-literal value" : describe(v)}`);
      else http = v;
    }
    if (commandAttr && httpAttr) vfail(httpAttr, "expected either command or http, not both");
    if (!commandAttr && !httpAttr) errors.push(at(file, verifyBlock.headerRange, `${where}, block "verify": expected a command = [...] or an http = "https://..." attribute`));
    if (timeoutAttr) {
      const v = literalValue(timeoutAttr.expr);
      const ms = typeof v === "string" ? parseDuration(v) : undefined;
      if (ms === undefined || ms <= 0) vfail(timeoutAttr, `expected a duration such as "30s" or "5m", got ${v === undefined ? "a non-literal value" : describe(v)}`);
      else timeoutMs = ms;
    }
    verify = { command, http, timeoutMs };
  }

  if (!packerTemplate) return undefined;
  return {
    name,
    configDir: dir,
    configPath: file.path,
    line: block.headerRange.start.line + 1,
    packerTemplate,
    packerVars,
    packerManifest,
    terraformDir,
    imageVariable,
    strategy,
    target,
    cloud,
    keep,
    retire,
    verify,
    timeouts,
  };
}

/** Whether `child` is `parent` or inside it (both absolute). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (rel.split(path.sep)[0] !== ".." && !path.isAbsolute(rel));
}

/** The folder Packer runs in: the template's own folder, or the template folder itself. */
export function templateFolder(template: string): string {
  return fs.existsSync(template) && fs.statSync(template).isDirectory() ? template : path.dirname(template);
}
