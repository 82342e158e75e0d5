// Tests for packer-unique-image-name (HCL, HCL2 JSON and legacy JSON; every fixed template checked by packer validate).
import assert from "node:assert/strict";
import { it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { validateWithPacker } from "../../helpers/packer.ts";
import { ruleTester, type Validator } from "../../helpers/rule-tester.ts";

/**
 * packer validate -syntax-only on every fixed output, and for HCL and HCL2 JSON also a full
 * evaluation of the timestamp local the fix adds (which -syntax-only alone does not evaluate).
 */
const validateFixedTemplate: Validator = async (filename, text) => {
  const result = await validateWithPacker(filename, text);
  const legacy = !filename.endsWith(".pkr.hcl") && !filename.endsWith(".pkr.json");
  if (!legacy) assert.ok(result.evaluatedLocals, `packer did not evaluate the locals of the fixed ${filename}`);
};

const TS_LOCAL = 'locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }\n';
const amazon = (name: string) => `source "amazon-ebs" "web" {\n  ami_name = ${name}\n  region   = "eu-west-1"\n}\n`;

ruleTester(
  "packer-unique-image-name",
  {
    valid: [
      { name: "local timestamp", filename: "web.pkr.hcl", code: TS_LOCAL + amazon('"web-${local.timestamp}"') },
      { name: "timestamp() in the template", filename: "web.pkr.hcl", code: amazon('"web-${timestamp()}"') },
      { name: "formatdate", filename: "web.pkr.hcl", code: amazon('"web-${formatdate("YYYYMMDDhhmmss", timestamp())}"') },
      { name: "uuidv4 on googlecompute", filename: "web.pkr.hcl", code: 'source "googlecompute" "web" {\n  image_name = "web-${uuidv4()}"\n}\n' },
      { name: "a variable the roll sets", filename: "web.pkr.hcl", code: 'variable "snapshot_name" {\n  type = string\n}\nsource "digitalocean" "web" {\n  snapshot_name = var.snapshot_name\n}\n' },
      { name: "Go template timestamp still works in HCL2", filename: "web.pkr.hcl", code: amazon('"web-{{timestamp}}"') },
      { name: "function of unknown value is not judged", filename: "web.pkr.hcl", code: amazon("lower(source.name)") },
      { name: "name left to the builder's default", filename: "web.pkr.hcl", code: 'source "googlecompute" "web" {\n  zone = "europe-west1-b"\n}\n' },
      { name: "builder without an image name attribute", filename: "web.pkr.hcl", code: 'source "docker" "web" {\n  image  = "ubuntu:22.04"\n  commit = true\n}\n' },
      {
        name: "a build overrides the constant name of a top-level source",
        filename: "web.pkr.hcl",
        code: amazon('"base"') + 'build {\n  source "source.amazon-ebs.web" {\n    ami_name = "web-${uuidv4()}"\n  }\n}\n',
      },
      {
        name: "provisioners are never flagged",
        filename: "web.pkr.hcl",
        code: amazon('"web-${uuidv4()}"') + 'build {\n  sources = ["source.amazon-ebs.web"]\n  provisioner "shell" {\n    inline = ["echo vm_name = constant"]\n  }\n}\n',
      },
      { name: "HCL2 JSON with a local", filename: "web.pkr.json", code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web-${local.timestamp}"\n      }\n    }\n  }\n}\n' },
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
        name: "constant ami_name: appends the local and adds Packer's timestamp local",
        filename: "web.pkr.hcl",
        code: amazon('"web"'),
        errors: [{ line: 2, column: 3, endLine: 2, endColumn: 19, message: 'ami_name of source amazon-ebs.web is the same on every build' }],
        output: TS_LOCAL + "\n" + amazon('"web-${local.timestamp}"'),
      },
      {
        name: "an existing timestamp local is reused",
        filename: "web.pkr.hcl",
        code: 'locals {\n  timestamp = formatdate("YYYYMMDD", timestamp())\n}\n\n' + amazon('"web"'),
        errors: [{ line: 6, column: 3, endLine: 6, endColumn: 19 }],
        output: 'locals {\n  timestamp = formatdate("YYYYMMDD", timestamp())\n}\n\n' + amazon('"web-${local.timestamp}"'),
      },
      {
        name: "the local goes above the comments that document the first source",
        filename: "web.pkr.hcl",
        code: 'packer {\n  required_version = ">= 1.6.0"\n}\n\n# The web image.\n// Built nightly.\nsource "digitalocean" "web" {\n  snapshot_name = "web"\n}\n',
        errors: [{ line: 8, column: 3, endLine: 8, endColumn: 24 }],
        output:
          'packer {\n  required_version = ">= 1.6.0"\n}\n\n' + TS_LOCAL + '\n# The web image.\n// Built nightly.\nsource "digitalocean" "web" {\n  snapshot_name = "web-${local.timestamp}"\n}\n',
      },
      {
        name: "several builders in one file get one local",
        filename: "images.pkr.hcl",
        code:
          'source "googlecompute" "web" {\n  image_name = "web"\n}\n\nsource "azure-arm" "web" {\n  managed_image_name = "web"\n}\n\n' +
          'source "vsphere-iso" "web" {\n  vm_name = "web"\n}\n\nsource "qemu" "web" {\n  vm_name = "web.qcow2"\n}\n\nsource "hcloud" "web" {\n  snapshot_name = "web"\n}\n',
        errors: [
          { line: 2, column: 3, endLine: 2, endColumn: 21 },
          { line: 6, column: 3, endLine: 6, endColumn: 29 },
          { line: 10, column: 3, endLine: 10, endColumn: 18 },
          { line: 14, column: 3, endLine: 14, endColumn: 24 },
          { line: 18, column: 3, endLine: 18, endColumn: 24 },
        ],
        output:
          TS_LOCAL +
          '\nsource "googlecompute" "web" {\n  image_name = "web-${local.timestamp}"\n}\n\nsource "azure-arm" "web" {\n  managed_image_name = "web-${local.timestamp}"\n}\n\n' +
          'source "vsphere-iso" "web" {\n  vm_name = "web-${local.timestamp}"\n}\n\nsource "qemu" "web" {\n  vm_name = "web.qcow2-${local.timestamp}"\n}\n\nsource "hcloud" "web" {\n  snapshot_name = "web-${local.timestamp}"\n}\n',
      },
      {
        name: "a constant override inside a build",
        filename: "web.pkr.hcl",
        code: amazon('"web-${local.stamp}"') + '\nbuild {\n  source "source.amazon-ebs.web" {\n    ami_name = "web-fixed"\n  }\n}\n',
        errors: [{ line: 8, column: 5, endLine: 8, endColumn: 27, message: "ami_name of source amazon-ebs.web" }],
        output: TS_LOCAL + "\n" + amazon('"web-${local.stamp}"') + '\nbuild {\n  source "source.amazon-ebs.web" {\n    ami_name = "web-fixed-${local.timestamp}"\n  }\n}\n',
      },
      {
        name: "CRLF line endings are kept",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "web" {\r\n  ami_name = "web"\r\n}\r\n',
        errors: [{ line: 2, column: 3, endLine: 2, endColumn: 19 }],
        output: 'locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }\r\n\r\nsource "amazon-ebs" "web" {\r\n  ami_name = "web-${local.timestamp}"\r\n}\r\n',
      },
      {
        name: "HCL2 JSON: reports at the key, adds the local as a JSON property",
        filename: "web.pkr.json",
        code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web"\n      }\n    }\n  }\n}\n',
        errors: [{ line: 5, column: 9, endLine: 5, endColumn: 19 }],
        output:
          '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web-${local.timestamp}"\n      }\n    }\n  },\n' +
          '  "locals": {\n    "timestamp": "${regex_replace(timestamp(), \\"[- TZ:]\\", \\"\\")}"\n  }\n}\n',
      },
      {
        name: "HCL2 JSON: merges into an existing locals object",
        filename: "web.pkr.json",
        code: '{\n  "locals": {\n    "region": "eu-west-1"\n  },\n  "source": {\n    "hcloud": {\n      "web": {\n        "snapshot_name": "web"\n      }\n    }\n  }\n}\n',
        errors: [{ line: 8, column: 9, endLine: 8, endColumn: 24 }],
        output:
          '{\n  "locals": {\n    "region": "eu-west-1",\n    "timestamp": "${regex_replace(timestamp(), \\"[- TZ:]\\", \\"\\")}"\n  },\n  "source": {\n    "hcloud": {\n      "web": {\n        "snapshot_name": "web-${local.timestamp}"\n      }\n    }\n  }\n}\n',
      },
      {
        name: "legacy JSON: appends {{timestamp}} to each builder's name",
        filename: "template.json",
        code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web"\n    },\n    {\n      "type": "digitalocean",\n      "snapshot_name": "web {{build_name}}"\n    }\n  ]\n}\n',
        errors: [
          { line: 5, column: 7, endLine: 5, endColumn: 17, message: "ami_name of amazon-ebs builder" },
          { line: 9, column: 7, endLine: 9, endColumn: 22, message: "snapshot_name of digitalocean builder" },
        ],
        output: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}"\n    },\n    {\n      "type": "digitalocean",\n      "snapshot_name": "web {{build_name}}-{{timestamp}}"\n    }\n  ]\n}\n',
      },
    ],
  },
  [validateFixedTemplate],
);

it("packer-unique-image-name: with findings in several files, only the first file gets the timestamp local", async () => {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === "packer-unique-image-name";
  const inputs = [
    { path: "/m/a.pkr.hcl", text: amazon('"a"') },
    { path: "/m/b.pkr.hcl", text: 'source "hcloud" "b" {\n  snapshot_name = "b"\n}\n' },
  ];
  const host = { readFile: () => undefined };
  const { findings } = await linter.lint(inputs, config, host);
  // The fix for b.pkr.hcl also adds the local to a.pkr.hcl, so that an editor applying it alone gets a whole template.
  assert.deepEqual(findings[1].fix?.changes.map((c) => c.path), ["/m/b.pkr.hcl", "/m/a.pkr.hcl"]);
  const { changed, result } = await linter.fix(inputs, config, host);
  assert.deepEqual(result.findings, []);
  assert.equal(changed.get("/m/a.pkr.hcl"), TS_LOCAL + "\n" + amazon('"a-${local.timestamp}"'));
  assert.equal(changed.get("/m/b.pkr.hcl"), 'source "hcloud" "b" {\n  snapshot_name = "b-${local.timestamp}"\n}\n');
});
