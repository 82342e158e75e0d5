// A RuleTester validator that runs real `packer validate -syntax-only` on every fixed Packer template.
import { execFile } from "node:child_process";
import { findNodeAtLocation, parseTree } from "jsonc-parser";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyEdits } from "../../server/src/engine/fix.ts";
import { jsonDelete } from "../../server/src/engine/edits.ts";
import { packerJsonLayout } from "../../server/src/engine/hcl/json.ts";
import { attr, blocksOf, literalValue, type SourceFile } from "../../server/src/engine/model.ts";
import { initParsers, parseHcl, parseJson } from "../../server/src/engine/parse.ts";
import type { TextEdit } from "../../server/src/engine/types.ts";
import type { Validator } from "./rule-tester.ts";

export interface PackerRun {
  code: number;
  output: string;
}

export interface PackerValidatorOptions {
  /** The packer executable; default `packer` from PATH. */
  bin?: string;
  /** HCL expressions of the template (from its sources, which `-syntax-only` does not evaluate) to evaluate with its locals. */
  evaluate?: string[];
}

/** What one validation checked, so tests can state precisely what Packer saw. */
export interface PackerValidation {
  /** The text handed to `packer validate -syntax-only` (the fixed output, less what this Packer cannot read). */
  validatedText: string;
  /** `required_plugins` version constraints checked separately through `required_version` (Packer < 1.7 only). */
  checkedConstraints: string[];
  /** True when the template's locals were evaluated by a full `packer validate` (see `localsOnlyTemplate`). */
  evaluatedLocals: boolean;
  packerVersion: string;
}

const INSTALL_HINT =
  "Install Packer (Debian/Ubuntu: `apt-get install -y packer`; `npm test` runs test/setup-tools.sh) and put it on PATH. " +
  "The Packer rule tests check every fixed output with `packer validate -syntax-only` and never skip that check.";

/** Runs packer with an argv array; never through a shell. Rejects only when packer cannot be started. */
function runPacker(bin: string, args: string[], cwd: string): Promise<PackerRun> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { cwd, timeout: 60_000, env: { ...process.env, CHECKPOINT_DISABLE: "1", PACKER_NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(new Error(`packer was not found (${bin}). ${INSTALL_HINT}`));
          return;
        }
        if (error && typeof error.code !== "number") {
          reject(new Error(`packer ${args.join(" ")} failed to run: ${error.message}\n${output}`));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, output });
      },
    );
  });
}

