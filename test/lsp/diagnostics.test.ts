// Protocol tests for diagnostics: ranges, codes and docs links; the background workspace lint; module awareness; configuration.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { requireCreateBeforeDestroy } from "../../server/src/rules/require-create-before-destroy.ts";
import { LspClient, makeWorkspace, uriOf } from "./lsp-client.ts";

const RCBD = "require-create-before-destroy";
const BAD_DROPLET = requireCreateBeforeDestroy.meta.docs.bad[0].code;
const GOOD_DROPLET = requireCreateBeforeDestroy.meta.docs.good[0].code;
const withCode = (diagnostics: Diagnostic[] | undefined, code: string) => (diagnostics ?? []).filter((d) => d.code === code);
const T = { timeout: 30_000 };
/** LSP 3.18 allows Markdown messages; the server sends plain strings. */
const messageOf = (d: Diagnostic): string => (typeof d.message === "string" ? d.message : d.message.value);

const clients: LspClient[] = [];
async function start(root: string, settings: Record<string, unknown> = {}): Promise<LspClient> {
  const client = await LspClient.start(root, { settings });
  clients.push(client);
  return client;
}
after(async () => {
  for (const c of clients) await c.stop();
});

describe("diagnostics", () => {
  it("publishes a finding with its range, severity, code, source and docs link for the opened version", T, async () => {
    const root = makeWorkspace({ "main.tf": BAD_DROPLET });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"));
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const [d] = withCode(published.diagnostics, RCBD);
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 37 } });
    assert.equal(d.severity, 2);
    assert.equal(d.source, "immutably");
    // The link is the page shipped beside the server (docs/rules in the .vsix): it must exist.
    const docs = new URL(d.codeDescription!.href);
    assert.equal(docs.protocol, "file:");
    assert.equal(path.basename(fileURLToPath(docs)), `${RCBD}.md`);
    assert.match(fs.readFileSync(docs, "utf8"), new RegExp(`^# ${RCBD}\n`));
    assert.match(messageOf(d), /digitalocean_droplet\.web/);
  });

  it("shows a suppression that suppresses nothing as an unnecessary hint, and a used one not at all", T, async () => {
    const text =
      "# immutably-ignore: require-create-before-destroy -- the droplet below keeps its name\n" +
      BAD_DROPLET +
      '\n# immutably-ignore: pinned-machine-image, plan-in-place-update, no-such-rule\nresource "null_resource" "x" {}\n';
    const root = makeWorkspace({ "main.tf": text });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"));
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.deepEqual(withCode(published.diagnostics, RCBD), [], "the used suppression hides the finding");
    const unused = withCode(published.diagnostics, "unused-ignore");
    assert.equal(unused.length, 1, JSON.stringify(published.diagnostics));
    const line = text.split("\n").findIndex((l) => l.includes("pinned-machine-image"));
    assert.equal(unused[0].range.start.line, line);
    // The plan check is used by `immutably plan`, and the unknown id has its own warning.
    assert.equal(messageOf(unused[0]), "Suppression of pinned-machine-image suppresses nothing; remove it.");
    assert.equal(unused[0].severity, 4, "a hint, kept out of the Problems list");
    assert.deepEqual(unused[0].tags, [1], "shown as unnecessary (faded)");
    assert.equal(unused[0].codeDescription, undefined, "it is no rule and has no page");
    assert.equal(withCode(published.diagnostics, "unknown-ignore").length, 1);
  });

  it("lints OpenTofu's .tofu files", T, async () => {
    const root = makeWorkspace({ "main.tofu": BAD_DROPLET });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tofu"));
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.equal(withCode(published.diagnostics, RCBD).length, 1);
  });

  it("reports syntax errors as hcl-syntax", T, async () => {
    const root = makeWorkspace({ "main.tf": 'resource "aws_instance" "web" {\n  ami = [1,\n}\n' });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"));
    // First tree-sitter's error, at once; then, after a quiet moment, HashiCorp's exact message and range.
    const first = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    assert.ok(withCode(first.diagnostics, "hcl-syntax").length >= 1, JSON.stringify(first.diagnostics));
    const exact = await client.waitForDiagnostics(
      uri,
      (p) => p.version === 1 && withCode(p.diagnostics, "hcl-syntax").some((d) => messageOf(d).startsWith("Invalid expression")),
    );
    const syntax = withCode(exact.diagnostics, "hcl-syntax");
    assert.equal(syntax.length, 1);
    assert.equal(syntax[0].severity, 1);
    assert.equal(syntax[0].range.start.line, 2);
  });

  it("lints files that are not open in the background at start, with workDoneProgress", T, async () => {
    const root = makeWorkspace({
      "a/main.tf": BAD_DROPLET,
      "b/main.tf": BAD_DROPLET,
      "c/main.tf": GOOD_DROPLET,
      "c/notes.txt": "not configuration",
    });
    const client = await start(root);
    await client.waitForProgressEnd();
    const a = await client.waitForDiagnostics(uriOf(path.join(root, "a/main.tf")));
    const b = await client.waitForDiagnostics(uriOf(path.join(root, "b/main.tf")));
    assert.equal(withCode(a.diagnostics, RCBD).length, 1);
    assert.equal(withCode(b.diagnostics, RCBD).length, 1);
    assert.equal(a.version, undefined, "files that are not open carry no version");
    // A clean file gets nothing published: nothing was shown, so nothing needs clearing.
    assert.equal(client.published.filter((p) => p.uri === uriOf(path.join(root, "c/main.tf"))).length, 0);
    const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    assert.deepEqual([kinds[0], kinds.at(-1)], ["begin", "end"]);
  });

  it("points relatedInformation at the variable default a value came from", T, async () => {
    const root = makeWorkspace({
      "main.tf": 'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n}\n',
      "variables.tf": 'variable "web_image" {\n  default = "ubuntu-22-04-x64"\n}\n',
    });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"));
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const [d] = withCode(published.diagnostics, "pinned-machine-image");
    assert.ok(d, JSON.stringify(published.diagnostics));
    assert.deepEqual(
      d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [[uriOf(path.join(root, "variables.tf")), 1, 'default of variable "web_image"']],
    );
  });
});

