// `immutably plan` on saved plans made by the real terraform (built-in terraform_data): in-place and destroy-first found, create-first and creates not.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CLI, runCli } from "../helpers/cli.ts";
import { requireTool, ROOT, tempDir } from "./helpers.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/plan");
let terraform = "";
const dirs: string[] = [];

function tf(dir: string, args: string[]): void {
  const r = spawnSync(terraform, args, { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
  assert.equal(r.status, 0, `terraform ${args.join(" ")} failed:\n${r.stderr}`);
}

/**
 * A copy of a fixture scenario's configuration (not its committed plan.json), applied with image
 * "img-1" unless `fresh`, then planned with "img-2" into the saved plan `tfplan`.
 */
function savedPlan(scenario: string, fresh = false): string {
  const dir = tempDir(`plan-${scenario}`);
  dirs.push(dir);
  fs.cpSync(path.join(FIXTURES, scenario), dir, { recursive: true, filter: (src) => path.basename(src) !== "plan.json" });
  fs.copyFileSync(path.join(FIXTURES, ".immutably.hcl"), path.join(dir, ".immutably.hcl"));
  tf(dir, ["init", "-input=false", "-no-color"]);
  if (!fresh) tf(dir, ["apply", "-auto-approve", "-input=false", "-no-color", "-var", "image=img-1"]);
  tf(dir, ["plan", "-input=false", "-no-color", "-var", "image=img-2", "-out=tfplan"]);
  return dir;
}

function check(dir: string): { code: number | null; findings: Array<{ ruleId: string; path: string; line: number; message: string }>; stderr: string } {
  const r = runCli(["plan", "tfplan", "--format", "json"], dir, { IMMUTABLY_TERRAFORM: terraform });
  return { code: r.code, findings: r.stdout ? JSON.parse(r.stdout).findings : [], stderr: r.stderr };
}

describe("immutably plan with the real terraform", () => {
  before(() => {
    terraform = requireTool("terraform", "the terraform 1.11 binary at /usr/local/bin/terraform");
    assert.ok(fs.existsSync(CLI), "dist/cli.js is missing: npm test builds it first");
  });
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("finds in-place updates in a saved plan, read through terraform show -json, at the blocks in and through modules", () => {
    const { code, findings, stderr } = check(savedPlan("in-place"));
    assert.match(stderr, /\$ \S*terraform show -json -no-color -- \S*tfplan/);
    assert.equal(code, 1);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path, f.line, f.message.split(" is ")[0]]),
      [
        ["plan-in-place-update", "main.tf", 11, "terraform_data.bastion"],
        ["plan-in-place-update", "modules/machine/main.tf", 5, "module.web.terraform_data.machine[0]"],
        ["plan-in-place-update", "modules/machine/main.tf", 5, "module.web.terraform_data.machine[1]"],
      ],
    );
  });

  it("finds a destroy-first replacement (triggers_replace without create_before_destroy)", () => {
    const { code, findings } = check(savedPlan("destroy-first"));
    assert.equal(code, 0, "a warning alone exits 0, as lint");
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.line, f.message.split(" is ")[0]]),
      [["plan-destroy-first-replacement", 5, "module.web.terraform_data.machine"]],
    );
  });

  it("finds nothing in create-first replacements (triggers_replace, replace_triggered_by) nor in a plan that only creates", () => {
    for (const [scenario, fresh] of [
      ["create-first", false],
      ["create-only", true],
    ] as const) {
      const { code, findings } = check(savedPlan(scenario, fresh));
      assert.deepEqual([scenario, code, findings], [scenario, 0, []]);
    }
  });

  it("a saved plan terraform cannot read is exit 2 with terraform's reason", () => {
    const dir = tempDir("plan-bad");
    dirs.push(dir);
    // A zip archive that is not a plan: terraform itself refuses it.
    fs.writeFileSync(path.join(dir, "tfplan"), Buffer.from("504b0304", "hex"));
    const r = runCli(["plan", "tfplan"], dir, { IMMUTABLY_TERRAFORM: terraform });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /immutably: cannot read the saved plan tfplan: .*terraform show -json .* exited with code 1/);
  });
});
