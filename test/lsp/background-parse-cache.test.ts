// The background pass over the workspace leaves no parsed files in the linter's cache; folders being edited keep theirs.
import assert from "node:assert/strict";
import path from "node:path";
import { it } from "node:test";
import { CancellationToken, type Connection } from "vscode-languageserver/node";
import { initParsers, Linter } from "../../server/src/engine/index.ts";
import { ConfigStore } from "../../server/src/lsp/configuration.ts";
import { DocumentStore } from "../../server/src/lsp/documents.ts";
import { DiagnosticsPublisher } from "../../server/src/lsp/publisher.ts";
import { LintScheduler } from "../../server/src/lsp/scheduler.ts";
import { WorkspaceIndex } from "../../server/src/lsp/workspace.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { makeWorkspace } from "./lsp-client.ts";

it("keeps no parsed files of folders the background pass linted, and keeps those of a folder linted for an edit", async () => {
  await initParsers();
  const text = 'resource "aws_instance" "web" {\n  ami = "ami-0123456789abcdef0"\n}\n';
  const root = makeWorkspace({ "a/main.tf": text, "a/variables.tf": 'variable "x" {}\n', "b/main.tf": text });
  // Only the parts of the connection that diagnostics use; the protocol tests cover the real one.
  const connection = {
    console: { error: () => undefined, log: () => undefined },
    window: { showWarningMessage: () => Promise.resolve(undefined) },
    sendDiagnostics: () => Promise.resolve(),
  } as unknown as Connection;
  const index = new WorkspaceIndex();
  index.scan([root]);
  const linter = new Linter(allRules);
  linter.enableParseCache();
  const store = new DocumentStore();
  const publisher = new DiagnosticsPublisher(connection, store, linter);
  const diagnostics = new LintScheduler(connection, store, index, new ConfigStore(allRules, () => undefined), linter, publisher, {
    debounceMs: 0,
    onScriptsChanged: () => undefined,
  });
  assert.equal(await diagnostics.lintWorkspace(CancellationToken.None, new Set(), () => undefined), 2);
  for (const file of ["a/main.tf", "a/variables.tf", "b/main.tf"]) assert.equal(linter.isCached(path.join(root, file)), false, file);
  // A folder linted because of an edit (texts kept, as for open documents) keeps its parsed files for the next edit.
  await diagnostics.lintFolder(path.join(root, "a"));
  assert.equal(linter.isCached(path.join(root, "a/main.tf")), true);
  assert.equal(linter.isCached(path.join(root, "a/variables.tf")), true);
});
