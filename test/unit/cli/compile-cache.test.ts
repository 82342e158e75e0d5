// The bin (dist/cli.js) loads the CLI bundle through a V8 code cache: the second cold run reads the
// compiled code instead of compiling it again. Runs the built loader for real.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { compileCacheDir } from "../../../server/src/cli/loader-paths.ts";
import { CLI, runCli, workspace } from "../../helpers/cli.ts";

const DROPLET = fs.readFileSync(path.resolve(__dirname, "../../../examples/digitalocean/droplet.tf"), "utf8");

/** Runs `immutably lint` with the cache in `cacheDir` and returns its output and what the loader said about the cache. */
function lint(cwd: string, cacheDir: string, args = ["lint", "droplet.tf"], env: NodeJS.ProcessEnv = {}) {
  const r = runCli(args, cwd, { IMMUTABLY_COMPILE_CACHE: cacheDir, IMMUTABLY_DEBUG_COMPILE_CACHE: "1", ...env });
  const said = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("immutably: compile cache"))
    .map((l) => l.replace(/ \(.*\)$/, "").replace("immutably: compile cache ", ""));
  return { ...r, said };
}

const TREE_SITTER = { IMMUTABLY_PARSER: "tree-sitter" };
const OWN = { IMMUTABLY_PARSER: "own" };

const cacheFiles = (dir: string) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => n.endsWith(".v8cache"))
        .sort()
    : [];

describe("the compile cache of the bin", () => {
  it("misses and writes on the first run, hits on the next, and the output is the same", () => {
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    const first = lint(ws, cache);
    assert.deepEqual(first.said, ["miss", "written"]);
    assert.equal(first.code, 0, "warnings only: the CLI exits as usual");
    assert.match(first.stdout, /require-create-before-destroy/);
    const second = lint(ws, cache);
    assert.deepEqual(second.said, ["hit"]);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.code, first.code);
    assert.equal(fs.statSync(cache).mode & 0o777, 0o700, "the folder is private");
    assert.equal(cacheFiles(cache).length, 1);
  });

  it("keeps one file per set of V8 flags: a small run (baseline WASM compiler) and a folder scan each hit their own", () => {
    // The baseline compiler is chosen for tree-sitter's WASM, so tree-sitter reads here whichever parser the suite runs with.
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    assert.deepEqual(lint(ws, cache, undefined, TREE_SITTER).said, ["miss", "written"]);
    assert.deepEqual(lint(ws, cache, ["lint", "."], TREE_SITTER).said, ["miss", "written"]);
    assert.deepEqual(lint(ws, cache, undefined, TREE_SITTER).said, ["hit"]);
    assert.deepEqual(lint(ws, cache, ["lint", "."], TREE_SITTER).said, ["hit"]);
    const files = cacheFiles(cache);
    assert.equal(files.length, 2);
    assert.ok(files.some((f) => f.endsWith("-liftoff.v8cache")) && files.some((f) => f.endsWith("-default.v8cache")), files.join(", "));
  });

  it("with the own reader (no WASM) a small run and a folder scan share one file", () => {
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    assert.deepEqual(lint(ws, cache, undefined, OWN).said, ["miss", "written"]);
    assert.deepEqual(lint(ws, cache, ["lint", "."], OWN).said, ["hit"]);
    const files = cacheFiles(cache);
    assert.ok(files.length === 1 && files[0].endsWith("-default.v8cache"), files.join(", "));
  });

  it("never hands a damaged cache file to V8 (which would abort): runs normally and rewrites it", () => {
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    const clean = lint(ws, cache);
    const [file] = cacheFiles(cache);
    const bytes = fs.readFileSync(path.join(cache, file));
    for (let i = 64; i < bytes.length; i += 97) bytes[i] ^= 0xff;
    fs.writeFileSync(path.join(cache, file), bytes);
    const damaged = lint(ws, cache);
    assert.deepEqual(damaged.said, ["damaged", "written"]);
    assert.equal(damaged.code, 0);
    assert.equal(damaged.stdout, clean.stdout);
    assert.deepEqual(lint(ws, cache).said, ["hit"]);
  });

  it("lets V8 reject an intact cache made under other flags, and rewrites it", () => {
    // Only tree-sitter's small runs change V8's flags (see above).
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    lint(ws, cache, undefined, TREE_SITTER);
    const [liftoff] = cacheFiles(cache);
    fs.copyFileSync(path.join(cache, liftoff), path.join(cache, liftoff.replace("-liftoff.", "-default.")));
    const r = lint(ws, cache, ["lint", "."], TREE_SITTER);
    assert.deepEqual(r.said, ["rejected", "written"]);
    assert.match(r.stdout, /require-create-before-destroy/);
    assert.deepEqual(lint(ws, cache, ["lint", "."], TREE_SITTER).said, ["hit"]);
  });

  it("removes the caches of other bundles when it writes, and keeps unrelated files", () => {
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    fs.mkdirSync(cache, { mode: 0o700 });
    fs.writeFileSync(path.join(cache, "cli-0.0.1-123-456-v18.0.0-x64-default.v8cache"), "old");
    fs.writeFileSync(path.join(cache, "notes.txt"), "mine");
    lint(ws, cache);
    assert.ok(!fs.existsSync(path.join(cache, "cli-0.0.1-123-456-v18.0.0-x64-default.v8cache")), "the old bundle's cache is gone");
    assert.ok(fs.existsSync(path.join(cache, "notes.txt")));
    assert.equal(cacheFiles(cache).length, 1);
  });

  it("neither reads nor writes a folder others can write to", () => {
    const ws = workspace({ "droplet.tf": DROPLET });
    const cache = path.join(ws, ".cache-dir");
    lint(ws, cache);
    fs.chmodSync(cache, 0o777);
    const r = lint(ws, cache);
    assert.deepEqual(r.said, ["untrusted", "not written"]);
    assert.equal(r.code, 0);
  });

  it("is off with IMMUTABLY_COMPILE_CACHE=0, and an unusable location costs nothing but the compile", () => {
    const ws = workspace({ "droplet.tf": DROPLET, "not-a-folder": "x" });
    const off = lint(ws, "0");
    assert.deepEqual(off.said, ["off"]);
    const blocked = lint(ws, path.join(ws, "not-a-folder"));
    assert.deepEqual(blocked.said, ["unusable", "not written"]);
    assert.equal(blocked.stdout, off.stdout);
    assert.equal(blocked.code, off.code);
  });

  it("lints on worker threads through the loader with the same result as one thread", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`m${i}/droplet.tf`] = DROPLET;
    const ws = workspace(files);
    const cache = path.join(ws, ".cache-dir");
    const parallel = runCli(["lint", "--threads", "2", "--format", "json", "."], ws, { IMMUTABLY_COMPILE_CACHE: cache });
    const serial = runCli(["lint", "--threads", "1", "--format", "json", "."], ws, { IMMUTABLY_COMPILE_CACHE: cache });
    assert.equal(parallel.stderr, "");
    assert.equal(parallel.stdout, serial.stdout);
    assert.ok(parallel.stdout.includes("require-create-before-destroy"));
  });
});

