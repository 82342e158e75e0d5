// Engine behaviour: value resolution order, suppressions, configuration errors, fixes, module grouping.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ConfigurationError,
  createLinter,
  defaultConfig,
  parseConfig,
  unusedSuppressionFindings,
  type SourceInput,
} from "../../../server/src/engine/index.ts";
import { overlayRuleLevels } from "../../../server/src/engine/config.ts";
import { Resolver } from "../../../server/src/engine/resolve.ts";
import { attr, computeLineStarts } from "../../../server/src/engine/model.ts";

const host = { readFile: () => undefined };
const cbdOnly = async () => {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === "require-create-before-destroy";
  return { linter, config };
};

describe("resolver", () => {
  it("resolves var defaults, tfvars (auto files in lexical order, later wins) and local chains with origins", async () => {
    const linter = await createLinter();
    const inputs: SourceInput[] = [
      {
        path: "/m/main.tf",
        text: 'locals {\n  image = "${var.base}-${local.suffix}"\n  suffix = "v2"\n}\nresource "x" "y" {\n  a = local.image\n  b = var.only_default\n}\n',
      },
      {
        path: "/m/variables.tf",
        text: 'variable "base" {\n  default = "from-default"\n}\nvariable "only_default" {\n  default = "d"\n}\n',
      },
      { path: "/m/terraform.tfvars", text: 'base = "from-tfvars"\n' },
      { path: "/m/b.auto.tfvars", text: 'base = "from-b-auto"\n' },
      { path: "/m/a.auto.tfvars.json", text: '{ "base": "from-a-auto-json" }\n' },
      { path: "/m/other.tfvars", text: 'base = "never-applied"\n' },
    ];
    const { modules } = linter.buildModules(inputs, defaultConfig(linter.rules));
    assert.equal(modules.length, 1);
    assert.deepEqual(
      modules[0].varFiles.map((f) => f.path),
      ["/m/terraform.tfvars", "/m/a.auto.tfvars.json", "/m/b.auto.tfvars"],
    );
    const resolver = new Resolver(modules[0]);
    const main = modules[0].files.find((f) => f.path === "/m/main.tf")!;
    const y = main.body.blocks.find((b) => b.type === "resource")!;
    const a = resolver.resolve(attr(y.body, "a")!.expr, main)!;
    assert.equal(a.value, "from-b-auto-v2");
    assert.equal(a.origin?.path, "/m/b.auto.tfvars");
    const b = resolver.resolve(attr(y.body, "b")!.expr, main)!;
    assert.equal(b.value, "d");
    assert.equal(b.origin?.description, 'default of variable "only_default"');
  });

  it("gives up on reference cycles instead of looping", async () => {
    const linter = await createLinter();
    const { modules } = linter.buildModules(
      [{ path: "/m/main.tf", text: "locals {\n  a = local.b\n  b = local.a\n}\n" }],
      defaultConfig(linter.rules),
    );
    const file = modules[0].files[0];
    assert.equal(new Resolver(modules[0]).resolve(attr(file.body.blocks[0].body, "a")!.expr, file), undefined);
  });
});

describe("suppressions", () => {
  const droplet = (before: string, trailing = "") => `${before}resource "digitalocean_droplet" "web" {${trailing}\n  image = "x"\n}\n`;
  it("a comment above a block header covers the block; unused ones are reported", async () => {
    const { linter, config } = await cbdOnly();
    const r = await linter.lint(
      [{ path: "/m/main.tf", text: droplet("# immutably-ignore: require-create-before-destroy -- reason\n") }],
      config,
      host,
    );
    assert.deepEqual(r.findings, []);
    assert.equal(r.unusedSuppressions.length, 0);
    const r2 = await linter.lint([{ path: "/m/main.tf", text: droplet("# immutably-ignore: pinned-machine-image\n") }], config, host);
    assert.equal(r2.findings.length, 1);
    assert.equal(r2.unusedSuppressions.length, 1);
  });
  it("an unused suppression is one unused-ignore finding at the comment, naming only the ids that can be judged", async () => {
    const { linter, config } = await cbdOnly();
    const text = droplet("# immutably-ignore: require-create-before-destroy, pinned-machine-image, plan-in-place-update\n");
    const r = await linter.lint([{ path: "/m/main.tf", text }], config, host);
    const judged = (id: string) => id !== "plan-in-place-update";
    assert.deepEqual(unusedSuppressionFindings(r.unusedSuppressions, judged, "warning"), [
      {
        ruleId: "unused-ignore",
        severity: "warning",
        message: "Suppression of pinned-machine-image suppresses nothing; remove it.",
        path: "/m/main.tf",
        range: r.unusedSuppressions[0].range,
      },
    ]);
    assert.equal(r.unusedSuppressions[0].range.start.line, 0);
    assert.deepEqual(
      unusedSuppressionFindings(r.unusedSuppressions, (id) => id === "require-create-before-destroy", "warning"),
      [],
      "the used id is never reported",
    );
  });
  it("same-line //, file-wide and JSON file-wide suppressions", async () => {
    const { linter, config } = await cbdOnly();
    assert.deepEqual(
      (await linter.lint([{ path: "/m/main.tf", text: droplet("", " // immutably-ignore: require-create-before-destroy") }], config, host))
        .findings,
      [],
    );
    assert.deepEqual(
      (
        await linter.lint(
          [{ path: "/m/main.tf", text: droplet("") + "# immutably-ignore-file: require-create-before-destroy\n" }],
          config,
          host,
        )
      ).findings,
      [],
    );
    const json = '{\n  "//": "immutably-ignore-file: require-create-before-destroy",\n  "resource": { "aws_instance": { "web": {} } }\n}\n';
    assert.deepEqual((await linter.lint([{ path: "/m/main.tf.json", text: json }], config, host)).findings, []);
  });
  it("a comment two lines above does not suppress", async () => {
    const { linter, config } = await cbdOnly();
    const r = await linter.lint(
      [{ path: "/m/main.tf", text: droplet("# immutably-ignore: require-create-before-destroy\n\n") }],
      config,
      host,
    );
    assert.equal(r.findings.length, 1);
  });
});

