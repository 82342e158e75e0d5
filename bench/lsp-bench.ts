// Language server benchmark: didChange → publishDiagnostics latency on a 3,000-line file and RSS after the background lint of a 5 MB workspace.
// Run: `node esbuild.mjs && node --import tsx bench/lsp-bench.ts [--edits=200] [--mb=5] [--server=path/to/server.js] [--only=latency,burst,workspace]`.
// Prints figures; asserts nothing.
// --server measures another build (e.g. a copy of dist/ from before a change) against the same workload.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { LspClient, makeWorkspace, openOnRawServer, rawServer, typingChange, uriOf } from "../test/lsp/lsp-client.ts";
import { TIMING_NOTIFICATION, type TimingParams } from "../server/src/lsp/protocol.ts";
import { bigFile } from "./big-file.ts";

const root = path.resolve(__dirname, "..");
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const EDITS = arg("edits", 400);
// The first edits after the server starts run before V8 has optimised the lint path (measured: they
// are most of the slowest 5% of 1,000 in-process edits). They are timed and printed on their own line.
const WARMUP = arg("warmup", 50);
const MB = arg("mb", 5);
const SERVER = path.resolve(
  process.argv.find((a) => a.startsWith("--server="))?.slice("--server=".length) ?? path.join(root, "dist/server.js"),
);
/** Which parts to run (all by default): typing latency, a burst of edits with a hover, the background workspace lint. */
const ONLY = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const runs = (part: string) => !ONLY || ONLY.includes(part);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Edits one character at a time (as typing does) and times each didChange until the diagnostics of that version arrive. */
interface Spread {
  median: number;
  p95: number;
  max: number;
}
const spread = (xs: number[]): Spread => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
};

/**
 * Returns the round trip as the client sees it (didChange sent to publishDiagnostics read, so it
 * includes both ends' JSON-RPC and this process's own work), and the server's own edit-to-publish
 * time for the same edits (`reportTimings`).
 */
interface Latency {
  roundTrip: Spread;
  server: Spread;
  withoutGc: Spread;
  gc: Spread;
  gcShare: number;
  gcEdits: number;
  warmup: { roundTrip: Spread; server: Spread };
}

/** Starts the server with the HCL parser given (IMMUTABLY_PARSER, read by the server at start). */
async function startServer(dir: string, parser: string | undefined, options: Parameters<typeof LspClient.start>[1]): Promise<LspClient> {
  const before = process.env.IMMUTABLY_PARSER;
  if (parser === undefined) delete process.env.IMMUTABLY_PARSER;
  else process.env.IMMUTABLY_PARSER = parser;
  try {
    return await LspClient.start(dir, options);
  } finally {
    if (before === undefined) delete process.env.IMMUTABLY_PARSER;
    else process.env.IMMUTABLY_PARSER = before;
  }
}

/** `warmUp` undefined: the server's default (a warm-up with tree-sitter only). */
async function latency(
  debounceMs: number | undefined,
  warmUp: boolean | undefined,
  pauseMs = 0,
  parser?: string,
): Promise<Latency & { all: Spread }> {
  const text = bigFile(3000);
  const dir = makeWorkspace({ "main.tf": text });
  const client = await startServer(dir, parser, {
    initializationOptions: {
      reportTimings: true,
      ...(warmUp === undefined ? {} : { warmUp }),
      ...(debounceMs === undefined ? {} : { debounceMs }),
    },
    server: SERVER,
  });
  const inServer = new Map<number, number>();
  const gcInServer = new Map<number, number>();
  client.connection.onNotification(TIMING_NOTIFICATION, (p: TimingParams) => {
    inServer.set(p.version, p.milliseconds);
    gcInServer.set(p.version, p.gcMilliseconds);
  });
  try {
    const uri = await client.open(path.join(dir, "main.tf"), text);
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    // A person reads the file before typing; the benchmark's other rows type at once.
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    const times: number[] = [];
    const versions: number[] = [];
    for (let i = 0; i < WARMUP + EDITS; i++) {
      // Line 2 is `  name   = "web-0"`; typing and deleting a character inside the string keeps the file valid.
      const edit =
        i % 2 === 0
          ? { range: { start: { line: 2, character: 17 }, end: { line: 2, character: 17 } }, text: "x" }
          : { range: { start: { line: 2, character: 17 }, end: { line: 2, character: 18 } }, text: "" };
      const since = client.published.length;
      const started = process.hrtime.bigint();
      const version = await client.change(uri, [edit]);
      await client.waitForDiagnostics(uri, (p) => p.version === version, since);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      versions.push(version);
    }
    // The timing notification follows its publishDiagnostics on the same stream; wait for the last one.
    const last = versions[versions.length - 1];
    for (let i = 0; i < 400 && !inServer.has(last); i++) await new Promise((r) => setTimeout(r, 5));
    const server = versions.map((v) => inServer.get(v)).filter((ms): ms is number => ms !== undefined);
    if (server.length !== versions.length)
      throw new Error(
        `the server reported ${server.length} timings for ${versions.length} edits (missing: ${versions.filter((v) => !inServer.has(v)).join(", ")})`,
      );
    const gc = versions.map((v) => gcInServer.get(v) ?? 0).slice(WARMUP);
    const steady = server.slice(WARMUP);
    const total = steady.reduce((a, b) => a + b, 0);
    return {
      roundTrip: spread(times.slice(WARMUP)),
      server: spread(steady),
      withoutGc: spread(steady.map((ms, i) => ms - gc[i])),
      gc: spread(gc),
      gcShare: gc.reduce((a, b) => a + b, 0) / total,
      gcEdits: gc.filter((ms) => ms > 0).length,
      warmup: { roundTrip: spread(times.slice(0, WARMUP)), server: spread(server.slice(0, WARMUP)) },
      all: spread(server),
    };
  } finally {
    await client.stop();
  }
}

