// The GitHub Action's work (action.yml runs it): install the immutably package, lint, and write SARIF for code scanning.
//
// Inputs come as environment variables, set by action.yml from the action's inputs:
//   IMMUTABLY_PATHS          paths to lint, separated by spaces or newlines (default ".")
//   IMMUTABLY_FORMAT         stylish | json | sarif: what the job log shows (default stylish)
//   IMMUTABLY_MAX_WARNINGS   a whole number, or empty for no limit
//   IMMUTABLY_UPLOAD_SARIF   "true" or "false": also write SARIF, which the next step uploads
//   IMMUTABLY_SARIF_FILE     where the SARIF goes (default $RUNNER_TEMP/immutably.sarif)
//   IMMUTABLY_PACKAGE        an npm package spec of immutably (a tarball path or URL); empty: pack this
//                            action's own checkout (npm ci, npm pack), since the package is not on the
//                            npm registry (the name `immutably` there is an unrelated library)
// It writes the step outputs exit-code and sarif-file (only when SARIF was written) to $GITHUB_OUTPUT
// and exits with immutably's exit code: 0 clean, 1 findings over the limit, 2 usage or configuration error.
// Everything runs with argv arrays, never through a shell.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const env = process.env;
const actionPath = env.GITHUB_ACTION_PATH || path.resolve(import.meta.dirname, "..");

/** A usage problem: one annotation in the job's summary, exit 2 as immutably's own usage errors. */
function fail(message) {
  console.log(`::error title=immutably::${message}`);
  process.exit(2);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...options });
  if (r.error) fail(`${cmd} could not be started: ${r.error.message}`);
  return r;
}

function group(title, body) {
  console.log(`::group::${title}`);
  try {
    return body();
  } finally {
    console.log("::endgroup::");
  }
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

// ---- inputs ------------------------------------------------------------------------------------
const major = Number(process.versions.node.split(".")[0]);
if (major < 20) fail(`immutably needs Node 20 or later, and this runner has ${process.version}: add actions/setup-node before this action`);
const format = (env.IMMUTABLY_FORMAT || "stylish").trim();
if (!["stylish", "json", "sarif"].includes(format)) fail(`format must be stylish, json or sarif, not "${format}"`);
const maxWarnings = (env.IMMUTABLY_MAX_WARNINGS || "").trim();
if (maxWarnings && !/^\d+$/.test(maxWarnings)) fail(`max-warnings must be a whole number or empty, not "${maxWarnings}"`);
const uploadInput = (env.IMMUTABLY_UPLOAD_SARIF || "false").trim();
if (!["true", "false"].includes(uploadInput)) fail(`upload-sarif must be true or false, not "${uploadInput}"`);
const upload = uploadInput === "true";
const paths = (env.IMMUTABLY_PATHS || ".").split(/\s+/).filter(Boolean);
const temp = fs.mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), "immutably-"));
const sarifFile = path.resolve(env.IMMUTABLY_SARIF_FILE || path.join(env.RUNNER_TEMP || temp, "immutably.sarif"));

// ---- the package ---------------------------------------------------------------------------------
// npm's own script, run by this Node: on Windows `npm` is a batch file, which Node starts only
// through a shell, and the package spec is the user's text.
const npmCli = [path.join(path.dirname(process.execPath), "node_modules", "npm", "bin", "npm-cli.js"), path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js")].find((p) => fs.existsSync(p));
const npm = (args, options = {}) => (npmCli ? run(process.execPath, [npmCli, ...args], options) : run("npm", args, options));
let spec = (env.IMMUTABLY_PACKAGE || "").trim();
if (!spec) {
  spec = group(`immutably: packing this action's checkout (${actionPath})`, () => {
    if (npm(["ci", "--no-audit", "--no-fund"], { cwd: actionPath }).status !== 0) fail("npm ci failed in the action's checkout");
    const pack = npm(["pack", "--json", "--pack-destination", temp], { cwd: actionPath, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (pack.status !== 0) fail("npm pack failed in the action's checkout");
    return path.join(temp, JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")))[0].filename);
  });
}
const installDir = path.join(temp, "install");
fs.mkdirSync(installDir);
// npm 11 counts the package's `prepare` script (the build, for a checkout) as an install script of a
// tarball and warns that nobody reviewed it, though npm never runs it for a tarball. Denied here, it
// is skipped without a notice, also under a strict policy.
fs.writeFileSync(path.join(installDir, "package.json"), `${JSON.stringify({ private: true, allowScripts: { immutably: false } }, null, 2)}\n`);
group(`immutably: installing ${spec}`, () => {
  if (npm(["install", "--no-audit", "--no-fund", "--prefix", installDir, spec]).status !== 0) fail(`npm could not install ${spec}`);
});
const packageDir = path.join(installDir, "node_modules", "immutably");
let bin;
try {
  bin = path.join(packageDir, JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")).bin.immutably);
} catch {
  fail(`${spec} did not install an immutably package with an \`immutably\` bin`);
}

// ---- lint ------------------------------------------------------------------------------------------
// Both runs share a cache in the temporary folder, so the SARIF run reuses the first run's findings.
const common = ["--cache", "--cache-location", path.join(temp, "lint-cache.json"), ...(maxWarnings ? ["--max-warnings", maxWarnings] : [])];
const lint = run(process.execPath, [bin, "lint", "--format", format, ...common, "--", ...paths]);
const code = lint.status ?? 2;
output("exit-code", code);
if (upload && (code === 0 || code === 1)) {
  fs.mkdirSync(path.dirname(sarifFile), { recursive: true });
  const sarif = spawnSync(process.execPath, [bin, "lint", "--format", "sarif", ...common, "--", ...paths], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 512 * 1024 * 1024 });
  if (sarif.status === 0 || sarif.status === 1) {
    fs.writeFileSync(sarifFile, sarif.stdout);
    output("sarif-file", sarifFile);
    console.log(`immutably: SARIF written to ${sarifFile}`);
  } else {
    console.log(`::warning title=immutably::the SARIF run exited ${sarif.status}; nothing will be uploaded`);
  }
}
process.exit(code);
