// Tests for no-inplace-provisioner: findings (HCL, JSON, CRLF, variables) and the move-to-Packer fix across files.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { applyEdits, createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { parseWithHashiCorp } from "../../../server/src/engine/hcl/hashicorp.ts";
import type { Fix } from "../../../server/src/engine/types.ts";
import { validateWithPacker } from "../../helpers/packer.ts";
import { formatted, formatterFor, unformatted } from "../../helpers/fmt.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

const ROOT = "/virtual/module";

const remoteExec =
  'resource "aws_instance" "web" {\n  ami = var.image\n\n  provisioner "remote-exec" {\n    inline = [\n      "sudo apt-get update",\n      "sudo apt-get install -y nginx",\n    ]\n  }\n}\n';
const remoteExecRemoved = 'resource "aws_instance" "web" {\n  ami = var.image\n}\n';

// The multi-file fix is not applied by the RuleTester (it applies same-file edits only), so `output`
// equals the input; the fix itself is checked file by file below.
ruleTester("no-inplace-provisioner", {
  valid: [
    { name: "no provisioners", code: 'resource "aws_instance" "web" {\n  ami = var.image\n}\n' },
    {
      name: "local-exec that stays local",
      code: 'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    command = "echo ${self.id} >> instances.txt"\n  }\n}\n',
    },
    {
      name: "local-exec with a path under .ssh is not ssh",
      code: 'resource "null_resource" "n" {\n  provisioner "local-exec" {\n    command = "cp ~/.ssh/config backup/"\n  }\n}\n',
    },
    {
      name: "destroy-time provisioner",
      code: 'resource "aws_instance" "web" {\n  provisioner "remote-exec" {\n    when   = destroy\n    inline = ["systemctl stop app"]\n  }\n}\n',
    },
    {
      name: "destroy-time knife cleanup",
      code: 'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    when    = destroy\n    command = "knife node delete web -y"\n  }\n}\n',
    },
    {
      name: "Packer provisioners are where configuration belongs",
      filename: "image.pkr.hcl",
      code: 'build {\n  sources = ["source.amazon-ebs.web"]\n\n  provisioner "shell" {\n    inline = ["apt-get install -y nginx"]\n  }\n\n  provisioner "file" {\n    source      = "app.conf"\n    destination = "/tmp/app.conf"\n  }\n}\n',
    },
    {
      name: "JSON syntax local-exec that stays local",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "null_resource": {\n      "n": { "provisioner": [{ "local-exec": { "command": "echo hi" } }] }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "remote-exec",
      code: remoteExec,
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 28,
          message:
            'provisioner "remote-exec" runs commands on aws_instance.web after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output: remoteExec,
    },
    {
      name: "file",
      code: 'resource "digitalocean_droplet" "web" {\n  provisioner "file" {\n    source      = "nginx.conf"\n    destination = "/etc/nginx/nginx.conf"\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 21,
          message:
            'provisioner "file" copies files onto digitalocean_droplet.web after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output:
        'resource "digitalocean_droplet" "web" {\n  provisioner "file" {\n    source      = "nginx.conf"\n    destination = "/etc/nginx/nginx.conf"\n  }\n}\n',
    },
    {
      name: "legacy chef and salt-masterless have no fix",
      code: 'resource "aws_instance" "web" {\n  provisioner "chef" {\n    run_list = ["web"]\n  }\n  provisioner "salt-masterless" {\n    local_state_tree = "salt"\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 21,
          message:
            'provisioner "chef" configures aws_instance.web in place after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 32,
          message:
            'provisioner "salt-masterless" configures aws_instance.web in place after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
    },
    {
      name: "local-exec with ssh",
      code: 'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    command = "ssh ubuntu@${self.public_ip} sudo systemctl restart app"\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 27,
          message:
            'provisioner "local-exec" reaches into aws_instance.web ("ssh") to change it after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    command = "ssh ubuntu@${self.public_ip} sudo systemctl restart app"\n  }\n}\n',
    },
    {
      name: "local-exec ansible-playbook against self.ipv4_address in a heredoc",
      code: 'resource "digitalocean_droplet" "web" {\n  provisioner "local-exec" {\n    command = <<-EOT\n      ansible-playbook -i "${self.ipv4_address}," site.yml\n    EOT\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 27,
          message:
            'provisioner "local-exec" reaches into digitalocean_droplet.web ("ansible-playbook") to change it after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output:
        'resource "digitalocean_droplet" "web" {\n  provisioner "local-exec" {\n    command = <<-EOT\n      ansible-playbook -i "${self.ipv4_address}," site.yml\n    EOT\n  }\n}\n',
    },
    {
      name: "local-exec with the address in its environment",
      code: 'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    command     = "./configure.sh"\n    environment = { HOST = self.private_ip }\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 27,
          message:
            'provisioner "local-exec" reaches into aws_instance.web (self.private_ip) to change it after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  provisioner "local-exec" {\n    command     = "./configure.sh"\n    environment = { HOST = self.private_ip }\n  }\n}\n',
    },
    {
      name: "local-exec command from a variable",
      code: 'variable "deploy" {\n  default = "rsync -a build/ deploy@web:/srv/app"\n}\n\nresource "null_resource" "deploy" {\n  provisioner "local-exec" {\n    command = var.deploy\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 27,
          message:
            'provisioner "local-exec" reaches into null_resource.deploy ("rsync") to change it after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output:
        'variable "deploy" {\n  default = "rsync -a build/ deploy@web:/srv/app"\n}\n\nresource "null_resource" "deploy" {\n  provisioner "local-exec" {\n    command = var.deploy\n  }\n}\n',
    },
    {
      name: "CRLF",
      code: remoteExec.replace(/\n/g, "\r\n"),
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 28,
          message:
            'provisioner "remote-exec" runs commands on aws_instance.web after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output: remoteExec.replace(/\n/g, "\r\n"),
    },
    {
      name: "JSON syntax reports at the provisioner key",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "provisioner": [\n          { "remote-exec": { "inline": ["apt-get install -y nginx"] } }\n        ]\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 13,
          endLine: 6,
          endColumn: 26,
          message:
            'provisioner "remote-exec" runs commands on aws_instance.web after it is created: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).',
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "provisioner": [\n          { "remote-exec": { "inline": ["apt-get install -y nginx"] } }\n        ]\n      }\n    }\n  }\n}\n',
    },
  ],
});

