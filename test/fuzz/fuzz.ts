// `npm run fuzz -- --iterations N --seed S`: seeded mutation fuzzing of the engine; prints figures, exits 1 on any broken invariant.
import path from "node:path";
import { parseArgs } from "node:util";
import { findPacker, packerValidator } from "./packer.ts";
import { runFuzz } from "./run.ts";

const USAGE = `Usage: npm run fuzz -- [--iterations N] [--seed S] [--only I] [--unsafe] [--no-packer]
  --iterations N  inputs to try (default 1000)
  --seed S        run seed (default 1); the same seed always tries the same inputs
  --only I        run iteration I alone, to reproduce a failure saved in test/fuzz/crashes/
  --unsafe        also apply unsafe fixes (quick fixes) and check them
  --no-packer     skip \`packer validate -syntax-only\` even when packer is installed
`;

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} takes a whole number, got "${value}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      iterations: { type: "string" },
      seed: { type: "string" },
      only: { type: "string" },
      unsafe: { type: "boolean", default: false },
      "no-packer": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const root = path.resolve(__dirname, "../..");
  const packerPath = values["no-packer"] ? undefined : findPacker();
  const seed = wholeNumber("seed", values.seed, 1);
  const report = await runFuzz({
    root,
    iterations: wholeNumber("iterations", values.iterations, 1000),
    seed,
    only: values.only === undefined ? undefined : wholeNumber("only", values.only, 0),
    kinds: values.unsafe ? ["safe", "unsafe"] : ["safe"],
    packer: packerPath ? packerValidator(packerPath) : undefined,
    crashDir: path.join(__dirname, "crashes"),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const s = report.stats;
  const lines = [
    `seed ${seed}, ${report.seconds.toFixed(1)} s, fixes: ${values.unsafe ? "safe and unsafe" : "safe"}, packer: ${packerPath ?? "not used"}`,
    `inputs tried:              ${s.inputs}`,
    `  rejected by decoder:     ${s.rejectedByDecoder} (NUL bytes, invalid UTF-8, over max_file_bytes)`,
    `  linted:                  ${s.linted}`,
    `  nesting-limit findings:  ${s.nestingLimitFindings}`,
    `failing inputs:            ${report.failures.length}`,
    `  crashes:                 ${report.failures.filter((f) => f.failures.some((x) => x.invariant === "exception" || x.invariant === "rule-failure")).length}`,
    `fixed files checked:       ${s.fixesChecked}`,
    `parse checks:              ${s.parseChecks} (HashiCorp's parser or JSON.parse)`,
    `packer checks:             ${s.packerChecks}`,
    `idempotence checks:        ${s.idempotenceChecks}`,
    `suppression checks:        ${s.suppressionChecks}`,
    `syntax errors hcl-syntax missed (not an invariant): ${s.syntaxMissed} of ${s.syntaxRejected} HCL inputs HashiCorp's parser rejected`,
    ...Object.entries(s.syntaxMissedKinds)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `  ${n} × ${kind}`),
    ...s.syntaxMissedExamples.map((e) => `  e.g. ${e}`),
    `provisional syntax errors HashiCorp's parser overruled: ${s.syntaxOverruled} HCL inputs`,
    ...s.syntaxOverruledExamples.map((e) => `  e.g. ${e}`),
    `slowest input:             ${s.slowestMs} ms, ${s.slowestInput}`,
  ];
  for (const f of report.failures) {
    lines.push(
      `FAIL iteration ${f.iteration} (${f.seedFile}; ${f.steps.join("; ")}; ${f.configVariant})${f.savedAs ? ` saved as ${path.relative(root, f.savedAs)}` : ""}`,
    );
    for (const x of f.failures) lines.push(`  ${x.invariant}: ${x.detail.split("\n")[0]}`);
  }
  if (report.failures.length) lines.push(`reproduce one with: npm run fuzz -- --seed ${seed} --only <iteration>`);
  process.stdout.write(lines.join("\n") + "\n");
  return report.failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
