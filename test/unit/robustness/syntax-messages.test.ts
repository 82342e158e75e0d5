// Regression test: several HashiCorp diagnostics in one file become several hcl-syntax errors, not one run-on message.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initParsers, parseHcl } from "../../../server/src/engine/index.ts";
import { parseHashiCorpDiagnostics, parseWithHashiCorp } from "../../../server/src/engine/hcl/hashicorp.ts";

describe("HashiCorp diagnostics", () => {
  before(() => initParsers());

  // Found by the fuzzer (seed 1, iteration 59): hcl2json separates diagnostics with a space, not
  // ", ", so the first message ran on through 33 others and no other error got its own range.
  it("splits diagnostics that hcl2json separates with a space", async () => {
    const text = 'a = "x\ny"\nb = "p\nq"\n';
    const message = await parseWithHashiCorp("main.tf", text).then(
      () => assert.fail("HashiCorp's parser accepted a multi-line quoted string"),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const errors = parseHashiCorpDiagnostics(parseHcl("/m/main.tf", text), message);
    assert.deepEqual(
      errors.map((e) => [e.range.start.line, e.range.start.character, e.message.split(":")[0]]),
      [
        [0, 6, "Invalid multi-line string"],
        [2, 6, "Invalid multi-line string"],
        [0, 6, "Unterminated template string"],
      ],
    );
    for (const e of errors) assert.doesNotMatch(e.message, /main\.tf:\d/, "a message must not swallow the next diagnostic");
  });

  // A detail may itself name a place in the file ("was already set at main.tf:2,3-4."): only a
  // range followed by ": Summary; " starts the next diagnostic, so the message is kept whole.
  it("keeps a detail that names a location whole", async () => {
    const text = "a {\n  b = 1\n  b = 2\n  c = [1,\n}\n";
    const message = await parseWithHashiCorp("main.tf", text).then(
      () => assert.fail("HashiCorp's parser accepted an argument set twice"),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const errors = parseHashiCorpDiagnostics(parseHcl("/m/main.tf", text), message);
    assert.deepEqual(
      errors.map((e) => e.message),
      [
        'Attribute redefined: The argument "b" was already set at main.tf:2,3-4. Each argument may be set only once.',
        "Invalid expression: Expected the start of an expression, but found an invalid expression token.",
      ],
    );
  });
});
