// Protocol tests for code actions and hover: quick fixes applied to the text, fix-all (safe only), suppression comments, documentation.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { CodeAction, Diagnostic, Hover, MarkupContent } from "vscode-languageserver-protocol";
import { noStaticTemplateName } from "../../server/src/rules/no-static-template-name.ts";
import { firstSentence } from "../../server/src/lsp/hover.ts";
import { requireCreateBeforeDestroy } from "../../server/src/rules/require-create-before-destroy.ts";
import { applyTextEdits, editsFor, LspClient, makeWorkspace } from "./lsp-client.ts";

const RCBD = "require-create-before-destroy";
const BAD_DROPLET = requireCreateBeforeDestroy.meta.docs.bad[0].code;
const GOOD_DROPLET = requireCreateBeforeDestroy.meta.docs.good[0].code;
const T = { timeout: 30_000 };
const withCode = (diagnostics: Diagnostic[] | undefined, code: string) => (diagnostics ?? []).filter((d) => d.code === code);

const clients: LspClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
});

/** Starts a server on a one-file workspace, opens the file and waits for its first diagnostics. */
async function openOne(name: string, text: string, languageId = "terraform") {
  const root = makeWorkspace({ [name]: text });
  const client = await LspClient.start(root);
  clients.push(client);
  const uri = await client.open(path.join(root, name), text, languageId);
  const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
  return { client, uri, diagnostics: published.diagnostics };
}

/** Applies a code action's edit through didChange and waits for the diagnostics of the new version. */
async function apply(client: LspClient, uri: string, action: CodeAction) {
  const edits = editsFor(action.edit, uri);
  assert.ok(edits.length > 0, `${action.title} has no edit for ${uri}`);
  const version = await client.applyEdits(uri, edits);
  const published = await client.waitForDiagnostics(uri, (p) => p.version === version);
  return { text: client.text(uri), diagnostics: published.diagnostics };
}

