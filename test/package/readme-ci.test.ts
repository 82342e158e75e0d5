// README's "Use it in CI": each code block is taken from the README and run (npx commands) or run as
// its tool would run it (the pre-commit configuration, the GitHub workflow), with the packed package.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { action, runAction } from "./action-runner.ts";
import { packed, ROOT, runIn } from "./packed.ts";
import { hooks, repository, runHook, type Hook } from "./pre-commit-runner.ts";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Use it in CI\n"), readme.indexOf("\n## ", readme.indexOf("## Use it in CI\n") + 1));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));

let work: string;
const projects: string[] = [];
before(() => {
  work = fs.mkdtempSync(path.join(packed().installDir, "readme-ci-"));
});
after(() => {
  for (const dir of [work, ...projects]) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A project to lint: the examples' folders under the names the README uses (infra, images). Outside
 * any npm project: npx resolves `./x.tgz` against the nearest package.json's folder.
 */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-readme-project-"));
  projects.push(dir);
  fs.cpSync(path.join(ROOT, "examples/digitalocean"), path.join(dir, "infra"), { recursive: true });
  fs.cpSync(path.join(ROOT, "examples/generation/images"), path.join(dir, "images"), { recursive: true });
  return dir;
}

const reference = (dir: string, args: string[]) => runIn(dir, process.execPath, [path.join(ROOT, "dist/cli.js"), ...args]);

describe("README: Use it in CI", () => {
  it("has the three recipes: npx, pre-commit, GitHub Actions", () => {
    assert.deepEqual(
      blocks.map((b) => b.lang),
      ["sh", "yaml", "yaml"],
    );
  });

  it("states the exit codes the CLI has", () => {
    const help = reference(ROOT, ["--help"]).stdout;
    assert.match(
      help,
      /Exit codes: 0 no errors and warnings within --max-warnings; 1 findings over that \(or a failed roll\);\s+2 usage, configuration or internal error/,
    );
    assert.match(
      section,
      /\*\*0\*\* no errors, and warnings within `--max-warnings`[^*]*\*\*1\*\* errors, or more warnings than `--max-warnings`; \*\*2\*\* usage, configuration or internal\s+error/,
    );
  });

  it("plain npx: each command runs from the tarball, with the exit code and output of the repository's build", () => {
    const dir = project();
    fs.copyFileSync(packed().tarball, path.join(dir, path.basename(packed().tarball)));
    const commands = blocks[0].code.split("\n").filter(Boolean);
    assert.equal(commands.length, 2);
    for (const command of commands) {
      // Each line is one command; the second sends stdout to a file.
      const m = /^npx --yes --package (\.\/immutably-[\d.]+\.tgz) -- immutably (.+?)(?: > (\S+))?$/.exec(command);
      assert.ok(m, command);
      assert.equal(m[1], `./${path.basename(packed().tarball)}`, "the tarball npm pack writes");
      const r = runIn(dir, "bash", ["-c", command]);
      const expected = reference(dir, m[2].split(" "));
      assert.equal(r.code, expected.code, `${command}\n${r.stderr}`);
      if (m[3]) {
        const sarif = JSON.parse(fs.readFileSync(path.join(dir, m[3]), "utf8")) as { version: string; runs: Array<{ results: unknown[] }> };
        assert.equal(sarif.version, "2.1.0");
        assert.deepEqual(sarif, JSON.parse(expected.stdout));
        assert.ok(sarif.runs[0].results.length > 0);
      } else {
        assert.equal(r.stdout, expected.stdout);
      }
    }
  });

  it("pre-commit: the configuration names this repository's hooks, and runs them as written", () => {
    const config = parse(blocks[1].code) as { repos: Array<{ repo: string; rev: string; hooks: Array<Partial<Hook> & { id: string }> }> };
    assert.equal(config.repos.length, 1);
    const [repo] = config.repos;
    assert.match(repo.rev, /^v\d+\.\d+\.\d+$/);
    assert.deepEqual(
      repo.hooks.map((h) => h.id),
      hooks.map((h) => h.id),
    );
    const settings = (id: string) => {
      const { id: _id, ...rest } = repo.hooks.find((h) => h.id === id)!;
      return rest;
    };
    // Terraform with the hook's own args: a warning fails the commit.
    const tf = repository({
      "infra/main.tf":
        'resource "digitalocean_droplet" "web" {\n  image = var.image\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
      "infra/variables.tf": 'variable "image" {\n  default = "12345678"\n}\n',
    });
    const changed = runHook(
      tf,
      "immutably-terraform",
      { "infra/variables.tf": 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n' },
      settings("immutably-terraform"),
    )!;
    assert.equal(changed.code, 1, changed.stdout);
    assert.match(changed.stdout, /infra\/main\.tf\n.*pinned-machine-image/);
    // Packer with the README's args (up to 5 warnings): the example template's one warning passes.
    const pk = repository({ "README.md": "x\n" });
    const template = fs.readFileSync(path.join(ROOT, "examples/digitalocean/packer/web.pkr.hcl"), "utf8");
    const packer = runHook(pk, "immutably-packer", { "images/web.pkr.hcl": template }, settings("immutably-packer"))!;
    assert.deepEqual(packer.argv.slice(0, 4), ["lint", "--whole-folders", "--max-warnings", "5"]);
    const expected = reference(pk, ["lint", "--whole-folders", "--max-warnings", "5", "images/web.pkr.hcl"]);
    assert.equal(packer.code, expected.code, packer.stdout);
    assert.equal(packer.stdout, expected.stdout);
  });

  it("GitHub Actions: the workflow grants the upload's permissions, and the action runs with its inputs", () => {
    const workflow = parse(blocks[2].code) as {
      permissions: Record<string, string>;
      jobs: Record<string, { "runs-on": string; steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
    };
    assert.equal(workflow.permissions["security-events"], "write");
    assert.equal(workflow.permissions.contents, "read");
    const [job] = Object.values(workflow.jobs);
    const uses = job.steps.map((s) => s.uses?.replace(/@.*/, ""));
    assert.deepEqual(uses.slice(0, 2), ["actions/checkout", "actions/setup-node"], "the files and Node 20 before the action");
    assert.ok(Number(job.steps[1].with!["node-version"]) >= 20);
    const step = job.steps[2];
    // The runner hands every input to the action as a string.
    const inputs = Object.fromEntries(Object.entries(step.with!).map(([k, v]) => [k, String(v)]));
    for (const name of Object.keys(inputs)) assert.ok(name in action.inputs, name);
    assert.equal(inputs["upload-sarif"], "true");
    // Without a `package` input the action packs its own checkout, which github-action.test.ts runs;
    // here the packed tarball stands in for it, so the README's own inputs are what is tested.
    const dir = project();
    const r = runAction(dir, { ...inputs, package: packed().tarball }, work);
    const expected = reference(dir, ["lint", "--max-warnings", inputs["max-warnings"], ...inputs.paths.split(" ")]);
    assert.equal(r.code, expected.code, r.stdout + r.stderr);
    assert.ok(r.uploaded, "SARIF is uploaded, also after a failed lint");
    assert.equal(
      r.uploaded.sarif.runs[0].results.length,
      (JSON.parse(reference(dir, ["lint", "--format", "json", ...inputs.paths.split(" ")]).stdout) as { findings: unknown[] }).findings
        .length,
    );
  });
});
