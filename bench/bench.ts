// `npm run bench [corpus...]`: lint throughput, peak RSS and growth against `terraform fmt -check -recursive` in the same run.
// Prints figures; asserts nothing (targets are judged from the figures, not by timed tests).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync as esbuildSync } from "esbuild";

const root = path.resolve(__dirname, "..");
const cli = path.join(root, "dist/cli.js");
const out = path.join(root, "bench/out");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const corpora = args.filter((a) => !a.startsWith("--"));

function generate(mb: number): string {
  const dir = path.join(out, `corpus-${mb}mb`);
  if (!fs.existsSync(path.join(dir, ".done"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    spawnSync(process.execPath, [path.join(root, "bench/gen-corpus.mjs"), dir, String(mb), "1"], { stdio: "ignore" });
    fs.writeFileSync(path.join(dir, ".done"), "");
  }
  return dir;
}

function corpusSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (![".terraform", ".git", "node_modules"].includes(e.name)) walk(p);
      } else if (/\.(tf|tf\.json|tfvars|tfvars\.json|pkr\.hcl|pkr\.json|pkrvars\.hcl|json)$/.test(e.name)) {
        bytes += fs.statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

interface Timed {
  seconds: number;
  rssMb?: number;
  status: number | null;
}

// The CLI's code cache (see server/src/cli/loader.ts) lives in bench/out for every run of the bench.
const compileCache = path.join(out, "compile-cache");
fs.mkdirSync(compileCache, { recursive: true, mode: 0o700 });

function time(cmd: string, argv: string[], cwd = root, env: NodeJS.ProcessEnv = {}): Timed {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, IMMUTABLY_COMPILE_CACHE: compileCache, ...env },
  });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const m = /@@peak_rss_kb (\d+)/.exec(r.stderr ?? "");
  return { seconds, rssMb: m ? Number(m[1]) / 1024 : undefined, status: r.status };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const lintArgs = (dir: string) => ["--require", path.join(root, "bench/rss-preload.cjs"), cli, "lint", dir, "--format", "json"];
const hasTerraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;

/** The engine's own HCL reader (the default) or tree-sitter, as the CLI and its workers read the environment. */
const OWN = { IMMUTABLY_PARSER: "own" };
const TREE_SITTER = { IMMUTABLY_PARSER: "tree-sitter" };

