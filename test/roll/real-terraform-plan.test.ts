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
  const r = spawnSync(terraform, args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
  });
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

function check(dir: string): {
  code: number | null;
  findings: Array<{ ruleId: string; path: string; line: number; message: string }>;
  stderr: string;
} {
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

// OpenTofu cannot be installed here: a stand-in `tofu` records its argv and runs the real terraform
// (both take `show -json -no-color -- FILE`), and terraform's own path is a program that fails, so a
// saved plan read with the wrong tool is caught.
describe("immutably plan on a saved plan of an OpenTofu folder", () => {
  let bin = "";
  let calls = "";
  let tofu = "";
  let notTerraform = "";
  before(() => {
    terraform = requireTool("terraform", "the terraform 1.11 binary at /usr/local/bin/terraform");
    bin = tempDir("plan-tofu-bin");
    dirs.push(bin);
    calls = path.join(bin, "calls.log");
    tofu = path.join(bin, "tofu");
    fs.writeFileSync(tofu, `#!/bin/sh\necho "$*" >> ${JSON.stringify(calls)}\nexec ${JSON.stringify(terraform)} "$@"\n`, { mode: 0o755 });
    notTerraform = path.join(bin, "terraform");
    fs.writeFileSync(notTerraform, "#!/bin/sh\necho 'terraform must not read this plan' >&2\nexit 99\n", { mode: 0o755 });
  });

  function checkWith(
    dir: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ): { code: number | null; findings: Array<{ ruleId: string; path: string; line: number }>; stderr: string } {
    fs.rmSync(calls, { force: true });
    const r = runCli(["plan", "tfplan", "--format", "json", ...args], dir, { IMMUTABLY_TERRAFORM: notTerraform, ...env });
    return { code: r.code, findings: r.stdout ? JSON.parse(r.stdout).findings : [], stderr: r.stderr };
  }
  const tofuCalls = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : []);

  it("reads it with tofu when the folder holds a .tofu file (language auto)", () => {
    const dir = savedPlan("in-place");
    fs.writeFileSync(path.join(dir, "versions.tofu"), "# OpenTofu reads this folder\n");
    const { code, findings, stderr } = checkWith(dir, [], { IMMUTABLY_TOFU: tofu });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /\$ \S*tofu show -json -no-color -- \S*tfplan/);
    assert.deepEqual(tofuCalls(), [`show -json -no-color -- ${path.join(dir, "tfplan")}`]);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.path, f.line]),
      [
        ["plan-in-place-update", "main.tf", 11],
        ["plan-in-place-update", "modules/machine/main.tf", 5],
        ["plan-in-place-update", "modules/machine/main.tf", 5],
      ],
    );
  });

  it('reads it with tofu when .immutably.hcl says language = "opentofu", and with the --tofu path', () => {
    const dir = savedPlan("in-place");
    fs.appendFileSync(path.join(dir, ".immutably.hcl"), '\nlanguage = "opentofu"\n');
    const { code } = checkWith(dir, ["--tofu", tofu], {});
    assert.equal(code, 1);
    assert.equal(tofuCalls().length, 1);
  });

  it("--tool chooses the tool over what the folder suggests", () => {
    const dir = savedPlan("in-place");
    assert.equal(checkWith(dir, ["--tool", "tofu"], { IMMUTABLY_TOFU: tofu }).code, 1);
    assert.equal(tofuCalls().length, 1);
    fs.writeFileSync(path.join(dir, "versions.tofu"), "");
    const r = checkWith(dir, ["--tool", "terraform"], { IMMUTABLY_TOFU: tofu });
    assert.equal(r.code, 2);
    assert.deepEqual(tofuCalls(), []);
    assert.match(r.stderr, /terraform must not read this plan/);
    assert.equal(checkWith(dir, ["--tool", "pulumi"], {}).code, 2);
  });

  it("when terraform cannot read a saved plan, says how to read it with OpenTofu", () => {
    const dir = savedPlan("in-place");
    const r = checkWith(dir, [], {});
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /immutably: cannot read the saved plan tfplan: .*exited with code 99:[\s\S]*\nIf OpenTofu made this plan, pass --tool tofu or set language = "opentofu" in \.immutably\.hcl\./,
    );
  });
});
