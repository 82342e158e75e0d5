// The engine's suppression edits (what the editor's "Ignore <rule> for ..." quick fixes apply): placed where they take effect, and only then.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type Linter } from "../../../server/src/engine/index.ts";
import { REASON_PLACEHOLDER, suppressionEdits } from "../../../server/src/engine/suppression-edits.ts";
import type { TextEdit } from "../../../server/src/engine/types.ts";

const RCBD = "require-create-before-destroy";
const apply = (text: string, edits: TextEdit[]) =>
  [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);

async function editsFor(linter: Linter, path: string, text: string, rule = RCBD) {
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === rule;
  const result = await linter.lint([{ path, text }], config, { readFile: () => undefined }, { skipExactSyntax: true });
  const [finding] = result.findings;
  const file = result.files.find((f) => f.path === path)!;
  const reparse = (t: string) => linter.parse({ path, text: t })?.file;
  const edits = suppressionEdits(file, text, finding, reparse);
  // Each edit, applied, hides the finding it was made for.
  for (const e of edits) {
    const after = await linter.lint(
      [{ path, text: apply(text, e.edits) }],
      config,
      { readFile: () => undefined },
      { skipExactSyntax: true },
    );
    assert.deepEqual(after.findings, [], `${e.title} leaves the finding`);
  }
  return edits.map((e) => ({ title: e.title, text: apply(text, e.edits) }));
}

describe("suppression edits", () => {
  it("offers line, block and file comments in HCL, each hiding the finding", async () => {
    const linter = await createLinter();
    const text = 'resource "digitalocean_droplet" "web" {\n  image = "x"\n}\n';
    assert.deepEqual(await editsFor(linter, "/m/main.tf", text), [
      {
        title: `Ignore ${RCBD} for this line`,
        text: `resource "digitalocean_droplet" "web" { # immutably-ignore: ${RCBD} -- ${REASON_PLACEHOLDER}\n  image = "x"\n}\n`,
      },
      {
        title: `Ignore ${RCBD} for this block`,
        text: `# immutably-ignore: ${RCBD} -- ${REASON_PLACEHOLDER}\nresource "digitalocean_droplet" "web" {\n  image = "x"\n}\n`,
      },
      { title: `Ignore ${RCBD} for this file`, text: `# immutably-ignore-file: ${RCBD} -- ${REASON_PLACEHOLDER}\n${text}` },
    ]);
  });

  it("offers no line comment where it would land inside a heredoc", async () => {
    const linter = await createLinter();
    // The finding underlines the command, inside the heredoc: a trailing comment there would be script text.
    const text = 'resource "aws_instance" "web" {\n  user_data = <<-EOF\n    #!/bin/sh\n    apt-get install -y nginx\n  EOF\n}\n';
    const titles = (await editsFor(linter, "/m/main.tf", text, "no-boot-time-mutation")).map((e) => e.title);
    assert.deepEqual(titles, ["Ignore no-boot-time-mutation for this block", "Ignore no-boot-time-mutation for this file"]);
  });

  it('adds a file-wide "//" key in JSON syntax', async () => {
    const linter = await createLinter();
    const text = '{\n  "resource": {\n    "digitalocean_droplet": {\n      "web": {\n        "image": "x"\n      }\n    }\n  }\n}\n';
    const [edit, ...rest] = await editsFor(linter, "/m/main.tf.json", text);
    assert.deepEqual(rest, []);
    assert.equal(edit.title, `Ignore ${RCBD} for this file`);
    assert.deepEqual(JSON.parse(edit.text)["//"], `immutably-ignore-file: ${RCBD} -- ${REASON_PLACEHOLDER}`);
  });
});
