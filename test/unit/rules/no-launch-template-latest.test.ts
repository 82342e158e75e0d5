// Tests for no-launch-template-latest (ASG, aws_instance, mixed_instances_policy; HCL and JSON; fixes only for aws_launch_template references).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findingsOf, ruleTester } from "../../helpers/rule-tester.ts";

const asg = (lt: string) => `resource "aws_autoscaling_group" "web" {\n  max_size = 2\n${lt}}\n`;

ruleTester("no-launch-template-latest", {
  valid: [
    {
      name: "latest_version reference",
      code: asg(
        "  launch_template {\n    id      = aws_launch_template.web.id\n    version = aws_launch_template.web.latest_version\n  }\n",
      ),
    },
    { name: "a version number", code: asg('  launch_template {\n    name    = "web"\n    version = "3"\n  }\n') },
    { name: "a numeric version", code: asg('  launch_template {\n    name    = "web"\n    version = 3\n  }\n') },
    {
      name: "an unresolvable variable is trusted",
      code: asg("  launch_template {\n    id      = var.lt_id\n    version = var.lt_version\n  }\n"),
    },
    {
      name: "a launch configuration group has no launch template",
      code: 'resource "aws_autoscaling_group" "web" {\n  launch_configuration = aws_launch_configuration.web.name\n}\n',
    },
    {
      name: "other resource types",
      code: 'resource "aws_eks_node_group" "n" {\n  launch_template {\n    id      = aws_launch_template.web.id\n    version = "$Latest"\n  }\n}\n',
    },
    {
      name: "mixed_instances_policy with a pinned specification",
      code: asg(
        "  mixed_instances_policy {\n    launch_template {\n      launch_template_specification {\n        launch_template_id = aws_launch_template.web.id\n        version            = aws_launch_template.web.latest_version\n      }\n    }\n  }\n",
      ),
    },
    {
      name: "JSON syntax with a pinned version",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_autoscaling_group": {\n      "web": {\n        "launch_template": { "id": "${aws_launch_template.web.id}", "version": "${aws_launch_template.web.latest_version}" }\n      }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: '"$Latest" with an aws_launch_template reference is pinned',
      code: asg('  launch_template {\n    id      = aws_launch_template.web.id\n    version = "$Latest"\n  }\n'),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 24,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.web.latest_version.',
        },
      ],
      output: asg(
        "  launch_template {\n    id      = aws_launch_template.web.id\n    version = aws_launch_template.web.latest_version\n  }\n",
      ),
    },
    {
      name: '"$Default" referenced by name',
      code: asg('  launch_template {\n    name    = aws_launch_template.web.name\n    version = "$Default"\n  }\n'),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 25,
          message:
            'aws_autoscaling_group.web uses launch template version "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.web.latest_version.',
        },
      ],
      output: asg(
        "  launch_template {\n    name    = aws_launch_template.web.name\n    version = aws_launch_template.web.latest_version\n  }\n",
      ),
    },
    {
      name: "no version: reported at the block header, version added",
      code: asg("  launch_template {\n    id = aws_launch_template.web.id\n  }\n"),
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 18,
          message:
            'aws_autoscaling_group.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Add version = aws_launch_template.web.latest_version.',
        },
      ],
      output: asg(
        "  launch_template {\n    id      = aws_launch_template.web.id\n    version = aws_launch_template.web.latest_version\n  }\n",
      ),
    },
    {
      name: "one-line block with a counted template",
      code: asg("  launch_template { id = aws_launch_template.web[0].id }\n"),
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 18,
          message:
            'aws_autoscaling_group.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Add version = aws_launch_template.web[0].latest_version.',
        },
      ],
      output: asg(
        "  launch_template {\n    id      = aws_launch_template.web[0].id\n    version = aws_launch_template.web[0].latest_version\n  }\n",
      ),
    },
    {
      name: "a literal template id gets no fix",
      code: asg('  launch_template {\n    id      = "lt-0123456789abcdef0"\n    version = "$Latest"\n  }\n'),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 24,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pin the version the group should run.',
        },
      ],
    },
    {
      name: "a template id from a variable and no version gets no fix",
      code: asg("  launch_template {\n    id = var.lt_id\n  }\n"),
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 18,
          message:
            'aws_autoscaling_group.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pin the version the group should run.',
        },
      ],
    },
    {
      name: '"$Latest" from a variable default is reported at the version attribute',
      code:
        'variable "lt_version" {\n  default = "$Latest"\n}\n\n' +
        asg("  launch_template {\n    id      = aws_launch_template.web.id\n    version = var.lt_version\n  }\n"),
      errors: [
        {
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 29,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.web.latest_version.',
        },
      ],
      output:
        'variable "lt_version" {\n  default = "$Latest"\n}\n\n' +
        asg("  launch_template {\n    id      = aws_launch_template.web.id\n    version = aws_launch_template.web.latest_version\n  }\n"),
    },
    {
      name: '"$Latest" from terraform.tfvars',
      code: asg('  launch_template {\n    name    = "web"\n    version = var.lt_version\n  }\n'),
      files: { "variables.tf": 'variable "lt_version" {\n  default = "1"\n}\n', "terraform.tfvars": 'lt_version = "$Latest"\n' },
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 29,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pin the version the group should run.',
        },
      ],
    },
    {
      name: "aws_instance without a version",
      code: 'resource "aws_instance" "web" {\n  launch_template {\n    id = aws_launch_template.web.id\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 18,
          message:
            'aws_instance.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Add version = aws_launch_template.web.latest_version.',
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  launch_template {\n    id      = aws_launch_template.web.id\n    version = aws_launch_template.web.latest_version\n  }\n}\n',
    },
    {
      name: "mixed_instances_policy specification and an override",
      code: asg(
        "  mixed_instances_policy {\n    launch_template {\n      launch_template_specification {\n        launch_template_id = aws_launch_template.web.id\n      }\n" +
          '      override {\n        instance_type = "c6g.large"\n        launch_template_specification {\n          launch_template_name = aws_launch_template.arm.name\n          version              = "$Latest"\n        }\n      }\n    }\n  }\n',
      ),
      errors: [
        {
          line: 5,
          column: 7,
          endLine: 5,
          endColumn: 36,
          message:
            'aws_autoscaling_group.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Add version = aws_launch_template.web.latest_version.',
        },
        {
          line: 12,
          column: 11,
          endLine: 12,
          endColumn: 43,
          message:
            'An override in aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.arm.latest_version.',
        },
      ],
      output: asg(
        "  mixed_instances_policy {\n    launch_template {\n      launch_template_specification {\n        launch_template_id = aws_launch_template.web.id\n        version            = aws_launch_template.web.latest_version\n      }\n" +
          '      override {\n        instance_type = "c6g.large"\n        launch_template_specification {\n          launch_template_name = aws_launch_template.arm.name\n          version              = aws_launch_template.arm.latest_version\n        }\n      }\n    }\n  }\n',
      ),
    },
    {
      name: "CRLF line endings are kept",
      code: 'resource "aws_autoscaling_group" "web" {\r\n  launch_template {\r\n    id = aws_launch_template.web.id\r\n  }\r\n}\r\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 18,
          message:
            'aws_autoscaling_group.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Add version = aws_launch_template.web.latest_version.',
        },
      ],
      output:
        'resource "aws_autoscaling_group" "web" {\r\n  launch_template {\r\n    id      = aws_launch_template.web.id\r\n    version = aws_launch_template.web.latest_version\r\n  }\r\n}\r\n',
    },
    {
      name: "JSON syntax: $Latest is replaced by an interpolation",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_autoscaling_group": {\n      "web": {\n        "launch_template": {\n          "id": "${aws_launch_template.web.id}",\n          "version": "$Latest"\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 31,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.web.latest_version.',
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_autoscaling_group": {\n      "web": {\n        "launch_template": {\n          "id": "${aws_launch_template.web.id}",\n          "version": "${aws_launch_template.web.latest_version}"\n        }\n      }\n    }\n  }\n}\n',
    },
    {
      name: "JSON syntax: missing version reported at the launch_template key and added",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_autoscaling_group": {\n      "web": {\n        "launch_template": {\n          "id": "${aws_launch_template.web.id}"\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 26,
          message:
            'aws_autoscaling_group.web sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Add version = aws_launch_template.web.latest_version.',
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_autoscaling_group": {\n      "web": {\n        "launch_template": {\n          "id": "${aws_launch_template.web.id}",\n          "version": "${aws_launch_template.web.latest_version}"\n        }\n      }\n    }\n  }\n}\n',
    },
  ],
});

