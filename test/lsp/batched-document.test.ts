// BatchedDocument against the library's document: the same text, positions and offsets after any sequence of edits (line endings, ranges past the end, reversed ranges).
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { BatchedDocument } from "../../server/src/lsp/batched-document.ts";

describe("BatchedDocument", () => {
  it("matches TextDocument on 3,000 random edit sequences", () => {
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const pieces = ["a", "bc", "\n", "\r\n", "\r", "x\ny", "", "é", "\n\n", "\r\r\n"];
    const text = (n: number) => Array.from({ length: n }, () => pieces[random(pieces.length)]).join("");
    for (let round = 0; round < 3000; round++) {
      const initial = text(random(20));
      let expected = TextDocument.create("file:///x", "t", 0, initial);
      const actual = new BatchedDocument("file:///x", "t", 0, initial);
      const steps = 1 + random(12);
      const applied: TextDocumentContentChangeEvent[] = [];
      for (let step = 1; step <= steps; step++) {
        const lines = expected.lineCount;
        const position = () => ({ line: random(lines + 2), character: random(6) });
        const change: TextDocumentContentChangeEvent =
          random(15) === 0 ? { text: text(random(5)) } : { range: { start: position(), end: position() }, text: text(random(3)) };
        // Each change applied to a fresh library document of the text as it stands: the library's own line
        // offsets go wrong after some edits next to a lone CR (NaN offsets), which is not the behaviour to copy.
        const after = TextDocument.update(TextDocument.create("file:///x", "t", step - 1, expected.getText()), [change], step).getText();
        expected = TextDocument.create("file:///x", "t", step, after);
        actual.update([change], step);
        applied.push(change);
        // Reads are sometimes left until the end, so that several edits land in one window.
        if (random(3) === 0 || step === steps) {
          const context = JSON.stringify({ initial, applied });
          assert.equal(actual.getText(), expected.getText(), context);
          assert.equal(actual.lineCount, expected.lineCount, context);
          assert.equal(actual.version, step);
          for (let line = 0; line <= lines + 1; line++)
            assert.equal(actual.offsetAt({ line, character: 2 }), expected.offsetAt({ line, character: 2 }), context);
          for (let offset = 0; offset <= expected.getText().length; offset++)
            assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset), context);
        }
      }
    }
  });

  it("a burst of typing in a 1 MB document builds the whole text once, when it is read, not once per edit", () => {
    const line = `resource "x" "y" { name = "${"n".repeat(40)}" }\n`;
    const doc = new BatchedDocument("file:///x", "t", 1, line.repeat(Math.ceil(1_000_000 / line.length)));
    const create = mock.method(TextDocument, "create");
    try {
      for (let v = 2; v <= 501; v++) {
        const change =
          v % 2 === 0
            ? { range: { start: { line: 700, character: 28 }, end: { line: 700, character: 28 } }, text: "x" }
            : { range: { start: { line: 700, character: 28 }, end: { line: 700, character: 29 } }, text: "" };
        doc.update([change], v);
      }
      const whole = () => create.mock.calls.filter((c) => c.arguments[3].length > 100_000).length;
      assert.equal(whole(), 0, "no whole-text document was built during the burst");
      assert.equal(doc.getText().length, line.repeat(Math.ceil(1_000_000 / line.length)).length);
      assert.equal(whole(), 1);
    } finally {
      create.mock.restore();
    }
  });
});
