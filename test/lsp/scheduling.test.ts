// When the server lints after a change: at once when idle, once for a burst, once more after a lint that a change made stale; never a stale publish.
import assert from "node:assert/strict";
import path from "node:path";
import { afterEach, describe, it, mock } from "node:test";
import type { Connection, PublishDiagnosticsParams } from "vscode-languageserver/node";
import type { LintHost, Linter, LintResult, Range, SourceInput } from "../../server/src/engine/index.ts";
import { computeLineStarts, positionAt } from "../../server/src/engine/model.ts";
import { ConfigStore } from "../../server/src/lsp/configuration.ts";
import { DiagnosticsPublisher } from "../../server/src/lsp/publisher.ts";
import { LintScheduler } from "../../server/src/lsp/scheduler.ts";
import { provideHover } from "../../server/src/lsp/hover.ts";
import type { DocumentStore } from "../../server/src/lsp/documents.ts";
import { WorkspaceIndex } from "../../server/src/lsp/workspace.ts";
import { allRules } from "../../server/src/rules/index.ts";
import { makeWorkspace, uriOf } from "./lsp-client.ts";

/** Open documents only, as the editor holds them: just what the scheduler and the publisher read of a DocumentStore. */
class FakeDocuments {
  readonly docs = new Map<string, { version: number; text: string }>();

  edit(filePath: string, text: string): void {
    this.docs.set(filePath, { version: (this.docs.get(filePath)?.version ?? 0) + 1, text });
  }
  openDocument(filePath: string) {
    const doc = this.docs.get(filePath);
    return doc && { version: doc.version, getText: () => doc.text };
  }
  openPaths(): string[] {
    return [...this.docs.keys()];
  }
  readText(filePath: string): string | undefined {
    return this.docs.get(filePath)?.text;
  }
  readForLint(filePath: string): { text: string } | undefined {
    const doc = this.docs.get(filePath);
    return doc && { text: doc.text };
  }
  uriOf(filePath: string): string {
    return uriOf(filePath);
  }
  hostFor(): LintHost {
    return { readFile: () => undefined };
  }
}

/** A linter whose every lint reports one finding per file carrying the text it read, and settles when the test says. */
class ControlledLinter {
  readonly calls: Array<{ texts: string[]; settle: () => void }> = [];
  private readonly waiters: Array<() => void> = [];
  /** Lints settle as soon as they start unless a test holds them. */
  hold = false;
  /** The message of each file's finding; a module-level rule would look at the other files too. */
  messageOf = (input: SourceInput, _all: SourceInput[]): string => input.text;

  /** Where each file's finding is: its first character, unless a test says otherwise. */
  rangeOf = (_input: SourceInput): Range => ({
    start: { line: 0, character: 0 },
    end: { line: 0, character: 1 },
    startOffset: 0,
    endOffset: 1,
  });
  /** Runs when a lint starts (a test advances its clock by what the lint costs). */
  onLint = (): void => undefined;

  lint(inputs: SourceInput[]): Promise<LintResult> {
    this.onLint();
    const result: LintResult = {
      findings: inputs.map((i) => ({
        ruleId: "echo",
        severity: "warning",
        message: this.messageOf(i, inputs),
        path: i.path,
        range: this.rangeOf(i),
      })),
      ruleFailures: [],
      files: [],
      unusedSuppressions: [],
      reads: [],
      listings: [],
      notLoaded: [],
    };
    return new Promise((resolve) => {
      this.calls.push({ texts: inputs.map((i) => i.text), settle: () => resolve(result) });
      for (const w of this.waiters.splice(0)) w();
      if (!this.hold) resolve(result);
    });
  }

  /** Resolves when the `n`-th lint has started. */
  started(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (this.calls.length >= n ? resolve() : this.waiters.push(check));
      this.waiters.push(check);
    });
  }
}