/** Lints files with only this rule; `disk` files are readable by the host but not handed to the engine. */
async function fixesFor(files: Record<string, string>, disk: Record<string, string> = {}): Promise<Fix[]> {
  const linter = await createLinter();
  const config = defaultConfig(linter.rules);
  for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === "no-inplace-provisioner";
  const inputs = Object.entries(files).map(([name, text]) => ({ path: path.join(ROOT, name), text }));
  const readable = [...inputs, ...Object.entries(disk).map(([name, text]) => ({ path: path.join(ROOT, name), text }))];
  const result = await linter.lint(
    inputs,
    config,
    { readFile: (p) => readable.find((i) => i.path === p)?.text },
    { skipExactSyntax: true },
  );
  assert.deepEqual(result.ruleFailures, []);
  return result.findings.flatMap((f) => (f.fix ? [f.fix] : []));
}

/** Applies a fix to the given file texts (created files start empty) and returns the new texts by file name. */
function apply(fix: Fix, files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const change of fix.changes) {
    const name = path.relative(ROOT, change.path);
    const before = change.create ? "" : (files[name] ?? assert.fail(`fix edits ${name}, which the case does not have`));
    if (change.create) assert.equal(files[name], undefined, `fix creates ${name}, which exists`);
    out[name] = applyEdits(before, change.edits);
  }
  return out;
}

/**
 * Checks every changed file with HashiCorp's parser (JSON.parse for JSON), and Packer templates with
 * `packer validate -syntax-only`. A file the fix creates, or one that was formatted before (`before`),
 * must be formatted after it, by `terraform fmt` or `packer fmt`.
 */
async function assertParses(files: Record<string, string>, before: Record<string, string> = {}): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    if (name.endsWith(".json")) JSON.parse(text);
    else await parseWithHashiCorp(name, text);
    // A Packer template the fix writes must be one real Packer reads.
    if (name.endsWith(".pkr.hcl")) await validateWithPacker(name, text);
  }
  const hcl = Object.keys(files).filter((name) => formatterFor(name));
  const changed = await unformatted(
    hcl.flatMap((name) => [
      { name: `after-${name}`, text: files[name] },
      ...(name in before ? [{ name: `before-${name}`, text: before[name] }] : []),
    ]),
  );
  for (const name of hcl) {
    if (changed.has(`before-${name}`) || !changed.has(`after-${name}`)) continue;
    assert.equal(files[name], await formatted(name, files[name]), `the fix leaves ${name} unformatted`);
  }
}

