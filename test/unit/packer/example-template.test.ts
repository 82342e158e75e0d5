// The DigitalOcean bake template in examples/ is a clean, valid Packer template.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { validateWithPacker } from "../../helpers/packer.ts";

const templatePath = path.resolve(__dirname, "../../../examples/digitalocean/packer/web.pkr.hcl");
const text = fs.readFileSync(templatePath, "utf8");

it("examples/digitalocean/packer/web.pkr.hcl passes packer validate -syntax-only", async () => {
  const result = await validateWithPacker("web.pkr.hcl", text);
  if (result.packerVersion.startsWith("1.6.")) assert.deepEqual(result.checkedConstraints, ["~> 1.4"]);
});

it("examples/digitalocean/packer/web.pkr.hcl has no findings with every rule on", async () => {
  const linter = await createLinter();
  const result = await linter.lint([{ path: templatePath, text }], defaultConfig(linter.rules), { readFile: () => undefined });
  assert.deepEqual(
    result.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}: ${f.message}`),
    [],
  );
  assert.deepEqual(result.ruleFailures, []);
});
