// End-to-end tests: the packaged extension inside a real VS Code (code-server on Node 24) in
// headless Debian chromium. Installs what it needs (setup.sh), builds and installs the .vsix,
// starts code-server, runs the scenarios in scenarios.mjs and the mocha suites of test/vscode/,
// and always stops every process it started. Screenshots and logs go to test/e2e/artifacts/.
//
// Knobs (environment):
//   IMMUTABLY_E2E_ONLY=a,b         run only the tests whose name contains a or b
//   IMMUTABLY_E2E_SKIP=a,b         skip the tests whose name contains a or b; they are listed as
//                                  skipped (never as passed) and do not fail the run
//   IMMUTABLY_E2E_VSIX=path        install this .vsix instead of building one
//   IMMUTABLY_E2E_KEEP=1           keep the run folder (code-server state, workspaces) afterwards
import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CodeServer } from "./lib/code-server.mjs";
import { stopGroup, stopStrays } from "./lib/processes.mjs";
import { Runner } from "./lib/runner.mjs";
import { Workbench } from "./lib/workbench.mjs";
import { registerScenarios } from "./scenarios.mjs";
import { registerVscodeSuites } from "./vscode-suites.mjs";

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const t0 = Date.now();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const log = (msg) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// Each run writes its own artifacts folder, so that two runs at once (two engineers, or CI beside a
// developer) do not overwrite each other's screenshots; only the newest few are kept.
const artifactsRoot = path.join(root, "test/e2e/artifacts");
const artifacts = path.join(artifactsRoot, stamp);
fs.mkdirSync(artifacts, { recursive: true });
for (const old of fs.readdirSync(artifactsRoot).filter((d) => /^\d{4}-/.test(d)).sort().slice(0, -5)) {
  fs.rmSync(path.join(artifactsRoot, old), { recursive: true, force: true });
}
// The run folder (code-server state, workspaces) lives outside the repository, so that nothing
// that lints or watches the repository sees the copied examples.
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-e2e-"));

const servers = [];
let browserServer;
let browser;
let cleaningUp;

