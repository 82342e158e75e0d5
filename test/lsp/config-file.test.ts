// Protocol tests for `.immutably.hcl` as a language of its own: every configuration error at its exact attribute with the CLI's message, completion and hover; rule ids in suppression comments (completed, unknown ones warned about).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { CompletionItem, Diagnostic, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { ConfigurationError } from "../../server/src/engine/config.ts";
import { initParsers } from "../../server/src/engine/parse.ts";
import { createLinter, parseConfig } from "../../server/src/engine/index.ts";
import { parseRollConfig } from "../../server/src/roll/config.ts";
import { LspClient, makeWorkspace, uriOf } from "./lsp-client.ts";

const T = { timeout: 30_000 };
const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});
async function start(root: string): Promise<LspClient> {
  const client = await LspClient.start(root);
  clients.push(client);
  return client;
}
const messageOf = (d: Diagnostic): string => (typeof d.message === "string" ? d.message : d.message.value);
const at = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

const BROKEN = `max_file_bytes = 0
rule "require-create-before-destroy" {
  severity = "loud"
  resourcez = []
}
generation "web" {
  packer_template = "images/web.pkr.hcl"
  terraform_dir   = "infra"
  image_variable  = "image"
  keep            = "two"
  retire          = "later"
}
`;

/** What the CLI prints for this text: the lint's configuration errors, then the roll's. */
async function cliErrors(file: string, text: string): Promise<string[]> {
  await initParsers();
  const messages: string[] = [];
  for (const parse of [async () => parseConfig(file, text, (await createLinter()).rules), () => parseRollConfig(file, text)]) {
    try {
      await parse();
    } catch (error) {
      assert.ok(error instanceof ConfigurationError);
      messages.push(...error.errors.map((e) => e.message));
    }
  }
  return messages;
}

async function complete(client: LspClient, uri: string, line: number, character: number): Promise<CompletionItem[]> {
  return client.connection.sendRequest<CompletionItem[]>("textDocument/completion", {
    textDocument: { uri },
    position: { line, character },
  });
}
async function hover(client: LspClient, uri: string, line: number, character: number): Promise<string | undefined> {
  const h = await client.connection.sendRequest<Hover | null>("textDocument/hover", {
    textDocument: { uri },
    position: { line, character },
  });
  return h ? (h.contents as MarkupContent).value : undefined;
}

