// Tests for require-user-data-replace (user_data, user_data_base64, heredocs, false values through variables; HCL and JSON; CRLF kept).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findingsOf, ruleTester } from "../../helpers/rule-tester.ts";

ruleTester("require-user-data-replace", {
  valid: [
    {
      name: "replace on change set",
      code: 'resource "aws_instance" "web" {\n  user_data                   = "#!/bin/sh"\n  user_data_replace_on_change = true\n}\n',
    },
    { name: "no user data", code: 'resource "aws_instance" "web" {\n  ami = var.ami\n}\n' },
    { name: "null user data", code: 'resource "aws_instance" "web" {\n  user_data = null\n}\n' },
    {
      name: "computed flag is trusted",
      code: 'resource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = var.replace\n}\n',
    },
    {
      name: "true from a variable default",
      code: 'variable "r" {\n  default = true\n}\n\nresource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = var.r\n}\n',
    },
    { name: "other resource types", code: 'resource "aws_launch_template" "web" {\n  user_data = "x"\n}\n' },
    {
      name: "JSON syntax with the flag",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": { "user_data": "x", "user_data_replace_on_change": true }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "user_data without the flag: added on the next line",
      code: 'resource "aws_instance" "web" {\n  ami       = var.ami\n  user_data = file("boot.sh")\n  tags      = {}\n}\n',
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 30,
          message:
            "aws_instance.web has user_data but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.",
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  ami                         = var.ami\n  user_data                   = file("boot.sh")\n  user_data_replace_on_change = true\n  tags                        = {}\n}\n',
    },
    {
      name: "user_data_base64 with a trailing comment",
      code: 'resource "aws_instance" "web" {\n  user_data_base64 = var.boot # cloud-init\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 30,
          message:
            "aws_instance.web has user_data_base64 but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.",
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  user_data_base64            = var.boot # cloud-init\n  user_data_replace_on_change = true\n}\n',
    },
    {
      name: "heredoc user data: the flag follows the closing marker",
      code: 'resource "aws_instance" "web" {\n  user_data = <<-EOT\n    #!/bin/sh\n    echo hi\n  EOT\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 5,
          endColumn: 6,
          message:
            "aws_instance.web has user_data but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.",
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  user_data                   = <<-EOT\n    #!/bin/sh\n    echo hi\n  EOT\n  user_data_replace_on_change = true\n}\n',
    },
    {
      name: "false is set to true",
      code: 'resource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = false\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 36,
          message:
            "aws_instance.web sets user_data_replace_on_change = false: a changed user_data stops and starts the same instance, where the new script does not run. Set it to true.",
        },
      ],
      output: 'resource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = true\n}\n',
    },
    {
      name: "false from terraform.tfvars is reported at user_data",
      code: 'resource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = var.replace\n}\n',
      files: { "variables.tf": 'variable "replace" {\n  default = true\n}\n', "terraform.tfvars": "replace = false\n" },
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 36,
          message:
            "aws_instance.web sets user_data_replace_on_change = false: a changed user_data stops and starts the same instance, where the new script does not run. Set it to true.",
        },
      ],
      output: 'resource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = true\n}\n',
    },
    {
      name: "one-line block is opened up",
      code: 'resource "aws_instance" "web" { user_data = "x" }\n',
      errors: [
        {
          line: 1,
          column: 33,
          endLine: 1,
          endColumn: 48,
          message:
            "aws_instance.web has user_data but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.",
        },
      ],
      output: 'resource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = true\n}\n',
    },
    {
      name: "CRLF line endings are kept",
      code: 'resource "aws_instance" "web" {\r\n  user_data = "x"\r\n}\r\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 18,
          message:
            "aws_instance.web has user_data but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.",
        },
      ],
      output: 'resource "aws_instance" "web" {\r\n  user_data                   = "x"\r\n  user_data_replace_on_change = true\r\n}\r\n',
    },
    {
      name: "JSON syntax reports at the user_data property and adds the flag",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "user_data": "x"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 25,
          message:
            "aws_instance.web has user_data but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.",
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "user_data": "x",\n        "user_data_replace_on_change": true\n      }\n    }\n  }\n}\n',
    },
    {
      name: "JSON syntax sets false to true",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "user_data": "x",\n        "user_data_replace_on_change": false\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 25,
          message:
            "aws_instance.web sets user_data_replace_on_change = false: a changed user_data stops and starts the same instance, where the new script does not run. Set it to true.",
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "user_data": "x",\n        "user_data_replace_on_change": true\n      }\n    }\n  }\n}\n',
    },
  ],
});

describe("require-user-data-replace origins", () => {
  it("names the variable default that sets the flag to false", async () => {
    const findings = await findingsOf("require-user-data-replace", {
      "main.tf":
        'variable "replace" {\n  default = false\n}\n\nresource "aws_instance" "web" {\n  user_data                   = "x"\n  user_data_replace_on_change = var.replace\n}\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 5);
    assert.deepEqual(
      findings[0].related?.map((o) => ({ line: o.range.start.line, description: o.description })),
      [{ line: 1, description: 'default of variable "replace"' }],
    );
  });
});

const bothFromVariables =
  'variable "user_data" {\n  default = null\n}\n\nvariable "user_data_base64" {\n  default = null\n}\n\n' +
  'resource "aws_instance" "web" {\n  user_data                   = var.user_data\n  user_data_base64            = var.user_data_base64\n  user_data_replace_on_change = false\n}\n';

ruleTester("require-user-data-replace", {
  title: "modules that pass both attributes a variable",
  valid: [{ name: "neither is set", code: bothFromVariables }],
  invalid: [
    {
      name: "user_data is null, user_data_base64 is set by the tfvars",
      code: bothFromVariables,
      files: { "terraform.tfvars": 'user_data_base64 = "IyEvYmluL3NoCg=="\n' },
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 53,
          message:
            "aws_instance.web sets user_data_replace_on_change = false: a changed user_data_base64 stops and starts the same instance, where the new script does not run. Set it to true.",
        },
      ],
      output: bothFromVariables.replace("user_data_replace_on_change = false", "user_data_replace_on_change = true"),
    },
  ],
});

// An instance module of our own, with the replacement left to the caller.
const instanceModule = {
  "modules/instance/main.tf": bothFromVariables
    .replace("user_data_replace_on_change = false", "user_data_replace_on_change = var.replace")
    .replace('resource "aws_instance"', 'variable "replace" {\n  default = null\n}\n\nresource "aws_instance"'),
};
const instanceCall = (args: string) => `module "instance" {\n  source = "./modules/instance"\n\n${args}}\n`;

ruleTester("require-user-data-replace", {
  title: "through modules",
  valid: [
    {
      name: "user data and no choice about replacement (the module's default is null)",
      code: instanceCall('  user_data_base64 = base64encode("#!/bin/sh\\necho ok\\n")\n'),
      disk: instanceModule,
    },
    { name: "replacement set to false without user data", code: instanceCall("  replace = false\n"), disk: instanceModule },
  ],
  invalid: [
    {
      name: "user data with replacement set to false at the call",
      code: instanceCall('  user_data_base64 = base64encode("#!/bin/sh\\necho ok\\n")\n  replace          = false\n'),
      disk: instanceModule,
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 27,
          message:
            "Passed to module.instance: aws_instance.web sets user_data_replace_on_change = false: a changed user_data_base64 stops and starts the same instance, where the new script does not run. Set it to true.",
        },
      ],
    },
  ],
});
