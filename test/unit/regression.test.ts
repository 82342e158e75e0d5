// The real-code regression suite: every rule's findings on labelled cases in the shapes public modules use, with precision and recall.
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter } from "../../server/src/engine/index.ts";
import { parseWithHashiCorp } from "../../server/src/engine/hcl/hashicorp.ts";
import { formatted, formatterFor, unformatted } from "../helpers/fmt.ts";
import { measure, ratios, type Measurement } from "../regression/measure.ts";

const CASES = path.resolve(__dirname, "../regression/cases");

describe("real-code regression suite", () => {
  let linter: Linter;
  let result: Measurement;
  before(async () => {
    linter = await createLinter();
    result = await measure(CASES, linter);
  });

  it("every finding and every labelled line is as labelled", (t) => {
    const { total } = result;
    const { precision, recall } = ratios(total);
    const lines = [
      `${result.cases} cases, ${result.files} files, ${result.lines} lines, ${result.labels} labels`,
      `true positives ${total.truePositives}, false positives ${total.falsePositives}, false negatives ${total.falseNegatives}, true negatives (lines that must stay clean) ${total.trueNegatives}`,
      `precision ${precision}, recall ${recall}`,
      ...[...result.byRule]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([rule, c]) => {
          const r = ratios(c);
          return `  ${rule}: TP ${c.truePositives} FP ${c.falsePositives} FN ${c.falseNegatives} TN ${c.trueNegatives}; precision ${r.precision}, recall ${r.recall}`;
        }),
    ];
    // Printed on every run, so each change shows its effect on precision and recall.
    for (const line of lines) t.diagnostic(line);
    process.stdout.write(`\nreal-code regression suite: ${lines.join("\n")}\n`);
    assert.deepEqual(result.problems, []);
  });

  it("safe fixes leave every file parsing, and formatted files formatted", async () => {
    const config = defaultConfig(linter.rules);
    const host = { readFile: (p: string) => result.inputs.find((i) => i.path === p)?.text };
    const { changed } = await linter.fix(result.inputs, config, host, ["safe"]);
    assert.ok(changed.size > 0, "no safe fix applied to the suite, so none was checked");
    const pairs: Array<{ name: string; before: string; after: string; file: string }> = [];
    let n = 0;
    for (const [file, after] of changed) {
      const before = result.inputs.find((i) => i.path === file)!.text;
      if (file.endsWith(".json")) JSON.parse(after);
      else await parseWithHashiCorp(path.basename(file), after);
      const ext = /(\.pkrvars\.hcl|\.pkr\.hcl|\.tfvars|\.tf)$/.exec(file)?.[1];
      if (ext && formatterFor(`x${ext}`)) pairs.push({ name: `f${++n}${ext}`, before, after, file });
    }
    const changedByFmt = await unformatted(
      pairs.flatMap((p) => [
        { name: `in-${p.name}`, text: p.before },
        { name: `out-${p.name}`, text: p.after },
      ]),
    );
    for (const p of pairs) {
      if (changedByFmt.has(`in-${p.name}`) || !changedByFmt.has(`out-${p.name}`)) continue;
      assert.equal(p.after, await formatted(p.name, p.after), `the safe fixes leave ${path.relative(CASES, p.file)} unformatted`);
    }
  });
});
