// Tests for file-read-refused: the engine reports a file() / templatefile() target it does not read, once per call, at the path argument, and hands the rules nothing of it.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { createLinter, defaultConfig, type HostRead, type LintHost } from "../../../server/src/engine/index.ts";

const ROOT = "/virtual/repo";
const MODULE = path.join(ROOT, "infra");
const SECRET = "apt-get install -y leaked-secret-package";

/** A repository at ROOT holding `files` (absolute path → what the host answers); reads outside it are refused by the engine before the host is asked. */
function hostOf(files: Record<string, HostRead>): LintHost & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readRoot: () => ROOT,
    readFile: (p) => {
      asked.push(p);
      return files[p];
    },
  };
}

async function lint(files: Record<string, string>, host: LintHost, enabled = true) {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  config.rules["file-read-refused"].enabled = enabled;
  const inputs = Object.entries(files).map(([name, text]) => ({ path: path.join(MODULE, name), text }));
  return linter.lint(inputs, config, host, { skipExactSyntax: true });
}

const summary = (
  findings: Array<{
    ruleId: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    message: string;
  }>,
) =>
  findings.map(
    (f) =>
      `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.message}`,
  );

const instance = (name: string, userData: string) =>
  `resource "aws_instance" "${name}" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = ${userData}\n  user_data_replace_on_change = true\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`;

describe("file-read-refused", () => {
  it("a path out of the repository (absolute or ../) is refused at its argument, without asking the host", async () => {
    const host = hostOf({ "/etc/init.sh": SECRET, "/virtual/outside.sh": SECRET });
    const result = await lint(
      { "main.tf": instance("a", 'file("/etc/init.sh")') + instance("b", 'file("${path.module}/../../outside.sh")') },
      host,
    );
    assert.deepEqual(summary(result.findings), [
      `file-read-refused 3:38-3:52 "/etc/init.sh" was not read (outside ${ROOT}), so no rule checked what it holds.`,
      `file-read-refused 12:38-12:71 "../../outside.sh" was not read (outside ${ROOT}), so no rule checked what it holds.`,
    ]);
    assert.deepEqual(host.asked, []);
    assert.deepEqual(result.reads, [], "a refused path is not recorded as read");
  });

  it("the host's reason for a file inside the repository is the finding's (a FIFO, a file over the limit)", async () => {
    const host = hostOf({
      [path.join(MODULE, "pipe.sh")]: { refused: "not a regular file" },
      [path.join(ROOT, "big.sh")]: { refused: "20000 bytes is over the limit of 4096 (setting max_file_bytes)" },
    });
    const result = await lint({ "main.tf": instance("a", 'file("pipe.sh")') + instance("b", 'templatefile("../big.sh", {})') }, host);
    assert.deepEqual(summary(result.findings), [
      'file-read-refused 3:38-3:47 "pipe.sh" was not read (not a regular file), so no rule checked what it holds.',
      'file-read-refused 12:46-12:57 "../big.sh" was not read (20000 bytes is over the limit of 4096 (setting max_file_bytes)), so no rule checked what it holds.',
    ]);
  });

  it("one finding per call, however many resources read it; none for a missing file or a readable one", async () => {
    const host = hostOf({ [path.join(MODULE, "ok.sh")]: "#!/bin/sh\necho hello\n" });
    const result = await lint(
      {
        "main.tf":
          'locals {\n  script = file("/etc/shared.sh")\n}\n\n' +
          instance("a", "local.script") +
          instance("b", "local.script") +
          instance("c", 'file("missing.sh")') +
          instance("d", 'file("ok.sh")'),
      },
      host,
    );
    assert.deepEqual(summary(result.findings), [
      `file-read-refused 2:17-2:33 "/etc/shared.sh" was not read (outside ${ROOT}), so no rule checked what it holds.`,
    ]);
  });

  it("container definitions read through file() are refused the same way", async () => {
    const result = await lint(
      {
        "main.tf":
          'resource "aws_ecs_task_definition" "app" {\n  family                = "app"\n  container_definitions = file("/etc/defs.json")\n}\n',
      },
      hostOf({}),
    );
    assert.deepEqual(summary(result.findings), [
      `file-read-refused 3:32-3:48 "/etc/defs.json" was not read (outside ${ROOT}), so no rule checked what it holds.`,
    ]);
  });

  it("JSON syntax: reported at the path inside the template string", async () => {
    const text =
      '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "user_data": "${file(\\"/etc/init.sh\\")}"\n      }\n    }\n  }\n}\n';
    const result = await lint({ "main.tf.json": text }, hostOf({}));
    const refused = result.findings.filter((f) => f.ruleId === "file-read-refused");
    assert.deepEqual(summary(refused), [
      `file-read-refused 5:30-5:46 "/etc/init.sh" was not read (outside ${ROOT}), so no rule checked what it holds.`,
    ]);
  });

  it("turned off, nothing is reported and nothing is read either", async () => {
    const host = hostOf({});
    const result = await lint({ "main.tf": instance("a", 'file("/etc/init.sh")') }, host, false);
    assert.deepEqual(summary(result.findings), []);
    assert.deepEqual(host.asked, []);
  });

  it("no-inplace-provisioner offers no move to Packer when image.pkr.hcl is there but refused", async () => {
    const host = hostOf({ [path.join(MODULE, "image.pkr.hcl")]: { refused: "not a regular file" } });
    const code =
      'resource "aws_instance" "web" {\n  ami = var.image\n\n  provisioner "remote-exec" {\n    inline = ["sudo apt-get install -y nginx"]\n  }\n}\n';
    const result = await lint({ "main.tf": code }, host);
    const finding = result.findings.find((f) => f.ruleId === "no-inplace-provisioner");
    assert.ok(finding, JSON.stringify(result.findings));
    assert.equal(finding.fix, undefined);
    // Readable, the same template gets the provisioner moved into it.
    const readable = await lint(
      { "main.tf": code },
      hostOf({ [path.join(MODULE, "image.pkr.hcl")]: 'build {\n  sources = ["source.amazon-ebs.web"]\n}\n' }),
    );
    assert.ok(readable.findings.find((f) => f.ruleId === "no-inplace-provisioner")?.fix);
  });
});
