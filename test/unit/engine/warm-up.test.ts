// The language server's warm-up edits a built-in document in memory and leaves nothing behind.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import {
  pickSample,
  SAMPLE_MAX_CHARS,
  sampleEdit,
  WARM_UP_PATH,
  warmUpDocument,
  warmUpEdit,
  warmUpEditPath,
} from "../../../server/src/lsp/warm-up.ts";

describe("warm-up of the edit path", () => {
  it("lints the edits it was asked for and drops the document from the parse cache afterwards", async () => {
    const linter = await createLinter();
    linter.enableParseCache();
    let yields = 0;
    const result = await warmUpEditPath(linter, defaultConfig(linter.rules), { edits: 12, yieldTo: async () => void yields++ });
    assert.equal(result.edits, 12);
    assert.equal(yields, 12, "it yields before every edit, so that real requests are served in between");
    assert.equal(linter.isCached(WARM_UP_PATH), false, "nothing is kept for the warm-up document");
  });

  it("stops when told to, and still cleans up", async () => {
    const linter = await createLinter();
    linter.enableParseCache();
    let calls = 0;
    const result = await warmUpEditPath(linter, defaultConfig(linter.rules), { edits: 50, stop: () => ++calls > 3 });
    assert.equal(result.edits, 3);
    assert.equal(linter.isCached(WARM_UP_PATH), false);
  });

  it("edits a document the rules have work on, and every edited text still parses", async () => {
    const linter = await createLinter();
    const config = defaultConfig(linter.rules);
    const base = warmUpDocument();
    for (let i = 0; i < 4; i++) {
      const result = await linter.lint([{ path: WARM_UP_PATH, text: warmUpEdit(base, i) }], config, { readFile: () => undefined });
      assert.deepEqual(
        result.findings.filter((f) => f.ruleId === "hcl-syntax"),
        [],
        `edit ${i} leaves valid HCL`,
      );
      const rules = new Set(result.findings.map((f) => f.ruleId));
      for (const id of ["require-user-data-replace", "pinned-machine-image", "require-create-before-destroy"])
        assert.ok(rules.has(id), `edit ${i}: ${id} runs and reports`);
    }
    assert.notEqual(warmUpEdit(base, 0), base);
    assert.notEqual(warmUpEdit(base, 2), base);
  });

  it("forgetCached releases a kept tree and reports whether anything was kept", async () => {
    const linter = await createLinter();
    linter.enableParseCache();
    const config = defaultConfig(linter.rules);
    const keep = new Set(["/w/main.tf"]);
    await linter.lint(
      [{ path: "/w/main.tf", text: warmUpDocument(4) }],
      config,
      { readFile: () => undefined },
      { keepTreesFor: keep, skipExactSyntax: true },
    );
    assert.equal(linter.isCached("/w/main.tf"), true);
    assert.equal(linter.forgetCached("/w/main.tf"), true);
    assert.equal(linter.isCached("/w/main.tf"), false);
    assert.equal(linter.forgetCached("/w/main.tf"), false);
    // Linting it again parses from scratch and gives the same findings.
    const again = await linter.lint(
      [{ path: "/w/main.tf", text: warmUpDocument(4) }],
      config,
      { readFile: () => undefined },
      { keepTreesFor: keep, skipExactSyntax: true },
    );
    assert.ok(again.findings.length > 0);
  });
});

describe("warm-up on a copy of an open document", () => {
  const DOC = [
    '\uFEFFresource "aws_instance" "app" {',
    '  ami       = "ami-0123456789abcdef0"',
    "  user_data = <<-EOT",
    "    #!/bin/sh",
    "    echo ready",
    "  EOT",
    "  tags = {",
    '    Name = "app"',
    "  }",
    "}",
    "",
  ].join("\n");

  it("edits the copy at its start (after a BOM) and at a line start in its middle, and every edited text still parses", async () => {
    const linter = await createLinter();
    const config = defaultConfig(linter.rules);
    const edited = [0, 1, 2, 3].map((i) => sampleEdit(DOC, i));
    assert.equal(edited[1], DOC);
    assert.equal(edited[3], DOC);
    assert.ok(edited[0].startsWith("\uFEFF# immutably warm-up\n"), "inserted after the BOM");
    const middle = edited[2].indexOf("# immutably warm-up\n");
    assert.ok(middle > DOC.length / 2 - 40 && edited[2][middle - 1] === "\n", "inserted at a line start near the middle");
    for (const text of edited) {
      const result = await linter.lint([{ path: WARM_UP_PATH, text }], config, { readFile: () => undefined });
      assert.deepEqual(
        result.findings.filter((f) => f.ruleId === "hcl-syntax"),
        [],
      );
      assert.ok(
        result.findings.some((f) => f.ruleId === "require-user-data-replace"),
        "the rules still see the resource",
      );
    }
  });

  it("picks the largest open .tf or .pkr.hcl document within the size cap, and none smaller than the built-in document", () => {
    const builtIn = warmUpDocument().length;
    const docs = [
      { path: "/w/a.tf", text: "x".repeat(builtIn + 100) },
      { path: "/w/b.pkr.hcl", text: "x".repeat(builtIn + 200) },
      { path: "/w/c.tf.json", text: "x".repeat(builtIn + 300) },
      { path: "/w/d.tfvars", text: "x".repeat(builtIn + 400) },
      { path: "/w/e.tf", text: "x".repeat(SAMPLE_MAX_CHARS + 1) },
      { path: "/w/f.tf", text: "x".repeat(builtIn - 1) },
    ];
    assert.equal(pickSample(docs)?.path, "/w/b.pkr.hcl");
    assert.equal(pickSample(docs.slice(2)), undefined, "JSON, tfvars, oversized and small documents are not used");
  });

  it("lints the copy's edits, hands each edit's findings to the conversion, and keeps nothing", async () => {
    const linter = await createLinter();
    linter.enableParseCache();
    const converted: number[] = [];
    const result = await warmUpEditPath(linter, defaultConfig(linter.rules), {
      edits: 8,
      sample: DOC,
      convert: (findings) => converted.push(findings.length),
      yieldTo: async () => undefined,
    });
    assert.equal(result.edits, 8);
    assert.equal(converted.length, 8);
    assert.ok(
      converted.every((n) => n > 0),
      "each edit of the copy has findings to convert",
    );
    assert.equal(linter.isCached(WARM_UP_PATH), false);
  });
});
