// A lint that reuses the previous lint's rule results (the editor, after an edit in one block) must give exactly a whole lint's findings, fixes and reads, or not reuse them.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { readHcl } from "../../../server/src/engine/hcl/reader/index.ts";
import { createLinter, defaultConfig, isLintablePath, type LintResult, type Linter } from "../../../server/src/engine/index.ts";
import { chooseHclParser, hclParserInUse } from "../../../server/src/engine/parse.ts";
import type { LintHost } from "../../../server/src/engine/lint-types.ts";
import type { ResolvedConfig } from "../../../server/src/engine/types.ts";
import { allRules } from "../../../server/src/rules/index.ts";
import { seededEdits } from "../../helpers/edits.ts";
import { virtualHost } from "../../helpers/rule-tester.ts";

const root = path.resolve(__dirname, "../../..");

// A collection on demand, to see which versions the kept results hold on to.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Every file under a folder, with its text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((e) => {
    if (!e.isFile()) return [];
    const p = path.join(e.parentPath, e.name);
    return [{ path: p, text: fs.readFileSync(p, "utf8") }];
  });
}

/** The folders of a tree that hold Terraform files: each is a module an editor lints when one of its files is open. */
function moduleFolders(files: Array<{ path: string }>): string[] {
  return [...new Set(files.filter((f) => /\.tf(\.json)?$/.test(f.path)).map((f) => path.dirname(f.path)))].sort();
}

/** What a lint gives that the editor uses, with every fix's edits read. */
function outcome(result: LintResult): unknown {
  return {
    findings: result.findings.map((f) => ({ ...f, fix: f.fix && { title: f.fix.title, kind: f.fix.kind, changes: f.fix.changes } })),
    failures: result.ruleFailures,
    reads: [...new Set(result.reads.map((r) => r.path))].sort(),
    listings: [...new Set(result.listings.map((l) => l.folder))].sort(),
    unused: result.unusedSuppressions.map((s) => `${s.path}:${s.range.startOffset}`),
  };
}

/** Lints a folder's files with `editing` as the open document, as the language server does, and as a whole lint; asserts they agree. */
async function lintBoth(
  cached: Linter,
  fresh: Linter,
  inputs: Array<{ path: string; text: string }>,
  editing: string,
  host: LintHost,
  config: ResolvedConfig,
  what: string,
): Promise<LintResult> {
  const got = await cached.lint(inputs, config, host, { skipExactSyntax: true, keepTreesFor: new Set([editing]) });
  const expected = await fresh.lint(inputs, config, host, { skipExactSyntax: true });
  const [a, b] = [outcome(got), outcome(expected)];
  if (JSON.stringify(a) !== JSON.stringify(b)) assert.deepEqual(a, b, what);
  return got;
}

/** What typing in a module adds: text inside strings, whole lines that rules look at, references to other blocks, line ends. */
const INSERTS = [
  "x",
  "x",
  " ",
  "\n",
  "\n\n",
  '"',
  "}",
  "#",
  "  create_before_destroy = false\n",
  "  lifecycle {\n    create_before_destroy = true\n  }\n",
  '  image = "ubuntu-20-04-x64"\n',
  '  user_data = "#!/bin/sh\\napt-get install -y nginx\\n"\n',
  '  name = "web"\n',
  "  depends_on = [aws_launch_template.web, aws_instance.web]\n",
  "  ami = data.aws_ami.web.id\n",
  '  provisioner "remote-exec" {\n    inline = ["yum update"]\n  }\n',
  "# immutably-ignore: require-create-before-destroy\n",
];