/** parse-floor.ts bundled: run under tsx, its module wrappers slow the reader's hot loops several times. */
function parseFloor(dir: string): string {
  const bundle = path.join(out, "parse-floor.cjs");
  // As esbuild.mjs bundles the front ends: jsonc-parser's ESM build, web-tree-sitter's CommonJS one, hcl2json outside.
  esbuildSync({
    entryPoints: [path.join(root, "bench/parse-floor.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: bundle,
    logLevel: "error",
    mainFields: ["module", "main"],
    alias: { "web-tree-sitter": path.join(root, "node_modules/web-tree-sitter/web-tree-sitter.cjs") },
    external: ["@cdktf/hcl2json"],
  });
  return spawnSync(process.execPath, [bundle, dir], { cwd: root, encoding: "utf8" }).stdout;
}

function compare(dir: string, label: string, runs: number): void {
  const { bytes, files } = corpusSize(dir);
  const ours: Timed[] = [];
  const own: Timed[] = [];
  const theirs: Timed[] = [];
  // Interleave the runs so machine load affects all sides alike.
  for (let i = 0; i < runs; i++) {
    ours.push(time(process.execPath, lintArgs(dir), root, TREE_SITTER));
    own.push(time(process.execPath, lintArgs(dir), root, OWN));
    if (hasTerraform) theirs.push(time("terraform", ["fmt", "-check", "-recursive", dir]));
  }
  const ownS = median(own.map((t) => t.seconds));
  const ownRss = Math.max(...own.map((t) => t.rssMb ?? 0));
  const ourS = median(ours.map((t) => t.seconds));
  const rss = Math.max(...ours.map((t) => t.rssMb ?? 0));
  const mb = bytes / 1e6;
  console.log(`\n${label}: ${files} files, ${mb.toFixed(2)} MB (median of ${runs})`);
  console.log(
    `  tree-sitter       ${ourS.toFixed(3)} s  ${(mb / ourS).toFixed(2)} MB/s  ${(files / ourS).toFixed(0)} files/s  peak RSS ${rss.toFixed(0)} MB  exit ${ours[0].status}`,
  );
  if (hasTerraform) {
    const tfS = median(theirs.map((t) => t.seconds));
    console.log(`  terraform fmt     ${tfS.toFixed(3)} s  (same files, same run)`);
    console.log(`  ratio             ${(ourS / tfS).toFixed(2)} × terraform's wall time (target ≤ 0.50)`);
    console.log(
      `  own HCL reader    ${ownS.toFixed(3)} s  ${(mb / ownS).toFixed(2)} MB/s  peak RSS ${ownRss.toFixed(0)} MB  exit ${own[0].status}: ${(ownS / tfS).toFixed(2)} × terraform's wall time (target ≤ 0.33), ${(ownS / ourS).toFixed(2)} × tree-sitter's`,
    );
    // The floor of a cold run: each parser alone, over the same files, on one thread.
    const floor = parseFloor(dir);
    const figure = (name: string) => Number(new RegExp(`${name} (\\S+)`).exec(floor)?.[1]);
    const parseS = figure("parse_seconds");
    if (Number.isFinite(parseS)) {
      console.log(
        `  tree-sitter parse alone, one thread: ${parseS.toFixed(3)} s = ${(parseS / tfS).toFixed(2)} × terraform; spread over the machine's ${throughput.toFixed(2)}× at best ${(parseS / throughput / tfS).toFixed(2)} ×`,
      );
    }
    const readerS = figure("reader_seconds");
    const readerFirstS = figure("reader_first_seconds");
    if (Number.isFinite(readerS)) {
      console.log(
        `  own reader alone, one thread: ${readerS.toFixed(3)} s = ${(mb / readerS).toFixed(1)} MB/s warm (target ≥ 20), ${(mb / readerFirstS).toFixed(1)} MB/s in its first, cold round; ${(parseS / readerS).toFixed(1)}× tree-sitter's speed`,
      );
    }
    const incremental = /incremental_ms (\S+) p95 (\S+)/.exec(floor);
    const full = /full_read_ms (\S+) p95 (\S+)/.exec(floor);
    if (incremental && full) {
      console.log(
        `  3,000-line file, one-character edit: tree-sitter's incremental re-parse median ${Number(incremental[1]).toFixed(2)} ms (p95 ${Number(incremental[2]).toFixed(2)}); the own reader's full read median ${Number(full[1]).toFixed(2)} ms (p95 ${Number(full[2]).toFixed(2)})`,
      );
    }
    // As a user runs it again after editing: --cache lints only folders whose files changed.
    const cacheFile = path.join(out, `cache-${path.basename(dir)}.json`);
    fs.rmSync(cacheFile, { force: true });
    time(process.execPath, [...lintArgs(dir), "--cache", "--cache-location", cacheFile]);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(time(process.execPath, [...lintArgs(dir), "--cache", "--cache-location", cacheFile]).seconds);
    const warmS = median(warm);
    console.log(`  lint --cache, nothing changed: ${warmS.toFixed(3)} s = ${(warmS / tfS).toFixed(2)} × terraform`);
  } else console.log("  terraform not found: no reference measured");
}

console.log(
  `immutably bench — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
);

/**
 * How much more work the machine does with every core busy than with one: worker threads can speed a
 * run up by at most this much. Virtual CPUs that share physical cores give much less than their count.
 */
function parallelThroughput(): number {
  const loop = "let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; if (x < 0) console.log(x);";
  // k copies at once, started by one child process; timed alike for k = 1 and k = every core.
  const copies = (k: number) => {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, [
      "-e",
      `const { spawn } = require("node:child_process"); let left = ${k}; for (let i = 0; i < ${k}; i++) spawn(process.execPath, ["-e", ${JSON.stringify(loop)}]).on("exit", () => --left || process.exit(0));`,
    ]);
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const n = os.availableParallelism();
  const alone = Math.min(copies(1), copies(1));
  const together = Math.min(copies(n), copies(n));
  return (n * alone) / together;
}
const throughput = parallelThroughput();
console.log(
  `machine: ${os.availableParallelism()} cores give ${throughput.toFixed(2)}× the throughput of one (a CPU loop alone vs one copy per core at once)`,
);
if (!fs.existsSync(cli)) throw new Error("dist/cli.js missing: run npm run build");

// 1. One small file in a cold process, as an editor-less user or a pre-commit hook runs it. First,
// before the large runs: measured right after the 50 MB one, immutably's share of a cold run was
// 10-20 ms more than on a quiet machine (node + 34 ms against + 14-25 ms).
// Runs alternate with bare `node -e 0` and with the code cache off, so load from other processes
// weighs on all three alike. The first run (below, untimed) writes the code cache, as a user's first
// run does; every timed run with the cache reads it.
const small = path.join(root, "examples/digitalocean/droplet.tf");
// A small folder: `immutably lint .` in a one-file module, as a pre-commit hook runs it.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-bench-folder-"));
fs.copyFileSync(small, path.join(folder, "droplet.tf"));
time(process.execPath, [cli, "lint", small], root, TREE_SITTER);
time(process.execPath, [cli, "lint", small], root, OWN);
const cold: number[] = [];
const noCache: number[] = [];
const nodeOnly: number[] = [];
const coldOwn: number[] = [];
const folderTs: number[] = [];
const folderOwn: number[] = [];
for (let i = 0; i < (quick ? 5 : 20); i++) {
  cold.push(time(process.execPath, [cli, "lint", small], root, TREE_SITTER).seconds);
  noCache.push(time(process.execPath, [cli, "lint", small], root, { ...TREE_SITTER, IMMUTABLY_COMPILE_CACHE: "0" }).seconds);
  nodeOnly.push(time(process.execPath, ["-e", "0"]).seconds);
  coldOwn.push(time(process.execPath, [cli, "lint", small], root, OWN).seconds);
  folderTs.push(time(process.execPath, [cli, "lint", "."], folder, TREE_SITTER).seconds);
  folderOwn.push(time(process.execPath, [cli, "lint", "."], folder, OWN).seconds);
}
fs.rmSync(folder, { recursive: true, force: true });
const ms = (s: number) => (s * 1000).toFixed(0);
const overNode = (xs: number[]) => `median ${ms(median(xs))} ms = node + ${ms(median(xs) - median(nodeOnly))} ms`;
console.log(
  `\ncold lint of one small file with tree-sitter: median ${ms(median(cold))} ms (target ≤ 150 ms); without the code cache ${ms(median(noCache))} ms; bare \`node -e 0\` in the same runs: median ${ms(median(nodeOnly))} ms, so ${ms(median(cold) - median(nodeOnly))} ms are immutably's (${ms(median(noCache) - median(nodeOnly))} ms without the cache); load average ${os.loadavg()[0].toFixed(2)}`,
);
console.log(
  `  own HCL reader: one small file ${overNode(coldOwn)}, a one-file folder (\`lint .\`) ${overNode(folderOwn)} (target: node + 30 ms); tree-sitter's folder ${overNode(folderTs)}`,
);

// 2. The generated 5 MB corpus and any corpus named on the command line.
compare(generate(5), "generated corpus (5 MB)", quick ? 1 : 3);
for (const c of corpora) compare(path.resolve(c), `corpus ${c}`, quick ? 1 : 3);

// 3. Growth: time and memory per MB from 1 MB to 50 MB.
console.log("\ngrowth (one run each):");
console.log("  MB      s      s/MB    peak RSS MB   RSS MB/MB");
for (const mb of quick ? [1, 5] : [1, 5, 10, 25, 50]) {
  const dir = generate(mb);
  const { bytes } = corpusSize(dir);
  const t = time(process.execPath, lintArgs(dir));
  const size = bytes / 1e6;
  console.log(
    `  ${size.toFixed(1).padStart(5)}  ${t.seconds.toFixed(2).padStart(6)}  ${(t.seconds / size).toFixed(3).padStart(6)}  ${(t.rssMb ?? 0).toFixed(0).padStart(11)}   ${((t.rssMb ?? 0) / size).toFixed(1).padStart(8)}`,
  );
}

// 4. Editor figures from the language-server benchmark, when it exists.
const lspBench = path.join(root, "bench/lsp-bench.ts");
if (fs.existsSync(lspBench)) {
  console.log("\nlanguage server:");
  spawnSync(process.execPath, ["--import", "tsx", lspBench, ...(quick ? ["--quick"] : [])], { cwd: root, stdio: "inherit" });
}