/** `[major, minor, patch]` of `packer version` output such as "Packer v1.6.6". */
export function parsePackerVersion(output: string): [number, number, number] | undefined {
  const m = /Packer v(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Packer versions by executable, read once per test process. */
const versions = new Map<string, Promise<[number, number, number]>>();

function packerVersion(bin: string, cwd: string): Promise<[number, number, number]> {
  let version = versions.get(bin);
  if (!version) {
    version = runPacker(bin, ["version"], cwd).then((run) => {
      const parsed = parsePackerVersion(run.output);
      if (!parsed) throw new Error(`could not read the Packer version from \`${bin} version\`: ${run.output}`);
      return parsed;
    });
    // A failed lookup (packer missing) is not cached, so every test reports it.
    version.catch(() => versions.delete(bin));
    versions.set(bin, version);
  }
  return version;
}

/**
 * Removes the `required_plugins` blocks of a template's `packer` blocks and returns their version
 * constraints. Packer before 1.7 rejects `required_plugins` ("Blocks of type required_plugins are
 * not expected here"), although the fixed template is meant for Packer 1.7 and later.
 * In HCL the block is blanked with spaces so that Packer's line numbers still match the fixed output.
 */
export function withoutRequiredPlugins(file: SourceFile): { text: string; constraints: string[] } {
  const edits: TextEdit[] = [];
  const constraints: string[] = [];
  for (const packerBlock of blocksOf(file.body, "packer")) {
    for (const plugins of blocksOf(packerBlock.body, "required_plugins")) {
      for (const entry of plugins.body.attributes) {
        const value = literalValue(entry.expr);
        if (value && typeof value === "object" && !Array.isArray(value) && typeof value.version === "string")
          constraints.push(value.version);
      }
      if (file.syntax === "json") edits.push(...jsonDelete(file, plugins.jsonPath!));
      else {
        const { startOffset, endOffset } = plugins.range;
        edits.push({ start: startOffset, end: endOffset, newText: file.text.slice(startOffset, endOffset).replace(/[^\r\n]/g, " ") });
      }
    }
  }
  return { text: edits.length ? applyEdits(file.text, edits) : file.text, constraints };
}

/**
 * A template made of only the variables and locals of `file` and an empty build, or undefined when
 * there are no locals or a variable has no default (Packer would stop at "Unset variable").
 * `-syntax-only` never evaluates locals; a full `packer validate` of this template does, without
 * needing any builder plugin or credentials, so it proves that functions exist and references resolve.
 * @param expressions HCL expressions (from the file's sources) to evaluate as well, as extra locals
 */
export function localsOnlyTemplate(file: SourceFile, expressions: string[] = []): string | undefined {
  const variables = blocksOf(file.body, "variable");
  const locals = blocksOf(file.body, "locals");
  if ((locals.length === 0 && expressions.length === 0) || variables.some((v) => attr(v.body, "default") === undefined)) return undefined;
  if (file.syntax === "hcl") {
    const slices = [...variables, ...locals]
      .sort((a, b) => a.range.startOffset - b.range.startOffset)
      .map((b) => file.text.slice(b.range.startOffset, b.range.endOffset));
    if (expressions.length > 0) slices.push(`locals {\n${expressions.map((e, i) => `  immutably_expression_${i} = ${e}\n`).join("")}}`);
    return `${slices.join("\n\n")}\n\nbuild {\n  sources = []\n}\n`;
  }
  const root = parseTree(file.text);
  if (!root) return undefined;
  const raw = (key: string) => {
    const node = findNodeAtLocation(root, [key]);
    return node ? `${JSON.stringify(key)}: ${file.text.slice(node.offset, node.offset + node.length)}, ` : "";
  };
  return `{${raw("variable")}${raw("locals")}"build": {"sources": []}}\n`;
}

/**
 * Validates one fixed Packer template with real Packer. What is checked:
 * - the whole template with `packer validate -syntax-only`: HCL syntax (native and JSON), the
 *   top-level block types and the `packer` block's schema; for legacy JSON, the JSON and the
 *   template structure (builder and post-processor `type`s, chains, shorthands);
 * - with Packer older than 1.7 (Debian ships 1.6.6): `required_plugins` is cut out before that
 *   check, and each of its `version` constraints is checked on its own as a `required_version`
 *   constraint, which Packer parses with the same go-version constraint syntax. Anything else in
 *   `required_plugins` (sources, entry shapes) is then not checked by Packer.
 * - HCL and HCL2 JSON templates with locals (and defaults for all variables): the variables and
 *   locals on their own with a full `packer validate`, which evaluates every local, and in HCL the
 *   expressions of `options.evaluate` with them.
 * Not checked: attributes inside sources and builds (unknown names, types), expressions in JSON
 * strings of source/build bodies, legacy `{{ }}` templates, and whether references from sources
 * and builds (such as `local.timestamp` in a name) resolve.
 */
export async function validateWithPacker(filename: string, text: string, options: PackerValidatorOptions = {}): Promise<PackerValidation> {
  const bin = options.bin ?? "packer";
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "immutably-packer-"));
  try {
    const version = await packerVersion(bin, dir);
    const base = path.basename(filename);
    const hcl = base.endsWith(".pkr.hcl");
    const hclJson = base.endsWith(".pkr.json");
    if (!hcl && !hclJson && !base.endsWith(".json"))
      throw new Error(`${filename} is not a Packer template (.pkr.hcl, .pkr.json or legacy .json)`);
    let validatedText = text;
    let checkedConstraints: string[] = [];
    let evaluatedLocals = false;
    const oldPacker = version[0] === 1 && version[1] < 7;
    if (hcl || hclJson) {
      await initParsers();
      const file = hcl ? parseHcl(base, text) : parseJson(base, text, packerJsonLayout);
      if (oldPacker) {
        ({ text: validatedText, constraints: checkedConstraints } = withoutRequiredPlugins(file));
        for (const constraint of checkedConstraints) await checkConstraint(bin, dir, constraint);
      }
      const localsTemplate = localsOnlyTemplate(file, hcl ? (options.evaluate ?? []) : []);
      if (localsTemplate !== undefined) {
        await checkLocals(bin, dir, hcl ? "locals-check.pkr.hcl" : "locals-check.pkr.json", localsTemplate);
        evaluatedLocals = true;
      }
    }
    await fs.writeFile(path.join(dir, base), validatedText);
    const run = await runPacker(bin, ["validate", "-syntax-only", base], dir);
    if (run.code !== 0) {
      throw new Error(
        `packer validate -syntax-only rejected ${base} (exit ${run.code}):\n${run.output}\n--- validated text ---\n${validatedText}`,
      );
    }
    return { validatedText, checkedConstraints, evaluatedLocals, packerVersion: version.join(".") };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Checks a plugin version constraint with Packer's own parser by using it as `required_version`.
 * Packer then either accepts it or says the running Packer does not satisfy it; both mean the
 * constraint parsed. Any other answer ("Invalid version constraint") is a failure.
 */
async function checkConstraint(bin: string, dir: string, constraint: string): Promise<void> {
  const name = "constraint-check.pkr.hcl";
  await fs.writeFile(path.join(dir, name), `packer {\n  required_version = ${JSON.stringify(constraint)}\n}\n`);
  try {
    const run = await runPacker(bin, ["validate", "-syntax-only", name], dir);
    if (run.code !== 0 && !run.output.includes("Unsupported Packer Core version")) {
      throw new Error(`packer rejected the version constraint ${JSON.stringify(constraint)}:\n${run.output}`);
    }
  } finally {
    await fs.rm(path.join(dir, name), { force: true });
  }
}

/** Evaluates a variables-and-locals-only template with a full `packer validate`. */
async function checkLocals(bin: string, dir: string, name: string, template: string): Promise<void> {
  await fs.writeFile(path.join(dir, name), template);
  try {
    const run = await runPacker(bin, ["validate", name], dir);
    if (run.code !== 0)
      throw new Error(`packer validate could not evaluate the locals:\n${run.output}\n--- locals template ---\n${template}`);
  } finally {
    await fs.rm(path.join(dir, name), { force: true });
  }
}

/** The RuleTester validator: fails (never skips) when packer is missing or rejects a fixed output. */
export function packerSyntaxValidator(options: PackerValidatorOptions = {}): Validator {
  return async (filename, text) => {
    await validateWithPacker(filename, text, options);
  };
}
