// The packages on their own: what the npm tarball and the .vsix hold, and the CLI run from an empty folder where only the tarball was installed.
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { allRules } from "../../server/src/rules/index.ts";
import { packed, ROOT, runIn, type Packed } from "./packed.ts";

let pkg: Packed;
/** A folder inside the user's project (installDir), where npx finds the installed bin. */
let work: string;
before(() => {
  pkg = packed();
  work = fs.mkdtempSync(path.join(pkg.installDir, "package-test-"));
});
after(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * `npx immutably ...` in the user's project. `--no`: never fetch a package from the registry, where
 * the name `immutably` belongs to an unrelated library; without the installed bin this fails. `--`:
 * the options after it are immutably's (`npx --version` is npm's).
 */
const npx = (args: string[], cwd = pkg.installDir) => runIn(cwd, "npx", ["--no", "--", "immutably", ...args]);
/** The same command with the repository's own build, for comparison. */
const repoCli = (args: string[], cwd: string) => runIn(cwd, process.execPath, [path.join(ROOT, "dist/cli.js"), ...args]);

/** A copy of one of the repository's examples, in the user's project. */
function copyExample(name: string): string {
  const dest = path.join(work, name);
  fs.cpSync(path.join(ROOT, "examples", name), dest, {
    recursive: true,
    filter: (src) => !/(^|[\\/])(\.terraform|\.immutably|out)$/.test(src),
  });
  return dest;
}

describe("the tarball", () => {
  it("holds the CLI, its WASM, the docs and nothing else", () => {
    const rules = allRules.map((r) => `docs/rules/${r.meta.id}.md`);
    const expected = [
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "dist/cli-main.js",
      "dist/cli.js",
      "dist/tree-sitter-terraform.wasm",
      "dist/web-tree-sitter.wasm",
      "docs/plan.md",
      "docs/roll.md",
      "package.json",
      ...rules,
    ].sort();
    assert.deepEqual(pkg.files, expected);
  });

  it("has true metadata: no placeholder address, only run-time dependencies", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg.packageDir, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest.repository, undefined, "the project has no public repository address");
    assert.equal(manifest.homepage, undefined);
    for (const f of pkg.files) {
      const text = fs.readFileSync(path.join(pkg.packageDir, f)).toString("latin1");
      assert.doesNotMatch(text, /example\.invalid|github\.com\/immutably\/immutably/, `${f} names an address that does not exist`);
    }
    assert.deepEqual(Object.keys(manifest.dependencies as object), ["@cdktf/hcl2json"]);
    assert.deepEqual(manifest.bin, { immutably: "dist/cli.js" });
  });

  it("declares every package the bundles require at run time", () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const declared = Object.keys(
      (JSON.parse(fs.readFileSync(path.join(pkg.packageDir, "package.json"), "utf8")) as { dependencies: object }).dependencies,
    );
    for (const bundle of ["dist/cli.js", "dist/cli-main.js"]) {
      const text = fs.readFileSync(path.join(pkg.packageDir, bundle), "utf8");
      const required = [...text.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]).filter((m) => !builtins.has(m));
      for (const name of new Set(required))
        assert.ok(declared.includes(name), `${bundle} requires ${name}, which package.json does not declare`);
    }
  });
});

describe("npx immutably from an empty folder with only the tarball installed", () => {
  it("lint: the same findings as the repository's build, exit 1 over --max-warnings, and HashiCorp's parser for a syntax error", () => {
    const dir = copyExample("aws-asg");
    // A syntax error loads @cdktf/hcl2json, the package's one run-time dependency, from the install.
    fs.writeFileSync(path.join(dir, "broken.tf"), 'resource "aws_instance" "x" {\n  ami = [1,\n}\n');
    const mine = npx(["lint", "--format", "json", dir]);
    const reference = repoCli(["lint", "--format", "json", dir], pkg.installDir);
    assert.equal(mine.code, reference.code, mine.stderr);
    assert.deepEqual(JSON.parse(mine.stdout), JSON.parse(reference.stdout));
    const findings = (JSON.parse(mine.stdout) as { findings: Array<{ ruleId: string; message: string }> }).findings;
    assert.ok(
      findings.some((f) => f.ruleId !== "hcl-syntax"),
      "the example's own findings",
    );
    assert.ok(
      findings.some((f) => f.ruleId === "hcl-syntax" && /Missing expression|Invalid expression|Unclosed/i.test(f.message)),
      JSON.stringify(findings),
    );
    assert.equal(npx(["lint", "--max-warnings", "0", dir]).code, 1);
  });

  it("rules: every rule, and --format json names the pages inside the installed package", () => {
    const table = npx(["rules"]);
    assert.equal(table.code, 0, table.stderr);
    for (const r of allRules) assert.match(table.stdout, new RegExp(`^${r.meta.id} `, "m"));
    const json = JSON.parse(npx(["rules", "--format", "json"]).stdout) as Array<{ id: string; docs: string }>;
    assert.equal(json.length, allRules.length);
    for (const r of json) {
      assert.equal(fs.realpathSync(path.dirname(r.docs)), fs.realpathSync(path.join(pkg.packageDir, "docs", "rules")));
      assert.ok(fs.existsSync(r.docs), r.docs);
    }
  });

  it("explain: the rule's page, as in the repository", () => {
    const r = npx(["explain", "pinned-machine-image"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, fs.readFileSync(path.join(ROOT, "docs/rules/pinned-machine-image.md"), "utf8"));
    assert.equal(npx(["explain", "no-such-rule"]).code, 2);
  });

  it("roll --dry-run: the steps of the example generation, changing nothing", () => {
    const dir = copyExample("generation");
    const before = fs.readdirSync(dir, { recursive: true }).sort();
    const r = npx(["roll", "demo", "--dry-run"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^dry run: `immutably roll demo` would run, in order \(nothing is changed\):/);
    assert.match(r.stdout, /packer build .*demo\.pkr\.hcl/);
    assert.match(r.stdout, /terraform apply /);
    assert.equal(r.stdout, repoCli(["roll", "demo", "--dry-run"], dir).stdout);
    assert.deepEqual(fs.readdirSync(dir, { recursive: true }).sort(), before);
  });

  it("--version is the package's version", () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    assert.equal(npx(["--version"]).stdout.trim(), version);
  });
});

describe("the .vsix", () => {
  it("ships the rule pages that diagnostics and hovers link to, beside the server", () => {
    const r = runIn(ROOT, "npx", ["--no", "--", "vsce", "ls"]);
    assert.equal(r.code, 0, r.stderr);
    const files = new Set(r.stdout.split("\n").filter(Boolean));
    for (const f of ["dist/server.js", "dist/client.js", "docs/roll.md", ...allRules.map((rule) => `docs/rules/${rule.meta.id}.md`)])
      assert.ok(files.has(f), f);
    assert.ok(![...files].some((f) => /^(test|server|client|examples)\//.test(f)), "no sources, tests or examples");
  });
});

describe("addresses", () => {
  it("no tracked file names the invented addresses (the project has no public web address)", () => {
    const tracked = runIn(ROOT, "git", ["ls-files", "-z"]).stdout.split("\0").filter(Boolean);
    // Reserved test hosts (web.example.invalid in the roll's redaction tests) are fine; the project's own invented address is not.
    const invented = ["example" + ".invalid/immutably", "github.com/" + "immutably/"];
    for (const f of tracked) {
      const full = path.join(ROOT, f);
      if (!fs.statSync(full).isFile()) continue;
      const text = fs.readFileSync(full, "latin1");
      for (const address of invented) assert.ok(!text.includes(address), `${f} names ${address}`);
    }
  });
});