describe("no-launch-template-latest origins", () => {
  it("names the variable default a floating version came from", async () => {
    const findings = await findingsOf("no-launch-template-latest", {
      "variables.tf": 'variable "lt_version" {\n  default = "$Latest"\n}\n',
      "main.tf":
        'resource "aws_autoscaling_group" "web" {\n  launch_template {\n    name    = "web"\n    version = var.lt_version\n  }\n}\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].path, "/virtual/module/main.tf");
    assert.deepEqual(
      findings[0].related?.map((o) => ({ path: o.path, line: o.range.start.line, description: o.description })),
      [{ path: "/virtual/module/variables.tf", line: 1, description: 'default of variable "lt_version"' }],
    );
  });
});

describe("no-launch-template-latest fix safety", () => {
  const template = (extra: string) => `resource "aws_launch_template" "web" {\n  name_prefix = "web-"\n${extra}}\n\n`;
  const group = (version: string) =>
    `resource "aws_autoscaling_group" "web" {\n  launch_template {\n    id = aws_launch_template.web.id\n${version}  }\n}\n`;
  const kinds = async (code: string) => (await findingsOf("no-launch-template-latest", { "main.tf": code })).map((f) => f.fix?.kind);
  it('is safe for "$Latest", which already runs latest_version', async () => {
    assert.deepEqual(await kinds(template("") + group('    version = "$Latest"\n')), ["safe"]);
  });
  it("is a quick fix for the default version, which may be older than the latest", async () => {
    assert.deepEqual(await kinds(template("") + group("")), ["unsafe"]);
    assert.deepEqual(await kinds(template("") + group('    version = "$Default"\n')), ["unsafe"]);
  });
  it("is safe for the default version when the template keeps it at the latest", async () => {
    assert.deepEqual(await kinds(template("  update_default_version = true\n") + group("")), ["safe"]);
  });
});

const dynamicTemplate = (forEach: string, version: string) =>
  `resource "aws_autoscaling_group" "web" {\n  max_size = 2\n\n  dynamic "launch_template" {\n    for_each = ${forEach}\n\n    content {\n      id      = aws_launch_template.web.id\n      version = ${version}\n    }\n  }\n}\n`;

ruleTester("no-launch-template-latest", {
  title: "expressions and dynamic blocks",
  valid: [
    { name: "a dynamic block that is never generated", code: dynamicTemplate("[]", '"$Latest"') },
    {
      name: "a dynamic block without a version is not judged (it may not exist)",
      code: 'resource "aws_autoscaling_group" "web" {\n  dynamic "launch_template" {\n    for_each = var.lt\n\n    content {\n      id = launch_template.value.id\n    }\n  }\n}\n',
    },
    {
      name: "an unknown condition chooses between $Latest and a pinned version",
      code: asg(
        '  launch_template {\n    id      = aws_launch_template.web.id\n    version = var.follow ? "$Latest" : aws_launch_template.web.latest_version\n  }\n',
      ),
    },
    {
      name: "the module's own conditional with the version unset picks latest_version",
      code:
        'variable "launch_template_version" {\n  default = null\n}\n\nlocals {\n  version = var.launch_template_version == null ? aws_launch_template.web.latest_version : var.launch_template_version\n}\n\n' +
        asg("  launch_template {\n    id      = aws_launch_template.web.id\n    version = local.version\n  }\n"),
    },
  ],
  invalid: [
    {
      name: "a dynamic block generated once sets $Latest",
      code: dynamicTemplate("var.mixed ? [] : [1]", '"$Latest"'),
      files: { "variables.tf": 'variable "mixed" {\n  default = false\n}\n' },
      errors: [
        {
          line: 9,
          column: 7,
          endLine: 9,
          endColumn: 26,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.web.latest_version.',
        },
      ],
      output: dynamicTemplate("var.mixed ? [] : [1]", "aws_launch_template.web.latest_version"),
    },
    {
      name: "a conditional whose known condition picks $Latest",
      code:
        'variable "instance_refresh" {\n  default = null\n}\n\n' +
        asg('  launch_template {\n    name    = "web"\n    version = var.instance_refresh == null ? "$Latest" : ""\n  }\n'),
      errors: [
        {
          line: 9,
          column: 5,
          endLine: 9,
          endColumn: 60,
          message:
            'aws_autoscaling_group.web uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pin the version the group should run.',
          related: [],
        },
      ],
    },
    {
      name: 'an unknown condition between $Default and "" (unset, which means $Default)',
      code: asg('  launch_template {\n    name    = "web"\n    version = var.pin ? "" : "$Default"\n  }\n'),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 40,
          message:
            'aws_autoscaling_group.web uses launch template version "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pin the version the group should run.',
        },
      ],
    },
  ],
});