describe("where the compile cache lives", () => {
  const home = "/home/ada";
  it("follows IMMUTABLY_COMPILE_CACHE, then the platform's user cache folder", () => {
    assert.equal(compileCacheDir({ IMMUTABLY_COMPILE_CACHE: "0" }, "linux", home), undefined);
    assert.equal(compileCacheDir({ IMMUTABLY_COMPILE_CACHE: "off" }, "linux", home), undefined);
    assert.equal(compileCacheDir({ IMMUTABLY_COMPILE_CACHE: "/tmp/cc" }, "linux", home), "/tmp/cc");
    assert.equal(compileCacheDir({}, "linux", home), "/home/ada/.cache/immutably");
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: "/var/cache/ada" }, "linux", home), "/var/cache/ada/immutably");
    assert.equal(
      compileCacheDir({ XDG_CACHE_HOME: "relative/path" }, "linux", home),
      "/home/ada/.cache/immutably",
      "XDG ignores relative paths",
    );
    assert.equal(compileCacheDir({}, "darwin", home), "/home/ada/Library/Caches/immutably");
    assert.equal(
      compileCacheDir({ LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local" }, "win32", home),
      path.join("C:\\Users\\ada\\AppData\\Local", "immutably", "cache"),
    );
    assert.equal(compileCacheDir({}, "win32", home), undefined);
    assert.equal(compileCacheDir({}, "linux", ""), undefined, "no home, no cache");
  });
  it("a bin without its bundle says so in one line and exits 2", () => {
    const dir = workspace({ "droplet.tf": DROPLET });
    fs.copyFileSync(CLI, path.join(dir, "cli.js"));
    const r = spawnSync(process.execPath, [path.join(dir, "cli.js"), "lint", "droplet.tf"], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^immutably: cannot read .*cli-main\.js \(ENOENT\); reinstall immutably or run `npm run build`\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
  it("the bin is the loader, and it is small", () => {
    assert.ok(fs.statSync(CLI).size < 16 * 1024, `${CLI} is ${fs.statSync(CLI).size} bytes`);
    assert.ok(os.platform() === "win32" || (fs.statSync(CLI).mode & 0o111) !== 0, "executable");
  });
});
