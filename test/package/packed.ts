// Packs the npm package as a user gets it (`npm pack`) and installs the tarball in an empty folder, once per test run.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface Packed {
  /** The .tgz `npm pack` wrote. */
  tarball: string;
  /** The paths inside the tarball, as `npm pack --json` lists them. */
  files: string[];
  /** An empty folder where only the tarball was installed (`npm install <tarball>`). */
  installDir: string;
  /** The installed package, installDir/node_modules/immutably. */
  packageDir: string;
}

/**
 * The environment of a person's shell: without the npm_* variables of the `npm test` around us, which
 * nested npm commands would take as their own configuration (a user agent naming the outer npm, the
 * outer package's lifecycle). The CLI's code cache stays in the test run's folder.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: "1", ...extra };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with an argv array (no shell) in a user's environment, plus `env`. */
export function runIn(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnSyncOptions = {}): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: userEnv(env), timeout: 300_000, maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function mustRun(cwd: string, cmd: string, args: string[]): Run {
  const r = runIn(cwd, cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code} in ${cwd}\n${r.stdout}\n${r.stderr}`);
  return r;
}

let cached: Packed | undefined;

/**
 * The packed and installed package. Under `npm test` the package stage hands every test file the same
 * folder (IMMUTABLY_TEST_PACKED_DIR; the files run one after another), so the package is packed once;
 * a test file run on its own packs into a temporary folder of its own.
 */
export function packed(): Packed {
  if (cached) return cached;
  let dir = process.env.IMMUTABLY_TEST_PACKED_DIR;
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-packed-"));
    const own = dir;
    process.on("exit", () => fs.rmSync(own, { recursive: true, force: true }));
  }
  const record = path.join(dir, "packed.json");
  if (fs.existsSync(record)) return (cached = JSON.parse(fs.readFileSync(record, "utf8")) as Packed);

  // `npm pack` runs the prepare script (the build), as it does for a user packing a clean clone.
  const packDir = path.join(dir, "pack");
  fs.mkdirSync(packDir, { recursive: true });
  const pack = mustRun(ROOT, "npm", ["pack", "--json", "--pack-destination", packDir]);
  const listing = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = path.join(packDir, listing[0].filename);

  const installDir = path.join(dir, "user");
  fs.mkdirSync(installDir, { recursive: true });
  mustRun(installDir, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball]);
  cached = {
    tarball,
    files: listing[0].files.map((f) => f.path).sort(),
    installDir,
    packageDir: path.join(installDir, "node_modules", "immutably"),
  };
  fs.writeFileSync(record, JSON.stringify(cached));
  return cached;
}