/** A call to a registry module that was never downloaded, with the given arguments. */
const registryCall = (args: string) =>
  `module "asg" {\n  source  = "cloudposse/ec2-autoscale-group/aws"\n  version = "0.35.1"\n\n${args}}\n`;

ruleTester("no-launch-template-latest", {
  title: "arguments of modules that are not read",
  valid: [
    { name: "a version number", code: registryCall('  launch_template_version = "3"\n') },
    { name: '"" is the module\'s to interpret', code: registryCall('  launch_template_version = var.pin ? "$Latest" : ""\n') },
    { name: "another argument given $Latest", code: registryCall('  description = "$Latest"\n') },
  ],
  invalid: [
    {
      name: "$Latest chosen by a variable's null default",
      code:
        'variable "instance_refresh" {\n  default = null\n}\n\n' +
        registryCall('  launch_template_version = var.instance_refresh == null ? "$Latest" : ""\n'),
      errors: [
        {
          line: 9,
          column: 3,
          endLine: 9,
          endColumn: 74,
          message:
            'launch_template_version of module.asg is "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pass the version the group should run (a template\'s latest_version).',
        },
      ],
    },
    {
      name: "$Default under a prefixed name",
      code: registryCall('  worker_launch_template_version = "$Default"\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 46,
          message:
            'worker_launch_template_version of module.asg is "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pass the version the group should run (a template\'s latest_version).',
        },
      ],
    },
  ],
});