function setup(debounceMs: number, now?: () => number) {
  const root = makeWorkspace({});
  const file = path.join(root, "main.tf");
  const sent: PublishDiagnosticsParams[] = [];
  const sentWaiters: Array<() => void> = [];
  const connection = {
    console: { error: (m: string) => assert.fail(m), log: () => undefined },
    window: { showWarningMessage: () => Promise.resolve(undefined) },
    sendDiagnostics: (p: PublishDiagnosticsParams) => {
      sent.push(p);
      for (const w of sentWaiters.splice(0)) w();
      return Promise.resolve();
    },
  } as unknown as Connection;
  const docs = new FakeDocuments();
  const linter = new ControlledLinter();
  const store = docs as unknown as DocumentStore;
  const publisher = new DiagnosticsPublisher(connection, store, linter as unknown as Linter);
  const service = new LintScheduler(
    connection,
    store,
    new WorkspaceIndex(),
    new ConfigStore(allRules, () => undefined),
    linter as unknown as Linter,
    publisher,
    {
      debounceMs,
      onScriptsChanged: () => undefined,
      now,
    },
  );
  /** Resolves with the first publish (already sent or future) that satisfies `test`. */
  const published = (test: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve) => {
      const check = () => {
        const hit = sent.find(test);
        if (hit) resolve(hit);
        else sentWaiters.push(check);
      };
      check();
    });
  /** Edits the file and tells the service, as the server does on didChange. */
  const type = (text: string) => {
    docs.edit(file, text);
    service.schedule(root);
    return docs.docs.get(file)!.version;
  };
  return { root, file, sent, linter, service, published, type };
}

