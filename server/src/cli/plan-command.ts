// `immutably plan <plan.json | saved plan>`: checks what a Terraform plan will do to machine-like resources; formats and exit codes as `lint`.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadedTerraformFiles, type LanguageSetting } from "../engine/files.ts";
import { createLinter, type Finding } from "../engine/index.ts";
import { checkPlan, PLAN_CHECKS, PlanFormatError } from "../engine/plan/index.ts";
import { diskPlanHost } from "../host/plan-host.ts";
import { readSavedPlan, SAVED_PLAN_TIMEOUT_MS } from "../roll/plan-guard.ts";
import { ToolFailedError, ToolNotFoundError } from "../roll/runner.ts";
import { renderPlanCheckDoc } from "../rules/docs.ts";
import { findConfig, UsageError } from "./files.ts";
import { ansi, formatStylish, plain } from "./format/stylish.ts";
import { exitCodeOf, loadConfig, outputOptions, useColour, type Io } from "./io.ts";

export const PLAN_USAGE = `  immutably plan <plan>             check a Terraform plan: a saved plan file (terraform plan -out=FILE),
                                   read with \`terraform show -json\` (\`tofu show -json\` in an OpenTofu
                                   folder), or that command's JSON output
      --format stylish|json|sarif  output format (default: stylish)
      --max-warnings N             exit 1 when there are more than N warnings
      --config PATH                use this .immutably.hcl instead of searching for one
      --dir PATH                   the folder the plan was made in (default: the plan file's folder)
      --tool terraform|tofu        the tool that made a saved plan (default: tofu where the folder holds a
                                   .tofu file or .immutably.hcl says language = "opentofu", else terraform)
      --terraform PATH             the terraform executable for a saved plan (default: IMMUTABLY_TERRAFORM, then PATH)
      --tofu PATH                  the tofu executable for a saved plan (default: IMMUTABLY_TOFU, then PATH)
`;

/** A saved plan is a zip archive; its JSON form is text. */
function isSavedPlan(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The tool that reads a saved plan: each reads only its own. Chosen as the folder's files are loaded:
 * an OpenTofu folder (by `language`, or with `auto` a folder holding a `.tofu` file) is read with tofu.
 */
function savedPlanTool(explicit: string | undefined, setting: LanguageSetting, rootDir: string): "terraform" | "tofu" {
  if (explicit !== undefined) {
    if (explicit === "terraform" || explicit === "tofu") return explicit;
    throw new UsageError(`--tool must be terraform or tofu, got ${JSON.stringify(explicit)}`);
  }
  let names: string[] = [];
  try {
    names = fs.readdirSync(rootDir);
  } catch {
    // An unreadable folder has no .tofu file we can see; terraform is the default.
  }
  return loadedTerraformFiles(
    names.map((n) => path.join(rootDir, n)),
    setting,
  ).language === "opentofu"
    ? "tofu"
    : "terraform";
}

export async function planCommand(args: string[], io: Io, version: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "stylish" },
      "max-warnings": { type: "string" },
      config: { type: "string" },
      dir: { type: "string" },
      terraform: { type: "string" },
      tofu: { type: "string" },
      tool: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout.write(`Usage:\n${PLAN_USAGE}`);
    return 0;
  }
  const { format, maxWarnings } = outputOptions(values.format, values["max-warnings"]);
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? "plan needs a plan file (a saved plan or its `terraform show -json` output)"
        : `plan takes one plan file, got ${positionals.length}`,
    );
  const planPath = path.resolve(io.cwd, positionals[0]);
  let bytes: Buffer;
  try {
    // A FIFO or device would block this read, so only a regular file is read.
    if (!fs.statSync(planPath).isFile()) throw new UsageError(`cannot read plan ${positionals[0]}: not a regular file`);
    bytes = fs.readFileSync(planPath);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read plan ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const rootDir = values.dir ? path.resolve(io.cwd, values.dir) : path.dirname(planPath);
  const linter = await createLinter();
  const configPath = values.config ? path.resolve(io.cwd, values.config) : findConfig(rootDir);
  const { config } = loadConfig(linter, configPath);

  const saved = isSavedPlan(bytes);
  let json = bytes.toString("utf8");
  if (saved) {
    const tool = savedPlanTool(values.tool, config.language, rootDir);
    const executable = tool === "tofu" ? values.tofu : values.terraform;
    try {
      json = await readSavedPlan(planPath, {
        cwd: rootDir,
        tool,
        executable: executable ? path.resolve(io.cwd, executable) : undefined,
        env: io.env,
        signal: io.signal,
        log: (line) => io.stderr.write(`${line}\n`),
        timeoutMs: SAVED_PLAN_TIMEOUT_MS,
      });
    } catch (error) {
      // The tool missing, or it could not read the plan (another tool or version, folder not initialised): say so, exit 2.
      if (!(error instanceof ToolNotFoundError || error instanceof ToolFailedError)) throw error;
      // Terraform cannot read OpenTofu's saved plans, and a folder of .tf files may well be OpenTofu's.
      const hint =
        tool === "terraform" && values.tool === undefined
          ? '\nIf OpenTofu made this plan, pass --tool tofu or set language = "opentofu" in .immutably.hcl.'
          : "";
      io.stderr.write(`immutably: cannot read the saved plan ${positionals[0]}: ${error.message}${hint}\n`);
      return 2;
    }
  }
  const host = diskPlanHost(rootDir, config.maxFileBytes);
  let findings: Finding[];
  let texts: Map<string, string>;
  try {
    ({ findings, texts } = checkPlan({ json, planPath, planIsJson: !saved, rootDir }, config, host));
  } catch (error) {
    if (error instanceof PlanFormatError) throw new UsageError(`${positionals[0]}: ${error.message}`);
    throw error;
  }
  if (format === "json") {
    const { formatJson } = await import("./format/json.ts");
    io.stdout.write(formatJson(findings, [], io.cwd, version));
  } else if (format === "sarif") {
    const { formatSarif } = await import("./format/sarif.ts");
    const rules = PLAN_CHECKS.map(({ meta }) => ({
      id: meta.id,
      severity: meta.severity,
      summary: meta.summary,
      why: meta.why,
      markdown: renderPlanCheckDoc(meta),
      fix: meta.fix,
      recommended: meta.recommended,
    }));
    io.stdout.write(formatSarif(findings, [], rules, texts, io.cwd, version));
  } else {
    io.stdout.write(formatStylish(findings, [], io.cwd, useColour(io) ? ansi : plain));
  }
  return exitCodeOf(findings, maxWarnings);
}
