// Installs Microsoft's SARIF validator on demand into a cache (about 100 MB, so not a dependency every user downloads) and runs it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const SARIF_MULTITOOL_VERSION = "5.7.0";

/** One finding of the validator: its rule (SARIF1001, GH1005, ...) and its message. */
export interface ValidatorResult {
  ruleId: string;
  /** Which of the rule's messages, e.g. "Warning_ProvideToolnformationUri" (SARIF2005 has several). */
  messageId?: string;
  message: string;
}

function cacheRoot(): string {
  return process.env.IMMUTABLY_TOOLS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "immutably-tools");
}

/** Waits for a lock folder (mkdir is atomic), so parallel test files never install into one folder at once. */
function withLock<T>(lock: string, work: () => T): T {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock older than the longest install is left by a killed run.
      if (Date.now() - fs.statSync(lock).mtimeMs > 600_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: error });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The path of the validator's executable, installed from the npm registry into the cache on first use. */
export function sarifMultitool(): string {
  const prefix = path.join(cacheRoot(), `sarif-multitool-${SARIF_MULTITOOL_VERSION}`);
  const platformPackage = `@microsoft/sarif-multitool-${process.platform === "win32" ? "win32" : process.platform === "darwin" ? "darwin" : "linux"}`;
  const bin = path.join(prefix, "node_modules", platformPackage, process.platform === "win32" ? "Sarif.Multitool.exe" : "Sarif.Multitool");
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  return withLock(`${prefix}.lock`, () => {
    if (fs.existsSync(bin)) return bin;
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.mkdirSync(prefix, { recursive: true });
    fs.writeFileSync(path.join(prefix, "package.json"), '{ "private": true }\n');
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    // The outer `npm test` exports its own configuration (user agent, lifecycle); the nested install must not read it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|lifecycle|package)_/i.test(k)));
    const r = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--no-save", `@microsoft/sarif-multitool@${SARIF_MULTITOOL_VERSION}`], {
      cwd: prefix,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (r.status !== 0 || !fs.existsSync(bin)) {
      throw new Error(
        `could not install @microsoft/sarif-multitool@${SARIF_MULTITOOL_VERSION} into ${prefix} (npm exit ${r.status}):\n${r.stderr}`,
      );
    }
    // The package's postinstall only marks the binary executable; npm 11 may not run install scripts, so do it here.
    fs.chmodSync(bin, 0o755);
    return bin;
  });
}

/** Validates a SARIF file with the given rule kinds (e.g. "Gh;Sarif") and returns what the validator reported. */
export function validateSarif(file: string, ruleKinds = "Gh;Sarif"): ValidatorResult[] {
  const output = `${file}.validation.sarif`;
  fs.rmSync(output, { force: true });
  // The validator is a .NET program, which aborts where ICU is not installed (a minimal Debian has no
  // libicu); its checks compare no culture-specific text, so .NET's invariant globalization serves.
  const env = { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" };
  const r = spawnSync(sarifMultitool(), ["validate", "--rule-kind", ruleKinds, "--output", output, file], { encoding: "utf8", env });
  if (r.status !== 0 || !fs.existsSync(output)) throw new Error(`the SARIF validator failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const log = JSON.parse(fs.readFileSync(output, "utf8")) as {
    runs: { results?: { ruleId: string; message: { id?: string; text?: string; arguments?: string[] } }[] }[];
  };
  return (log.runs[0]?.results ?? []).map((x) => ({
    ruleId: x.ruleId,
    messageId: x.message.id,
    message: x.message.text ?? (x.message.arguments ?? []).join(" | "),
  }));
}
