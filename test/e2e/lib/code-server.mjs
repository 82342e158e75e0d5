// Installs the extension into, starts and stops one code-server instance with all of its state
// (HOME, XDG folders, user data, extensions) inside a folder of its own.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { spawnGroupLeader, stopGroup } from "./processes.mjs";

const run = promisify(execFile);

/** Settings every instance starts with: nothing that pops up, phones home or updates itself. */
const baseSettings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "git.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.enableExperiments": false,
  // The chat side bar would take a third of the window in every screenshot.
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  // The scenarios check what happens before a save, so nothing may save on its own.
  "files.autoSave": "off",
};

export class CodeServer {
  /**
   * @param {object} o
   * @param {string} o.name short name for logs and folders
   * @param {string} o.dir a fresh folder that holds everything this instance writes
   * @param {{ node24: string, codeServerEntry: string }} o.paths from setup.sh
   * @param {Record<string, unknown>} [o.settings] user settings on top of `baseSettings`
   * @param {boolean} [o.workspaceTrust] keep workspace trust on (code-server turns it off otherwise)
   * @param {string[]} [o.extraArgs] further code-server arguments
   * @param {Record<string, string>} [o.env] further environment for the server and its extension host
   * @param {(msg: string) => void} o.log
   */
  constructor({ name, dir, paths, settings = {}, workspaceTrust = false, extraArgs = [], env = {}, log }) {
    Object.assign(this, { name, dir, paths, workspaceTrust, extraArgs, log });
    for (const sub of ["home", "xdg/config", "xdg/data", "xdg/cache", "xdg/state", "user-data/User", "extensions", "logs"]) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
    }
    fs.writeFileSync(path.join(dir, "user-data/User/settings.json"), JSON.stringify({ ...baseSettings, ...settings }, null, 2));
    // An empty config file keeps code-server from writing a default one (with a password) into HOME.
    fs.writeFileSync(path.join(dir, "config.yaml"), "");
    this.logFile = path.join(dir, "logs/code-server.log");
    // HOME and XDG_* point into the run folder so that nothing is written to the real home.
    this.env = {
      ...process.env,
      HOME: path.join(dir, "home"),
      XDG_CONFIG_HOME: path.join(dir, "xdg/config"),
      XDG_DATA_HOME: path.join(dir, "xdg/data"),
      XDG_CACHE_HOME: path.join(dir, "xdg/cache"),
      XDG_STATE_HOME: path.join(dir, "xdg/state"),
      PATH: `${path.dirname(fs.realpathSync(paths.node24))}:${process.env.PATH}`,
      ...env,
    };
    // Variables of the outer npm run would leak into the extension host and the tools it runs.
    for (const key of Object.keys(this.env)) if (key.startsWith("npm_")) delete this.env[key];
    this.commonArgs = ["--config", path.join(dir, "config.yaml"), "--user-data-dir", path.join(dir, "user-data"), "--extensions-dir", path.join(dir, "extensions")];
  }

  async cli(...args) {
    const { stdout } = await run(this.paths.node24, [this.paths.codeServerEntry, ...this.commonArgs, ...args], { env: this.env, timeout: 120_000 });
    return stdout;
  }

  async installExtension(vsix) {
    await this.cli("--install-extension", vsix);
    return (await this.cli("--list-extensions", "--show-versions")).split("\n").filter(Boolean);
  }

  /** Starts the server on a port the kernel picks and resolves once /healthz answers. */
  async start() {
    const args = [
      this.paths.codeServerEntry, ...this.commonArgs,
      "--bind-addr", "127.0.0.1:0", "--auth", "none", "--disable-telemetry", "--disable-update-check",
      // Each test opens its own window, and a closed window's extension host (with its language
      // server) would otherwise wait hours for the window to reconnect, loading the machine.
      "--reconnection-grace-time", "15",
      ...(this.workspaceTrust ? [] : ["--disable-workspace-trust"]),
      ...this.extraArgs,
    ];
    const startedAt = Date.now();
    this.leader = spawnGroupLeader(this.paths.node24, args, { env: this.env, cwd: this.dir, logFile: this.logFile });
    this.log(`${this.name}: code-server pid ${this.leader.pid}, log ${this.logFile}`);
    let died = false;
    this.leader.exited.then(() => { died = true; });
    const deadline = Date.now() + 60_000;
    // Port 0 means the port is only known from the server's own log line; it is read as it
    // appears, and then /healthz is asked until it answers. Both are bounded by the deadline.
    while (!this.url) {
      if (died) throw new Error(`${this.name}: code-server exited during start:\n${fs.readFileSync(this.logFile, "utf8")}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: code-server printed no listening address within 60 s`);
      const m = fs.readFileSync(this.logFile, "utf8").match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) this.url = m[1];
      else await new Promise((r) => setTimeout(r, 50));
    }
    for (;;) {
      if (died) throw new Error(`${this.name}: code-server exited during start`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) break;
      } catch {
        // Not accepting connections yet.
      }
      if (Date.now() > deadline) throw new Error(`${this.name}: ${this.url}/healthz did not answer within 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.log(`${this.name}: healthy at ${this.url} after ${Date.now() - startedAt} ms`);
    return this.url;
  }

  async stop() {
    await stopGroup(this.leader, { name: `${this.name} code-server`, log: this.log });
  }
}