/**
 * A burst of `edits` edits written to the server in one go (as an editor under load delivers them),
 * with a hover or a code action request in the middle: how long after the write it is answered and
 * the last edit's diagnostics arrive, and how many lints published during the burst.
 */
async function burst(
  lines: number,
  edits: number,
  request: "textDocument/hover" | "textDocument/codeAction",
): Promise<{ answeredMs: number; lastMs: number; publishes: number }> {
  const dir = makeWorkspace({});
  const uri = uriOf(path.join(dir, "main.tf"));
  const server = rawServer(SERVER);
  try {
    await openOnRawServer(server, dir, uri, bigFile(lines));
    // As a person reads before typing: the warm-up has run by then.
    await new Promise((r) => setTimeout(r, 2000));
    const edit = (version: number) => typingChange(uri, version);
    const messages: object[] = [];
    const last = edits + 1;
    for (let v = 2; v <= last; v++) {
      messages.push(edit(v));
      if (v === Math.floor(last / 2)) {
        const at = { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } };
        const params =
          request === "textDocument/hover"
            ? { textDocument: { uri }, position: at.start }
            : { textDocument: { uri }, range: at, context: { diagnostics: [] } };
        messages.push({ jsonrpc: "2.0", id: 99, method: request, params });
      }
    }
    const before = server.received.length;
    const started = performance.now();
    server.write(messages);
    const answered = server.waitFor((m) => m.id === 99).then(() => performance.now() - started);
    await server.waitFor((m) => m.method === "textDocument/publishDiagnostics" && m.params?.uri === uri && m.params.version === last);
    const lastMs = performance.now() - started;
    const publishes = server.received
      .slice(before)
      .filter((m) => m.method === "textDocument/publishDiagnostics" && m.params?.uri === uri).length;
    return { answeredMs: await answered, lastMs, publishes };
  } finally {
    server.stop();
  }
}

