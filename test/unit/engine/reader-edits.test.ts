// The own reader after an edit (only the changed top-level block read again) must give exactly the model a whole read gives, or decline.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { readHcl, readHclAfterEdit, REUSED_TEXT_BUDGET } from "../../../server/src/engine/hcl/reader/index.ts";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { computeLineStarts, lineStartsAfterChange, type Block, type SourceFile } from "../../../server/src/engine/model.ts";
import { diffTexts } from "../../../server/src/engine/hcl/reuse.ts";
import { DEFAULT_CACHE_LIMITS, ParseCache } from "../../../server/src/engine/parse-cache.ts";
import { chooseHclParser, hclParserInUse } from "../../../server/src/engine/parse.ts";
import { allRules } from "../../../server/src/rules/index.ts";
import { seededEdits } from "../../helpers/edits.ts";
import { snapshotFile } from "../../helpers/model-snapshot.ts";

const root = path.resolve(__dirname, "../../..");
const fixture = (name: string) => fs.readFileSync(path.join(root, "test/fixtures/hcl", name), "utf8");
/**
 * Files in the shapes of public modules, written for these tests. They are kept out of test/fixtures,
 * whose files the reader's other tests read in numbers: added there, they changed which parser code
 * V8 had optimised when the deep nesting test ran, and that test passes only with it optimised.
 */
const editCase = (name: string) => fs.readFileSync(path.join(__dirname, "reader-edits", name), "utf8");

/** Top-level attributes between blocks (as in a `.tfvars` or `.pkrvars.hcl` file that also holds blocks), and strip markers in a heredoc. */
const MIXED = [
  'region = "eu-west-1"',
  'zones  = ["a", "b"]',
  "",
  'resource "aws_instance" "web" {',
  '  ami = "ami-0123456789abcdef0"',
  "}",
  'tags = { Team = "web" } # owner',
  "",
  'module "db" {',
  '  source = "./db"',
  "  size   = var.size",
  "}",
  "count = 3",
  "",
  'resource "aws_instance" "app" {',
  "  user_data = <<-EOT",
  "    #!/bin/sh",
  "    %{ for name in var.names ~}",
  "    echo ${name}",
  "    %{ endfor ~}",
  "  EOT",
  "}",
  "",
].join("\n");

/** Realistic files: public modules' shapes (nested, dynamic and single-line blocks, heredocs, templates, for expressions, comments). */
const FILES: Array<[string, string]> = [
  ["network.tf", editCase("network.tf")],
  ["compute.tf", editCase("compute.tf")],
  ["image.pkr.hcl", editCase("image.pkr.hcl")],
  ["literals.tf", fixture("literals.tf")],
  ["mixed.tf", MIXED],
];

/** A file with suppression directives before some blocks and after a closing brace: its comments are listed. */
function withSuppressions(text: string): string {
  let n = 0;
  return (
    text.replace(/^(resource|data|source) /gm, (m) => (n++ % 2 === 0 ? `# immutably-ignore: require-create-before-destroy\n${m}` : m)) +
    "# immutably-ignore-file: pin-image-versions\n"
  );
}

/** The files as written, and some with CRLF line ends, with a byte order mark, and with suppression directives. */
const VARIANTS: Array<[string, string]> = FILES.flatMap(([name, text]): Array<[string, string]> => {
  const out: Array<[string, string]> = [[name, text]];
  if (/compute|mixed/.test(name)) out.push([`${name} (CRLF)`, text.replace(/\n/g, "\r\n")]);
  if (/network|mixed/.test(name)) out.push([`${name} (BOM)`, `\ufeff${text}`]);
  if (/network|image/.test(name)) out.push([`${name} (suppressions)`, withSuppressions(text)]);
  return out;
});

/** What is typed: text that opens and closes strings, heredocs, comments, braces, templates; whole items; line ends. */
const INSERTS = [
  "x",
  " ",
  "\n",
  "\r\n",
  '"',
  "{",
  "}",
  "}\n",
  "[",
  "(",
  "=",
  "#",
  "//",
  "/*",
  "*/",
  "${",
  "%{",
  "<<EOT\n",
  "\nEOT\n",
  "\\",
  "~",
  "é😀",
  "a = 1\n",
  'b = "${var.x}-%{ if true }y%{ endif }"\n',
  "lifecycle {\n  prevent_destroy = true\n}\n",
  'resource "a" "b" {\n}\n',
  "# immutably-ignore: pin-image-versions\n",
];