describe(".immutably.hcl in the editor", () => {
  it(
    "marks every configuration error, lint settings and generation blocks alike, at its attribute, with the CLI's message; the message only points at the file",
    T,
    async () => {
      const root = makeWorkspace({
        "main.tf": 'resource "null_resource" "x" {}\n',
        ".immutably.hcl": BROKEN,
        "images/web.pkr.hcl": "",
        "infra/main.tf": "",
      });
      const config = path.join(root, ".immutably.hcl");
      const client = await start(root);
      const uri = await client.open(config, BROKEN, "immutably-config");
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      const got = published.diagnostics.map((d) => `${at(d)} ${messageOf(d)}`);
      const expected = await cliErrors(config, BROKEN);
      assert.deepEqual(published.diagnostics.map(messageOf), expected, "the same messages as the CLI, in the same order");
      assert.deepEqual(got, [
        `0:0-0:18 "max_file_bytes" must be a positive whole number, got 0`,
        `2:2-2:19 rule "require-create-before-destroy": "severity" must be one of error, warning, info, got "loud"`,
        `3:2-3:11 rule "require-create-before-destroy" has no option "resourcez" (options: resources, exclude)`,
        ...got.slice(3),
      ]);
      // The generation block's errors: each on its own attribute line, not the block header.
      const keep = published.diagnostics.find((d) => /keep/.test(messageOf(d)));
      const retire = published.diagnostics.find((d) => /retire/.test(messageOf(d)));
      assert.equal(keep?.range.start.line, 9, got.join("\n"));
      assert.equal(retire?.range.start.line, 10, got.join("\n"));
      assert.ok(published.diagnostics.every((d) => d.code === "config" && d.severity === 1));
      const message = await client.waitForMessage(/\.immutably\.hcl has errors/);
      assert.equal(
        message.message,
        `immutably: ${config} has errors (${published.diagnostics.length} marked in the file); the default configuration applies until they are fixed.`,
      );
      fs.rmSync(root, { recursive: true, force: true });
    },
  );

  it("completes rule ids, a rule's settings and options, generation and verify attributes; hovers explain them", T, async () => {
    const text = `rule "re" {\n  \n}\ngeneration "web" {\n  packer_template = "a.pkr.hcl"\n  \n  verify {\n    \n  }\n}\n`;
    const root = makeWorkspace({ ".immutably.hcl": text });
    const client = await start(root);
    const uri = await client.open(path.join(root, ".immutably.hcl"), text, "immutably-config");
    const ids = (await complete(client, uri, 0, 8)).map((i) => i.label);
    assert.ok(ids.includes("require-create-before-destroy") && ids.includes("pinned-machine-image"), ids.join(", "));
    const inRule = (await complete(client, uri, 1, 2)).map((i) => i.label);
    assert.deepEqual(inRule, ["enabled", "severity"], "an unknown rule id offers only the common settings");
    const inGeneration = (await complete(client, uri, 5, 2)).map((i) => i.label);
    assert.ok(
      ["strategy", "keep", "retire", "terraform_dir", "image_variable"].every((a) => inGeneration.includes(a)),
      inGeneration.join(", "),
    );
    assert.ok(!inGeneration.includes("packer_template"), "an attribute already set is not offered again");
    assert.ok(!inGeneration.includes("verify"), "the verify block is already there");
    assert.deepEqual(
      (await complete(client, uri, 7, 4)).map((i) => i.label),
      ["command", "http", "timeout"],
    );
    assert.match((await hover(client, uri, 4, 4)) ?? "", /\*\*packer_template\*\*: the Packer template file or folder/);

    const known = `rule "require-create-before-destroy" {\n  resources = []\n}\n`;
    const uri2 = uriOf(path.join(root, ".immutably.hcl"));
    await client.change(uri2, [{ range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } }, text: known }]);
    assert.deepEqual(
      (await complete(client, uri2, 1, 0)).map((i) => i.label),
      ["enabled", "severity", "exclude"],
    );
    assert.match((await hover(client, uri2, 0, 10)) ?? "", /\*\*require-create-before-destroy\*\*[\s\S]*\[Documentation\]\(file:/);
    assert.match(
      (await hover(client, uri2, 1, 4)) ?? "",
      /\*\*resources\*\*: Resource types that must be created before they are destroyed\./,
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("completes and explains the plan checks, which the same file configures for immutably plan", T, async () => {
    const text = `rule "plan-" {
}
rule "plan-in-place-update" {
  
}
`;
    const root = makeWorkspace({ ".immutably.hcl": text });
    const client = await start(root);
    const uri = await client.open(path.join(root, ".immutably.hcl"), text, "immutably-config");
    const ids = (await complete(client, uri, 0, 11)).map((i) => i.label);
    assert.ok(ids.includes("plan-in-place-update") && ids.includes("plan-destroy-first-replacement"), ids.join(", "));
    const settings = (await complete(client, uri, 3, 2)).map((i) => i.label);
    assert.ok(
      ["enabled", "severity", "resources", "exclude", "attributes"].every((s) => settings.includes(s)),
      settings.join(", "),
    );
    assert.match(
      (await hover(client, uri, 2, 8)) ?? "",
      /\*\*plan-in-place-update\*\* \(error, recommended\)[\s\S]*\[Documentation\]\(file:[^)]*\/docs\/plan\.md\)/,
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("completes rule ids in suppression comments of Terraform files, after the colon and after a comma", T, async () => {
    const text = `# immutably-ignore: \nresource "null_resource" "x" {} # immutably-ignore: pinned-machine-image, re\n`;
    const root = makeWorkspace({ "main.tf": text });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"), text);
    const first = (await complete(client, uri, 0, 20)).map((i) => i.label);
    assert.ok(first.includes("no-inplace-provisioner"), first.join(", "));
    const second = (await complete(client, uri, 1, 77)).map((i) => i.label);
    assert.ok(second.includes("require-create-before-destroy"));
    assert.deepEqual(await complete(client, uri, 1, 10), [], "no completion outside a suppression comment");
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("warns at the id itself when a suppression comment names a rule that does not exist; known ids are fine", T, async () => {
    const text = `resource "null_resource" "x" {} # immutably-ignore: pinned-machine-image, pinned-machine-imag -- typo\n# immutably-ignore-file: no-such-rule\n`;
    const root = makeWorkspace({ "main.tf": text });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"), text);
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const unknown = published.diagnostics.filter((d) => d.code === "unknown-ignore");
    assert.deepEqual(
      unknown.map((d) => `${at(d)} ${d.severity} ${messageOf(d)}`),
      [
        `0:74-0:93 2 immutably-ignore names "pinned-machine-imag", which is not a rule; it suppresses nothing`,
        `1:25-1:37 2 immutably-ignore names "no-such-rule", which is not a rule; it suppresses nothing`,
      ],
    );
    assert.ok(
      unknown.every((d) => d.codeDescription === undefined),
      "no rule page to link",
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("a plan check's id in a suppression comment is known: immutably plan honours it", T, async () => {
    const text = `# immutably-ignore: plan-in-place-update, plan-destroy-first-replacement -- the bastion is a pet\nresource "null_resource" "x" {}\n`;
    const root = makeWorkspace({ "main.tf": text });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"), text);
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(published.diagnostics.filter((d) => d.code === "unknown-ignore").map(messageOf), []);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
