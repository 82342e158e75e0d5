// REAL TOOLS: a generation with tool = "tofu" runs the OpenTofu executable for every plan and apply. OpenTofu
// cannot be installed here, so the real terraform stands behind the path given for tofu (they take the same
// commands); terraform's own path is a program that fails, so that any step still running it is caught.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { runRollCommand } from "../../server/src/cli/roll-commands.ts";
import { copyExample, requireTool } from "./helpers.ts";

let dir = "";
let tofu = "";
let notTerraform = "";
let calls = "";

before(() => {
  const realTerraform = requireTool("terraform", "the terraform 1.11 binary at /usr/local/bin/terraform");
  const realPacker = requireTool("packer", "apt-get install -y packer");
  dir = copyExample("tofu");
  const bin = path.join(dir, ".bin");
  fs.mkdirSync(bin);
  calls = path.join(bin, "tofu-calls.log");
  tofu = path.join(bin, "tofu");
  fs.writeFileSync(tofu, `#!/bin/sh\necho "$1" >> ${JSON.stringify(calls)}\nexec ${JSON.stringify(realTerraform)} "$@"\n`, { mode: 0o755 });
  notTerraform = path.join(bin, "terraform");
  fs.writeFileSync(notTerraform, "#!/bin/sh\necho 'terraform must not run for tool = \"tofu\"' >&2\nexit 99\n", { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "packer-path"), realPacker);
  const config = fs
    .readFileSync(path.join(dir, ".immutably.hcl"), "utf8")
    .replace('strategy        = "terraform"', 'strategy        = "terraform"\n  tool            = "tofu"');
  assert.match(config, /tool {12}= "tofu"/);
  fs.writeFileSync(path.join(dir, ".immutably.hcl"), config);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = new Writable({ write: (chunk, _enc, cb) => ((stdout += String(chunk)), cb()) });
  const err = new Writable({ write: (chunk, _enc, cb) => ((stderr += String(chunk)), cb()) });
  const packer = fs.readFileSync(path.join(dir, ".bin/packer-path"), "utf8");
  const code = await runRollCommand("roll", [...args, "--tofu", tofu, "--terraform", notTerraform, "--packer", packer], {
    stdout: out,
    stderr: err,
    cwd: dir,
    isTTY: false,
    signal: new AbortController().signal,
    env: process.env,
  });
  return { code, stdout, stderr };
}

test("the dry run shows the tofu executable in every plan and apply step", { timeout: 60_000 }, async () => {
  const r = await cli(["demo", "--dry-run"]);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.stdout.split("\n").filter((l) => / (init|plan|show|apply)\b/.test(l) && l.includes(".bin/"));
  assert.ok(steps.length >= 4, r.stdout);
  for (const line of steps) assert.ok(line.includes(tofu) && !line.includes(notTerraform), line);
});

test('a roll with tool = "tofu" plans and applies through the tofu path only', { timeout: 180_000 }, async () => {
  const r = await cli(["demo", "--yes"]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.deepEqual(fs.readFileSync(calls, "utf8").trim().split("\n"), ["init", "plan", "show", "apply"]);
  assert.doesNotMatch(r.stderr, /terraform must not run/);
  const state = JSON.parse(fs.readFileSync(path.join(dir, "infra/terraform.tfstate"), "utf8")) as { outputs: { image: { value: string } } };
  const tfvars = JSON.parse(fs.readFileSync(path.join(dir, "infra/immutably.auto.tfvars.json"), "utf8")) as { image: string };
  assert.equal(state.outputs.image.value, tfvars.image);
});

test("any other tool is a configuration error naming the choices", { timeout: 30_000 }, async () => {
  const file = path.join(dir, ".immutably.hcl");
  const good = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, good.replace('tool            = "tofu"', 'tool            = "pulumi"'));
  try {
    const r = await cli(["demo", "--dry-run"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tool.*expected "terraform" or "tofu", got "pulumi"/);
  } finally {
    fs.writeFileSync(file, good);
  }
});
