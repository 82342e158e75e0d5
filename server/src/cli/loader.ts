// dist/cli.js, the `immutably` bin: loads the CLI bundle (dist/cli-main.js) through a V8 code cache.
//
// Compiling the 350 KB bundle, and then each function it runs for the first time, is a fixed cost of
// every cold run (a pre-commit hook, a CI step per file). V8 can serialize that work; the next run
// reads it back instead of compiling. This is what Node 22's `module.enableCompileCache()` does,
// written out with `vm.Script` so that it also works on Node 20.
//
// Where: `$IMMUTABLY_COMPILE_CACHE` if set (a folder; `0` or `off` turns the cache off), else the
// user's cache folder: `$XDG_CACHE_HOME/immutably` or `~/.cache/immutably` (Linux and others),
// `~/Library/Caches/immutably` (macOS), `%LOCALAPPDATA%\immutably\cache` (Windows). The folder must
// be the user's own and closed to others (it is created with mode 0700), because a code cache is
// code. There is one file per bundle, Node version, architecture and set of V8 flags; writing one
// removes those of other bundles and Node versions. V8 checks a file against the source and its
// flags and rejects a stale one; a damaged one is caught by our CRC-32 first (V8 would abort on it).
// Either is rewritten. A cache that cannot be read or written costs only the compile it would have
// saved. `IMMUTABLY_DEBUG_COMPILE_CACHE=1` prints what happened to stderr.
import fs from "node:fs";
import Module from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { writeFileAtomic } from "../host/atomic-write.ts";
import { compileCacheDir, compileCacheName } from "./loader-paths.ts";
import { lintPaths, preferBaselineWasmForSmallRun } from "./small-run.ts";
import { isLintWorkerThread } from "./threads.ts";

declare const IMMUTABLY_VERSION: string;

/** Whether a cache folder is this user's and others cannot write to it: a planted cache would be planted code. */
function trusted(folder: fs.Stats): boolean {
  return typeof process.getuid !== "function" || (folder.uid === process.getuid() && (folder.mode & 0o022) === 0);
}

// V8 does not verify a code cache's checksum in release builds, and a damaged one aborts the process
// (measured: "Fatal error ... unreachable code" in the deserializer). So each file starts with a
// magic and the CRC-32 of the data, checked before V8 sees it.
const MAGIC = Buffer.from("immutably-v8cache-1\n");

function checksum(data: Buffer): number | undefined {
  const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32; // Node 20.15 and later
  return crc32 ? crc32(data) : undefined;
}

/** The cached data of a file this loader wrote, or why there is none. */
function readCache(file: string): { data?: Buffer; status: "miss" | "unusable" | "untrusted" | "damaged" } {
  try {
    const folder = fs.statSync(path.dirname(file));
    if (!folder.isDirectory()) return { status: "unusable" };
    if (!trusted(folder)) return { status: "untrusted" };
  } catch {
    return { status: "miss" }; // no folder yet
  }
  try {
    const bytes = fs.readFileSync(file);
    const header = MAGIC.length + 4;
    if (bytes.length <= header || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { status: "damaged" };
    const data = bytes.subarray(header);
    const sum = checksum(data);
    return sum !== undefined && sum === bytes.readUInt32LE(MAGIC.length) ? { data, status: "miss" } : { status: "damaged" };
  } catch {
    return { status: "miss" };
  }
}

function writeCache(file: string, data: Buffer): boolean {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const folder = fs.statSync(dir);
    if (!folder.isDirectory() || !trusted(folder)) return false;
    const sum = checksum(data);
    if (sum === undefined) return false;
    const sumBytes = Buffer.alloc(4);
    sumBytes.writeUInt32LE(sum);
    writeFileAtomic(file, Buffer.concat([MAGIC, sumBytes, data]), { mode: 0o600, forceMode: true });
    // The caches of other bundles or Node versions, and temporaries a killed run left, are of no further use.
    const bundlePrefix = path.basename(file).slice(0, path.basename(file).lastIndexOf("-") + 1);
    for (const name of fs.readdirSync(dir)) {
      const stale = name.endsWith(".v8cache")
        ? !name.startsWith(bundlePrefix)
        : name.endsWith(".tmp") && Date.now() - fs.statSync(path.join(dir, name)).mtimeMs > 3_600_000;
      // A temporary file is named ".<cache file>.<random>.tmp" (engine/atomic-write.ts).
      if ((name.startsWith("cli-") || name.startsWith(".cli-")) && stale) fs.rmSync(path.join(dir, name), { force: true });
    }
    return true;
  } catch {
    return false;
  }
}

function load(): void {
  const bundle = path.join(__dirname, "cli-main.js");
  let source: string;
  let bundleStat: fs.Stats;
  try {
    source = fs.readFileSync(bundle, "utf8");
    bundleStat = fs.statSync(bundle);
  } catch (error) {
    // A partial install or a removed build: one clear line, no stack trace.
    process.stderr.write(
      `immutably: cannot read ${bundle} (${(error as NodeJS.ErrnoException).code ?? String(error)}); reinstall immutably or run \`npm run build\`\n`,
    );
    process.exit(2);
  }
  // V8 rejects a cache written under other flags: set the run's flags first (the CLI makes the same
  // decision again later, which changes nothing), and keep one cache per set of flags.
  const args = process.argv.slice(2);
  const worker = isLintWorkerThread();
  const baseline = !worker && args[0] === "lint" && preferBaselineWasmForSmallRun(lintPaths(args.slice(1), process.cwd()));
  const dir = compileCacheDir(process.env, process.platform, os.homedir());
  const name = compileCacheName(IMMUTABLY_VERSION, bundleStat, process.version, process.arch, baseline ? "liftoff" : "default");
  const file = dir ? path.join(dir, name) : undefined;
  const read = file ? readCache(file) : undefined;
  const cachedData = read?.data;
  // The bundle is written as Node's module wrapper function (esbuild.mjs), so it is compiled as it is.
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const status = !read ? "off" : !cachedData ? read.status : script.cachedDataRejected ? "rejected" : "hit";
  const debug = process.env.IMMUTABLY_DEBUG_COMPILE_CACHE === "1";
  if (debug) process.stderr.write(`immutably: compile cache ${status}${file ? ` (${file})` : ""}\n`);
  // The main thread writes the cache once the run is over, so that it holds every function the run compiled.
  if (file && status !== "hit" && !worker) {
    process.once("exit", () => {
      const written = writeCache(file, script.createCachedData());
      if (debug) process.stderr.write(`immutably: compile cache ${written ? "written" : "not written"}\n`);
    });
  }
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, __dirname);
  bundleModule.loaded = true;
  if (!worker) (bundleModule.exports as { runCli(): void }).runCli();
}

load();