/** Stops the browser and every code-server, by PID and process group; safe to call twice. */
function cleanup() {
  cleaningUp ??= (async () => {
    if (browserServer) {
      const pid = browserServer.process().pid;
      // A starved browser can take minutes to close; its process group is stopped below anyway.
      await within(20_000, browser?.close().catch(() => {}));
      await within(20_000, browserServer.close().catch(() => {}));
      // playwright starts chromium detached, so the browser leads its own group; its
      // renderer and GPU helpers are swept from that group by PID.
      await stopGroup({ pid, exited: Promise.resolve() }, { name: "chromium", log });
    }
    for (const server of servers) await server.stop();
    // chromium's crash handler double-forks out of the browser's process group; it is found by
    // the run folder in its arguments (its database lives there) and stopped by PID.
    await stopStrays(runDir, { log });
    for (const server of servers) {
      const dest = path.join(artifacts, "logs", server.name);
      fs.mkdirSync(dest, { recursive: true });
      fs.cpSync(path.join(server.dir, "logs"), dest, { recursive: true });
      const ud = path.join(server.dir, "user-data/logs");
      if (fs.existsSync(ud)) fs.cpSync(ud, path.join(dest, "vscode"), { recursive: true });
    }
    if (process.env.IMMUTABLY_E2E_KEEP === "1") log(`run folder kept: ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  })();
  return cleaningUp;
}
/** Resolves with `promise`, or after `ms` with undefined: for steps that must not hold up cleanup. */
function within(ms, promise) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => { timer = setTimeout(resolve, ms); })]).finally(() => clearTimeout(timer));
}

for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(sig, () => {
    log(`${sig}: stopping everything`);
    runner.aborted = `${sig} received`;
    cleanup().finally(() => finish(code));
  });
}

/** Runs setup.sh; its last stdout line names the JSON file with the installed paths. */
function setup() {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn("bash", [path.join(root, "test/e2e/setup.sh")], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`test/e2e/setup.sh exited ${code}`));
      log(`setup took ${Date.now() - started} ms`);
      resolve(JSON.parse(fs.readFileSync(out.trim().split("\n").pop(), "utf8")));
    });
  });
}

/**
 * Builds the .vsix with the project's own `npm run package`. Until that script exists it packages
 * the same way by hand (build, then vsce with the runtime dependencies), so the harness can run.
 */
async function buildVsix() {
  if (process.env.IMMUTABLY_E2E_VSIX) return path.resolve(process.env.IMMUTABLY_E2E_VSIX);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const started = Date.now();
  const out = { maxBuffer: 64 << 20, cwd: root, env: { ...process.env } };
  if (pkg.scripts?.package) {
    log("building the .vsix with `npm run package`");
    const r = await execFileAsync("npm", ["run", "package"], out).catch((e) => { throw new Error(`npm run package failed:\n${e.stdout}\n${e.stderr}`); });
    fs.writeFileSync(path.join(artifacts, "package.log"), r.stdout + r.stderr);
    // The script decides where the file goes; the newest .vsix written since the start is it.
    const found = [root, path.join(root, "dist")]
      .flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith(".vsix")).map((f) => path.join(d, f)) : []))
      .filter((f) => fs.statSync(f).mtimeMs >= started - 1000)
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (!found.length) throw new Error("`npm run package` wrote no new .vsix in the repository root or dist/");
    log(`vsix: ${found[0]} (${Date.now() - started} ms)`);
    return found[0];
  }
  log("no `package` script yet: building with esbuild.mjs and packaging with vsce directly");
  await execFileAsync("node", ["esbuild.mjs"], out);
  const vsix = path.join(runDir, `${pkg.name}-${pkg.version}.vsix`);
  const r = await execFileAsync("npx", ["vsce", "package", "--skip-license", "--out", vsix], out)
    .catch((e) => { throw new Error(`vsce package failed:\n${e.stdout}\n${e.stderr}`); });
  fs.writeFileSync(path.join(artifacts, "package.log"), r.stdout + r.stderr);
  log(`vsix: ${vsix} (${Date.now() - started} ms)`);
  return vsix;
}

const runner = new Runner(log);
registerScenarios(runner);
registerVscodeSuites(runner);
if (process.env.IMMUTABLY_E2E_ONLY) {
  const only = process.env.IMMUTABLY_E2E_ONLY.split(",").filter(Boolean);
  runner.tests = runner.tests.filter((t) => only.some((o) => t.name.includes(o)));
}
if (process.env.IMMUTABLY_E2E_SKIP) runner.skip(process.env.IMMUTABLY_E2E_SKIP.split(",").filter(Boolean), "IMMUTABLY_E2E_SKIP");

let notRunReason;
const context = {
  root,
  runDir,
  artifacts,
  log,
  servers,
  /** Starts (and registers for cleanup) another code-server instance. */
  async startServer(name, options = {}) {
    const server = new CodeServer({ name, dir: path.join(runDir, "servers", name), paths: context.paths, log, ...options });
    servers.push(server);
    if (options.vsix !== false) {
      const installed = await server.installExtension(context.vsix);
      log(`${name}: installed extensions: ${installed.join(" ")}`);
      server.installed = installed;
    }
    await server.start();
    return server;
  },
  /** Stops one instance before the end of the run (it is then skipped by the final cleanup). */
  async stopServer(server) {
    await server.stop();
  },
  /**
   * Copies a folder of the repository (default `examples`) into a fresh workspace folder: git's
   * tracked and untracked-but-not-ignored files only, so that local Terraform state, `.terraform/`
   * or earlier roll records in the developer's checkout never leak into a test.
   */
  workspace(name, from = "examples") {
    const dest = path.join(runDir, "workspaces", name);
    const listing = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", from], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
    const files = listing.split("\0").filter(Boolean);
    if (!files.length) throw new Error(`${from}/ has no files in the repository`);
    for (const f of files) {
      const src = path.join(root, f);
      if (!fs.existsSync(src)) continue; // deleted in the working tree but not yet in git
      const target = path.join(dest, path.relative(from, f));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(src, target);
      fs.chmodSync(target, fs.statSync(src).mode);
    }
    return dest;
  },
  /** A new browser context (fresh storage) and page on `server`, wrapped in a Workbench. */
  async workbench(testName) {
    const bctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await bctx.newPage();
    // Generous, because CI shares two cores with everything else; a wait still ends as soon as
    // its state appears.
    page.setDefaultTimeout(30_000);
    page.on("pageerror", (e) => log(`  [pageerror] ${String(e).slice(0, 200)}`));
    const dir = path.join(artifacts, testName.replace(/[^\w.-]+/g, "-").toLowerCase());
    // The workbench's own errors and warnings (a failed edit, a rejected code action) go beside the screenshots.
    fs.mkdirSync(dir, { recursive: true });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") fs.appendFileSync(path.join(dir, "console.log"), `${new Date().toISOString()} [${m.type()}] ${m.text()}\n`);
    });
    const wb = new Workbench(page, dir, log);
    context.current = { bctx, wb };
    return wb;
  },
  /** After every test: a screenshot of the final state (also on failure), then the page is closed. */
  async afterEach() {
    const current = context.current;
    context.current = undefined;
    if (!current) return;
    await within(20_000, current.wb.shot("end").catch(() => {}));
    await within(20_000, current.bctx.close().catch(() => {}));
  },
};

try {
  try {
    context.paths = await setup();
    // A private copy: another checkout's or engineer's `npm run package` may replace or delete the
    // file in the repository while this run still installs it into further servers.
    context.vsix = path.join(runDir, "immutably.vsix");
    fs.copyFileSync(await buildVsix(), context.vsix);
    const { chromium } = await import(context.paths.playwrightCore);
    // The flags keep chromium off the network (which is closed here) and out of a sandbox that
    // root cannot use; the profile is a fresh temporary one per launch.
    // A browser server rather than a plain launch, because only the server tells chromium's PID,
    // which the cleanup needs; each test then gets a fresh context (fresh storage) from it.
    browserServer = await chromium.launchServer({
      executablePath: context.paths.chromium,
      headless: true,
      // The harness stops chromium itself, after the test that is running has been told; and
      // chromium's HOME is the run folder, so its crash handler writes nothing to the real home.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      env: { ...process.env, HOME: path.join(runDir, "browser-home"), XDG_CONFIG_HOME: path.join(runDir, "browser-home/.config"), XDG_CACHE_HOME: path.join(runDir, "browser-home/.cache") },
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    browser = await chromium.connect(browserServer.wsEndpoint());
    context.main = await context.startServer("main");
  } catch (e) {
    notRunReason = `harness start failed: ${e instanceof Error ? e.message : e}`;
    log(notRunReason);
  }
  await runner.run(context, { notRunReason });
} finally {
  await cleanup();
}
finish();

/** Prints every result and the closing line, then exits: non-zero on any failure or when nothing passed. */
function finish(signalCode) {
  const { passed, failed, skipped } = runner.summary();
  log(`artifacts: ${path.relative(root, artifacts)}; wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(signalCode ?? (failed || !passed ? 1 : 0));
}