describe("quick fixes", () => {
  it("offers the rule's fix as the preferred quick fix, and applying it gives the documented good text", T, async () => {
    const { client, uri, diagnostics } = await openOne("main.tf", BAD_DROPLET);
    const [d] = withCode(diagnostics, RCBD);
    const actions = await client.codeActions(uri, d.range, ["quickfix"]);
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, "Add lifecycle { create_before_destroy = true }");
    assert.equal(fix?.kind, "quickfix");
    assert.equal(fix?.diagnostics?.[0].code, RCBD);
    assert.equal(applyTextEdits(BAD_DROPLET, editsFor(fix.edit, uri)), GOOD_DROPLET);
    const after = await apply(client, uri, fix);
    assert.equal(after.text, GOOD_DROPLET);
    assert.deepEqual(withCode(after.diagnostics, RCBD), []);
  });

  it("fixes a block whose finding was carried over from the lint before an edit in another block", T, async () => {
    const api = (text: string) => text.replaceAll('"web"', '"api"');
    const { client, uri } = await openOne("main.tf", `${BAD_DROPLET}\n${api(BAD_DROPLET)}`);
    // Typed in the first droplet (a line more, a longer name): the second droplet's finding is carried over and moved.
    const version = await client.change(uri, [
      { range: { start: { line: 2, character: 17 }, end: { line: 2, character: 17 } }, text: "-1" },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "  # the web tier\n" },
    ]);
    const published = await client.waitForDiagnostics(uri, (p) => p.version === version);
    const edited = client.text(uri);
    const [, second] = withCode(published.diagnostics, RCBD);
    assert.equal(second?.range.start.line, 8, JSON.stringify(published.diagnostics));
    const fix = (await client.codeActions(uri, second.range, ["quickfix"])).find((a) => a.isPreferred);
    assert.ok(fix, "the carried-over finding offers its fix");
    const expected = `${edited.slice(0, edited.indexOf('resource "digitalocean_droplet" "api"'))}${api(GOOD_DROPLET)}`;
    assert.equal(applyTextEdits(edited, editsFor(fix.edit, uri)), expected);
  });

  it("answers a code action request sent right after an edit from the edited text, not the stale result", T, async () => {
    const { client, uri } = await openOne("main.tf", GOOD_DROPLET);
    // Replace the fixed text with the bad one and ask at once, before any diagnostics for version 2 arrive.
    const lines = GOOD_DROPLET.split("\n");
    await client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } }, text: BAD_DROPLET },
    ]);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 37 } }, ["quickfix"]);
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, "Add lifecycle { create_before_destroy = true }");
    assert.equal(applyTextEdits(BAD_DROPLET, editsFor(fix.edit, uri)), GOOD_DROPLET);
  });

  it("computes fix-all only when asked for by kind, not for a light bulb's unfiltered request", T, async () => {
    const { client, uri } = await openOne("main.tf", BAD_DROPLET);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 37 } };
    const unfiltered = await client.codeActions(uri, range);
    assert.ok(
      unfiltered.some((a) => a.isPreferred),
      "the quick fix is offered",
    );
    assert.deepEqual(
      unfiltered.filter((a) => a.kind?.startsWith("source")),
      [],
    );
    assert.deepEqual(
      (await client.codeActions(uri, range, ["source"])).map((a) => a.kind),
      ["source.fixAll.immutably"],
    );
  });

  it(
    "logs why fix-all offered nothing only for a save's fix-all request, not for the Source Action menu or the light bulb",
    T,
    async () => {
      const { client, uri } = await openOne("main.tf", GOOD_DROPLET);
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
      const fixAllLines = () => client.logs.filter((l) => l.startsWith("fix-all:"));
      await client.codeActions(uri, range);
      await client.codeActions(uri, range, ["source"]);
      await client.codeActions(uri, range, ["quickfix"]);
      assert.deepEqual(fixAllLines(), []);
      await client.codeActions(uri, range, ["source.fixAll"]);
      await client.codeActions(uri, range, ["source.fixAll.immutably"]);
      assert.deepEqual(
        fixAllLines().map((l) => l.replace(/\S*main\.tf/, "main.tf")),
        [
          "fix-all: main.tf version 1 has no problem with a safe fix; nothing offered",
          "fix-all: main.tf version 1 has no problem with a safe fix; nothing offered",
        ],
      );
    },
  );

  it("offers unsafe fixes as quick fixes but never in fix-all", T, async () => {
    const bad = noStaticTemplateName.meta.docs.bad[0].code;
    const { client, uri, diagnostics } = await openOne("main.tf", bad);
    const [d] = withCode(diagnostics, "no-static-template-name");
    assert.ok(d, JSON.stringify(diagnostics));
    const quick = (await client.codeActions(uri, d.range, ["quickfix"])).find((a) => a.isPreferred);
    assert.match(quick?.title ?? "", /^Rename name to name_prefix/);
    assert.match(applyTextEdits(bad, editsFor(quick!.edit, uri)), /name_prefix\s+= "web-template"/);
    const fixAll = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ["source.fixAll"]);
    for (const action of fixAll) assert.doesNotMatch(applyTextEdits(bad, editsFor(action.edit, uri)), /name_prefix/);
  });

  it("fixes every safe problem of the file with source.fixAll.immutably", T, async () => {
    const two = BAD_DROPLET + "\n" + BAD_DROPLET.replace('"web"', '"api"').replace('name   = "web"', 'name   = "api"');
    const { client, uri, diagnostics } = await openOne("main.tf", two);
    assert.equal(withCode(diagnostics, RCBD).length, 2);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ["source.fixAll"]);
    assert.deepEqual(
      actions.map((a) => a.kind),
      ["source.fixAll.immutably"],
    );
    const after = await apply(client, uri, actions[0]);
    assert.equal(after.text, GOOD_DROPLET + "\n" + GOOD_DROPLET.replace('"web"', '"api"').replace('name   = "web"', 'name   = "api"'));
    assert.deepEqual(withCode(after.diagnostics, RCBD), []);
  });
});

