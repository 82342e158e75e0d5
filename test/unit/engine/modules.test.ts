// Following module calls: where a call's module is found, what the lint reads for it, and how much work it does.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createLinter, defaultConfig, Linter, type Rule } from "../../../server/src/engine/index.ts";
import { isLocalSource, parseInstalledModules } from "../../../server/src/engine/modules.ts";
import { initParsers } from "../../../server/src/engine/parse.ts";
import { virtualHost } from "../../helpers/rule-tester.ts";

const call = (name: string, source: string, args = "") => `module "${name}" {\n  source = "${source}"\n${args}}\n`;

describe("module sources", () => {
  it("tells local sources from the others", () => {
    for (const s of ["./web", "../web", "../../", ".", "..", ".\\web"]) assert.equal(isLocalSource(s), true, s);
    for (const s of ["terraform-aws-modules/vpc/aws", "git::https://example.com/x.git", "github.com/acme/x", ".web", "s3::https://b/x.zip"])
      assert.equal(isLocalSource(s), false, s);
  });

  it("reads where terraform init installed modules, by key path", () => {
    const text = JSON.stringify({
      Modules: [
        { Key: "", Source: "", Dir: "." },
        { Key: "vpc", Source: "registry.terraform.io/x/vpc/aws", Dir: ".terraform/modules/vpc" },
        { Key: "vpc.sub", Source: "./modules/sub", Dir: ".terraform/modules/vpc/modules/sub" },
      ],
    });
    assert.deepEqual(
      [...parseInstalledModules("/r", text)],
      [
        ["vpc", "/r/.terraform/modules/vpc"],
        ["vpc.sub", "/r/.terraform/modules/vpc/modules/sub"],
      ],
    );
    assert.deepEqual([...parseInstalledModules("/r", "{ not json")], []);
    assert.deepEqual([...parseInstalledModules("/r", '{"Modules": 3}')], []);
  });
});

describe("following module calls", () => {
  before(() => initParsers());

  it("records the called module's files and folder as read by the calling folder", async () => {
    const linter = await createLinter();
    const disk = [
      {
        path: "/r/main.tf",
        text: call("web", "./modules/web", '  image = "ubuntu-22-04-x64"\n') + call("db", "acme/db/aws", '  version = "1.0.0"\n'),
      },
      { path: "/r/modules/web/main.tf", text: 'variable "image" {}\n\nresource "digitalocean_droplet" "this" {\n  image = var.image\n}\n' },
      { path: "/r/modules/web/README.md", text: "# web\n" },
    ];
    const result = await linter.lint([disk[0]], defaultConfig(linter.rules), virtualHost(disk), { skipExactSyntax: true });
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId} ${f.path}:${f.range.start.line + 1}`),
      ["pinned-machine-image /r/main.tf:3"],
    );
    // The module's configuration files are read; a remote call looks for the root's modules.json.
    assert.deepEqual([...new Set(result.reads.map((r) => `${r.dir} ${r.path}`))].sort(), [
      "/r /r/.terraform/modules/modules.json",
      "/r /r/modules/web/main.tf",
    ]);
    assert.deepEqual(result.listings, [{ dir: "/r", folder: "/r/modules/web", names: ["main.tf", "README.md"] }]);
  });

  it("without a host that lists folders, judges every call by its arguments", async () => {
    const linter = await createLinter();
    const disk = [
      { path: "/r/main.tf", text: call("web", "./modules/web", '  image = "ubuntu-22-04-x64"\n') },
      { path: "/r/modules/web/main.tf", text: 'variable "image" {}\n\nresource "digitalocean_droplet" "this" {\n  image = var.image\n}\n' },
    ];
    const result = await linter.lint(
      [disk[0]],
      defaultConfig(linter.rules),
      { readFile: virtualHost(disk).readFile },
      { skipExactSyntax: true },
    );
    assert.deepEqual(
      result.findings.map((f) => f.message),
      [
        'Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
      ],
    );
  });

  it("lints each module instance once: a diamond of calls, and calls that loop", async () => {
    const checks = new Map<string, number>();
    const counter: Rule = {
      meta: {
        id: "count-checks",
        severity: "info",
        recommended: false,
        fix: "none",
        appliesTo: ["terraform"],
        docs: { summary: "", why: "", reportedAt: "", bad: [], good: [], fixSafety: "" },
        options: {},
      },
      check: (context) => void checks.set(context.module.dir, (checks.get(context.module.dir) ?? 0) + 1),
    };
    const linter = new Linter([counter]);
    const config = defaultConfig([counter]);
    config.rules["count-checks"].enabled = true;
    const disk = [
      { path: "/r/main.tf", text: call("a", "./a", '  x = "1"\n') + call("b", "./b", '  x = "2"\n') },
      { path: "/r/a/main.tf", text: 'variable "x" {}\n\n' + call("c", "../c", "  x = var.x\n") },
      { path: "/r/b/main.tf", text: 'variable "x" {}\n\n' + call("c", "../c", "  x = var.x\n") },
      // c calls a again: a → c → a is a loop, and is not followed.
      { path: "/r/c/main.tf", text: 'variable "x" {}\n\n' + call("back", "../a", "  x = var.x\n") },
    ];
    const result = await linter.lint([disk[0]], config, virtualHost(disk), { skipExactSyntax: true });
    assert.deepEqual(result.ruleFailures, []);
    // r once; a and b once each; c once through a and once through b; a again through b → c (not a loop there).
    assert.deepEqual(Object.fromEntries([...checks].sort()), { "/r": 1, "/r/a": 2, "/r/b": 1, "/r/c": 2 });
  });
});
