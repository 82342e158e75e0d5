// Reads the `generation "name" { ... }` blocks of `.immutably.hcl` into typed, validated roll settings.
import fs from "node:fs";
import path from "node:path";
import { ConfigurationError, errorAt, type ConfigError } from "../engine/config.ts";
import { LANGUAGE_SETTINGS, type LanguageSetting } from "../engine/files.ts";
import { attr, blocksOf, literalValue, type Block, type SourceFile } from "../engine/model.ts";
import { initParsers, parseHcl } from "../engine/parse.ts";
import { findConfigFile as findWorkspaceConfigFile } from "../engine/workspace.ts";
import { BlockReader, CONFIG_FILE_NAME, describeValue, isInside } from "./config-reader.ts";
import { DEFAULT_STRATEGY, STRATEGY_DEFINITIONS, strategyDefinition, type StrategyName } from "./strategies/index.ts";
import { isValid, PATTERNS, type PatternName } from "./validate.ts";

export { CONFIG_FILE_NAME, isInside } from "./config-reader.ts";
export type { StrategyName } from "./strategies/index.ts";
export type RetireMode = "destroy" | "isolate";
const RETIRE_MODES: readonly RetireMode[] = ["destroy", "isolate"];

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
  strategy: StrategyName;
  /** The strategy's own attributes (`terraform_dir`, `image_variable`, `target`), as its definition declares and reads them. */
  settings: Readonly<Record<string, string>>;
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

/** The keys of `cloud = { ... }` and the settings field each fills. */
const CLOUD_KEYS: Record<string, { field: keyof CloudSettings; pattern?: PatternName }> = {
  region: { field: "region", pattern: "region" },
  profile: { field: "profile", pattern: "profile" },
  endpoint_url: { field: "endpointUrl" },
  project: { field: "project", pattern: "gcpProject" },
  zone: { field: "zone", pattern: "region" },
  resource_group: { field: "resourceGroup", pattern: "azureResourceGroup" },
  subscription: { field: "subscription", pattern: "azureSubscription" },
};

/** The attributes of every generation block, with what each is (the editor's completion and hover show it). */
const COMMON_ATTRIBUTES: ReadonlyArray<{ name: string; what: string }> = [
  { name: "packer_template", what: `the Packer template file or folder, relative to ${CONFIG_FILE_NAME} (required)` },
  { name: "packer_vars", what: "variables for `packer build` (`-var`): an object of variable = string, number or bool" },
  {
    name: "packer_manifest",
    what: "the manifest post-processor's output file, relative to the config (default: packer-manifest.json beside the template)",
  },
  {
    name: "strategy",
    what: `how the image is promoted: ${STRATEGY_DEFINITIONS.map((d) => `"${d.name}" (${d.summary})`).join("; ")}; default "${DEFAULT_STRATEGY}"`,
  },
  { name: "cloud", what: `the cloud CLI's settings: an object with ${Object.keys(CLOUD_KEYS).join(", ")}` },
  { name: "keep", what: "how many images `prune` keeps, newest first: a whole number from 1 to 1000 (default 3)" },
  { name: "retire", what: '"destroy" (default) deletes the old machines; "isolate" keeps them running out of service for analysis' },
  { name: "bake_timeout", what: 'how long `packer build` may take, e.g. "90m" (default 2h)' },
  { name: "plan_timeout", what: "how long planning the promotion may take (default 30m)" },
  { name: "apply_timeout", what: "how long applying the promotion may take (default 2h)" },
  { name: "wait_timeout", what: "how long waiting for a cloud operation may take (default 2h)" },
];
/** Every attribute a generation block may carry and what it is: the common ones, then each strategy's own. */
export const GENERATION_ATTRIBUTE_DOCS: ReadonlyArray<{ name: string; what: string }> = [
  ...COMMON_ATTRIBUTES,
  ...STRATEGY_DEFINITIONS.flatMap((d) =>
    d.attributes.map((a) => ({ name: a.name, what: `${a.what} (strategy "${d.name}"${a.required ? ", required" : ""})` })),
  ),
].filter((a, i, all) => all.findIndex((b) => b.name === a.name) === i);
const GENERATION_ATTRIBUTES: readonly string[] = GENERATION_ATTRIBUTE_DOCS.map((a) => a.name);
/** The attributes of a generation's `verify` block and what each is. */
export const VERIFY_ATTRIBUTE_DOCS: ReadonlyArray<{ name: string; what: string }> = [
  {
    name: "command",
    what: "the smoke test to run in the config's folder, as an argv list; it gets IMMUTABLY_IMAGE, IMMUTABLY_GENERATION and IMMUTABLY_GENERATION_NAME",
  },
  { name: "http", what: "a URL to GET until it answers 2xx (instead of command)" },
  { name: "timeout", what: 'how long verify may take, e.g. "5m"' },
];

