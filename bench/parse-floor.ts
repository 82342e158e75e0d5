// Prints how long each HCL parser alone takes over a corpus's HCL files on one thread (the floor of a cold lint),
// and a full read of the 3,000-line file against tree-sitter's incremental re-parse after a one-character edit.
// Run by bench.ts, bundled (tsx's module wrappers slow the reader's hot loops several times):
// `node parse-floor.cjs <dir>` prints `parse_seconds`, `reader_seconds`, `reader_first_seconds`,
// `incremental_ms` and `full_read_ms`. Files are read first; each parser is warmed on one round, as a
// worker's steady state, and the reader's cold first round is printed too; trees are deleted at once.
import fs from "node:fs";
import path from "node:path";
import { chooseHclParser, initParsers, parseHclIncremental } from "../server/src/engine/parse.ts";
import { hclRuntime } from "../server/src/engine/hcl/runtime.ts";
import { readHcl } from "../server/src/engine/hcl/reader/index.ts";
import { bigFile } from "./big-file.ts";

const texts: string[] = [];
const walk = (dir: string): void => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(tf|tfvars|pkr\.hcl|pkrvars\.hcl)$/.test(e.name)) texts.push(fs.readFileSync(p, "utf8"));
  }
};
walk(path.resolve(process.argv[2]));

const seconds = (run: () => void): number => {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e9;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

void (async () => {
  // The reader first, in a process where nothing else has run yet: its first round is a cold start.
  const readAll = () => {
    for (const text of texts) readHcl("main.tf", text);
  };
  console.log(`reader_first_seconds ${seconds(readAll)}`);
  console.log(`reader_seconds ${median([seconds(readAll), seconds(readAll), seconds(readAll)])}`);

  chooseHclParser("tree-sitter");
  await initParsers();
  const { parser } = hclRuntime();
  const parseAll = () => {
    for (const text of texts) parser.parse(text)?.delete();
  };
  parseAll();
  console.log(`parse_seconds ${median([seconds(parseAll), seconds(parseAll), seconds(parseAll)])}`);

  // The editor's path on the 3,000-line file: typing one character inside a string, 200 times.
  const text = bigFile(3000);
  const at = text.indexOf('"web-0"') + 5;
  let state = parseHclIncremental("main.tf", text);
  const incremental: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < 200; i++) {
    const next = i % 2 === 0 ? text.slice(0, at) + "x" + text.slice(at) : text;
    const started = process.hrtime.bigint();
    const after = parseHclIncremental("main.tf", next, state);
    incremental.push(Number(process.hrtime.bigint() - started) / 1e6);
    state.live.release();
    state = after;
    full.push(seconds(() => readHcl("main.tf", next)) * 1000);
  }
  state.live.release();
  console.log(`incremental_ms ${median(incremental)} p95 ${[...incremental].sort((a, b) => a - b)[189]}`);
  console.log(`full_read_ms ${median(full)} p95 ${[...full].sort((a, b) => a - b)[189]}`);
})();