describe("module awareness", () => {
  const files = {
    "main.tf":
      'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    "variables.tf": 'variable "web_image" {\n  default = "154736112"\n}\n',
  };

  it("re-lints the other files of the module after an edit to variables.tf", T, async () => {
    const root = makeWorkspace(files);
    const client = await start(root);
    const main = await client.open(path.join(root, "main.tf"));
    const vars = await client.open(path.join(root, "variables.tf"));
    const first = await client.waitForDiagnostics(main, (p) => p.version === 1);
    assert.equal(withCode(first.diagnostics, "pinned-machine-image").length, 0);
    const since = client.published.length;
    // Replace the snapshot ID with a distribution slug, which the rule flags where the variable is used.
    await client.change(vars, [
      { range: { start: { line: 1, character: 13 }, end: { line: 1, character: 22 } }, text: "ubuntu-22-04-x64" },
    ]);
    const relinted = await client.waitForDiagnostics(main, (p) => withCode(p.diagnostics, "pinned-machine-image").length === 1, since);
    assert.equal(relinted.version, 1, "main.tf did not change; its diagnostics are for its own version");
    assert.equal(withCode(relinted.diagnostics, "pinned-machine-image")[0].range.start.line, 1);
  });

  it("re-lints an open file when a sibling that is not open changes on disk (file watcher)", T, async () => {
    const root = makeWorkspace(files);
    const client = await start(root);
    const main = await client.open(path.join(root, "main.tf"));
    await client.waitForDiagnostics(main, (p) => p.version === 1);
    const since = client.published.length;
    fs.writeFileSync(path.join(root, "variables.tf"), 'variable "web_image" {\n  default = "debian-12-x64"\n}\n');
    await client.filesChanged([{ path: path.join(root, "variables.tf"), type: 2 }]);
    const relinted = await client.waitForDiagnostics(main, (p) => withCode(p.diagnostics, "pinned-machine-image").length === 1, since);
    assert.match(messageOf(withCode(relinted.diagnostics, "pinned-machine-image")[0]), /debian-12-x64/);
  });

  it("re-lints the module when a script it reads through file() changes on disk, and watches that script", T, async () => {
    const root = makeWorkspace({
      "main.tf":
        'resource "aws_instance" "web" {\n  ami                         = var.web_image\n  user_data_replace_on_change = true\n  user_data                   = file("${path.module}/boot.sh")\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
      "boot.sh": "#!/bin/bash\nsystemctl start web\n",
    });
    const client = await start(root);
    const main = await client.open(path.join(root, "main.tf"));
    const first = await client.waitForDiagnostics(main, (p) => p.version === 1);
    assert.equal(withCode(first.diagnostics, "no-boot-time-mutation").length, 0, JSON.stringify(first.diagnostics));
    const script = path.join(root, "boot.sh");
    const watched = () =>
      client.registrations.some((r) =>
        JSON.stringify(r.registerOptions ?? {}).includes(JSON.stringify(script.split(path.sep).join("/")).slice(1, -1)),
      );
    const since = client.published.length;
    fs.writeFileSync(script, "#!/bin/bash\napt-get install -y nginx\n");
    await client.filesChanged([{ path: script, type: 2 }]);
    await client.waitForDiagnostics(main, (p) => withCode(p.diagnostics, "no-boot-time-mutation").length === 1, since);
    assert.ok(watched(), `no watcher registered for ${script}: ${JSON.stringify(client.registrations)}`);
  });

  it("picks up a new file in the folder and clears diagnostics of a deleted one", T, async () => {
    const root = makeWorkspace({ "main.tf": GOOD_DROPLET });
    const client = await start(root);
    await client.waitForProgressEnd();
    const extra = path.join(root, "extra.tf");
    fs.writeFileSync(extra, BAD_DROPLET.replace('"web"', '"api"'));
    await client.filesChanged([{ path: extra, type: 1 }]);
    await client.waitForDiagnostics(uriOf(extra), (p) => withCode(p.diagnostics, RCBD).length === 1);
    const since = client.published.length;
    fs.rmSync(extra);
    await client.filesChanged([{ path: extra, type: 3 }]);
    await client.waitForDiagnostics(uriOf(extra), (p) => p.diagnostics.length === 0, since);
  });
});