describe("configuration", () => {
  it("sets severity, options and ignore_paths", async () => {
    const linter = await createLinter();
    const c = parseConfig(
      "/c/.immutably.hcl",
      'ignore_paths = ["legacy/**"]\nrule "require-create-before-destroy" {\n  severity = "error"\n  exclude = ["aws_instance"]\n}\ngeneration "web" {\n  anything = 1\n}\n',
      linter.rules,
    );
    assert.deepEqual(c.ignorePaths, ["legacy/**"]);
    assert.equal(c.rules["require-create-before-destroy"].severity, "error");
    assert.deepEqual(c.rules["require-create-before-destroy"].options.exclude, ["aws_instance"]);
  });
  it("names file, line and attribute for unknown rules, options and wrong types", async () => {
    const linter = await createLinter();
    const text =
      'rule "no-such-rule" {}\nrule "require-create-before-destroy" {\n  severity = "loud"\n  exclud = []\n  resources = "aws_instance"\n}\nbogus = 1\n';
    assert.throws(
      () => parseConfig("/c/.immutably.hcl", text, linter.rules),
      (e: unknown) => {
        assert.ok(e instanceof ConfigurationError);
        const lines = e.errors.map((x) => `${x.line}:${x.column} ${x.message}`);
        assert.equal(lines.length, 5);
        assert.match(lines[0], /^7:1 unknown setting "bogus"/);
        assert.match(lines[1], /^1:1 unknown rule "no-such-rule"/);
        assert.match(lines[2], /^3:3 rule "require-create-before-destroy": "severity" must be one of error, warning, info, got "loud"/);
        assert.match(lines[3], /^4:3 rule "require-create-before-destroy" has no option "exclud"/);
        assert.match(lines[4], /^5:3 .*option "resources" must be a list of strings, got string/);
        return true;
      },
    );
  });
  it("reports syntax errors in the configuration", async () => {
    const linter = await createLinter();
    assert.throws(() => parseConfig("/c/.immutably.hcl", 'rule "x" {\n', linter.rules), ConfigurationError);
  });
  it("editor levels overlay the file and unknown ids are returned", async () => {
    const linter = await createLinter();
    const { config, unknown } = overlayRuleLevels(defaultConfig(linter.rules), {
      "require-create-before-destroy": "off",
      "hcl-syntax": "warning",
      nope: "error",
    });
    assert.equal(config.rules["require-create-before-destroy"].enabled, false);
    assert.equal(config.rules["hcl-syntax"].severity, "warning");
    assert.deepEqual(unknown, ["nope"]);
  });
});

describe("fixing", () => {
  it("fixing twice equals fixing once", async () => {
    const { linter, config } = await cbdOnly();
    const input = { path: "/m/main.tf", text: 'resource "aws_instance" "a" {\n}\nresource "aws_instance" "b" {\n  lifecycle {\n  }\n}\n' };
    const once = (await linter.fix([input], config, host)).changed.get(input.path)!;
    assert.ok(once);
    const twice = await linter.fix([{ path: input.path, text: once }], config, host);
    assert.equal(twice.changed.size, 0);
    assert.deepEqual(twice.result.findings, []);
  });
  it("groups a directory's Terraform and Packer files into separate modules", async () => {
    const linter = await createLinter();
    const { modules } = linter.buildModules(
      [
        { path: "/m/main.tf", text: "" },
        { path: "/m/web.pkr.hcl", text: "" },
        { path: "/m/legacy.json", text: '{"builders": [{"type": "docker"}]}' },
        { path: "/m/package.json", text: '{"name": "x"}' },
      ],
      defaultConfig(linter.rules),
    );
    assert.deepEqual(modules.map((m) => `${m.kind}${m.legacyPacker ? " legacy" : ""} ${m.files.map((f) => f.path).join(",")}`).sort(), [
      "packer /m/web.pkr.hcl",
      "packer legacy /m/legacy.json",
      "terraform /m/main.tf",
    ]);
  });
});

describe("computeLineStarts", () => {
  it("treats LF, CRLF and a lone CR each as one line end, with and without carriage returns in the text", () => {
    assert.deepEqual(computeLineStarts("a\nb\n\nc"), [0, 2, 4, 5]);
    assert.deepEqual(computeLineStarts("a\r\nb\rc\n"), [0, 3, 5, 7]);
    assert.deepEqual(computeLineStarts(""), [0]);
    assert.deepEqual(computeLineStarts("\n"), [0, 1]);
  });
});
