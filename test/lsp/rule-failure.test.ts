// A rule that throws is reported once (a warning and the log) while every other rule keeps reporting, across folders.
import assert from "node:assert/strict";
import path from "node:path";
import { it } from "node:test";
import { CancellationToken, type Connection, type PublishDiagnosticsParams } from "vscode-languageserver/node";
import { initParsers, Linter, type Rule } from "../../server/src/engine/index.ts";
import { ConfigStore } from "../../server/src/lsp/configuration.ts";
import { DocumentStore } from "../../server/src/lsp/documents.ts";
import { DiagnosticsPublisher } from "../../server/src/lsp/publisher.ts";
import { LintScheduler } from "../../server/src/lsp/scheduler.ts";
import { WorkspaceIndex } from "../../server/src/lsp/workspace.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { requireCreateBeforeDestroy } from "../../server/src/rules/require-create-before-destroy.ts";
import { makeWorkspace, uriOf } from "./lsp-client.ts";

const alwaysThrows: Rule = {
  meta: { ...requireCreateBeforeDestroy.meta, id: "always-throws", fix: "none" },
  check() {
    throw new Error("boom");
  },
};

it("reports a throwing rule once and keeps publishing the other rules' findings", async () => {
  await initParsers();
  const bad = requireCreateBeforeDestroy.meta.docs.bad[0].code;
  const root = makeWorkspace({ "a/main.tf": bad, "b/main.tf": bad });
  const warnings: string[] = [];
  const errors: string[] = [];
  const sent: PublishDiagnosticsParams[] = [];
  // Only the parts of the connection that diagnostics use; the protocol tests cover the real one.
  const connection = {
    console: { error: (m: string) => errors.push(m), log: () => undefined },
    window: { showWarningMessage: (m: string) => (warnings.push(m), Promise.resolve(undefined)) },
    sendDiagnostics: (p: PublishDiagnosticsParams) => (sent.push(p), Promise.resolve()),
  } as unknown as Connection;
  const rules = [...allRules, alwaysThrows];
  const store = new DocumentStore();
  const index = new WorkspaceIndex();
  index.scan([root]);
  const linter = new Linter(rules);
  const publisher = new DiagnosticsPublisher(connection, store, linter);
  const diagnostics = new LintScheduler(connection, store, index, new ConfigStore(rules, () => undefined), linter, publisher, {
    debounceMs: 0,
    onScriptsChanged: () => undefined,
  });
  assert.equal(await diagnostics.lintWorkspace(CancellationToken.None, new Set(), () => undefined), 2);
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /rule always-throws failed on .*: boom/);
  assert.equal(errors.length, 1);
  for (const dir of ["a", "b"]) {
    const published = sent.find((p) => p.uri === uriOf(path.join(root, dir, "main.tf")));
    assert.deepEqual(
      published?.diagnostics.map((d) => d.code),
      ["require-create-before-destroy"],
    );
  }
});