describe("module calls", () => {
  const droplet = (name: string, image: string) =>
    `resource "digitalocean_droplet" "${name}" {\n  image = ${image}\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`;
  const CALL = 'module "web" {\n  source = "./modules/web"\n\n  image         = "154736112"\n  bastion_image = "debian-12-x64"\n}\n';
  const pinned = (d: Diagnostic[] | undefined) => withCode(d, "pinned-machine-image");

  it("updates the diagnostics at a call when the called module changes: edited in the editor, on disk, a file added", T, async () => {
    const root = makeWorkspace({ "main.tf": CALL, "modules/web/main.tf": 'variable "image" {}\n\n' + droplet("this", "var.image") });
    const client = await start(root);
    const main = await client.open(path.join(root, "main.tf"));
    assert.deepEqual(pinned((await client.waitForDiagnostics(main, (p) => p.version === 1)).diagnostics), []);

    // Typed in the module (not saved): its value now turns the call's snapshot into a distribution slug.
    const moduleFile = path.join(root, "modules/web/main.tf");
    const module = await client.open(moduleFile);
    let since = client.published.length;
    await client.change(module, [
      {
        range: { start: { line: 3, character: 10 }, end: { line: 3, character: 19 } },
        text: 'var.image == "154736112" ? "ubuntu-22-04-x64" : var.image',
      },
    ]);
    const edited = await client.waitForDiagnostics(main, (p) => pinned(p.diagnostics).length === 1, since);
    assert.deepEqual(pinned(edited.diagnostics)[0].range, { start: { line: 3, character: 2 }, end: { line: 3, character: 29 } });

    // A file added to the module's folder on disk uses the other argument.
    since = client.published.length;
    const bastion = path.join(root, "modules/web/bastion.tf");
    fs.writeFileSync(bastion, 'variable "bastion_image" {}\n\n' + droplet("bastion", "var.bastion_image"));
    await client.filesChanged([{ path: bastion, type: 1 }]);
    const added = await client.waitForDiagnostics(main, (p) => pinned(p.diagnostics).length === 2, since);
    assert.deepEqual(pinned(added.diagnostics)[1].range, { start: { line: 4, character: 2 }, end: { line: 4, character: 33 } });

    // The hover on the call's argument shows the path the value takes into the module.
    const hover = await client.connection.sendRequest<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri: main },
      position: { line: 4, character: 5 },
    });
    assert.match(
      hover.contents.value,
      new RegExp(
        `Value path: this argument → \\[variable "bastion_image" of module\\.web\\]\\(${uriOf(bastion).replace(/[.]/g, "\\.")}#L1,1\\) → \\[digitalocean_droplet\\.bastion image in module\\.web\\]\\(${uriOf(bastion).replace(/[.]/g, "\\.")}#L4,3\\)`,
      ),
    );
    const [d] = pinned(added.diagnostics).slice(1);
    assert.deepEqual(
      d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [
        [uriOf(bastion), 0, 'variable "bastion_image" of module.web'],
        [uriOf(bastion), 3, "digitalocean_droplet.bastion image in module.web"],
      ],
    );

    // Deleted on disk: the call loses that finding.
    since = client.published.length;
    fs.rmSync(bastion);
    await client.filesChanged([{ path: bastion, type: 3 }]);
    await client.waitForDiagnostics(main, (p) => pinned(p.diagnostics).length === 1, since);
  });
});