/** One turn of the event loop: what vscode-jsonrpc takes to dispatch the next queued message. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("lint scheduling", () => {
  afterEach(() => mock.timers.reset());

  it("lints a change at once when no lint is running, without waiting on any timer", async () => {
    // Timers never fire unless ticked: a debounce would never lint here.
    mock.timers.enable({ apis: ["setTimeout"] });
    const { published, type } = setup(0);
    const version = type("a");
    const p = await published((x) => x.version === version);
    assert.deepEqual(
      p.diagnostics.map((d) => d.message),
      ["a"],
    );
  });

  it("lints a burst of changes dispatched in consecutive turns once, on the newest text", async () => {
    const { linter, published, type } = setup(0);
    type("a");
    for (const text of ["ab", "abc", "abcd"]) {
      await turn();
      type(text);
    }
    await published((x) => x.version === 4);
    assert.deepEqual(
      linter.calls.map((c) => c.texts),
      [["abcd"]],
    );
  });

  it("coalesces changes that arrive while a lint runs into one lint of the newest text, and never publishes the stale result", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const { linter, sent, published, type } = setup(0);
    linter.hold = true;
    type("a");
    await linter.started(1);
    type("ab");
    type("abc");
    // Nothing may start while the first lint runs, however long it takes (any timer would fire here).
    mock.timers.tick(10_000);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(linter.calls.length, 1);
    linter.hold = false;
    linter.calls[0].settle();
    const p = await published((x) => x.version === 3);
    assert.deepEqual(
      p.diagnostics.map((d) => d.message),
      ["abc"],
    );
    assert.deepEqual(
      linter.calls.map((c) => c.texts),
      [["a"], ["abc"]],
    );
    assert.deepEqual(
      sent.map((s) => s.version),
      [3],
      "the lint of version 1 finished after version 3 existed: nothing of it is published",
    );
  });

  it("still lints while changes keep arriving in every turn (no starvation)", async () => {
    const { linter, type } = setup(0);
    let text = "";
    // Each turn brings a change; the lint must start anyway (after MAX_WAIT_MS), so this loop ends.
    while (linter.calls.length === 0) {
      type((text += "x"));
      await turn();
    }
    assert.equal(linter.calls.length, 1);
  });

  it("with debounceMs above 0, waits for that much quiet time after the last change", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const { linter, published, type } = setup(20);
    type("a");
    mock.timers.tick(15);
    type("ab");
    for (let i = 0; i < 5; i++) await turn();
    mock.timers.tick(15);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(linter.calls.length, 0, "the second change restarted the wait");
    mock.timers.tick(5);
    await published((x) => x.version === 2);
    assert.deepEqual(
      linter.calls.map((c) => c.texts),
      [["ab"]],
    );
  });

  it("does not send a sibling's diagnostics again when neither its findings nor its version changed", async () => {
    const { root, file, sent, linter, published, type, service } = setup(0);
    const sibling = path.join(root, "variables.tf");
    // The sibling is open too (the fake store holds open documents only); its text and version stay put.
    const docs = (service as unknown as { store: FakeDocuments }).store;
    docs.edit(sibling, "v");
    type("a");
    await published((x) => x.uri === uriOf(file) && x.version === 1);
    type("ab");
    await published((x) => x.uri === uriOf(file) && x.version === 2);
    assert.deepEqual(
      sent.filter((s) => s.uri === uriOf(sibling)).map((s) => s.version),
      [1],
    );
    // When an edit elsewhere changes the sibling's findings (as a variable's default does), they are sent.
    linter.messageOf = (input, all) =>
      `${input.text} beside ${all
        .filter((i) => i !== input)
        .map((i) => i.text)
        .join(",")}`;
    type("abc");
    const p = await published((x) => x.uri === uriOf(sibling) && x.diagnostics[0]?.message === "v beside abc");
    assert.equal(p.version, 1);
  });

  it("a burst that never pauses is linted less often the more a lint costs, so the edits (and requests) behind it are not starved", async () => {
    const lintsDuring = async (lintCostMs: number): Promise<number> => {
      let clock = 0;
      const { linter, type } = setup(0, () => clock);
      linter.onLint = () => void (clock += lintCostMs);
      type("a");
      await linter.started(1);
      let text = "a";
      // Two seconds of a change in every turn, 10 ms apart.
      for (let i = 0; i < 200; i++) {
        clock += 10;
        type((text += "x"));
        await turn();
      }
      return linter.calls.length - 1;
    };
    // A cheap lint still runs every 250 ms of such a burst; one that costs a second waits three times its cost.
    assert.ok((await lintsDuring(1)) >= 7, "cheap lints keep diagnostics fresh during a burst");
    assert.equal(await lintsDuring(1000), 0, "a 1 s lint is not repeated within 2 s of changes");
  });
});

describe("hover during a burst of edits", () => {
  /** The finding of each file is on the first "bad" in it. */
  const onBad = (input: SourceInput): Range => {
    const start = input.text.indexOf("bad");
    const lineStarts = computeLineStarts(input.text);
    return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, start + 3), startOffset: start, endOffset: start + 3 };
  };
  const rules = new Map(allRules.map((r) => [r.meta.id, r]));
  const settledWithin = <T>(promise: Promise<T>, turns: number): Promise<T | "still waiting"> =>
    Promise.race([
      promise,
      (async () => {
        for (let i = 0; i < turns; i++) await turn();
        return "still waiting" as const;
      })(),
    ]);

  it("answers from the newest result while a lint of newer edits runs, mapped past what the edits changed", async () => {
    const { file, linter, published, service, type } = setup(0);
    linter.rangeOf = onBad;
    type("ok\nbad\n");
    await published((x) => x.version === 1);
    linter.hold = true;
    // A line typed above the finding: it moves down one line; the lint of the new text has not finished.
    type("ok\nnew\nbad\n");
    await linter.started(2);
    const answer = await settledWithin(
      provideHover(service, rules, file, { line: 2, character: 1 }, (p) => p),
      5,
    );
    assert.notEqual(answer, "still waiting", "the hover waited for the lint");
    assert.ok(answer && answer !== "still waiting");
    assert.deepEqual(answer.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
    // The range is the old result's finding (line 1 of "ok\nbad"), mapped down past the typed line.
    assert.match(JSON.stringify(answer.contents), /immutably `echo`/, "the finding of the result it had");
    // Inside the span the edits changed, nothing is known yet.
    assert.equal(
      await settledWithin(
        provideHover(service, rules, file, { line: 1, character: 1 }, (p) => p),
        5,
      ),
      null,
    );
    linter.calls[1].settle();
  });
});
