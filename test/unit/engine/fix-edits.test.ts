// Lint without fixes' edits (LintOptions.fixEdits = false): the same findings, and no model kept alive by a fix.
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type LintHost } from "../../../server/src/engine/index.ts";
import { lazyFix } from "../../../server/src/engine/fix.ts";
import { rangeOf } from "../../../server/src/engine/model.ts";
import { formatSarif } from "../../../server/src/cli/format/sarif.ts";
import { fixToWorkspaceEdit, type CodeActionDeps } from "../../../server/src/lsp/code-actions.ts";
import { allRules } from "../../../server/src/rules/index.ts";

// A collection on demand, to see what the findings keep alive (the extension itself uses --expose-gc alike).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const host: LintHost = { readFile: () => undefined };
const inputs = [
  {
    path: "/virtual/fix-edits/main.tf",
    // A slug image (its fix extracts a variable) on a droplet without create_before_destroy (its fix adds it).
    text: 'resource "digitalocean_droplet" "web" {\n  image = "ubuntu-20-04-x64"\n  name  = "web"\n}\n',
  },
];
const config = defaultConfig(allRules);
const shape = (findings: Array<{ ruleId: string; message: string; range: unknown; fix?: { title: string; kind: string } }>) =>
  findings.map((f) => ({ ruleId: f.ruleId, message: f.message, range: f.range, fix: f.fix && { title: f.fix.title, kind: f.fix.kind } }));

/** Whether the findings of a lint keep the module's files alive once the result no longer lists them. */
async function filesOutliveTheirResult(fixEdits: boolean): Promise<boolean> {
  const linter = await createLinter();
  const result = await linter.lint(inputs, config, host, { fixEdits });
  assert.ok(result.files.length > 0);
  const refs = result.files.map((f) => new WeakRef(f));
  result.files.length = 0;
  // WeakRefs read in this turn are kept until it ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.ok(result.findings.some((f) => f.fix));
  return refs.some((r) => r.deref() !== undefined);
}

describe("fixEdits = false", () => {
  it("gives the same findings, fixes with their title and kind, and refuses to give edits", async () => {
    const linter = await createLinter();
    const full = await linter.lint(inputs, config, host);
    const bare = await linter.lint(inputs, config, host, { fixEdits: false });
    assert.deepEqual(shape(bare.findings), shape(full.findings));
    const fixed = bare.findings.filter((f) => f.fix);
    assert.deepEqual(
      fixed.map((f) => f.ruleId),
      ["require-create-before-destroy", "pinned-machine-image"],
    );
    for (const f of fixed) assert.throws(() => f.fix!.changes, /linted without its edits: ask for them with fixEdits/);
    assert.ok(full.findings.every((f) => !f.fix || f.fix.changes.length > 0));
  });

  it("keeps no model alive through a fix, where fixes with edits keep their module's files until they are read", async () => {
    assert.equal(await filesOutliveTheirResult(true), true);
    assert.equal(await filesOutliveTheirResult(false), false);
  });
});

describe("lazyFix", () => {
  it("builds its edits on the first read only, and a builder that fails gives no edits", () => {
    let builds = 0;
    const fix = lazyFix("Add it", "safe", () => {
      builds++;
      return [{ path: "/m/main.tf", edits: [{ start: 0, end: 0, newText: "x" }] }];
    });
    assert.equal(fix.title, "Add it");
    assert.equal(fix.kind, "safe");
    assert.equal(builds, 0);
    assert.equal(fix.changes[0].edits[0].newText, "x");
    assert.equal(fix.changes.length, 1);
    assert.equal(builds, 1);
    const failing = lazyFix("Broken", "unsafe", () => {
      throw new Error("rule bug");
    });
    assert.deepEqual(failing.changes, []);
  });
});

describe("a fix whose edits could not be built", () => {
  const broken = lazyFix("Broken", "safe", () => {
    throw new Error("rule bug");
  });
  const finding = {
    ruleId: "pinned-machine-image",
    severity: "error" as const,
    message: "m",
    path: "/virtual/fix-edits/main.tf",
    range: rangeOf([0], 0, 1),
    fix: broken,
  };

  it("is left out of SARIF (a fix there needs at least one change), the finding kept", () => {
    const rule = {
      id: "pinned-machine-image",
      severity: "error" as const,
      summary: "s",
      why: "w",
      markdown: "m",
      fix: "unsafe",
      recommended: true,
    };
    const sarif = JSON.parse(formatSarif([finding], [], [rule], new Map([[finding.path, "x\n"]]), "/virtual", "0.0.0")) as {
      runs: Array<{ results: Array<{ fixes?: unknown[]; properties?: { fixKind?: string } }> }>;
    };
    const [result] = sarif.runs[0].results;
    assert.equal(result.fixes, undefined);
    assert.equal(result.properties?.fixKind, "safe");
  });

  it("is not offered as a quick fix", () => {
    const deps = { documentChanges: true, store: { uriOf: (p: string) => `file://${p}`, openDocument: () => undefined } };
    assert.equal(fixToWorkspaceEdit(deps as unknown as CodeActionDeps, broken), undefined);
  });
});
