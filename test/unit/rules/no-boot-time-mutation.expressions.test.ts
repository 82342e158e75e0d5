// Tests for no-boot-time-mutation on scripts reached through expressions: related information into followed files and locals, template_file and conditionals.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { instance } from "../../helpers/boot-script-snippets.ts";
import { findingsOf, lintWithOnly, ruleTester } from "../../helpers/rule-tester.ts";

describe("no-boot-time-mutation related information", () => {
  it("points into the followed script at the offending command", async () => {
    const inputs = [
      { path: "/virtual/module/main.tf", text: instance('file("${path.module}/boot.sh")') },
      { path: "/virtual/module/boot.sh", text: "#!/bin/sh\nset -e\n  apt-get install -y nginx\n" },
    ];
    const result = await lintWithOnly("no-boot-time-mutation", inputs, (p) => inputs.find((i) => i.path === p)?.text);
    assert.equal(result.findings.length, 1);
    const related = result.findings[0].related?.[0];
    assert.equal(related?.path, path.join("/virtual/module", "boot.sh"));
    assert.deepEqual(
      [related?.range.start, related?.range.end],
      [
        { line: 2, character: 2 },
        { line: 2, character: 26 },
      ],
    );
  });

  it("points into a local's heredoc at the offending command", async () => {
    const findings = await findingsOf("no-boot-time-mutation", {
      "main.tf":
        "locals {\n  boot = <<-EOT\n    #!/bin/sh\n    # yum install -y httpd (kept for reference)\n    yum install -y httpd\n  EOT\n}\n\n" +
        instance("local.boot"),
    });
    assert.equal(findings.length, 1);
    assert.deepEqual([findings[0].range.start.line, findings[0].range.start.character], [10, 2]);
    const related = findings[0].related?.[0];
    assert.equal(related?.description, 'local "boot"');
    // The second occurrence: the first is in a comment, which runs nothing.
    assert.deepEqual(
      [related?.range.start, related?.range.end],
      [
        { line: 4, character: 4 },
        { line: 4, character: 24 },
      ],
    );
  });
});

const templateFile =
  'data "template_file" "userdata" {\n  count    = local.enabled ? 1 : 0\n  template = file("${path.module}/templates/userdata.sh")\n}\n\nlocals {\n  enabled = module.this.enabled\n}\n\n';

ruleTester("no-boot-time-mutation", {
  title: "expressions around the script",
  valid: [
    {
      name: "an unknown condition between a calm script and none",
      code: templateFile + instance('local.enabled ? base64encode(data.template_file.userdata[0].rendered) : ""'),
      files: { "templates/userdata.sh": "#!/bin/sh\necho ok\n" },
    },
    {
      name: "an unknown condition between a mutating script and a calm one is not certain",
      code: instance('var.bootstrap ? "#!/bin/sh\\napt-get install -y nginx\\n" : "#!/bin/sh\\necho ok\\n"'),
    },
  ],
  invalid: [
    {
      name: "an unknown condition between a mutating template and none",
      code: templateFile + instance('local.enabled ? base64encode(data.template_file.userdata[0].rendered) : ""'),
      files: { "templates/userdata.sh": "#!/bin/bash\nyum install -y zscaler\n" },
      errors: [
        {
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 89,
          message:
            'user_data installs or upgrades packages at boot ("yum install -y zscaler", templates/userdata.sh line 2): machines from the same image end up different. Bake it into the image instead.',
          related: [{ path: "templates/userdata.sh", line: 2, column: 1, endLine: 2, endColumn: 23 }],
        },
      ],
    },
    {
      name: 'join("", data.cloudinit_config.x[*].rendered)',
      code:
        'data "cloudinit_config" "config" {\n  count = 1\n\n  part {\n    content_type = "text/x-shellscript"\n    content      = templatefile("${path.module}/userdata.sh", {})\n  }\n}\n\n' +
        instance('join("", data.cloudinit_config.config[*].rendered)'),
      files: { "userdata.sh": "#!/bin/bash\ncurl -fsSL https://example.com/install.sh | bash\n" },
      errors: [
        {
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 65,
          message:
            'user_data downloads and runs a script at boot ("curl -fsSL https://example.com/install.sh | bash", userdata.sh line 2): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
  ],
});
