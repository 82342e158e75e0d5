// Tests for packer-unique-image-name (HCL, HCL2 JSON and legacy JSON; every fixed template checked by packer validate).
import assert from "node:assert/strict";
import { it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { validateWithPacker } from "../../helpers/packer.ts";
import { ruleTester, type Validator } from "../../helpers/rule-tester.ts";

/** The image name expressions of a Packer HCL template's sources (top-level and in builds), as written. */
function imageNames(text: string): string[] {
  return [...text.matchAll(/^\s*(?:ami_name|image_name|managed_image_name|snapshot_name|vm_name)\s*=\s*(.+)$/gm)].map((m) => m[1]);
}

/**
 * packer validate -syntax-only on every fixed output of the file alone (so it holds when each file is
 * built alone), and for HCL a full evaluation of the fixed names with the file's locals (which
 * -syntax-only does not evaluate): the inline build time must evaluate in Packer itself.
 */
const validateFixedTemplate: Validator = async (filename, text) => {
  const hcl = filename.endsWith(".pkr.hcl");
  const result = await validateWithPacker(filename, text, { evaluate: hcl ? imageNames(text) : [] });
  if (hcl) assert.ok(result.evaluatedLocals, `packer did not evaluate the names of the fixed ${filename}`);
};

const TS_LOCAL = 'locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }\n';
const BUILD_TIME = '${formatdate("YYYYMMDDhhmmss", timestamp())}';
const amazon = (name: string) => `source "amazon-ebs" "web" {\n  ami_name = ${name}\n  region   = "eu-west-1"\n}\n`;

ruleTester(
  "packer-unique-image-name",
  {
    valid: [
      { name: "local timestamp", filename: "web.pkr.hcl", code: TS_LOCAL + amazon('"web-${local.timestamp}"') },
      { name: "timestamp() in the template", filename: "web.pkr.hcl", code: amazon('"web-${timestamp()}"') },
      { name: "formatdate", filename: "web.pkr.hcl", code: amazon('"web-${formatdate("YYYYMMDDhhmmss", timestamp())}"') },
      {
        name: "uuidv4 on googlecompute",
        filename: "web.pkr.hcl",
        code: 'source "googlecompute" "web" {\n  image_name = "web-${uuidv4()}"\n}\n',
      },
      {
        name: "a variable the roll sets",
        filename: "web.pkr.hcl",
        code: 'variable "snapshot_name" {\n  type = string\n}\nsource "digitalocean" "web" {\n  snapshot_name = var.snapshot_name\n}\n',
      },
      { name: "Go template timestamp still works in HCL2", filename: "web.pkr.hcl", code: amazon('"web-{{timestamp}}"') },
      { name: "function of unknown value is not judged", filename: "web.pkr.hcl", code: amazon("lower(source.name)") },
      {
        name: "name left to the builder's default",
        filename: "web.pkr.hcl",
        code: 'source "googlecompute" "web" {\n  zone = "europe-west1-b"\n}\n',
      },
      {
        name: "builder without an image name attribute",
        filename: "web.pkr.hcl",
        code: 'source "docker" "web" {\n  image  = "ubuntu:22.04"\n  commit = true\n}\n',
      },
      {
        name: "skip_create_ami: the build makes no image",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "test" {\n  ami_name        = "web"\n  skip_create_ami = true\n}\n',
      },
      {
        name: "skip_create_image through a variable, on googlecompute and azure-arm",
        filename: "web.pkr.hcl",
        code:
          'variable "dry_run" {\n  default = true\n}\n\nsource "googlecompute" "web" {\n  image_name        = "web"\n  skip_create_image = var.dry_run\n}\n\n' +
          'source "azure-arm" "web" {\n  managed_image_name = "web"\n  skip_create_image  = var.dry_run\n}\n',
      },
      {
        name: "a build's source that skips the image of the source it extends",
        filename: "web.pkr.hcl",
        code:
          amazon('"web-${uuidv4()}"') +
          '\nbuild {\n  source "source.amazon-ebs.web" {\n    ami_name        = "web-test"\n    skip_create_ami = true\n  }\n}\n',
      },
      {
        name: "a build overrides the constant name of a top-level source",
        filename: "web.pkr.hcl",
        code: amazon('"base"') + 'build {\n  source "source.amazon-ebs.web" {\n    ami_name = "web-${uuidv4()}"\n  }\n}\n',
      },
      {
        name: "provisioners are never flagged",
        filename: "web.pkr.hcl",
        code:
          amazon('"web-${uuidv4()}"') +
          'build {\n  sources = ["source.amazon-ebs.web"]\n  provisioner "shell" {\n    inline = ["echo vm_name = constant"]\n  }\n}\n',
      },
      {
        name: "HCL2 JSON with a local",
        filename: "web.pkr.json",
        code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web-${local.timestamp}"\n      }\n    }\n  }\n}\n',
      },
      {
        name: "legacy JSON timestamp, uuid, isotime and user variables",
        filename: "template.json",
        code:
          '{\n  "builders": [\n    {"type": "amazon-ebs", "ami_name": "web-{{timestamp}}"},\n    {"type": "googlecompute", "image_name": "web-{{uuid}}"},\n' +
          '    {"type": "azure-arm", "managed_image_name": "web-{{isotime \\"20060102\\"}}"},\n    {"type": "hcloud", "snapshot_name": "{{user `name`}}"}\n  ]\n}\n',
      },
    ],
    invalid: [
      {
        name: "constant ami_name: the build time is appended inline",
        filename: "web.pkr.hcl",
        code: amazon('"web"'),
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 19,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output: amazon(`"web-${BUILD_TIME}"`),
      },
      {
        name: "skip_create_ami = false still makes an image",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "web" {\n  ami_name        = "web"\n  skip_create_ami = false\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 26,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output: `source "amazon-ebs" "web" {\n  ami_name        = "web-${BUILD_TIME}"\n  skip_create_ami = false\n}\n`,
      },
      {
        name: "a timestamp local in the same file is reused",
        filename: "web.pkr.hcl",
        code: 'locals {\n  timestamp = formatdate("YYYYMMDD", timestamp())\n}\n\n' + amazon('"web"'),
        errors: [
          {
            line: 6,
            column: 3,
            endLine: 6,
            endColumn: 19,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output: 'locals {\n  timestamp = formatdate("YYYYMMDD", timestamp())\n}\n\n' + amazon('"web-${local.timestamp}"'),
      },
      {
        name: "a timestamp local in another file of the folder is not used: each file may be built alone",
        filename: "web.pkr.hcl",
        files: { "locals.pkr.hcl": TS_LOCAL },
        code: amazon('"web"'),
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 19,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output: amazon(`"web-${BUILD_TIME}"`),
      },
      {
        name: "every builder type",
        filename: "images.pkr.hcl",
        code:
          'source "googlecompute" "web" {\n  image_name = "web"\n}\n\nsource "azure-arm" "web" {\n  managed_image_name = "web"\n}\n\n' +
          'source "vsphere-iso" "web" {\n  vm_name = "web"\n}\n\nsource "qemu" "web" {\n  vm_name = "web.qcow2"\n}\n\nsource "hcloud" "web" {\n  snapshot_name = "web"\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 21,
            message:
              "image_name of source googlecompute.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
          {
            line: 6,
            column: 3,
            endLine: 6,
            endColumn: 29,
            message:
              "managed_image_name of source azure-arm.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
          {
            line: 10,
            column: 3,
            endLine: 10,
            endColumn: 18,
            message:
              "vm_name of source vsphere-iso.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
          {
            line: 14,
            column: 3,
            endLine: 14,
            endColumn: 24,
            message:
              "vm_name of source qemu.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
          {
            line: 18,
            column: 3,
            endLine: 18,
            endColumn: 24,
            message:
              "snapshot_name of source hcloud.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output:
          `source "googlecompute" "web" {\n  image_name = "web-${BUILD_TIME}"\n}\n\nsource "azure-arm" "web" {\n  managed_image_name = "web-${BUILD_TIME}"\n}\n\n` +
          `source "vsphere-iso" "web" {\n  vm_name = "web-${BUILD_TIME}"\n}\n\nsource "qemu" "web" {\n  vm_name = "web.qcow2-${BUILD_TIME}"\n}\n\nsource "hcloud" "web" {\n  snapshot_name = "web-${BUILD_TIME}"\n}\n`,
      },
      {
        name: "a constant override inside a build",
        filename: "web.pkr.hcl",
        code: amazon('"web-${uuidv4()}"') + '\nbuild {\n  source "source.amazon-ebs.web" {\n    ami_name = "web-fixed"\n  }\n}\n',
        errors: [
          {
            line: 8,
            column: 5,
            endLine: 8,
            endColumn: 27,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output:
          amazon('"web-${uuidv4()}"') + `\nbuild {\n  source "source.amazon-ebs.web" {\n    ami_name = "web-fixed-${BUILD_TIME}"\n  }\n}\n`,
      },
      {
        name: "CRLF line endings are kept",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "web" {\r\n  ami_name = "web"\r\n}\r\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 19,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output: `source "amazon-ebs" "web" {\r\n  ami_name = "web-${BUILD_TIME}"\r\n}\r\n`,
      },
      {
        name: "HCL2 JSON: reports at the key, escapes the quotes of the inline build time",
        filename: "web.pkr.json",
        code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web"\n      }\n    }\n  }\n}\n',
        errors: [
          {
            line: 5,
            column: 9,
            endLine: 5,
            endColumn: 19,
            message:
              "ami_name of source amazon-ebs.web is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output:
          '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web-${formatdate(\\"YYYYMMDDhhmmss\\", timestamp())}"\n      }\n    }\n  }\n}\n',
      },
      {
        name: "legacy JSON: appends {{timestamp}} to each builder's name",
        filename: "template.json",
        code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web"\n    },\n    {\n      "type": "digitalocean",\n      "snapshot_name": "web {{build_name}}"\n    }\n  ]\n}\n',
        errors: [
          {
            line: 5,
            column: 7,
            endLine: 5,
            endColumn: 17,
            message:
              "ami_name of the amazon-ebs builder is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
          {
            line: 9,
            column: 7,
            endLine: 9,
            endColumn: 22,
            message:
              "snapshot_name of the digitalocean builder is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output:
          '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}"\n    },\n    {\n      "type": "digitalocean",\n      "snapshot_name": "web {{build_name}}-{{timestamp}}"\n    }\n  ]\n}\n',
      },
      {
        name: "legacy JSON with skip_create_ami in one builder",
        filename: "template.json",
        code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "test",\n      "skip_create_ami": true\n    },\n    {\n      "type": "googlecompute",\n      "image_name": "web"\n    }\n  ]\n}\n',
        errors: [
          {
            line: 10,
            column: 7,
            endLine: 10,
            endColumn: 19,
            message:
              "image_name of the googlecompute builder is the same on every build: each build collides with the image of the previous generation. Add the build time or a variable the roll sets to it.",
          },
        ],
        output:
          '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "test",\n      "skip_create_ami": true\n    },\n    {\n      "type": "googlecompute",\n      "image_name": "web-{{timestamp}}"\n    }\n  ]\n}\n',
      },
    ],
  },
  [validateFixedTemplate],
);

it("packer-unique-image-name: a folder of templates built one file at a time: each fixed file validates alone", async () => {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === "packer-unique-image-name";
  const inputs = [
    { path: "/m/a.pkr.hcl", text: amazon('"a"') },
    { path: "/m/b.pkr.hcl", text: 'source "hcloud" "b" {\n  snapshot_name = "b"\n}\n' },
  ];
  const host = { readFile: () => undefined };
  const { findings } = await linter.lint(inputs, config, host);
  // Each fix changes its own file only, so it holds whether the folder is one template or each file is built alone.
  assert.deepEqual(
    findings.map((f) => f.fix?.changes.map((c) => c.path)),
    [["/m/a.pkr.hcl"], ["/m/b.pkr.hcl"]],
  );
  const { changed, result } = await linter.fix(inputs, config, host);
  assert.deepEqual(result.findings, []);
  assert.equal(changed.get("/m/a.pkr.hcl"), amazon(`"a-${BUILD_TIME}"`));
  assert.equal(changed.get("/m/b.pkr.hcl"), `source "hcloud" "b" {\n  snapshot_name = "b-${BUILD_TIME}"\n}\n`);
  for (const [p, text] of changed) await validateFixedTemplate(p, text);
});