/** The edits tried at `at`: a third of the insertions (a different third at the next offset), deletions of 1, 2 and 9 characters, one character changed. */
function editsAt(text: string, at: number): string[] {
  const out = INSERTS.filter((_, i) => (i + at) % 3 === 0).map((s) => text.slice(0, at) + s + text.slice(at));
  for (const n of [1, 2, 9]) if (at + n <= text.length) out.push(text.slice(0, at) + text.slice(at + n));
  if (at < text.length) out.push(text.slice(0, at) + (text[at] === "Z" ? "Y" : "Z") + text.slice(at + 1));
  return out;
}

/** Offsets where edits go wrong first: around every block's start, header, braces and end; and every 13th. */
function offsetsOf(file: SourceFile): number[] {
  const at = new Set<number>();
  const visit = (b: Block) => {
    const marks = [b.range.startOffset, b.headerRange.endOffset, b.openBraceEnd, b.closeBraceStart, b.range.endOffset];
    for (const m of marks) if (m !== undefined) for (const d of [-1, 0, 1]) at.add(m + d);
    b.body.blocks.forEach(visit);
  };
  file.body.blocks.forEach(visit);
  for (let i = 0; i <= file.text.length; i += 13) at.add(i);
  return [...at].filter((i) => i >= 0 && i <= file.text.length).sort((a, b) => a - b);
}

/** Reads every value and range of a file, so that moving built values is exercised too. */
const readAll = (file: SourceFile): unknown => snapshotFile(file);

/** Asserts two files' models are equal (compared as JSON first: deep comparison of thousands of models is slow). */
function assertSameModel(got: SourceFile, expected: SourceFile, message: string): void {
  const [a, b] = [snapshotFile(got), snapshotFile(expected)];
  if (JSON.stringify(a) !== JSON.stringify(b)) assert.deepEqual(a, b, message);
}

describe("reading again after an edit", () => {
  it("gives a whole read's model, or declines, for edits around every block of every file and variant", { timeout: 300_000 }, () => {
    let reused = 0;
    let declined = 0;
    for (const [name, text] of VARIANTS) {
      const previous = readHcl("main.tf", text);
      assert.deepEqual(previous.syntaxErrors, [], `${name} must be valid`);
      // Every other edit is read from a version whose values and ranges were all built: they are moved then.
      const built = readHcl("main.tf", text);
      readAll(built);
      let i = 0;
      for (const at of offsetsOf(previous)) {
        for (const edited of editsAt(text, at)) {
          const before = i++ % 2 === 0 ? built : previous;
          const got = readHclAfterEdit("main.tf", edited, before);
          if (!got) {
            declined++;
            continue;
          }
          reused++;
          assertSameModel(
            got,
            readHcl("main.tf", edited),
            `${name}: edit at ${at}: ${JSON.stringify(edited.slice(Math.max(0, at - 20), at + 30))}`,
          );
        }
      }
    }
    // Both ways are taken in numbers: the comparison is not won by always declining.
    assert.ok(reused > 5000 && declined > 5000, `${reused} reused, ${declined} declined`);
  });

  it("gives a whole read's model along 1,100 edits in a row, each read from the last version", () => {
    const { mutate } = seededEdits(2026, INSERTS);
    let reused = 0;
    let edits = 0;
    for (const [name, start] of VARIANTS) {
      let text = start;
      let file = readHcl("main.tf", text);
      for (let i = 0; i < 100; i++, edits++) {
        // Half of the versions have their values read before the next edit, half not.
        if (i % 2 === 0) readAll(file);
        const next = mutate(text);
        const got = readHclAfterEdit("main.tf", next, file);
        const whole = readHcl("main.tf", next);
        if (got) {
          reused++;
          assertSameModel(got, whole, `${name}: edit ${i}`);
        }
        // A broken version is undone, as the one typing it soon does: the chain goes on from valid versions.
        if (whole.syntaxErrors.length > 0) continue;
        text = next;
        file = got ?? whole;
      }
    }
    assert.equal(edits, 100 * VARIANTS.length);
    assert.ok(reused > edits / 4, `only ${reused} of ${edits} edits read again in part`);
  });
});

describe("line starts after a change", () => {
  it("equal the line starts computed again, for edits that split and join CR LF pairs", () => {
    const { mutate } = seededEdits(31, ["\r", "\n", "\r\n", "\n\r", "x", "\r\r\n"]);
    let text = "a\r\nb\rc\nd\r\n\r\ne\n";
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const next = i % 97 === 0 ? "" : mutate(text || "\r\n");
      assert.deepEqual(
        lineStartsAfterChange(next, computeLineStarts(text), diffTexts(text, next)),
        computeLineStarts(next),
        JSON.stringify([text, next]),
      );
      text = next.length > 200 ? next.slice(100) : next;
      compared++;
    }
    assert.equal(compared, 3000);
  });
});

