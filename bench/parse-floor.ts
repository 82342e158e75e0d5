// Prints how long tree-sitter's WASM parser alone takes over a corpus's HCL files on one thread (the floor of a cold lint).
// Run by bench.ts: `node --import tsx bench/parse-floor.ts <dir>` prints `parse_seconds N`. Files are read first and
// the parser is warmed on one round, as a worker's steady state; each tree is deleted at once, as the engine does.
import fs from "node:fs";
import path from "node:path";
import { initParsers } from "../server/src/engine/parse.ts";
import { hclRuntime } from "../server/src/engine/hcl/runtime.ts";

const texts: string[] = [];
const walk = (dir: string): void => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(tf|tfvars|pkr\.hcl|pkrvars\.hcl)$/.test(e.name)) texts.push(fs.readFileSync(p, "utf8"));
  }
};
walk(path.resolve(process.argv[2]));

void (async () => {
  await initParsers();
  const { parser } = hclRuntime();
  const round = (): number => {
    const started = process.hrtime.bigint();
    for (const text of texts) parser.parse(text)?.delete();
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  round();
  const rounds = [round(), round(), round()].sort((a, b) => a - b);
  console.log(`parse_seconds ${rounds[1]}`);
})();