/** Finds `.immutably.hcl` in `start` or the nearest parent folder, by the engine's one lookup. */
export function findConfigFile(start: string): string | undefined {
  return findWorkspaceConfigFile(start, (p) => fs.existsSync(p));
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
  for (const e of file.syntaxErrors) errors.push(errorAt(file, e.range, `syntax error: ${e.message}`));
  const generations: GenerationConfig[] = [];
  const seen = new Set<string>();
  const language = languageSetting(file);
  for (const block of blocksOf(file.body, "generation")) {
    const before = errors.length;
    const generation = readGeneration(file, dir, block, errors, language);
    if (generation && errors.length === before) {
      if (seen.has(generation.name))
        errors.push(errorAt(file, block.headerRange, `generation "${generation.name}" is declared twice; names must be unique`));
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
      message: names
        ? `no generation "${name}" in this file (declared: ${names})`
        : `no generation blocks in this file; add generation "${name}" { ... }`,
    },
  ]);
}

/** The file's `language` setting (lint reports a bad value; the roll then reads it as `auto`). */
function languageSetting(file: SourceFile): LanguageSetting {
  const a = attr(file.body, "language");
  const value = a ? literalValue(a.expr) : undefined;
  return (LANGUAGE_SETTINGS as readonly unknown[]).includes(value) ? (value as LanguageSetting) : "auto";
}

/** The names in a folder; none when it cannot be listed (a path check reports a missing folder). */
function folderFiles(folder: string): string[] {
  try {
    return fs.readdirSync(folder).map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}

function readGeneration(
  file: SourceFile,
  dir: string,
  block: Block,
  errors: ConfigError[],
  language: LanguageSetting,
): GenerationConfig | undefined {
  if (block.labels.length !== 1) {
    errors.push(errorAt(file, block.headerRange, `a generation block takes exactly one label, its name: generation "web" { ... }`));
    return undefined;
  }
  const name = block.labels[0];
  const reader = new BlockReader(file, dir, block, `generation "${name}"`, errors);
  if (!isValid("generationName", name)) return reader.blockError(`the name is not valid: expected ${PATTERNS.generationName.expected}`);
  reader.refuseUnknown(GENERATION_ATTRIBUTES, ["verify"], `one of ${GENERATION_ATTRIBUTES.join(", ")}, or a verify block`);

  if (!reader.attribute("packer_template"))
    reader.blockError(`attribute "packer_template" is required: the Packer template file or folder, relative to ${CONFIG_FILE_NAME}`);
  const packerTemplate = reader.insidePath("packer_template", true);
  const packerVars = readPackerVars(reader);
  const strategy = reader.choice<StrategyName>(
    "strategy",
    STRATEGY_DEFINITIONS.map((d) => d.name),
    DEFAULT_STRATEGY,
  );
  const definition = strategyDefinition(strategy);
  const settings: Record<string, string> = {};
  for (const attribute of definition.attributes) {
    if (attribute.required && !reader.attribute(attribute.name))
      reader.blockError(`attribute "${attribute.name}" is required by strategy "${strategy}": ${attribute.what}`);
    const value = attribute.read(reader);
    if (value !== undefined) settings[attribute.name] = value;
  }
  const cloud = readCloud(reader);
  const keep = readKeep(reader);
  const retire = reader.choice<RetireMode>("retire", RETIRE_MODES, "destroy", '"destroy" or "isolate"');
  for (const problem of definition.check({ cloud, retire, settings, language, folderFiles })) {
    const a = reader.attribute(problem.attribute);
    if (a) reader.fail(a, problem.message);
    else reader.blockError(`attribute "${problem.attribute}": ${problem.message}`);
  }
  const timeouts = {
    bakeMs: reader.duration("bake_timeout", 2 * 3_600_000),
    planMs: reader.duration("plan_timeout", 30 * 60_000),
    applyMs: reader.duration("apply_timeout", 2 * 3_600_000),
    waitMs: reader.duration("wait_timeout", 2 * 3_600_000),
  };
  const manifest = reader.attribute("packer_manifest") ? reader.insidePath("packer_manifest", false) : undefined;
  const packerManifest = manifest ?? (packerTemplate ? path.join(templateFolder(packerTemplate), "packer-manifest.json") : "");
  const verify = readVerify(reader);

  if (!packerTemplate) return undefined;
  return {
    name,
    configDir: dir,
    configPath: file.path,
    line: block.headerRange.start.line + 1,
    packerTemplate,
    packerVars,
    packerManifest,
    strategy,
    settings,
    cloud,
    keep,
    retire,
    verify,
    timeouts,
  };
}

/** `packer_vars = { name = value }`: validated names; strings, numbers and bools as strings. */
function readPackerVars(reader: BlockReader): Record<string, string> {
  const vars: Record<string, string> = {};
  const entries = reader.object("packer_vars", "an object of variable = value");
  const a = reader.attribute("packer_vars");
  if (!entries || !a) return vars;
  for (const [key, value] of entries) {
    if (!isValid("variableName", key))
      reader.fail(a, `variable name ${JSON.stringify(key)} is not valid: expected ${PATTERNS.variableName.expected}`);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") vars[key] = String(value);
    else reader.fail(a, `variable "${key}": expected a string, number or bool, got ${describeValue(value)}`);
  }
  return vars;
}

/** `cloud = { ... }`: each key validated before it can reach a command line. */
function readCloud(reader: BlockReader): CloudSettings {
  const cloud: CloudSettings = {};
  const entries = reader.object("cloud", 'an object such as { region = "eu-west-1", profile = "prod" }');
  const a = reader.attribute("cloud");
  if (!entries || !a) return cloud;
  for (const [key, value] of entries) {
    const spec = CLOUD_KEYS[key];
    if (!spec) reader.fail(a, `unknown key "${key}"; expected ${Object.keys(CLOUD_KEYS).join(", ")}`);
    else if (typeof value !== "string") reader.fail(a, `key "${key}": expected a string, got ${describeValue(value)}`);
    else if (spec.pattern && !isValid(spec.pattern, value))
      reader.fail(a, `key "${key}": ${JSON.stringify(value)} is not valid: expected ${PATTERNS[spec.pattern].expected}`);
    else if (key === "endpoint_url" && !/^https?:\/\/[A-Za-z0-9.:[\]-]+(:\d+)?(\/[A-Za-z0-9._~/-]*)?$/.test(value))
      reader.fail(a, `key "endpoint_url": expected an http(s) URL such as http://127.0.0.1:4566, got ${JSON.stringify(value)}`);
    else cloud[spec.field] = value;
  }
  return cloud;
}

/** `keep`: how many images prune keeps. */
function readKeep(reader: BlockReader): number {
  const a = reader.attribute("keep");
  if (!a) return 3;
  const v = reader.literal(a);
  if (v === undefined) return 3;
  if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 1000) return v;
  reader.fail(a, `expected a whole number from 1 to 1000 (images kept by prune), got ${describeValue(v)}`);
  return 3;
}

