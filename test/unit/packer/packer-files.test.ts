// Tests for how Packer files (legacy JSON, HCL2 JSON, HCL) are read into the model, grouped into modules and resolved.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createLinter, defaultConfig, initParsers, parseJson, type Linter } from "../../../server/src/engine/index.ts";
import { legacyPackerLayout, packerJsonLayout, terraformJsonLayout } from "../../../server/src/engine/hcl/json.ts";
import { attr, literalValue, type Block } from "../../../server/src/engine/model.ts";
import { Resolver } from "../../../server/src/engine/resolve.ts";

const typeOf = (b: Block) => {
  const t = attr(b.body, "type");
  return t ? literalValue(t.expr) : undefined;
};

describe("legacy Packer JSON layout", () => {
  before(() => initParsers());

  it("makes each builders entry a label-less block with its JSON path", () => {
    const file = parseJson(
      "t.json",
      '{\n  "builders": [\n    {"type": "amazon-ebs", "ami_name": "web"},\n    {"type": "googlecompute"}\n  ]\n}\n',
      legacyPackerLayout,
    );
    const builders = file.body.blocks.filter((b) => b.type === "builders");
    assert.deepEqual(builders.map(typeOf), ["amazon-ebs", "googlecompute"]);
    assert.deepEqual(
      builders.map((b) => b.jsonPath),
      [
        ["builders", 0],
        ["builders", 1],
      ],
    );
    assert.deepEqual(builders[0].labels, []);
    // The block reports at the "builders" key, as every JSON block does at the key that opens it.
    assert.deepEqual(builders[0].headerRange.start, { line: 1, character: 2 });
    assert.equal(literalValue(attr(builders[0].body, "ami_name")!.expr), "web");
  });

  it("represents bare-string post-processors as blocks with a type attribute at the string", () => {
    const text = '{"builders": [{"type": "null"}], "post-processors": ["manifest", {"type": "checksum"}]}';
    const file = parseJson("t.json", text, legacyPackerLayout);
    const pps = file.body.blocks.filter((b) => b.type === "post-processors");
    assert.deepEqual(pps.map(typeOf), ["manifest", "checksum"]);
    assert.deepEqual(
      pps.map((b) => b.jsonPath),
      [
        ["post-processors", 0],
        ["post-processors", 1],
      ],
    );
    const typeAttr = attr(pps[0].body, "type")!;
    assert.equal(text.slice(typeAttr.range.startOffset, typeAttr.range.endOffset), '"manifest"');
  });

  it("represents each member of a post-processor chain as a block with the chain index in its path", () => {
    const text =
      '{"builders": [{"type": "docker"}], "post-processors": [[{"type": "docker-tag", "repository": "r"}, "manifest"], "checksum"]}';
    const file = parseJson("t.json", text, legacyPackerLayout);
    const pps = file.body.blocks.filter((b) => b.type === "post-processors");
    assert.deepEqual(pps.map(typeOf), ["docker-tag", "manifest", "checksum"]);
    assert.deepEqual(
      pps.map((b) => b.jsonPath),
      [
        ["post-processors", 0, 0],
        ["post-processors", 0, 1],
        ["post-processors", 1],
      ],
    );
  });

  it("keeps variables as a plain attribute and ignores non-object builders entries", () => {
    const file = parseJson("t.json", '{"variables": {"region": "eu-west-1"}, "builders": [42, {"type": "null"}]}', legacyPackerLayout);
    assert.deepEqual(literalValue(attr(file.body, "variables")!.expr), { region: "eu-west-1" });
    assert.deepEqual(
      file.body.blocks.map((b) => b.jsonPath),
      [["builders", 1]],
    );
  });

  it("does not apply the shorthand or chains outside legacy templates", () => {
    // In HCL2 JSON and Terraform JSON a string or nested array is never a block.
    const pkr = parseJson("a.pkr.json", '{"build": {"post-processors": [["manifest"]]}}', packerJsonLayout);
    assert.deepEqual(
      pkr.body.blocks[0].body.blocks.filter((b) => b.type === "post-processors"),
      [],
    );
    const tf = parseJson("a.tf.json", '{"resource": {"aws_instance": {"a": {"lifecycle": [["x"]]}}}}', terraformJsonLayout);
    assert.deepEqual(tf.body.blocks[0].body.blocks, []);
  });
});

describe("Packer modules", () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });

  it("groups the .pkr.hcl and .pkr.json files of a directory into one packer module with its auto var files", () => {
    const { modules } = linter.buildModules(
      [
        { path: "/r/img/build.pkr.hcl", text: "build {\n}\n" },
        { path: "/r/img/sources.pkr.json", text: '{"source": {}}' },
        { path: "/r/img/b.auto.pkrvars.hcl", text: 'x = "b"\n' },
        { path: "/r/img/a.auto.pkrvars.hcl", text: 'x = "a"\n' },
        { path: "/r/img/prod.pkrvars.hcl", text: 'x = "p"\n' },
        { path: "/r/img/main.tf", text: "" },
      ],
      defaultConfig(linter.rules),
    );
    const packer = modules.filter((m) => m.kind === "packer");
    assert.equal(packer.length, 1);
    assert.deepEqual(
      packer[0].files.map((f) => f.path),
      ["/r/img/build.pkr.hcl", "/r/img/sources.pkr.json"],
    );
    // Only *.auto.pkrvars.hcl apply without -var-file, in lexical order.
    assert.deepEqual(
      packer[0].varFiles.map((f) => f.path),
      ["/r/img/a.auto.pkrvars.hcl", "/r/img/b.auto.pkrvars.hcl"],
    );
    assert.equal(modules.filter((m) => m.kind === "terraform").length, 1);
  });

  it("makes each legacy JSON template its own module and ignores other JSON", () => {
    const { modules } = linter.buildModules(
      [
        { path: "/r/img/web.json", text: '{"builders": [{"type": "null"}]}' },
        { path: "/r/img/db.json", text: '{"builders": [{"type": "null"}]}' },
        { path: "/r/img/package.json", text: '{"name": "x", "builders": "not an array"}' },
      ],
      defaultConfig(linter.rules),
    );
    assert.deepEqual(
      modules.map((m) => [m.kind, m.legacyPacker, m.files.map((f) => f.path)]),
      [
        ["packer", true, ["/r/img/db.json"]],
        ["packer", true, ["/r/img/web.json"]],
      ],
    );
  });
});

describe("Packer variable defaults", () => {
  let linter: Linter;
  before(async () => {
    linter = await createLinter();
  });

  /** Resolves `var.<name>` in a one-file module built from `path` and `text`. */
  function resolveVar(path: string, text: string, name: string) {
    const config = defaultConfig(linter.rules);
    const { modules } = linter.buildModules([{ path, text }], config);
    const file = modules[0].files[0];
    const expr = { kind: "traversal" as const, root: "var", path: [name], range: file.body.blocks[0].range };
    return new Resolver(modules[0]).resolve(expr, file);
  }

  it("reads defaults from a `variables` block in HCL and in HCL2 JSON", () => {
    const hcl = resolveVar("/r/a.pkr.hcl", "variables {\n  force = true\n}\n", "force");
    assert.equal(hcl?.value, true);
    assert.equal(hcl?.origin?.description, 'default of variable "force"');
    assert.equal(resolveVar("/r/a.pkr.json", '{"variables": {"region": "eu-west-1"}}', "region")?.value, "eu-west-1");
  });

  it("leaves a `variables` block in Terraform alone (Terraform has no such block)", () => {
    assert.equal(resolveVar("/r/main.tf", "variables {\n  force = true\n}\n", "force"), undefined);
  });
});