// A group module of our own: the version is chosen by the module unless the caller gives one.
const groupModule = {
  "modules/group/variables.tf":
    'variable "launch_template_version" {\n  type    = string\n  default = null\n}\n\nvariable "use_mixed_instances" {\n  type    = bool\n  default = false\n}\n',
  "modules/group/main.tf":
    "locals {\n  version = var.launch_template_version == null ? aws_launch_template.this.latest_version : var.launch_template_version\n}\n\n" +
    'resource "aws_launch_template" "this" {\n  name_prefix = "group-"\n}\n\n' +
    'resource "aws_autoscaling_group" "this" {\n  max_size = 2\n\n  dynamic "launch_template" {\n    for_each = var.use_mixed_instances ? [] : [1]\n\n    content {\n      id      = aws_launch_template.this.id\n      version = local.version\n    }\n  }\n}\n',
};
const groupCall = (args: string) => `module "group" {\n  source = "./modules/group"\n${args}}\n`;

ruleTester("no-launch-template-latest", {
  title: "through modules",
  valid: [
    { name: "the module's own choice (latest_version) when the call gives none", code: groupCall(""), disk: groupModule },
    { name: "a version number given", code: groupCall('\n  launch_template_version = "7"\n'), disk: groupModule },
    {
      name: "$Latest given, but the block that would use it is not generated",
      code: groupCall('\n  launch_template_version = "$Latest"\n  use_mixed_instances     = true\n'),
      disk: groupModule,
    },
  ],
  invalid: [
    {
      name: "$Latest given to a module that uses it in a dynamic launch_template block",
      code: groupCall('\n  launch_template_version = "$Latest"\n'),
      disk: groupModule,
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 38,
          message:
            'Passed to module.group: aws_autoscaling_group.this uses launch template version "$Latest": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.this.latest_version.',
          related: [
            { path: "modules/group/variables.tf", line: 1, column: 1, endLine: 1, endColumn: 35, step: "variable" },
            {
              path: "modules/group/main.tf",
              line: 17,
              column: 7,
              endLine: 17,
              endColumn: 30,
              step: "attribute",
              description: "aws_autoscaling_group.this version in module.group",
            },
          ],
        },
      ],
    },
    {
      name: "$Default from the caller's variable default",
      code: 'variable "lt_version" {\n  default = "$Default"\n}\n\n' + groupCall("\n  launch_template_version = var.lt_version\n"),
      disk: groupModule,
      errors: [
        {
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: 43,
          message:
            'Passed to module.group: aws_autoscaling_group.this uses launch template version "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. Set version = aws_launch_template.this.latest_version.',
          related: [
            { path: "modules/group/variables.tf", line: 1, column: 1, endLine: 1, endColumn: 35, step: "variable" },
            { path: "modules/group/main.tf", line: 17, column: 7, endLine: 17, endColumn: 30, step: "attribute" },
            { path: "main.tf", line: 2, column: 13, endLine: 2, endColumn: 23, description: 'default of variable "lt_version"' },
          ],
        },
      ],
    },
  ],
});
