// REAL TOOLS: the roll checks its own plan before the confirmation and refuses one that updates the live generation in place, unless allow_in_place = true.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { cli, editConfig, history, image, state, statuses, tfvarsImage, useRealTools, workspace, type Workspace } from "./real-tools.ts";

useRealTools();

/** The example with its machine updated in place (no triggers_replace), and terraform_data declared machine-like. */
function inPlaceWorkspace(): Workspace {
  const ws = workspace("guard");
  const main = path.join(ws.dir, "infra/main.tf");
  fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace(/^\s*triggers_replace = \[var\.image\]\n/m, ""));
  assert.doesNotMatch(fs.readFileSync(main, "utf8"), /triggers_replace/);
  editConfig(ws.dir, (c) => `${c}\nrule "plan-in-place-update" {\n  resources = ["terraform_data"]\n}\n`);
  return ws;
}

describe("the roll's plan guard (real packer and terraform)", () => {
  it("refuses a plan that updates the live generation in place: exit 1, nothing applied, earlier records unchanged; allow_in_place = true lets it through", async () => {
    const ws = inPlaceWorkspace();
    const first = await cli(ws, "roll", ["demo", "--yes"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(statuses(ws), "1:live");
    const live = { record: JSON.stringify(history(ws).generations[0]), state: state(ws), tfvars: tfvarsImage(ws) };
    assert.equal(live.state.image, image(ws, 1));

    const dry = await cli(ws, "roll", ["demo", "--dry-run"]);
    assert.match(
      dry.stdout,
      /check the plan \(plan-in-place-update\): refuse an in-place update of the running generation's machines \(terraform_data\); allow_in_place = true allows it/,
    );

    const refused = await cli(ws, "roll", ["demo", "--yes"]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /plan check: infra\/main\.tf:\d+:1: error: terraform_data\.server is updated in place \(input\)/);
    assert.match(
      refused.stdout,
      /the plan changes the running generation in place, which immutable infrastructure replaces instead: terraform_data\.server is updated in place \(input\)\. Nothing was applied\./,
    );
    assert.doesNotMatch(refused.stderr, /confirmed by --yes/, "refused before the confirmation");
    // The live generation, its record, Terraform's state and the tfvars are as they were; the baked image is recorded failed so prune can delete it.
    assert.equal(statuses(ws), "1:live 2:failed");
    assert.equal(JSON.stringify(history(ws).generations[0]), live.record);
    assert.deepEqual(state(ws), live.state);
    assert.equal(tfvarsImage(ws), live.tfvars);
    assert.match(history(ws).generations[1].note ?? "", /changes the running generation in place/);

    editConfig(ws.dir, (c) => c.replace('strategy        = "terraform"', 'strategy        = "terraform"\n  allow_in_place  = true'));
    const dryAllowed = await cli(ws, "roll", ["demo", "--dry-run"]);
    assert.match(
      dryAllowed.stdout,
      /check the plan \(plan-in-place-update\): an in-place update of the running generation's machines is reported, not refused \(allow_in_place = true\)/,
    );
    const allowed = await cli(ws, "roll", ["demo", "--yes"]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /plan check: allowed by allow_in_place = true: terraform_data\.server is updated in place \(input\)/);
    assert.equal(statuses(ws), "1:previous 2:failed 3:live");
    assert.equal(state(ws).image, image(ws, 3));
    assert.equal(state(ws).id, live.state.id, "updated in place: the same terraform_data, not a replacement");
  });

  it("lets a create-first replacement through (the example as shipped)", async () => {
    const ws = workspace("guard-ok");
    editConfig(ws.dir, (c) => `${c}\nrule "plan-in-place-update" {\n  resources = ["terraform_data"]\n}\n`);
    for (const n of [1, 2]) {
      const r = await cli(ws, "roll", ["demo", "--yes"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(state(ws).image, image(ws, n));
    }
    assert.equal(statuses(ws), "1:previous 2:live");
  });

  it("allow_in_place must be true or false", async () => {
    const ws = workspace("guard-config");
    editConfig(ws.dir, (c) => c.replace('strategy        = "terraform"', 'strategy        = "terraform"\n  allow_in_place  = "yes"'));
    const r = await cli(ws, "roll", ["demo", "--dry-run"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /attribute "allow_in_place": expected true or false, got "yes"/);
  });
});
