// The client logs a fix-all request that VS Code cancelled (the save then keeps the problems), and nothing else.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { it } from "node:test";
import { asksForFixAll, fixAllLogger } from "../../client/src/fix-all-log.ts";

type Args = Parameters<ReturnType<typeof fixAllLogger>>;

/** Runs the middleware once: `during` happens while the request is in flight (a cancellation, an edit). */
async function request(only: string | undefined, during: (doc: { version: number }, token: { isCancellationRequested: boolean }) => void) {
  const lines: string[] = [];
  const doc = { version: 7, uri: { fsPath: "/ws/main.tf" } };
  const token = { isCancellationRequested: false };
  const answer = [{ title: "Fix all immutably problems (safe fixes)" }];
  let clock = 1000;
  const middleware = fixAllLogger(
    (l) => lines.push(l),
    () => clock,
  );
  const result = await middleware(
    doc as unknown as Args[0],
    {} as Args[1],
    { only: only === undefined ? undefined : { value: only }, triggerKind: 2, diagnostics: [] } as unknown as Args[2],
    token as unknown as Args[3],
    () => {
      during(doc, token);
      clock += 40;
      return Promise.resolve(answer);
    },
  );
  assert.equal(result, answer, "the server's answer is passed through unchanged");
  return lines;
}

it("logs a cancelled fix-all request, naming the file, the version and that the document did not change", async () => {
  const lines = await request("source.fixAll.immutably", (_doc, token) => {
    token.isCancellationRequested = true;
  });
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^fix-all: VS Code cancelled the request for \/ws\/main\.tf version 7 after 40 ms \(the document did not change: another extension/,
  );
});

it("says which versions a cancelled request saw when the document changed meanwhile", async () => {
  const lines = await request("source.fixAll", (doc, token) => {
    doc.version = 8;
    token.isCancellationRequested = true;
  });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /the document changed from version 7 to 8/);
});

it("logs how many actions a completed fix-all request returned, and nothing for requests of another kind", async () => {
  assert.deepEqual(await request("source.fixAll.immutably", () => {}), ["fix-all: 1 action(s) for /ws/main.tf version 7 in 40 ms"]);
  assert.deepEqual(await request("quickfix", () => {}), []);
  assert.deepEqual(await request("source", () => {}), [], "the Source Action menu is not a fix-all request");
  assert.deepEqual(
    await request("quickfix", (_doc, token) => {
      token.isCancellationRequested = true;
    }),
    [],
  );
  assert.deepEqual(
    await request(undefined, (_doc, token) => {
      token.isCancellationRequested = true;
    }),
    [],
  );
});

it("recognises the fix-all requests that include immutably's; the Source Action menu's `source` is not one", () => {
  for (const kind of ["source.fixAll", "source.fixAll.immutably"]) assert.equal(asksForFixAll({ value: kind }), true, kind);
  for (const kind of ["source", "quickfix", "source.fixAll.eslint", "source.fixAll.immutablyx", "source.organizeImports"])
    assert.equal(asksForFixAll({ value: kind }), false, kind);
  assert.equal(asksForFixAll(undefined), false);
});

it("every reason the server gives for offering no fix-all is one the e2e scenario treats as immutably declining", () => {
  const root = path.resolve(__dirname, "../..");
  // The e2e scenario decides from these log lines whether a save without the fix is immutably's fault.
  const scenario = fs.readFileSync(path.join(root, "test/e2e/scenarios/editor.mjs"), "utf8");
  const source = /const declined = \/(.+)\/\.test\(log\);/.exec(scenario)?.[1];
  assert.ok(source, "the scenario's `declined` pattern is found");
  const declined = new RegExp(source);
  const messages = ["server/src/lsp/code-actions.ts", "server/src/lsp/handlers/code-action.ts"].flatMap((f) =>
    [...fs.readFileSync(path.join(root, f), "utf8").matchAll(/`(fix-all: [^`]*)`/g)].map((m) => m[1]),
  );
  assert.ok(messages.length >= 6, `found ${messages.length} server messages`);
  for (const template of messages) {
    // Each ${…} placeholder stands for a value; both branches of a conditional inside it count.
    const variants = template.includes('? "')
      ? [...template.matchAll(/"([^"]+)"/g)].map((m) => template.replace(/\$\{[^}]*\?[^}]*\}/, m[1]))
      : [template];
    for (const text of variants.map((v) => v.replace(/\$\{[^}]*\}/g, "X"))) {
      if (/offering the safe fixes/.test(text)) assert.doesNotMatch(text, declined, text);
      else assert.match(text, declined, `the e2e scenario would take this for a miss in the editor: ${text}`);
    }
  }
  // The client's "0 action(s)" line is immutably's fault too; a cancellation is VS Code's.
  assert.match("fix-all: 0 action(s) for /ws/main.tf version 3 in 5 ms", declined);
  assert.doesNotMatch("fix-all: 1 action(s) for /ws/main.tf version 3 in 5 ms", declined);
  assert.doesNotMatch("fix-all: VS Code cancelled the request for /ws/main.tf version 3 after 5 ms", declined);
});
