// `npm test`: installs the tools the tests drive, builds, type-checks, checks generated docs, then runs
// every suite in order (unit and rule tests, protocol tests, grammar tests, end-to-end tests). Stops at
// the first red stage.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
// `--only=unit,protocol` (or IMMUTABLY_TEST_ONLY) runs just those stages.
const onlyArg = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const only = (onlyArg ?? process.env.IMMUTABLY_TEST_ONLY)?.split(",").filter(Boolean);

/** Lists test files under a folder (Node 20's --test takes no globs). */
function testFiles(dir, suffix = ".test.ts") {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(suffix)) out.push(path.relative(root, p));
    }
  };
  walk(path.join(root, dir));
  return out;
}

const nodeTest = (files, concurrency = 2) => ["node", ["--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...files]];
const stages = [
  // packer and the aws CLI from Debian when they are missing (the end-to-end stage installs its own stack).
  ["tools", () => ["bash", ["test/setup-tools.sh"]]],
  ["build", () => ["node", ["esbuild.mjs"]]],
  ["typecheck", () => ["npx", ["tsc", "--noEmit", "-p", "."]]],
  // typescript-eslint's type-aware checks (eslint.config.mjs): what the compiler accepts but is likely a mistake;
  // then Prettier's check that the sources are formatted (`npm run format` formats them).
  ["lint", () => ["npm", ["run", "--silent", "lint"]]],
  ["gen-check", () => (fs.existsSync(path.join(root, "scripts/gen.ts")) ? ["node", ["--import", "tsx", "scripts/gen.ts", "--check"]] : null)],
  ["unit", () => nodeTest(testFiles("test/unit"))],
  ["protocol", () => { const f = testFiles("test/lsp"); return f.length ? nodeTest(f) : null; }],
  ["roll", () => { const f = testFiles("test/roll"); return f.length ? nodeTest(f) : null; }],
  ["grammar", () => (fs.existsSync(path.join(root, "test/grammar/run.mjs")) ? ["node", ["test/grammar/run.mjs"]] : null)],
  // The npm package as users get it (packed, installed in an empty folder), and the pre-commit hooks,
  // GitHub Action and README recipes that install it. One file at a time: they share one packed
  // tarball (IMMUTABLY_TEST_PACKED_DIR, below), made by the first that needs it.
  ["package", () => { const f = testFiles("test/package"); return f.length ? nodeTest(f, 1) : null; }],
  ["e2e", () => (fs.existsSync(path.join(root, "test/e2e/run.mjs")) ? ["node", ["test/e2e/run.mjs"]] : null)],
];

// Stages that run real tools: `--only` with any of them runs the tools stage first, so that a
// fresh machine gets packer and aws whichever stages are asked for.
const NEEDS_TOOLS = new Set(["unit", "roll"]);
const selected = (name) => !only || only.includes(name) || (name === "tools" && only.some((s) => NEEDS_TOOLS.has(s)));

const started = Date.now();
// The CLI's code cache (dist/cli.js) goes to a folder of this run, not the user's cache folder.
const compileCache = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-test-compile-cache-"));
fs.chmodSync(compileCache, 0o700);
process.env.IMMUTABLY_COMPILE_CACHE = compileCache;
process.env.IMMUTABLY_TEST_PACKED_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-test-packed-"));
process.on("exit", () => {
  fs.rmSync(compileCache, { recursive: true, force: true });
  fs.rmSync(process.env.IMMUTABLY_TEST_PACKED_DIR, { recursive: true, force: true });
});

for (const [name, make] of stages) {
  if (!selected(name)) continue;
  const cmd = make();
  if (!cmd) { console.log(`\n== ${name}: no suite yet`); continue; }
  const t = Date.now();
  console.log(`\n== ${name}: ${cmd[0]} ${cmd[1].join(" ")}`);
  const r = spawnSync(cmd[0], cmd[1], { cwd: root, stdio: "inherit" });
  console.log(`== ${name}: exit ${r.status} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
console.log(`\nall stages passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
