// `immutably lint --whole-folders FILE...`: each file stands for its folder, as a pre-commit hook needs (it passes the files that changed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli as run, workspace } from "../../helpers/cli.ts";

const DROPLET = 'resource "digitalocean_droplet" "web" {\n  image = var.image\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';
const SLUG = 'variable "image" {\n  default = "ubuntu-22-04-x64"\n}\n';
const UNPINNED_CONTAINER = 'resource "docker_container" "app" {\n  image = "nginx:latest"\n}\n';

type Finding = { ruleId: string; path: string; line: number };
const findingsOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: Finding[] }).findings.map((f) => `${f.path}:${f.line} ${f.ruleId}`);

describe("lint --whole-folders", () => {
  it("lints the whole folder of a changed file: a new default in variables.tf is reported where main.tf uses it", () => {
    const dir = workspace({ "infra/main.tf": DROPLET, "infra/variables.tf": SLUG });
    // Without the option, variables.tf alone has nothing to report: the image is used in main.tf.
    assert.deepEqual(findingsOf(run(["lint", "--format", "json", "infra/variables.tf"], dir).stdout), []);
    const r = run(["lint", "--format", "json", "--whole-folders", "infra/variables.tf"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(findingsOf(r.stdout), ["infra/main.tf:2 pinned-machine-image"]);
  });

  it("lints each folder once, and not the folders below it", () => {
    const dir = workspace({ "main.tf": DROPLET, "variables.tf": SLUG, "modules/app/main.tf": UNPINNED_CONTAINER });
    const r = run(["lint", "--format", "json", "--whole-folders", "main.tf", "variables.tf"], dir);
    assert.deepEqual(findingsOf(r.stdout), ["main.tf:2 pinned-machine-image"]);
    assert.deepEqual(findingsOf(run(["lint", "--format", "json", "--whole-folders", "modules/app/main.tf"], dir).stdout), [
      "modules/app/main.tf:2 pinned-container-image",
    ]);
  });

  it("reports for each folder exactly what linting the repository reports for it", () => {
    const dir = workspace({
      ".immutably.hcl": 'ignore_paths = ["legacy/**"]\n',
      "infra/main.tf": DROPLET,
      "infra/variables.tf": SLUG,
      "app/main.tf": UNPINNED_CONTAINER,
      "legacy/main.tf": UNPINNED_CONTAINER,
    });
    const everything = findingsOf(run(["lint", "--format", "json", "."], dir).stdout);
    const files = ["infra/variables.tf", "app/main.tf", "legacy/main.tf"];
    const whole = findingsOf(run(["lint", "--format", "json", "--whole-folders", ...files], dir).stdout);
    assert.deepEqual(whole, everything);
    assert.ok(!whole.some((f) => f.startsWith("legacy/")), "ignore_paths holds, as in a walk");
  });

  it("takes a deleted file for its folder, and a vanished folder for nothing to lint", () => {
    const dir = workspace({ "infra/main.tf": DROPLET, "infra/variables.tf": SLUG });
    const gone = run(["lint", "--format", "json", "--whole-folders", "infra/removed.tf"], dir);
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(findingsOf(gone.stdout), ["infra/main.tf:2 pinned-machine-image"]);
    const vanished = run(["lint", "--whole-folders", "old/main.tf"], dir);
    assert.equal(vanished.code, 0, vanished.stderr);
    assert.match(vanished.stdout, /No problems found/);
  });

  it("is in the usage", () => {
    assert.match(run(["lint", "--help"], process.cwd()).stdout, /--whole-folders/);
  });
});