describe("reading again after an edit: when it reads part of the file and when it declines", () => {
  const text = editCase("network.tf");
  const previous = readHcl("main.tf", text);
  const at = (needle: string, offset = 0) => {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    return i + offset;
  };
  const insert = (offset: number, s: string) => text.slice(0, offset) + s + text.slice(offset);

  it("reads only the changed block for edits inside a block, its header and its nested blocks", () => {
    for (const edited of [
      text.replace("enable_dns_support   = true", "enable_dns_support   = false"),
      text.replace('"aws_vpc" "this"', '"aws_vpc" "main"'),
      text.replace('      protocol    = "tcp"\n', '      protocol    = "udp"\n      self        = true\n'),
      text.replace('  timeouts { create = "10m" }\n', '  timeouts { create = "20m" }\n\n'),
      insert(at("  lifecycle {\n    create_before_destroy"), "  # keep the old group until the new one is up\n"),
    ]) {
      const got = readHclAfterEdit("main.tf", edited, previous);
      assert.ok(got, "read in part");
      assert.deepEqual(snapshotFile(got), snapshotFile(readHcl("main.tf", edited)));
    }
  });

  it("keeps the values built before the changed block, and moves those after it", () => {
    const before = readHcl("main.tf", text);
    const locals = before.body.blocks[0].body.attributes[0];
    const vpc = before.body.blocks[2].body.attributes[0];
    const output = before.body.blocks[6].body.attributes[0];
    const [localsValue, outputValue] = [locals.expr, output.expr];
    const edited = text.replace("var.cidr\n  enable", "var.vpc_cidr\n  enable");
    assert.notEqual(edited, text);
    const got = readHclAfterEdit("main.tf", edited, before);
    assert.ok(got);
    assert.equal(got.body.blocks[0].body.attributes[0].expr, localsValue, "a value before the edit is kept as it was built");
    assert.notEqual(got.body.blocks[2].body.attributes[0], vpc);
    assert.deepEqual(got.body.blocks[6].body.attributes[0].expr, readHcl("main.tf", edited).body.blocks[6].body.attributes[0].expr);
    assert.notDeepEqual(outputValue.range, got.body.blocks[6].body.attributes[0].expr.range, "a value after the edit moved");
  });

  it("declines edits outside one block's braces, in broken texts, and for a first suppression directive", () => {
    const vpcClose = at('}\n\nresource "aws_subnet" "public"');
    const cases: Array<[string, string, SourceFile]> = [
      ["an edit in a comment between blocks", text.replace("Security groups", "Security group"), previous],
      ["an edit before the first block", insert(0, "#"), previous],
      ["an edit on a closing brace", text.slice(0, vpcClose) + text.slice(vpcClose + 1), previous],
      ["an edit on the line after a block", insert(vpcClose + 1, "x = 1"), previous],
      [
        "an edit across two blocks",
        text.replace('state = "available"', 'state = "ready"').replace("enable_dns_support   = true", "enable_dns_support   = false"),
        previous,
      ],
      ["a block split in two", insert(at("  enable_dns_support"), '}\nresource "aws_vpc" "two" {\n'), previous],
      ["a string left open", insert(at("  enable_dns_support"), '"'), previous],
      ["a heredoc left open", insert(at("  enable_dns_support"), "x = <<EOT\n"), previous],
      ["a comment left open", insert(at("  enable_dns_support"), "/*"), previous],
      [
        "a closing brace removed",
        text.replace('    ignore_changes = [tags["LastSeen"]]\n  }', '    ignore_changes = [tags["LastSeen"]]\n'),
        previous,
      ],
      ["a first suppression directive", insert(at("  enable_dns_support"), "  # immutably-ignore: x\n"), previous],
      ["a previous version with a syntax error", text, readHcl("main.tf", insert(at("  enable_dns_support"), "{"))],
      [
        "a previous version not read by the own reader",
        insert(at("  enable_dns_support"), " "),
        {
          ...previous,
          body: { attributes: [], blocks: previous.body.blocks.map((b) => ({ ...b, headerRange: b.headerRange, range: b.range })) },
        },
      ],
    ];
    for (const [what, edited, before] of cases) {
      assert.notEqual(edited, before.text, what);
      assert.equal(readHclAfterEdit("main.tf", edited, before), undefined, what);
    }
  });

  it("reads whole again once the versions read in part add up to its text budget, then in part again", () => {
    // Strings of reused nodes keep the texts they were read from alive: the chain of partial reads is bounded.
    const big = `${text}\n`.repeat(Math.ceil(REUSED_TEXT_BUDGET / 6 / text.length));
    const allowed = Math.floor(REUSED_TEXT_BUDGET / big.length);
    assert.ok(allowed >= 3 && allowed <= 10, `${allowed} reads in part`);
    const versions = [big, big.replace("enable_dns_support   = true", "enable_dns_support   = false")];
    let file = readHcl("main.tf", big);
    const outcomes: boolean[] = [];
    for (let i = 1; i <= allowed + 3; i++) {
      const got = readHclAfterEdit("main.tf", versions[i % 2], file);
      outcomes.push(got !== undefined);
      file = got ?? readHcl("main.tf", versions[i % 2]);
    }
    assert.deepEqual(outcomes, [...Array<boolean>(allowed).fill(true), false, true, true]);
  });

  it("lists the comments of a file with directives after an edit, moved after the changed block", () => {
    const suppressed = withSuppressions(text);
    const first = readHcl("main.tf", suppressed);
    assert.ok(first.comments.length >= 5);
    const edited = suppressed.replace(
      "enable_dns_support   = true",
      "enable_dns_support   = true\n  # immutably-ignore: pin-image-versions",
    );
    const got = readHclAfterEdit("main.tf", edited, first);
    assert.ok(got, "read in part");
    assert.deepEqual(got.comments, readHcl("main.tf", edited).comments);
    assert.equal(got.comments.length, first.comments.length + 1);
  });
});