describe("configuration", () => {
  it("applies immutably.rules from the editor settings and re-lints on change", T, async () => {
    const root = makeWorkspace({ "main.tf": BAD_DROPLET });
    const client = await start(root, { rules: { [RCBD]: "error" } });
    const uri = await client.open(path.join(root, "main.tf"));
    const first = await client.waitForDiagnostics(uri, (p) => p.version === 1 && withCode(p.diagnostics, RCBD).length === 1);
    assert.equal(withCode(first.diagnostics, RCBD)[0].severity, 1);
    const since = client.published.length;
    await client.changeSettings({ rules: { [RCBD]: "off" } });
    await client.waitForDiagnostics(uri, (p) => withCode(p.diagnostics, RCBD).length === 0, since);
  });

  it("with immutably.lintOnType = false, lints on save instead of on every change", T, async () => {
    const root = makeWorkspace({ "main.tf": GOOD_DROPLET });
    const client = await start(root, { lintOnType: false });
    const uri = await client.open(path.join(root, "main.tf"));
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const since = client.published.length;
    const version = await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: BAD_DROPLET.replace('"web"', '"api"') + "\n" },
    ]);
    await client.connection.sendNotification("textDocument/didSave", { textDocument: { uri } });
    const saved = await client.waitForDiagnostics(uri, () => true, since);
    assert.equal(saved.version, version, "the first diagnostics after the change come from the save");
    assert.equal(withCode(saved.diagnostics, RCBD).length, 1);
  });

  it("turns everything off with immutably.enable = false", T, async () => {
    const root = makeWorkspace({ "main.tf": BAD_DROPLET });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"));
    await client.waitForDiagnostics(uri, (p) => withCode(p.diagnostics, RCBD).length === 1);
    const since = client.published.length;
    await client.changeSettings({ enable: false });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, since);
  });

  it("reads .immutably.hcl, re-reads it on change, and reports its errors on the file and in a message", T, async () => {
    const root = makeWorkspace({ "main.tf": BAD_DROPLET, ".immutably.hcl": `rule "${RCBD}" {\n  severity = "info"\n}\n` });
    const client = await start(root);
    const uri = await client.open(path.join(root, "main.tf"));
    const first = await client.waitForDiagnostics(uri, (p) => p.version === 1 && withCode(p.diagnostics, RCBD).length === 1);
    assert.equal(withCode(first.diagnostics, RCBD)[0].severity, 3);

    const config = path.join(root, ".immutably.hcl");
    let since = client.published.length;
    fs.writeFileSync(config, `rule "${RCBD}" {\n  enabled = false\n}\n`);
    await client.filesChanged([{ path: config, type: 2 }]);
    await client.waitForDiagnostics(uri, (p) => withCode(p.diagnostics, RCBD).length === 0, since);

    since = client.published.length;
    fs.writeFileSync(config, `rule "no-such-rule" {\n  enabled = false\n}\n`);
    await client.filesChanged([{ path: config, type: 2 }]);
    const configDiagnostics = await client.waitForDiagnostics(uriOf(config), (p) => p.diagnostics.length > 0, since);
    assert.equal(configDiagnostics.diagnostics[0].code, "config");
    assert.equal(configDiagnostics.diagnostics[0].range.start.line, 0);
    assert.match(messageOf(configDiagnostics.diagnostics[0]), /unknown rule "no-such-rule"/);
    const message = await client.waitForMessage(/\.immutably\.hcl has errors/);
    assert.equal(message.type, 1);
    // Until the file is fixed the defaults apply, so the finding is back.
    await client.waitForDiagnostics(uri, (p) => withCode(p.diagnostics, RCBD).length === 1, since);
  });
});