/** The `verify { command | http, timeout }` block, if any. */
function readVerify(generation: BlockReader): VerifySettings | undefined {
  const blocks = blocksOf(generation.body, "verify");
  if (blocks.length > 1) generation.fail(blocks[1], "only one verify block is allowed");
  if (!blocks[0]) return undefined;
  const reader = generation.nested(blocks[0], 'block "verify"');
  reader.refuseUnknown(["command", "http", "timeout"], [], "command, http or timeout");
  const commandAttr = reader.attribute("command");
  const httpAttr = reader.attribute("http");
  let command: string[] | undefined;
  let http: string | undefined;
  if (commandAttr) {
    const v = literalValue(commandAttr.expr);
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "string" && x !== "" && !x.includes("\0"))) {
      reader.fail(
        commandAttr,
        'expected a non-empty list of strings (argv, run without a shell), such as ["./scripts/smoke.sh", "--quick"]',
      );
    } else {
      command = v as string[];
      const program = command[0];
      if ((program.includes("/") || program.includes("\\")) && !isInside(reader.dir, path.resolve(reader.dir, program))) {
        reader.fail(
          commandAttr,
          `the program ${JSON.stringify(program)} leaves the folder of ${CONFIG_FILE_NAME}; expected a path inside it or a program on PATH`,
        );
      }
    }
  }
  if (httpAttr) {
    const v = literalValue(httpAttr.expr);
    if (typeof v !== "string" || !/^https?:\/\/\S+$/.test(v) || !URL.canParse(v))
      reader.fail(httpAttr, `expected an http(s) URL, got ${v === undefined ? "a non-literal value" : describeValue(v)}`);
    // Credentials in the URL would be printed with it (dry runs, logs) and stored in history notes.
    else if (new URL(v).username || new URL(v).password)
      reader.fail(
        httpAttr,
        "the URL carries credentials (user:password@), which would be printed and stored with it; expected a URL without them (a verify command can read credentials from the environment)",
      );
    else http = v;
  }
  if (commandAttr && httpAttr) reader.fail(httpAttr, "expected either command or http, not both");
  if (!commandAttr && !httpAttr) reader.blockError('expected a command = [...] or an http = "https://..." attribute');
  const timeoutMs = reader.duration("timeout", 5 * 60_000, 'a duration such as "30s" or "5m"');
  return { command, http, timeoutMs };
}

/** The folder Packer runs in: the template's own folder, or the template folder itself. */
export function templateFolder(template: string): string {
  return fs.existsSync(template) && fs.statSync(template).isDirectory() ? template : path.dirname(template);
}