describe("the language server's parse cache with the own reader", () => {
  const kind = hclParserInUse();
  before(() => chooseHclParser("own"));
  after(() => chooseHclParser(kind));
  const file = path.join(root, "mod/main.tf");

  it("reads an edited file from its cached version: a whole read's model, values before the edit kept", () => {
    const cache = new ParseCache(DEFAULT_CACHE_LIMITS);
    const text = editCase("compute.tf");
    const first = cache.hcl({ path: file, text }, undefined, true);
    const kept = first.body.blocks[0].body.attributes[0].expr;
    const edited = text.replace("volume_size = 20", "volume_size = 40");
    assert.notEqual(edited, text);
    const second = cache.hcl({ path: file, text: edited }, undefined, true);
    assert.deepEqual(snapshotFile(second), snapshotFile(readHcl(file, edited)));
    assert.equal(second.body.blocks[0].body.attributes[0].expr, kept, "the value before the edit was reused, not read again");
  });

  it("lints to a fresh lint's findings after each of 300 edits, suppressions before and after the edit included", async () => {
    const config = defaultConfig(allRules);
    const host = { readFile: () => undefined };
    const droplets = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) => {
        const i = from + k;
        const lifecycle = i % 3 === 0 ? "" : "\n  lifecycle {\n    create_before_destroy = true\n  }\n";
        const directive = i % 6 === 0 ? "# immutably-ignore: require-create-before-destroy\n" : "";
        return `${directive}resource "digitalocean_droplet" "web_${i}" {\n  image  = var.web_image\n  name   = "web-${i}"\n${lifecycle}}\n`;
      }).join("\n");
    const start = `${droplets(0, 12)}\n${editCase("compute.tf")}\n${droplets(12, 12)}`;
    const { mutate } = seededEdits(77, ["x", " ", "\n", '"', "}", "#", "\n\n\n", "  lifecycle {\n    create_before_destroy = true\n  }\n"]);
    const cached = await createLinter();
    cached.enableParseCache();
    // Without a parse cache, every lint reads every file whole.
    const fresh = await createLinter();
    const editing = new Set([file]);
    let text = start;
    let suppressed = 0;
    // The first value of the file, as the cache holds it: the same object after an edit further down when the file was read in part.
    let firstValue: unknown;
    let readInPart = 0;
    let valid = start;
    for (let i = 0; i <= 300; i++) {
      if (i > 0) {
        // A broken version is linted, then undone: the next edit starts from the last valid version.
        if (readHcl(file, text).syntaxErrors.length > 0) text = valid;
        text = mutate(text);
      }
      const inputs = [{ path: file, text }];
      const got = await cached.lint(inputs, config, host, { skipExactSyntax: true, keepTreesFor: editing });
      const expected = await fresh.lint(inputs, config, host, { skipExactSyntax: true });
      assert.deepEqual(got.findings, expected.findings, `edit ${i} diverged`);
      const value = cached.parse({ path: file, text })?.file.body.blocks[0]?.body.attributes[0]?.expr;
      if (value === firstValue) readInPart++;
      firstValue = value;
      if (readHcl(file, text).syntaxErrors.length === 0) valid = text;
      // The directives are at work: without them, the same text has more findings.
      const undirected = [{ path: file, text: text.replaceAll("immutably-ignore", "immutably-ignoré") }];
      if ((await fresh.lint(undirected, config, host, { skipExactSyntax: true })).findings.length > got.findings.length) suppressed++;
    }
    assert.ok(suppressed > 100, `directives suppressed findings in only ${suppressed} lints`);
    // About one edit in five keeps the file valid after a valid version, away from the first block (60 here).
    assert.ok(readInPart > 40, `only ${readInPart} lints read the file in part`);
  });
});
