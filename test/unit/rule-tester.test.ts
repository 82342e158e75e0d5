// The rule tester refuses cases that would test less than they seem to.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertWellFormed, type InvalidCase } from "../helpers/rule-tester.ts";

describe("rule tester", () => {
  const error = { line: 1, column: 1, endLine: 1, endColumn: 5, message: "x is wrong. Fix it." };
  it("accepts an error with its whole range and message", () => {
    assertWellFormed({ code: "", errors: [error] });
  });
  it("refuses an invalid case without errors", () => {
    assert.throws(() => assertWellFormed({ code: "", errors: [] }), /at least one error/);
  });
  it("refuses an error without its message, or with an empty one", () => {
    const { message: _, ...withoutMessage } = error;
    assert.throws(() => assertWellFormed({ code: "", errors: [withoutMessage] } as unknown as InvalidCase), /missing "message"/);
    assert.throws(() => assertWellFormed({ code: "", errors: [{ ...error, message: "" }] }), /missing "message"/);
  });
  it("refuses an error without its full range", () => {
    const { endColumn: _, ...withoutEnd } = error;
    assert.throws(() => assertWellFormed({ code: "", errors: [withoutEnd] } as unknown as InvalidCase), /missing "endColumn"/);
  });
});
