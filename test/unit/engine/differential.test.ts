// Differential test: every literal value our model extracts equals what HashiCorp's parser (hcl2json) produces.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parseWithHashiCorp } from "../../../server/src/engine/hcl/hashicorp.ts";
import { initParsers, parseHcl } from "../../../server/src/engine/parse.ts";
import { literalValue, type Body } from "../../../server/src/engine/model.ts";
import { allRules } from "../../../server/src/rules/index.ts";
import { walkBesideHcl2json } from "../../helpers/hcl2json.ts";

const root = path.resolve(__dirname, "../../..");

function hclFixtures(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== ".terraform" && e.name !== ".immutably") walk(p);
      else if (/\.(tf|tfvars|pkr\.hcl|pkrvars\.hcl)$/.test(e.name))
        out.push({ name: path.relative(root, p), text: fs.readFileSync(p, "utf8") });
    }
  };
  walk(path.join(root, "examples"));
  walk(path.join(root, "test/fixtures/hcl"));
  // Rule docs examples are fixtures too (except the deliberately broken hcl-syntax one).
  for (const rule of allRules) {
    if (rule.meta.id === "hcl-syntax") continue;
    for (const ex of [...rule.meta.docs.bad, ...rule.meta.docs.good]) {
      if (!ex.filename.endsWith(".json")) out.push({ name: `${rule.meta.id}: ${ex.filename}`, text: ex.code });
    }
  }
  return out;
}

/** Compares every literal attribute of a body with the JSON HashiCorp's parser gives for it. */
function compareBody(body: Body, json: Record<string, unknown>, counter: { compared: number }): void {
  walkBesideHcl2json(body, json, {
    attribute(a, where, present, theirs) {
      const mine = literalValue(a.expr);
      if (mine === undefined) return; // Not a literal: interpolations, references, calls.
      assert.ok(present, `${where}: missing in hcl2json output`);
      assert.deepEqual(mine, theirs, where);
      counter.compared++;
    },
    missingBlock(where) {
      assert.fail(`${where}: block missing in hcl2json output`);
    },
  });
}

describe("differential: model literals equal HashiCorp's parser", () => {
  const fixtures = hclFixtures();
  it("has fixtures to compare", () => assert.ok(fixtures.length >= 5, `only ${fixtures.length} fixtures`));
  for (const f of fixtures) {
    it(f.name, async () => {
      await initParsers();
      const model = parseHcl(f.name, f.text);
      assert.deepEqual(model.syntaxErrors, [], "tree-sitter reports a syntax error");
      const json = (await parseWithHashiCorp("fixture.tf", f.text)) as Record<string, unknown>;
      const counter = { compared: 0 };
      compareBody(model.body, json, counter);
    });
  }
});