/** Generates (once) the corpus the CLI benchmark uses too, so both measure the same workspace. */
function corpus(mb: number): string {
  const dir = path.join(root, "bench/out", `corpus-${mb}mb`);
  if (!fs.existsSync(path.join(dir, ".done"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    spawnSync(process.execPath, [path.join(root, "bench/gen-corpus.mjs"), dir, String(mb), "1"], { stdio: "ignore" });
    fs.writeFileSync(path.join(dir, ".done"), "");
  }
  return dir;
}

/** Reads a process's resident and peak resident memory from /proc (Linux), in MB. */
function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}

async function workspaceLint(
  mb: number,
  parser?: string,
): Promise<{ seconds: number; files: number; rss?: number; peak?: number; published: number }> {
  const dir = corpus(mb);
  let files = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else files++;
    }
  };
  walk(dir);
  const started = Date.now();
  const client = await startServer(dir, parser, { server: SERVER });
  try {
    await client.waitForProgressEnd();
    const seconds = (Date.now() - started) / 1000;
    const mem = memoryOf(client.process.pid!);
    return { seconds, files, rss: mem?.rss, peak: mem?.peak, published: client.published.length };
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`node esbuild.mjs\` first`);
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  if (runs("latency"))
    console.log(
      `didChange → publishDiagnostics, 3,000-line file, ${EDITS} edits after ${WARMUP} warm-up edits (ms), ${path.relative(root, SERVER)}`,
    );
  // The default lints at once when idle (it was a 20 ms debounce until the server learned to coalesce
  // edits that arrive during a lint); debounceMs = 20 measures a trailing debounce for comparison.
  const settings = [
    // tree-sitter (IMMUTABLY_PARSER=tree-sitter), for comparison with the own reader, the default.
    ["tree-sitter", undefined, true, 0, "tree-sitter"],
    ["tree-sitter, debounce 0", 0, true, 0, "tree-sitter"],
    ["tree-sitter, debounce 20", 20, true, 0, "tree-sitter"],
    // The server warms its edit path on a copy of the open document after its first diagnostics, until
    // the first real edit. These rows type after a pause, with and without that warm-up.
    ["tree-sitter, after 0.5 s", undefined, true, 500, "tree-sitter"],
    ["tree-sitter, after 2 s", undefined, true, 2000, "tree-sitter"],
    ["tree-sitter, no warm-up, 2 s", undefined, false, 2000, "tree-sitter"],
    // The own reader, the default, reads only the edited top-level block again, and the rules check
    // only that block again (rule-reuse.ts); it warms nothing by default. The target row types at once.
    ["own reader, at once", undefined, undefined, 0, "own"],
    ["own reader, warmUp = true", undefined, true, 0, "own"],
  ] as const;
  for (const [label, debounce, warmUp, pause, parser] of runs("latency") ? settings : []) {
    const r = await latency(debounce, warmUp, pause ?? 0, parser);
    console.log(
      `  ${label.padEnd(26)} round trip median ${fmt(r.roundTrip.median)}  p95 ${fmt(r.roundTrip.p95)}  max ${fmt(r.roundTrip.max)}`,
    );
    console.log(`  ${"".padEnd(26)} in the server median ${fmt(r.server.median)}  p95 ${fmt(r.server.p95)}  max ${fmt(r.server.max)}`);
    console.log(
      `  ${"".padEnd(26)}  of it GC      median ${fmt(r.gc.median)}  p95 ${fmt(r.gc.p95)}  max ${fmt(r.gc.max)}  (${(100 * r.gcShare).toFixed(0)}% of the server's time; ${r.gcEdits} of ${EDITS} edits had a collection)`,
    );
    console.log(
      `  ${"".padEnd(26)}  without GC    median ${fmt(r.withoutGc.median)}  p95 ${fmt(r.withoutGc.p95)}  max ${fmt(r.withoutGc.max)}`,
    );
    console.log(
      `  ${"".padEnd(26)} warm-up (first ${WARMUP}) in the server median ${fmt(r.warmup.server.median)}  p95 ${fmt(r.warmup.server.p95)}  max ${fmt(r.warmup.server.max)}; round trip p95 ${fmt(r.warmup.roundTrip.p95)}`,
    );
    console.log(`  ${"".padEnd(26)} all ${WARMUP + EDITS} edits from the first, in the server: p95 ${fmt(r.all.p95)}`);
  }
  for (const parser of runs("workspace") ? ["tree-sitter", "own"] : []) {
    const w = await workspaceLint(MB, parser);
    console.log(
      `background lint of a ${MB} MB workspace (${w.files} files), ${parser === "own" ? "own HCL reader" : "tree-sitter"}: ${w.seconds.toFixed(1)} s to progress end, ${w.published} publishDiagnostics`,
    );
    console.log(`  server RSS after it: ${w.rss?.toFixed(0) ?? "n/a"} MB (peak ${w.peak?.toFixed(0) ?? "n/a"} MB)`);
  }
  if (runs("burst")) {
    console.log("a burst of edits written in one go, with a request after half of them (ms after the write):");
    for (const [lines, edits] of [
      [3000, 400],
      [30000, 1000],
    ] as const) {
      for (const [name, request] of [
        ["hover", "textDocument/hover"],
        ["code actions", "textDocument/codeAction"],
      ] as const) {
        const b = await burst(lines, edits, request);
        console.log(
          `  ${`${lines.toLocaleString("en")} lines, ${edits} edits`.padEnd(26)} ${name.padEnd(12)} answered ${fmt(b.answeredMs)}  last edit's diagnostics ${fmt(b.lastMs)}  (${b.publishes} publishes)`,
        );
      }
    }
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