describe("rule results kept between lints of a module being edited", () => {
  const kind = hclParserInUse();
  before(() => chooseHclParser("own"));
  after(() => chooseHclParser(kind));

  it(
    "gives a whole lint's findings, fixes and reads after every edit of every module of the regression cases and examples",
    { timeout: 600_000 },
    async () => {
      const config = defaultConfig(allRules);
      const trees = [
        ...fs.readdirSync(path.join(root, "test/regression/cases")).map((c) => path.join(root, "test/regression/cases", c)),
        path.join(root, "examples"),
      ];
      let lints = 0;
      let edits = 0;
      const cached = await createLinter();
      cached.enableParseCache();
      const fresh = await createLinter();
      for (const tree of trees) {
        const files = filesUnder(tree);
        const host = virtualHost(files, tree);
        for (const folder of moduleFolders(files)) {
          const inFolder = files.filter((f) => path.dirname(f.path) === folder && isLintablePath(f.path));
          for (const edited of inFolder.filter((f) => f.path.endsWith(".tf"))) {
            const { mutate, random } = seededEdits(edits + 7, INSERTS);
            let text = edited.text;
            let valid = text;
            for (let i = 0; i < 60; i++, edits++) {
              if (i > 0) {
                // A broken version is linted, then undone, as the one typing it soon does.
                if (readHcl(edited.path, text).syntaxErrors.length > 0) text = valid;
                // Half of the edits type inside a string, as most typing in a module does: those keep it valid.
                const quotes = [...text.matchAll(/"[^"\n$%{}\\]*"/g)];
                const at = quotes.length > 0 && random() < 0.5 ? quotes[Math.floor(random() * quotes.length)] : undefined;
                text = at ? text.slice(0, at.index + 1) + "y" + text.slice(at.index + 1) : mutate(text);
              }
              const inputs = inFolder.map((f) => (f === edited ? { path: f.path, text } : f));
              await lintBoth(cached, fresh, inputs, edited.path, host, config, `${path.relative(root, edited.path)}, edit ${i}`);
              lints++;
              if (readHcl(edited.path, text).syntaxErrors.length === 0) valid = text;
            }
          }
        }
      }
      // Reuse is taken in numbers: the agreement is not won by never reusing. Most of these edits break
      // the file (the random ones), or are typed in blocks other blocks name (variables, locals, the
      // templates groups launch from): those lints run whole. About a fifth reuse (322 of 1,620 when written).
      assert.ok(cached.reusedLints > lints / 8, `${cached.reusedLints} of ${lints} lints reused the previous one`);
    },
  );
});

describe("what stops a lint from reusing the previous one's rule results", () => {
  const kind = hclParserInUse();
  before(() => chooseHclParser("own"));
  after(() => chooseHclParser(kind));

  const dir = path.join(root, "mod");
  const main = path.join(dir, "main.tf");
  const template = (name: string, extra = "") =>
    `resource "aws_launch_template" "${name}" {\n  name_prefix = "${name}-"\n  image_id    = var.image${extra}\n}\n`;
  const group = (name: string, body: string) => `resource "aws_autoscaling_group" "${name}" {\n  min_size = 1\n  max_size = 2\n${body}}\n`;
  const droplet = (name: string, extra = "") =>
    `resource "digitalocean_droplet" "${name}" {\n  image = "ubuntu-20-04-x64"\n  name  = "${name}"${extra}\n}\n`;

  /** Lints each version in turn as the editor would and as a whole lint; returns how many of them reused the one before. */
  async function reusedOver(
    versions: Array<string | Array<{ path: string; text: string }>>,
    configs?: ResolvedConfig[],
  ): Promise<number[]> {
    const cached = await createLinter();
    cached.enableParseCache();
    const fresh = await createLinter();
    const counts: number[] = [];
    // The language server keeps one configuration object per folder until the settings change.
    const config = defaultConfig(allRules);
    let files: Array<{ path: string; text: string }> = [];
    for (const [i, version] of versions.entries()) {
      files = typeof version === "string" ? [{ path: main, text: version }, ...files.filter((f) => f.path !== main)] : version;
      const inputs = files.filter((f) => isLintablePath(f.path));
      const before = cached.reusedLints;
      await lintBoth(cached, fresh, inputs, main, virtualHost(files, dir), configs?.[i] ?? config, `version ${i}`);
      counts.push(cached.reusedLints - before);
    }
    return counts;
  }

  it("reuses them after typing in a block nothing else names, with the other blocks' findings moved and their fixes made from the new text", async () => {
    const a = droplet("a") + "\n" + droplet("b") + "\n" + droplet("c");
    const typed = a.replace('name  = "a"', 'name  = "a-typed"\n  size  = "s-1vcpu-1gb"');
    assert.deepEqual(await reusedOver([a, typed, typed.replace('"a-typed"', '"a-typed-more"')]), [0, 1, 1]);
  });

  it("does not reuse them when another block names the edited one, even when it started to after the last reuse", async () => {
    const v0 = template("web") + "\n" + group("web", "") + "\n" + droplet("d");
    // Typed in the template while the group does not name it: reused.
    const v1 = v0.replace('"web-"', '"web-1-"');
    // The group starts naming the template: that edit is in the group, which nothing names.
    const v2 = v1.replace(
      "  max_size = 2\n",
      '  max_size = 2\n  launch_template {\n    id      = aws_launch_template.web.id\n    version = "$Latest"\n  }\n',
    );
    // Typed in the template again: the group's findings depend on it now.
    const v3 = v2.replace('"web-1-"', '"web-2-"');
    const v4 = v3.replace("var.image", "var.image_id");
    assert.deepEqual(await reusedOver([v0, v1, v2, v3, v4]), [0, 1, 1, 0, 0]);
  });

  it("does not reuse them when a reference to the edited block is split over lines, or follows a comment", async () => {
    for (const reference of [
      "aws_launch_template.\n      web.id",
      "aws_launch_template /* the template */ .web.id",
      "aws_launch_template\n      .web.id",
    ]) {
      const v0 =
        template("web") +
        "\n" +
        group("web", `  launch_template {\n    id = [\n      ${reference}\n    ][0]\n    version = "$Latest"\n  }\n`);
      const v1 = v0.replace("var.image", "var.image_id");
      const counts = await reusedOver([v0, v1]);
      assert.deepEqual(counts, [0, 0], reference);
    }
  });

  it("does not reuse them when the edited block's type or name changes, or the settings do", async () => {
    const v0 = droplet("a") + "\n" + droplet("b");
    assert.deepEqual(await reusedOver([v0, v0.replace('"a" {', '"a2" {')]), [0, 0]);
    const config = defaultConfig(allRules);
    const other = defaultConfig(allRules);
    other.rules["require-create-before-destroy"].severity = "error";
    assert.deepEqual(await reusedOver([v0, v0.replace('name  = "a"', 'name  = "ax"')], [config, other]), [0, 0]);
  });

  it("does not reuse them when another file of the folder changed too", async () => {
    const vars = path.join(dir, "variables.tf");
    const v0 = [
      { path: main, text: droplet("a", "\n  user_data = var.boot") + "\n" + droplet("b") },
      { path: vars, text: 'variable "boot" {\n  default = "#!/bin/sh\\necho hi\\n"\n}\n' },
    ];
    const v1 = [
      { path: main, text: v0[0].text.replace('name  = "b"', 'name  = "bx"') },
      { path: vars, text: 'variable "boot" {\n  default = "#!/bin/sh\\napt-get install -y nginx\\n"\n}\n' },
    ];
    assert.deepEqual(await reusedOver([v0, v1]), [0, 0]);
  });

  it("checks a block that read a script again on every lint, so that a changed script is seen", async () => {
    const boot = path.join(dir, "boot.sh");
    const text = droplet("a", '\n  user_data = file("${path.module}/boot.sh")') + "\n" + droplet("b");
    const v0 = [
      { path: main, text },
      { path: boot, text: "#!/bin/sh\necho hi\n" },
    ];
    // The script changes between lints while the edit is in the other droplet.
    const v1 = [
      { path: main, text: text.replace('name  = "b"', 'name  = "bx"') },
      { path: boot, text: "#!/bin/sh\napt-get install -y nginx\n" },
    ];
    assert.deepEqual(await reusedOver([v0, v1]), [0, 1]);
  });

  it("keeps no earlier version of the file alive through the findings it carried over", async () => {
    const cached = await createLinter();
    cached.enableParseCache();
    const config = defaultConfig(allRules);
    const host = virtualHost([], dir);
    const names = Array.from({ length: 20 }, (_, i) => `d${i}`);
    let text = names.map((n) => droplet(n)).join("\n");
    const early: Array<WeakRef<object>> = [];
    let last: LintResult | undefined;
    for (let i = 0; i < 200; i++) {
      // Typed in the first droplet: every other droplet's finding and its fix are carried over each time.
      text = text.replace('name  = "d0', 'name  = "d0x');
      last = await cached.lint([{ path: main, text }], config, host, { skipExactSyntax: true, keepTreesFor: new Set([main]) });
      if (i < 10) early.push(new WeakRef(last.files[0]));
    }
    assert.ok(cached.reusedLints > 150, `${cached.reusedLints} lints reused`);
    assert.ok(
      last!.findings.some((f) => f.fix && f.range.startOffset > text.length / 2),
      "carried-over findings have fixes",
    );
    // WeakRefs read in this turn are kept until it ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(early.filter((r) => r.deref() !== undefined).length, 0, "early versions are still alive");
  });
});
