// The texts the differential suite reads: the generated corpus, the examples and fixtures, rule docs, and the fuzzer's seeded inputs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { decodeSource, defaultConfig } from "../../server/src/engine/index.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { loadSeeds } from "../fuzz/corpus.ts";
import { ruleDocExamples } from "../helpers/doc-examples.ts";
import { iterationSeed, mutate, Prng } from "../fuzz/mutate.ts";

export interface Text {
  name: string;
  text: string;
}

const HCL_FILE = /\.(tf|tfvars|pkr\.hcl|pkrvars\.hcl)$/;

/** HCL files under a folder, in a stable order. */
export function hclFilesUnder(dir: string, root: string): Text[] {
  const out: Text[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (![".terraform", ".git", "node_modules", ".immutably"].includes(e.name)) walk(p);
      } else if (HCL_FILE.test(e.name) || e.name === ".immutably.hcl")
        out.push({ name: path.relative(root, p), text: fs.readFileSync(p, "utf8") });
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** The examples, test fixtures and fuzz seeds in the repository, and every HCL example in the rule docs. */
export function repositoryTexts(root: string): Text[] {
  const out = [
    ...hclFilesUnder(path.join(root, "examples"), root),
    ...hclFilesUnder(path.join(root, "test/fixtures"), root),
    ...hclFilesUnder(path.join(root, "test/fuzz/corpus"), root),
  ];
  for (const example of ruleDocExamples()) {
    if (!example.filename.endsWith(".json")) out.push({ name: `docs/${example.name}`, text: example.code });
  }
  return out;
}

/** The generated corpus of `mb` megabytes (bench/gen-corpus.mjs, seed 1), written once under bench/out. */
export function corpusTexts(root: string, mb: number): Text[] {
  const dir = path.join(root, "bench/out", `corpus-${mb}mb`);
  if (!fs.existsSync(path.join(dir, ".done"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [path.join(root, "bench/gen-corpus.mjs"), dir, String(mb), "1"], { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`gen-corpus.mjs failed for ${mb} MB`);
    fs.writeFileSync(path.join(dir, ".done"), "");
  }
  return hclFilesUnder(dir, root);
}

/**
 * The HCL inputs of the fuzzer's iterations [from, to) for `seed`: the same seed file and mutations
 * `npm run fuzz` tries, decoded as the CLI decodes them (inputs the decoder refuses are left out).
 */
export function* fuzzTexts(root: string, seed: number, from: number, to: number): Generator<Text & { iteration: number }> {
  const seeds = loadSeeds(root);
  const maxBytes = defaultConfig(allRules).maxFileBytes;
  for (let iteration = from; iteration < to; iteration++) {
    const prng = new Prng(iterationSeed(seed, iteration));
    const seedFile = prng.pick(seeds);
    const { bytes } = mutate(seedFile.bytes, prng);
    if (seedFile.path.endsWith(".json")) continue;
    const decoded = decodeSource(bytes, maxBytes);
    if (!decoded.ok) continue;
    yield { iteration, name: `iteration ${iteration} (${seedFile.path})`, text: decoded.text };
  }
}
