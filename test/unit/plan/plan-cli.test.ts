// `immutably plan` over the committed plan fixtures (made by the real terraform, see test/fixtures/plan/make.sh): findings, locations, formats, exit codes.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { CLI, runCli, workspace } from "../../helpers/cli.ts";

const FIXTURES = path.resolve(__dirname, "../../fixtures/plan");

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  path: string;
  line: number;
  column: number;
}

function planJson(scenario: string, extra: string[] = []): { code: number | null; findings: JsonFinding[]; stderr: string } {
  const r = runCli(["plan", path.join(FIXTURES, scenario, "plan.json"), "--format", "json", ...extra], FIXTURES);
  return { code: r.code, findings: r.stdout ? (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings : [], stderr: r.stderr };
}

/** A copy of a fixture scenario (configuration and plan) in a temporary folder, with the fixtures' config. */
function copyScenario(scenario: string): string {
  const dir = workspace({}, "immutably-plan-");
  fs.cpSync(path.join(FIXTURES, scenario), dir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, ".immutably.hcl"), path.join(dir, ".immutably.hcl"));
  return dir;
}

describe("immutably plan", () => {
  before(() => assert.ok(fs.existsSync(CLI), "dist/cli.js is missing: npm test builds it first"));

  it("in-place updates of machine-like resources are errors at their blocks, through module calls; exit 1", () => {
    const { code, findings } = planJson("in-place");
    assert.equal(code, 1);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity, f.path, f.line, f.column, f.message.split(" is ")[0]]),
      [
        ["plan-in-place-update", "error", "in-place/main.tf", 11, 1, "terraform_data.bastion"],
        ["plan-in-place-update", "error", "in-place/modules/machine/main.tf", 5, 1, "module.web.terraform_data.machine[0]"],
        ["plan-in-place-update", "error", "in-place/modules/machine/main.tf", 5, 1, "module.web.terraform_data.machine[1]"],
      ],
    );
    // Only the attribute the configuration sets counts: terraform_data's computed `output` is not named.
    assert.match(findings[0].message, /is updated in place \(input\): the running machine is changed/);
  });

  it("a destroy-first replacement is a warning with Terraform's reason; --max-warnings 0 makes it exit 1", () => {
    const { code, findings } = planJson("destroy-first");
    assert.equal(code, 0);
    assert.equal(findings.length, 1);
    assert.deepEqual(
      [findings[0].ruleId, findings[0].severity, findings[0].path, findings[0].line],
      ["plan-destroy-first-replacement", "warning", "destroy-first/modules/machine/main.tf", 5],
    );
    assert.match(
      findings[0].message,
      /^module\.web\.terraform_data\.machine is replaced destroy-first \(a changed attribute cannot be updated in place\): .* Set lifecycle \{ create_before_destroy = true \}\.$/,
    );
    assert.equal(planJson("destroy-first", ["--max-warnings", "0"]).code, 1);
  });

  it("create-first replacements (triggers_replace, replace_triggered_by) and a plan that only creates are not findings", () => {
    for (const scenario of ["create-first", "create-only"]) {
      const { code, findings } = planJson(scenario);
      assert.deepEqual([scenario, code, findings], [scenario, 0, []]);
    }
  });

  it("terraform_data is not machine-like unless a configuration lists it", () => {
    const dir = copyScenario("in-place");
    fs.writeFileSync(path.join(dir, ".immutably.hcl"), "");
    const r = runCli(["plan", "plan.json"], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /No problems found\./);
  });

  it("a rule block turns a check off, as for lint", () => {
    const dir = copyScenario("in-place");
    fs.writeFileSync(
      path.join(dir, ".immutably.hcl"),
      'rule "plan-in-place-update" {\n  enabled   = false\n  resources = ["terraform_data"]\n}\n',
    );
    const r = runCli(["plan", "plan.json"], dir);
    assert.deepEqual([r.code, r.stdout], [0, "No problems found.\n"]);
  });

  it("suppression comments above the resource block apply", () => {
    const dir = copyScenario("in-place");
    const main = path.join(dir, "main.tf");
    fs.writeFileSync(
      main,
      fs
        .readFileSync(main, "utf8")
        .replace(
          'resource "terraform_data" "bastion"',
          '# immutably-ignore: plan-in-place-update -- the bastion is a pet\nresource "terraform_data" "bastion"',
        ),
    );
    const r = runCli(["plan", "plan.json", "--format", "json"], dir);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(
      findings.map((f) => f.message.split(" is ")[0]),
      ["module.web.terraform_data.machine[0]", "module.web.terraform_data.machine[1]"],
    );
    // lint cannot tell whether a plan check's suppression is used, so it does not call it unused.
    const lint = runCli(["lint", "--report-unused-ignores", "--format", "json", "."], dir);
    assert.deepEqual(
      (JSON.parse(lint.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId === "unused-ignore").map((f) => f.message),
      [],
    );
  });

  it("without the configuration beside it, a finding points at the address in the plan JSON", () => {
    const dir = workspace(
      {
        "plan.json": fs.readFileSync(path.join(FIXTURES, "destroy-first/plan.json")),
        ".immutably.hcl": fs.readFileSync(path.join(FIXTURES, ".immutably.hcl")),
      },
      "immutably-plan-",
    );
    const text = fs.readFileSync(path.join(dir, "plan.json"), "utf8");
    const at = text.indexOf('"module.web.terraform_data.machine"', text.indexOf('"resource_changes"'));
    const r = runCli(["plan", "plan.json", "--format", "json"], dir);
    const [finding] = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual([finding.path, finding.line, finding.column], ["plan.json", 1, at + 1]);
  });

  it("stylish names the file, position, message and check", () => {
    const r = runCli(["plan", "in-place/plan.json"], FIXTURES);
    assert.match(
      r.stdout,
      /^in-place\/main\.tf\n {2}11:1 {2}error {2}terraform_data\.bastion is updated in place \(input\).* {2}plan-in-place-update$/m,
    );
    assert.match(r.stdout, /✖ 3 problems \(3 errors, 0 warnings\)/);
  });

  it("sarif lists the plan checks with their help and locates each result", () => {
    const r = runCli(["plan", "destroy-first/plan.json", "--format", "sarif"], FIXTURES);
    const log = JSON.parse(r.stdout);
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((x: { id: string }) => x.id),
      ["plan-destroy-first-replacement", "plan-in-place-update"],
    );
    assert.match(run.tool.driver.rules[1].help.markdown, /### plan-in-place-update/);
    assert.equal(run.results.length, 1);
    assert.equal(run.results[0].ruleId, "plan-destroy-first-replacement");
    assert.equal(run.results[0].ruleIndex, 0);
    assert.deepEqual(run.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: "destroy-first/modules/machine/main.tf", uriBaseId: "%SRCROOT%" },
      region: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 36 },
    });
  });

  it("a file that is not a plan, or no file, is a clear error with exit 2 and no stack trace", () => {
    const dir = workspace({ "state.json": '{"format_version":"1.0","values":{}}', "broken.json": "{" }, "immutably-plan-");
    for (const [file, message] of [
      ["state.json", /state\.json: not a Terraform plan in JSON/],
      ["broken.json", /broken\.json: not JSON/],
      ["missing.json", /cannot read plan missing\.json: ENOENT/],
    ] as const) {
      const r = runCli(["plan", file], dir);
      assert.equal(r.code, 2, file);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});
