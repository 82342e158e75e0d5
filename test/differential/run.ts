// `npm run differential -- [--fuzz N] [--generated N] [--seed S] [--corpus MB] [--only repository,corpus,fuzz,generated]`: the engine's HCL reader against HashiCorp's parser.
// Prints, per source, texts compared, accepted/rejected, literal values compared and every disagreement; exits 1 on any.
import path from "node:path";
import { parseArgs } from "node:util";
import { compare, oracleWouldStall } from "./compare.ts";
import { generatedTexts } from "./generate.ts";
import { corpusTexts, fuzzTexts, repositoryTexts, type Text } from "./sources.ts";

const root = path.resolve(__dirname, "../..");

interface Tally {
  texts: number;
  accepted: number;
  rejected: number;
  values: number;
  skipped: number;
  disagreements: string[];
}

async function run(label: string, texts: Iterable<Text>, log: (line: string) => void): Promise<Tally> {
  const tally: Tally = { texts: 0, accepted: 0, rejected: 0, values: 0, skipped: 0, disagreements: [] };
  const started = Date.now();
  for (const { name, text } of texts) {
    if (oracleWouldStall(text)) {
      tally.skipped++;
      continue;
    }
    tally.texts++;
    const c = await compare(text);
    if (c.verdict) {
      tally.disagreements.push(
        `${name}: ours ${c.verdict.ours ? "accepts" : `rejects (${c.verdict.ourMessage})`}, HashiCorp's ${c.verdict.theirs ? "accepts" : `rejects (${c.verdict.theirMessage?.slice(0, 300)})`}\n    text: ${JSON.stringify(text.length > 600 ? text.slice(0, 600) + "…" : text)}`,
      );
      continue;
    }
    tally.values += c.compared;
    if (c.values.length) tally.disagreements.push(`${name}: values differ: ${c.values.slice(0, 5).join("; ")}`);
    if (c.accepted) tally.accepted++;
    else tally.rejected++;
    if (tally.texts % 5000 === 0)
      log(`  ${label}: ${tally.texts} texts, ${tally.disagreements.length} disagreements, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return tally;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fuzz: { type: "string", default: "100000" },
      seed: { type: "string", default: "1" },
      corpus: { type: "string", default: "25" },
      generated: { type: "string", default: "50000" },
      only: { type: "string" },
    },
  });
  const only = values.only?.split(",");
  const want = (s: string) => !only || only.includes(s);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const results: Array<[string, Tally]> = [];
  const started = Date.now();
  if (want("repository")) results.push(["examples, fixtures, fuzz seeds, rule docs", await run("repository", repositoryTexts(root), log)]);
  if (want("corpus"))
    results.push([`generated corpus (${values.corpus} MB)`, await run("corpus", corpusTexts(root, Number(values.corpus)), log)]);
  if (want("fuzz"))
    results.push([
      `fuzzer inputs (seed ${values.seed}, ${values.fuzz} iterations, HCL files)`,
      await run("fuzz", fuzzTexts(root, Number(values.seed), 0, Number(values.fuzz)), log),
    ]);
  if (want("generated"))
    results.push([
      `generated constructs and near-misses (seed ${values.seed}, ${values.generated})`,
      await run("generated", generatedTexts(Number(values.seed), Number(values.generated)), log),
    ]);
  const lines = [`differential: the engine's HCL reader vs HashiCorp's parser (hcl2json), ${((Date.now() - started) / 1000).toFixed(0)} s`];
  let total = 0;
  for (const [label, t] of results) {
    lines.push(
      `${label}: ${t.texts} texts (${t.accepted} accepted, ${t.rejected} rejected by both), ${t.values} literal values compared, ${t.skipped} skipped (numbers HashiCorp's parser takes minutes on), ${t.disagreements.length} disagreements`,
    );
    for (const d of t.disagreements.slice(0, 50)) lines.push(`  ${d}`);
    if (t.disagreements.length > 50) lines.push(`  … ${t.disagreements.length - 50} more`);
    total += t.disagreements.length;
  }
  lines.push(`disagreements in all: ${total}`);
  process.stdout.write(lines.join("\n") + "\n");
  return total === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`differential: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