describe("suppression actions", () => {
  const cases: Array<[string, RegExp]> = [
    ["line", /^resource "digitalocean_droplet" "web" \{ # immutably-ignore: require-create-before-destroy -- /],
    ["block", /^# immutably-ignore: require-create-before-destroy -- .+\nresource "digitalocean_droplet"/],
    ["file", /^# immutably-ignore-file: require-create-before-destroy -- /],
  ];
  for (const [scope, expected] of cases) {
    it(`"Ignore ${RCBD} for this ${scope}" writes a comment that silences the finding`, T, async () => {
      const { client, uri, diagnostics } = await openOne("main.tf", BAD_DROPLET);
      const [d] = withCode(diagnostics, RCBD);
      const actions = await client.codeActions(uri, d.range, ["quickfix"]);
      const action = actions.find((a) => a.title === `Ignore ${RCBD} for this ${scope}`);
      assert.ok(action, actions.map((a) => a.title).join(", "));
      const after = await apply(client, uri, action);
      assert.match(after.text, expected);
      assert.deepEqual(withCode(after.diagnostics, RCBD), []);
      assert.deepEqual(withCode(after.diagnostics, "hcl-syntax"), []);
    });
  }

  it("puts the line comment after a nested attribute when that is where the finding is", T, async () => {
    const text =
      'resource "digitalocean_droplet" "web" {\n  image = var.web_image\n\n  lifecycle {\n    create_before_destroy = false\n  }\n}\n';
    const { client, uri, diagnostics } = await openOne("main.tf", text);
    const [d] = withCode(diagnostics, RCBD);
    assert.equal(d.range.start.line, 4);
    const action = (await client.codeActions(uri, d.range, ["quickfix"])).find((a) => a.title === `Ignore ${RCBD} for this line`);
    const after = await apply(client, uri, action!);
    assert.match(after.text.split("\n")[4], /create_before_destroy = false # immutably-ignore: require-create-before-destroy -- /);
    assert.deepEqual(withCode(after.diagnostics, RCBD), []);
  });

  it("adds the rule to a directive already above the block instead of pushing that directive off the header", T, async () => {
    const text =
      '# immutably-ignore: pinned-machine-image -- the demo uses a stock image\nresource "digitalocean_droplet" "web" {\n  image = "ubuntu-22-04-x64"\n}\n';
    const { client, uri, diagnostics } = await openOne("main.tf", text);
    assert.deepEqual(withCode(diagnostics, "pinned-machine-image"), [], "the existing directive works");
    const [d] = withCode(diagnostics, RCBD);
    const action = (await client.codeActions(uri, d.range, ["quickfix"])).find((a) => a.title === `Ignore ${RCBD} for this block`);
    const after = await apply(client, uri, action!);
    assert.equal(after.text.split("\n")[0], `# immutably-ignore: pinned-machine-image, ${RCBD} -- the demo uses a stock image`);
    assert.deepEqual(withCode(after.diagnostics, RCBD), []);
    assert.deepEqual(withCode(after.diagnostics, "pinned-machine-image"), []);
  });

  it('uses a top-level "//" key for JSON files, the only comment Terraform\'s JSON syntax has', T, async () => {
    const json =
      JSON.stringify({ resource: { digitalocean_droplet: { web: { image: "${var.web_image}", name: "web" } } } }, null, 2) + "\n";
    const { client, uri, diagnostics } = await openOne("main.tf.json", json, "json");
    const [d] = withCode(diagnostics, RCBD);
    assert.ok(d, JSON.stringify(diagnostics));
    const actions = await client.codeActions(uri, d.range, ["quickfix"]);
    assert.deepEqual(
      actions.filter((a) => a.title.startsWith("Ignore")).map((a) => a.title),
      [`Ignore ${RCBD} for this file`],
    );
    const after = await apply(
      client,
      uri,
      actions.find((a) => a.title.startsWith("Ignore"))!,
    );
    assert.match((JSON.parse(after.text) as Record<string, string>)["//"], /^immutably-ignore-file: require-create-before-destroy -- /);
    assert.deepEqual(withCode(after.diagnostics, RCBD), []);
  });
});

describe("documentation", () => {
  it('offers "Show documentation" as a command with the rule id', T, async () => {
    const { client, uri, diagnostics } = await openOne("main.tf", BAD_DROPLET);
    const [d] = withCode(diagnostics, RCBD);
    const docs = (await client.codeActions(uri, d.range)).find((a) => a.title === `Show documentation for ${RCBD}`);
    assert.deepEqual(docs?.command, {
      title: `Show documentation for ${RCBD}`,
      command: "immutably.showRuleDocumentation",
      arguments: [RCBD],
    });
    const pages = await client.connection.sendRequest<Array<{ id: string; markdown: string }>>("immutably/ruleDocumentation", {
      ruleId: RCBD,
    });
    assert.equal(pages.length, 1);
    assert.match(pages[0].markdown, new RegExp(`^# ${RCBD}`));
  });

  it(
    "hovers with what the diagnostic does not say (summary, why, the fix, the docs), never its message, and nothing elsewhere",
    T,
    async () => {
      const { client, uri, diagnostics } = await openOne("main.tf", BAD_DROPLET);
      const [d] = withCode(diagnostics, RCBD);
      const hover = await client.connection.sendRequest<Hover>("textDocument/hover", {
        textDocument: { uri },
        position: { line: 0, character: 12 },
      });
      const value = (hover.contents as MarkupContent).value;
      assert.equal((hover.contents as MarkupContent).kind, "markdown");
      const docs = requireCreateBeforeDestroy.meta.docs;
      assert.ok(!value.includes(typeof d.message === "string" ? d.message : d.message.value), "the editor already shows the message");
      assert.equal(
        value,
        [
          `**immutably \`${RCBD}\`**: ${docs.summary}`,
          "",
          `**Why:** ${firstSentence(docs.why)}`,
          "",
          "**Fix:** Add lifecycle { create_before_destroy = true } (safe: fix-all applies it, also on save).",
          "",
          // Without the client's command, the link is the page shipped with the server, as the diagnostic's.
          `[Open the documentation of ${RCBD}](${d.codeDescription?.href})`,
        ].join("\n"),
      );
      assert.ok(firstSentence(docs.why).length < docs.why.length, "the hover shows the first sentence, the page the rest");
      const nothing = await client.connection.sendRequest("textDocument/hover", {
        textDocument: { uri },
        position: { line: 3, character: 4 },
      });
      assert.equal(nothing, null);
    },
  );

  it(
    "links the hover to the client's documentation command when the client names one (VS Code: the bundled page in the Markdown preview)",
    T,
    async () => {
      const root = makeWorkspace({ "main.tf": BAD_DROPLET });
      const client = await LspClient.start(root, {
        initializationOptions: { showDocumentationCommand: "immutably.showRuleDocumentation" },
      });
      clients.push(client);
      const uri = await client.open(path.join(root, "main.tf"), BAD_DROPLET);
      await client.waitForDiagnostics(uri, (p) => p.version === 1);
      const hover = await client.connection.sendRequest<Hover>("textDocument/hover", {
        textDocument: { uri },
        position: { line: 0, character: 12 },
      });
      const link = /\[Open the documentation of [^\]]+\]\(([^)]+)\)/.exec((hover.contents as MarkupContent).value)?.[1];
      assert.equal(link, `command:immutably.showRuleDocumentation?${encodeURIComponent(JSON.stringify([RCBD]))}`);
    },
  );
});
