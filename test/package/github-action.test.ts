// The GitHub Action (action.yml) and its script, run with the action's inputs as a runner runs them (action-runner.ts).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { action, runAction as runActionIn, UPLOAD_IF } from "./action-runner.ts";
import { packed, ROOT, runIn } from "./packed.ts";

let work: string;
before(() => {
  work = fs.mkdtempSync(path.join(packed().installDir, "action-test-"));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** A checked-out repository: copies of some of the examples (all by default), plus `files`. */
function checkout(files: Record<string, string> = {}, examples = fs.readdirSync(path.join(ROOT, "examples"))): string {
  const dir = fs.mkdtempSync(path.join(work, "workspace-"));
  for (const name of examples) {
    fs.cpSync(path.join(ROOT, "examples", name), path.join(dir, "examples", name), {
      recursive: true,
      filter: (src) => !/(^|[\\/])(\.terraform|\.immutably|out)$/.test(src),
    });
  }
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const runAction = (workspace: string, inputs: Record<string, string>, actionPath = ROOT) =>
  runActionIn(workspace, inputs, work, actionPath);

/** The findings of the repository's own build on the same paths, for comparison. */
function reference(workspace: string, paths: string[]): Array<{ ruleId: string; path: string }> {
  const r = runIn(workspace, process.execPath, [path.join(ROOT, "dist/cli.js"), "lint", "--format", "json", ...paths]);
  return (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; path: string }> }).findings;
}

describe("action.yml", () => {
  it("is a composite action whose inputs reach the script and whose upload runs after a failed lint", () => {
    assert.equal(action.runs.using, "composite");
    assert.deepEqual(Object.keys(action.inputs), ["paths", "format", "max-warnings", "upload-sarif", "sarif-file", "category", "package"]);
    for (const [name, spec] of Object.entries(action.inputs)) assert.ok(spec.description, name);
    const [lint, upload] = action.runs.steps;
    assert.equal(lint.id, "lint");
    assert.equal(lint.shell, "bash");
    // No expression inside the script: inputs reach it only through env, so no input can inject shell code.
    assert.doesNotMatch(lint.run!, /\$\{\{/);
    assert.match(lint.run!, /scripts\/github-action\.mjs/);
    assert.deepEqual(
      Object.values(lint.env!)
        .map((e) => /inputs\.([\w-]+)/.exec(e)![1])
        .sort(),
      ["format", "max-warnings", "package", "paths", "sarif-file", "upload-sarif"],
    );
    assert.equal(upload.uses, "github/codeql-action/upload-sarif@v4");
    assert.equal(upload.if, UPLOAD_IF);
    assert.deepEqual(action.outputs["exit-code"].value, "${{ steps.lint.outputs.exit-code }}");
    assert.deepEqual(action.outputs["sarif-file"].value, "${{ steps.lint.outputs.sarif-file }}");
  });
});

describe("the action, run as a runner runs it", () => {
  it("lints, fails over max-warnings, and hands code scanning SARIF with paths relative to the checkout", () => {
    const ws = checkout();
    const r = runAction(ws, {
      paths: "examples/aws-asg\nexamples/digitalocean",
      "max-warnings": "0",
      "upload-sarif": "true",
      package: packed().tarball,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.outputs["exit-code"], "1");
    assert.match(r.stdout, /^examples\/aws-asg\/main\.tf$/m, "the stylish report is in the log");
    assert.ok(r.uploaded, "the upload step runs after the failed lint");
    assert.equal(r.uploaded.category, "immutably");
    assert.equal(path.dirname(r.uploaded.file), path.dirname(r.outputs["sarif-file"]));
    const [run0] = r.uploaded.sarif.runs;
    assert.equal(r.uploaded.sarif.version, "2.1.0");
    assert.equal(run0.tool.driver.name, "immutably");
    const expected = reference(ws, ["examples/aws-asg", "examples/digitalocean"]);
    assert.ok(expected.length > 3);
    assert.deepEqual(
      run0.results.map((x) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri]),
      expected.map((f) => [f.ruleId, f.path]),
    );
    for (const x of run0.results) assert.equal(x.locations[0].physicalLocation.artifactLocation.uriBaseId, "%SRCROOT%");
  });

  it("with its defaults: lints the checkout, warnings pass, no SARIF and no upload", () => {
    // Examples with warnings only (aws-asg has an error, which always fails).
    const ws = checkout({}, ["digitalocean", "gcp-mig"]);
    const r = runAction(ws, { package: packed().tarball });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.outputs, { "exit-code": "0" });
    assert.equal(r.uploaded, undefined);
    assert.match(r.stdout, /✖ \d+ problems \(0 errors, \d+ warnings\)/);
  });

  it("format json prints JSON in the log", () => {
    const ws = checkout();
    const r = runAction(ws, { paths: "examples/gcp-mig", format: "json", package: packed().tarball });
    assert.equal(r.code, 0, r.stderr);
    const json = r.stdout.slice(r.stdout.indexOf("::endgroup::\n") + "::endgroup::\n".length);
    assert.deepEqual(
      (JSON.parse(json) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId),
      reference(ws, ["examples/gcp-mig"]).map((f) => f.ruleId),
    );
  });

  it("refuses bad inputs with exit 2 and an error annotation", () => {
    const ws = checkout();
    for (const [input, value, message] of [
      ["format", "xml", /format must be stylish, json or sarif/],
      ["max-warnings", "few", /max-warnings must be a whole number/],
      ["upload-sarif", "yes", /upload-sarif must be true or false/],
    ] as const) {
      const r = runAction(ws, { [input]: value, package: packed().tarball });
      assert.equal(r.code, 2, `${input}=${value}`);
      assert.match(r.stdout, new RegExp(`^::error title=immutably::${message.source}`, "m"));
      assert.equal(r.uploaded, undefined);
    }
  });

  it("a configuration error exits 2 and uploads nothing", () => {
    const ws = checkout({ ".immutably.hcl": 'rule "no-such-rule" {\n  enabled = false\n}\n' });
    const r = runAction(ws, { "upload-sarif": "true", package: packed().tarball });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(r.outputs["exit-code"], "2");
    assert.match(r.stderr, /no-such-rule/);
    assert.equal(r.uploaded, undefined);
  });

  it("without a package input, packs the action's own checkout (npm ci, npm pack) and uses that", () => {
    // The action's checkout: this repository's files as git has them, without node_modules or dist.
    const actionPath = fs.mkdtempSync(path.join(work, "action-checkout-"));
    const files = runIn(ROOT, "git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).stdout.split("\0").filter(Boolean);
    for (const f of files) {
      if (!fs.existsSync(path.join(ROOT, f))) continue;
      fs.mkdirSync(path.dirname(path.join(actionPath, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(actionPath, f));
    }
    const ws = checkout();
    const r = runAction(ws, { paths: "examples/digitalocean", "upload-sarif": "true" }, actionPath);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /::group::immutably: packing this action's checkout/);
    assert.deepEqual(
      r.uploaded!.sarif.runs[0].results.map((x) => x.ruleId),
      reference(ws, ["examples/digitalocean"]).map((f) => f.ruleId),
    );
  });
});
