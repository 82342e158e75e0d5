// A long-running linter (parse cache on, trees kept for open documents) must report exactly what a fresh full lint reports, after any edit.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type SourceInput } from "../../../server/src/engine/index.ts";
import { allRules } from "../../../server/src/rules/index.ts";
import { seededEdits } from "../../helpers/edits.ts";

const root = path.resolve(__dirname, "../../..");
const host = { readFile: () => undefined };
const config = defaultConfig(allRules);

const INSERTS = [
  "\n",
  " ",
  "x",
  '"',
  "{",
  "}",
  "=",
  "#",
  "lifecycle {\n  create_before_destroy = true\n}\n",
  'resource "digitalocean_droplet" "n" {\n  image = var.web_image\n}\n',
  "# immutably-ignore: require-create-before-destroy\n",
];
const { mutate } = seededEdits(4242, INSERTS);

function droplets(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const lifecycle = i % 3 === 0 ? "" : "\n  lifecycle {\n    create_before_destroy = true\n  }\n";
    out.push(`resource "digitalocean_droplet" "web_${i}" {\n  image  = var.web_image\n  name   = "web-${i}"\n${lifecycle}}\n`);
  }
  return out.join("\n");
}

describe("linting with the parse cache", () => {
  it("equals a fresh lint after each of 200 random edits to an open file, to its siblings and to the nesting limit", async () => {
    const cached = await createLinter();
    cached.enableParseCache();
    const main = path.join(root, "mod/main.tf");
    const variables = path.join(root, "mod/variables.tf");
    const nested = path.join(root, "mod/nested.tf");
    const nesting = (depth: number) => `locals {\n  deep = ${"[".repeat(depth)}1${"]".repeat(depth)}\n}\n`;
    const files = new Map<string, string>([
      [main, droplets(30) + fs.readFileSync(path.join(root, "examples/aws-asg/main.tf"), "utf8")],
      [variables, 'variable "web_image" {\n  default = "ubuntu-22-04-x64"\n}\n'],
      // Around the nesting limit: the measured depth is cached per text and limit.
      [nested, nesting(8)],
    ]);
    // The limit changes now and then (max_nesting_depth in .immutably.hcl); 8 puts nested.tf over it.
    const limitAt = (i: number) => ({ ...config, maxNestingDepth: Math.floor(i / 25) % 2 === 0 ? config.maxNestingDepth : 8 });
    const inputs = (): SourceInput[] => [...files].map(([p, text]) => ({ path: p, text }));
    const editing = new Set([main]);
    // The background lint parses the folder before the file is opened (no trees kept), then the editor opens it.
    await cached.lint(inputs(), config, host, { skipExactSyntax: true });
    let compared = 0;
    let overLimit = 0;
    for (let i = 0; i <= 200; i++) {
      if (i > 0) {
        // Depths under both limits, over the low one only, and over both.
        if (i % 20 === 0) files.set(nested, nesting([6, 9, 600][(i / 20) % 3]));
        const target = i % 10 === 0 ? variables : main;
        files.set(target, mutate(files.get(target)!));
      }
      const got = await cached.lint(inputs(), limitAt(i), host, { skipExactSyntax: true, keepTreesFor: editing });
      const fresh = await (await createLinter()).lint(inputs(), limitAt(i), host, { skipExactSyntax: true });
      assert.deepEqual(got.findings, fresh.findings, `edit ${i} diverged`);
      if (i === 0)
        assert.ok(
          fresh.findings.some((f) => f.ruleId === "require-create-before-destroy"),
          "the module has findings to compare",
        );
      if (fresh.findings.some((f) => f.path === nested && /Nesting deeper/.test(f.message))) overLimit++;
      compared++;
    }
    assert.equal(compared, 201);
    assert.ok(overLimit > 0 && overLimit < compared, `nested.tf was over the limit in ${overLimit} lints: both sides of it are exercised`);
  });

  it("reuses a file's nesting depth only across edits that cannot change it", async () => {
    const cached = await createLinter();
    cached.enableParseCache();
    const nested = path.join(root, "mod/nested.tf");
    const limited = { ...config, maxNestingDepth: 8 };
    const over = (text: string) =>
      cached
        .lint([{ path: nested, text }], limited, host, { skipExactSyntax: true })
        .then((r) => r.findings.some((f) => /Nesting deeper/.test(f.message)));
    const fresh = (text: string) =>
      createLinter()
        .then((l) => l.lint([{ path: nested, text }], limited, host, { skipExactSyntax: true }))
        .then((r) => r.findings.some((f) => /Nesting deeper/.test(f.message)));
    const texts = [
      "locals {\n  deep = [[[[[[[[[1]]]]]]]]]\n}\n", // 10 levels with the block: over 8
      "locals {\n  deeper = [[[[[[[[[1]]]]]]]]]\n}\n", // letters typed: the depth is reused
      "locals {\n  deeper = [[[[[[[1]]]]]]]\n}\n", // two bracket pairs removed: measured again
      'locals {\n  deeper = "[[[[[[[[[1]]]]]]]]]"\n}\n', // quotes make the brackets text: measured again
      'locals {\n  deeper = "[[[[[[[[[1]]]]]]]]]x"\n}\n', // a letter inside the string: reused
      'locals {\n  deeper = [[[[[[[[[1]]]]]]]]]x"\n}\n', // a quote removed: the brackets count again
    ];
    const seen: boolean[] = [];
    for (const text of texts) {
      const got = await over(text);
      assert.equal(got, await fresh(text), JSON.stringify(text));
      seen.push(got);
    }
    assert.deepEqual(seen, [true, true, false, false, false, true]);
  });
});
