// Lint cost is linear in findings: counted operations (reads of the model's blocks and attributes, of suppressions, of fix edits; host reads), not timings, grow 2× when the input doubles.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter, type LintHost } from "../../../server/src/engine/index.ts";
import { formatStylish, plain } from "../../../server/src/cli/format/stylish.ts";
import { selectFixes } from "../../../server/src/engine/fix.ts";
import type { Attribute, Block } from "../../../server/src/engine/model.ts";
import { applySuppressions, type Suppression } from "../../../server/src/engine/suppress.ts";
import type { Finding, Fix, TextEdit } from "../../../server/src/engine/types.ts";

const DIR = "/virtual/cost";
/** Doubling the input may double the work and a little more (sorting); quadratic work would quadruple it. */
const MAX_RATIO = 2.5;

/** Counts every property read of an object (read through the proxy, the object's own getters run on the object). */
function counted<T extends object>(target: T, counter: { reads: number }): T {
  return new Proxy(target, {
    get(t, k) {
      counter.reads++;
      return Reflect.get(t, k, t);
    },
  });
}

/** A module whose every copy of a pattern has findings; each finding's fix, related location and lookups run. */
const SCENARIOS: Record<string, { copy: (i: number) => string; findingsPerCopy: number }> = {
  "droplet on a distribution slug (the image fix declares a variable)": {
    copy: (i) =>
      `resource "digitalocean_droplet" "w${i}" {\n  image = "ubuntu-20-04-x64"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
    findingsPerCopy: 1,
  },
  "instance on a most_recent aws_ami lookup": {
    copy: (i) =>
      `data "aws_ami" "a${i}" {\n  most_recent = true\n  owners      = ["099720109477"]\n  filter {\n    name   = "name"\n    values = ["ubuntu-*"]\n  }\n}\n` +
      `resource "aws_instance" "w${i}" {\n  ami = data.aws_ami.a${i}.id\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
    findingsPerCopy: 1,
  },
  "image through a local, one locals block each": {
    copy: (i) =>
      `locals {\n  img${i} = "ubuntu-20-04-x64"\n}\nresource "digitalocean_droplet" "w${i}" {\n  image = local.img${i}\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
    findingsPerCopy: 1,
  },
  "boot script through a template_file data source": {
    copy: (i) =>
      `data "template_file" "t${i}" {\n  template = "apt-get install -y nginx"\n}\n` +
      `resource "aws_instance" "w${i}" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = data.template_file.t${i}.rendered\n  user_data_replace_on_change = true\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
    findingsPerCopy: 1,
  },
  "boot script through a local": {
    copy: (i) =>
      `locals {\n  s${i} = "apt-get install -y nginx"\n}\n` +
      `resource "aws_instance" "w${i}" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = local.s${i}\n  user_data_replace_on_change = true\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
    findingsPerCopy: 1,
  },
};

/** One locals block of `n` entries, read by `n` droplets: the lookup of each must not scan the block. */
const oneLocalsBlock = (n: number) =>
  `locals {\n${Array.from({ length: n }, (_, i) => `  img${i} = "ubuntu-20-04-x64"\n`).join("")}}\n` +
  Array.from(
    { length: n },
    (_, i) =>
      `resource "digitalocean_droplet" "w${i}" {\n  image = local.img${i}\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
  ).join("");

const noFiles: LintHost = { readFile: () => undefined };

/** Lints one module with every rule, counting reads of its top-level blocks and of the attributes directly in them. */
async function countedLint(linter: Linter, text: string, host: LintHost = noFiles): Promise<{ reads: number; findings: Finding[] }> {
  const config = defaultConfig(linter.rules);
  const { modules } = linter.buildModules([{ path: path.join(DIR, "main.tf"), text }], config);
  const counter = { reads: 0 };
  for (const module of modules) {
    for (const file of module.files) {
      file.body.blocks = file.body.blocks.map((block: Block) => {
        block.body.attributes = block.body.attributes.map((a: Attribute) => counted(a, counter));
        return counted(block, counter);
      });
    }
  }
  const findings = modules.flatMap((m) => linter.lintModule(m, config, host, [], modules));
  return { reads: counter.reads, findings };
}

describe("lint cost is linear in findings", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(`${name}: reads of the model double when the copies double`, async () => {
      const linter = await createLinter();
      const make = (n: number) => Array.from({ length: n }, (_, i) => scenario.copy(i)).join("");
      const small = await countedLint(linter, make(60));
      const large = await countedLint(linter, make(120));
      assert.equal(small.findings.length, 60 * scenario.findingsPerCopy, JSON.stringify(small.findings.map((f) => f.ruleId)));
      assert.equal(large.findings.length, 120 * scenario.findingsPerCopy);
      assert.ok(
        large.reads / small.reads <= MAX_RATIO,
        `${small.reads} reads for 60 copies, ${large.reads} for 120 (×${(large.reads / small.reads).toFixed(2)})`,
      );
    });
  }

  it("one locals block with many entries: reads double when the entries double", async () => {
    const linter = await createLinter();
    const small = await countedLint(linter, oneLocalsBlock(60));
    const large = await countedLint(linter, oneLocalsBlock(120));
    assert.equal(large.findings.length, 120);
    assert.ok(large.reads / small.reads <= MAX_RATIO, `${small.reads} reads for 60 entries, ${large.reads} for 120`);
  });

  it("in-place provisioners: the Packer template on disk is read once per module, not once per finding", async () => {
    const linter = await createLinter();
    const asked: string[] = [];
    const host: LintHost = {
      readFile: (p) => {
        asked.push(path.basename(p));
        return p.endsWith("image.pkr.hcl") ? 'build {\n  sources = ["source.amazon-ebs.web"]\n}\n' : undefined;
      },
    };
    const text = Array.from(
      { length: 30 },
      (_, i) =>
        `resource "aws_instance" "w${i}" {\n  ami = "ami-0123456789abcdef0"\n  provisioner "remote-exec" {\n    inline = ["sudo apt-get install -y nginx"]\n  }\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`,
    ).join("");
    const { findings } = await countedLint(linter, text, host);
    assert.equal(findings.filter((f) => f.ruleId === "no-inplace-provisioner" && f.fix).length, 30);
    assert.deepEqual(asked, ["image.pkr.hcl"]);
  });

  it("suppressions: reads double when findings and suppressions double", () => {
    const run = (n: number) => {
      const counter = { reads: 0 };
      const suppressions: Suppression[] = Array.from({ length: n }, (_, i) =>
        counted(
          { path: "/f.tf", rules: ["r"], fromLine: 3 * i, toLine: 3 * i + 1, fileWide: false, range: anyRange, used: new Set<string>() },
          counter,
        ),
      );
      const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
        ruleId: "r",
        severity: "warning",
        message: "m",
        path: "/f.tf",
        range: { ...anyRange, start: { line: 3 * i + (i % 3), character: 0 } },
      }));
      const kept = applySuppressions(findings, suppressions);
      // Lines 3i and 3i+1 are covered, 3i+2 is not: every third finding stays.
      assert.equal(kept.length, findings.filter((_, i) => i % 3 === 2).length);
      return counter.reads;
    };
    const small = run(300);
    const large = run(600);
    assert.ok(large / small <= MAX_RATIO, `${small} reads for 300, ${large} for 600`);
  });

  it("choosing fixes: reads of the edits double when the fixes double, and the choice is the pairwise one", () => {
    const run = (n: number) => {
      const counter = { reads: 0 };
      const fixes: Fix[] = Array.from({ length: n }, (_, i) => ({
        title: "t",
        kind: "safe",
        changes: [{ path: "/f.tf", edits: [counted({ start: 10 * i, end: 10 * i + 5, newText: "x" }, counter)] }],
      }));
      assert.equal(selectFixes("/f.tf", fixes).length, n);
      return counter.reads;
    };
    const small = run(500);
    const large = run(1000);
    assert.ok(large / small <= MAX_RATIO, `${small} reads for 500 fixes, ${large} for 1000`);

    // The edits of one fix may overlap each other (one inside another); a later edit overlapping either is refused.
    const nested: Fix = {
      title: "t",
      kind: "safe",
      changes: [
        {
          path: "/f.tf",
          edits: [
            { start: 5, end: 17, newText: "a" },
            { start: 6, end: 8, newText: "b" },
          ],
        },
      ],
    };
    const inTail: Fix = { title: "t", kind: "safe", changes: [{ path: "/f.tf", edits: [{ start: 10, end: 11, newText: "c" }] }] };
    assert.deepEqual(selectFixes("/f.tf", [nested, inTail]), nested.changes[0].edits);

    // Against the definition (two edits overlap when they share a character or insert at one offset), on random edits.
    const overlap = (a: TextEdit, b: TextEdit) => (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end);
    let seed = 7;
    const random = (m: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (let round = 0; round < 500; round++) {
      const fixes: Fix[] = Array.from({ length: 1 + random(12) }, () => {
        const edits = Array.from({ length: 1 + random(2) }, () => {
          const start = random(30);
          return { start, end: start + random(random(2) ? 4 : 12), newText: "y" };
        });
        return { title: "t", kind: "safe", changes: [{ path: "/f.tf", edits }] };
      });
      const expected: TextEdit[] = [];
      for (const fix of fixes) {
        const edits = fix.changes.flatMap((c) => c.edits);
        if (edits.some((e) => expected.some((c) => overlap(e, c)))) continue;
        expected.push(...edits);
      }
      assert.deepEqual(selectFixes("/f.tf", fixes), expected, JSON.stringify(fixes.map((f) => f.changes[0].edits)));
    }
  });
});

describe("reports of many findings", () => {
  it("the stylish report of 150,000 findings in one file (column widths were an argument list too long for the stack)", () => {
    const findings: Finding[] = Array.from({ length: 150_000 }, (_, i) => ({
      ruleId: "r",
      severity: "warning",
      message: "m",
      path: "/w/f.tf",
      range: { ...anyRange, start: { line: i, character: 0 } },
    }));
    const out = formatStylish(findings, [], "/w", plain);
    assert.match(out, /✖ 150000 problems \(0 errors, 150000 warnings\)/);
    assert.match(out, /^ {2}150000:1 {2}warning {2}m {2}r$/m);
  });
});

const anyRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 }, startOffset: 0, endOffset: 1 };