describe("no-inplace-provisioner fix", () => {
  it("creates image.pkr.hcl with a shell provisioner and deletes the block", async () => {
    const [fix] = await fixesFor({ "main.tf": remoteExec });
    assert.equal(fix.title, "Move the commands into a Packer shell provisioner");
    assert.equal(fix.kind, "unsafe");
    assert.deepEqual(
      fix.changes.map((c) => [path.relative(ROOT, c.path), c.create ?? false]),
      [
        ["main.tf", false],
        ["image.pkr.hcl", true],
      ],
    );
    const out = apply(fix, { "main.tf": remoteExec });
    assert.equal(out["main.tf"], remoteExecRemoved);
    assert.equal(
      out["image.pkr.hcl"],
      "# The image of aws_instance.web: what its provisioner did to the running machine now happens when the image is baked.\n" +
        'source "amazon-ebs" "web" {\n  # Complete the builder settings (base image, region, size, SSH user) of this image.\n}\n\n' +
        'build {\n  sources = ["source.amazon-ebs.web"]\n\n  provisioner "shell" {\n    inline = [\n      "sudo apt-get update",\n      "sudo apt-get install -y nginx",\n    ]\n  }\n\n' +
        '  post-processor "manifest" {\n    output     = "packer-manifest.json"\n    strip_path = true\n  }\n}\n',
    );
    await assertParses(out, { "main.tf": remoteExec });
    // The template the fix writes is one no rule objects to.
    const linter = await createLinter();
    const all = await linter.lint([{ path: path.join(ROOT, "image.pkr.hcl"), text: out["image.pkr.hcl"] }], defaultConfig(linter.rules), {
      readFile: () => undefined,
    });
    assert.deepEqual(
      all.findings.map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
  });

  it("appends to the build of an existing template", async () => {
    const template = 'source "amazon-ebs" "web" {\n  region = "eu-west-1"\n}\n\nbuild {\n  sources = ["source.amazon-ebs.web"]\n}\n';
    const files = { "main.tf": remoteExec, "web.pkr.hcl": template };
    const [fix] = await fixesFor(files);
    const out = apply(fix, files);
    assert.equal(out["main.tf"], remoteExecRemoved);
    assert.equal(
      out["web.pkr.hcl"],
      'source "amazon-ebs" "web" {\n  region = "eu-west-1"\n}\n\nbuild {\n  sources = ["source.amazon-ebs.web"]\n\n' +
        '  provisioner "shell" {\n    inline = [\n      "sudo apt-get update",\n      "sudo apt-get install -y nginx",\n    ]\n  }\n}\n',
    );
    await assertParses(out, files);
  });

  it("reads image.pkr.hcl from disk when it was not handed over, rather than overwriting it", async () => {
    const existing = 'variable "region" {\n  default = "eu-west-1"\n}\n';
    const [fix] = await fixesFor({ "main.tf": remoteExec }, { "image.pkr.hcl": existing });
    assert.equal(fix.changes[1].create, undefined);
    const out = apply(fix, { "main.tf": remoteExec, "image.pkr.hcl": existing });
    assert.ok(out["image.pkr.hcl"].startsWith(`${existing}\n# The image of aws_instance.web`), out["image.pkr.hcl"]);
    await assertParses(out, { "main.tf": remoteExec, "image.pkr.hcl": existing });
  });

  it("moves a file provisioner, keeps CRLF, and translates path.module", async () => {
    const code =
      'resource "digitalocean_droplet" "web" {\r\n  name = "web"\r\n\r\n  provisioner "file" {\r\n    source      = "${path.module}/nginx.conf"\r\n    destination = "/etc/nginx/nginx.conf"\r\n  }\r\n}\r\n';
    const [fix] = await fixesFor({ "main.tf": code });
    assert.equal(fix.title, "Move the file into a Packer file provisioner");
    const out = apply(fix, { "main.tf": code });
    assert.equal(out["main.tf"], 'resource "digitalocean_droplet" "web" {\r\n  name = "web"\r\n}\r\n');
    assert.match(out["image.pkr.hcl"], /source "digitalocean" "web" \{/);
    assert.ok(
      out["image.pkr.hcl"].includes(
        '  provisioner "file" {\n    source      = "${path.root}/nginx.conf"\n    destination = "/etc/nginx/nginx.conf"\n  }\n',
      ),
    );
    await assertParses(out, { "main.tf": code });
  });

  it("turns a local-exec into shell-local with build.Host and environment_vars, keeping a heredoc verbatim", async () => {
    const code =
      'resource "hcloud_server" "web" {\n  provisioner "local-exec" {\n    command = <<-EOT\n      ansible-playbook -i "${self.ipv4_address}," site.yml\n    EOT\n    environment = {\n      HOST = self.ipv4_address\n      MODE = "bake"\n    }\n  }\n}\n';
    const [fix] = await fixesFor({ "main.tf": code });
    assert.equal(fix.title, "Move the command into a Packer shell-local provisioner");
    const out = apply(fix, { "main.tf": code });
    assert.equal(out["main.tf"], 'resource "hcloud_server" "web" {\n}\n');
    assert.ok(
      out["image.pkr.hcl"].includes(
        '  provisioner "shell-local" {\n    command = <<-EOT\n      ansible-playbook -i "${build.Host}," site.yml\n    EOT\n    environment_vars = [\n      "HOST=${build.Host}",\n      "MODE=bake",\n    ]\n  }\n',
      ),
      out["image.pkr.hcl"],
    );
    await assertParses(out, { "main.tf": code });
  });

  it("moves script and scripts, quoting literal text for Packer", async () => {
    const code =
      'resource "null_resource" "n" {\n  provisioner "remote-exec" {\n    script = "setup.sh"\n  }\n  provisioner "remote-exec" {\n    inline = ["echo \\"$${HOME}\\""]\n  }\n}\n';
    const fixes = await fixesFor({ "main.tf": code });
    assert.equal(fixes.length, 2);
    const first = apply(fixes[0], { "main.tf": code });
    assert.ok(first["image.pkr.hcl"].includes('source "null" "n" {'));
    assert.ok(first["image.pkr.hcl"].includes('  provisioner "shell" {\n    script = "setup.sh"\n  }\n'));
    const second = apply(fixes[1], { "main.tf": code });
    assert.ok(second["image.pkr.hcl"].includes('    inline = [\n      "echo \\"$${HOME}\\"",\n    ]\n'), second["image.pkr.hcl"]);
    assert.equal(second["main.tf"], 'resource "null_resource" "n" {\n  provisioner "remote-exec" {\n    script = "setup.sh"\n  }\n}\n');
    await assertParses(first, { "main.tf": code });
    await assertParses(second, { "main.tf": code });
  });

  it("deletes the resource's connection with its last provisioner, and keeps it while others use it", async () => {
    const code =
      'resource "aws_instance" "web" {\n  ami = var.image\n\n  connection {\n    host = self.public_ip\n  }\n\n  provisioner "remote-exec" {\n    inline = ["touch /ready"]\n  }\n}\n';
    const [fix] = await fixesFor({ "main.tf": code });
    const out = apply(fix, { "main.tf": code });
    assert.equal(out["main.tf"], 'resource "aws_instance" "web" {\n  ami = var.image\n}\n');
    await assertParses(out, { "main.tf": code });

    const two = code.replace(
      '  provisioner "remote-exec"',
      '  provisioner "file" {\n    source      = "a"\n    destination = "/a"\n  }\n\n  provisioner "remote-exec"',
    );
    const fixes = await fixesFor({ "main.tf": two });
    assert.equal(fixes.length, 2);
    const first = apply(fixes[0], { "main.tf": two });
    assert.ok(first["main.tf"].includes("connection {"));
    assert.ok(!first["main.tf"].includes('provisioner "file"'));
    await assertParses(first, { "main.tf": two });
  });

  it("deletes a JSON provisioner without leaving an empty array, or only its entry", async () => {
    const one =
      '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x",\n        "provisioner": [\n          { "remote-exec": { "inline": ["apt-get install -y nginx"] } }\n        ]\n      }\n    }\n  }\n}\n';
    const [fix] = await fixesFor({ "main.tf.json": one });
    const out = apply(fix, { "main.tf.json": one });
    assert.equal(
      out["main.tf.json"],
      '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x"\n      }\n    }\n  }\n}\n',
    );
    assert.ok(out["image.pkr.hcl"].includes('inline = [\n      "apt-get install -y nginx",\n    ]'));
    await assertParses(out, { "main.tf.json": one });

    const withConnection =
      '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "connection": { "host": "${self.public_ip}" },\n        "provisioner": { "remote-exec": { "inline": ["touch /ready"] } },\n        "ami": "x"\n      }\n    }\n  }\n}\n';
    const [connectionFix] = await fixesFor({ "main.tf.json": withConnection });
    assert.equal(connectionFix.changes[0].edits.length, 1);
    const outConnection = apply(connectionFix, { "main.tf.json": withConnection });
    assert.equal(
      outConnection["main.tf.json"],
      '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x"\n      }\n    }\n  }\n}\n',
    );

    const two =
      '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "provisioner": [\n          { "file": { "source": "a", "destination": "/a" } },\n          { "local-exec": { "command": "echo done" } }\n        ]\n      }\n    }\n  }\n}\n';
    const [fileFix] = await fixesFor({ "main.tf.json": two });
    const outTwo = apply(fileFix, { "main.tf.json": two });
    assert.deepEqual(JSON.parse(outTwo["main.tf.json"]), {
      resource: { aws_instance: { web: { provisioner: [{ "local-exec": { command: "echo done" } }] } } },
    });
    await assertParses(outTwo, { "main.tf.json": two });
  });
});
