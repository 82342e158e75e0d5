// Tests for no-boot-time-mutation through module calls: arguments of modules that are not read, and a node module of our own.
import { ruleTester } from "../../helpers/rule-tester.ts";

/** A call to a registry module that was never downloaded, with the given arguments. */
const registryCall = (args: string) =>
  `module "asg" {\n  source  = "cloudposse/ec2-autoscale-group/aws"\n  version = "0.35.1"\n\n${args}}\n`;

ruleTester("no-boot-time-mutation", {
  title: "arguments of modules that are not read",
  valid: [
    { name: "a calm script", code: registryCall('  user_data = "#!/bin/sh\\necho ok\\n"\n') },
    { name: "a script under another name", code: registryCall('  description = "apt-get install -y nginx"\n') },
  ],
  invalid: [
    {
      name: "user_data_base64 from a cloudinit_config part kept in a file",
      code:
        'data "cloudinit_config" "config" {\n  part {\n    content = file("${path.module}/boot.sh")\n  }\n}\n\n' +
        registryCall('  user_data_base64 = join("", data.cloudinit_config.config[*].rendered)\n'),
      files: { "boot.sh": "#!/bin/bash\napt-get update\napt-get install -y nginx\n" },
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 72,
          message:
            'user_data_base64 of module.asg installs or upgrades packages at boot ("apt-get install -y nginx", boot.sh line 3): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "startup_script written in place",
      code: registryCall('  startup_script = "#!/bin/sh\\npip install flask\\n"\n'),
      errors: [
        {
          line: 5,
          column: 32,
          endLine: 5,
          endColumn: 49,
          message:
            'startup_script of module.asg installs or upgrades packages at boot ("pip install flask"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
  ],
});

// A node module of our own that encodes the boot script it is given.
const nodeModule = {
  "modules/node/main.tf":
    'variable "user_data" {\n  type    = string\n  default = ""\n}\n\n' +
    'resource "aws_launch_template" "this" {\n  name_prefix = "node-"\n  user_data   = var.user_data == "" ? null : base64encode(var.user_data)\n}\n',
};
const nodeCall = (userData: string) => `module "node" {\n  source = "./modules/node"\n\n  user_data = ${userData}\n}\n`;

ruleTester("no-boot-time-mutation", {
  title: "through modules",
  valid: [
    {
      name: "a calm script",
      code: nodeCall('file("${path.module}/boot.sh")'),
      files: { "boot.sh": "#!/bin/sh\necho ENV=prod > /etc/app.env\n" },
      disk: nodeModule,
    },
    { name: "no script", code: 'module "node" {\n  source = "./modules/node"\n}\n', disk: nodeModule },
  ],
  invalid: [
    {
      name: "a script file beside the caller, read from the caller's folder",
      code: nodeCall('file("${path.module}/boot.sh")'),
      files: { "boot.sh": "#!/bin/bash\napt-get install -y nginx\n" },
      disk: nodeModule,
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 45,
          message:
            'Passed to module.node → aws_launch_template.this: user_data installs or upgrades packages at boot ("apt-get install -y nginx", boot.sh line 2): machines from the same image end up different. Bake it into the image instead.',
          related: [
            { path: "modules/node/main.tf", line: 1, column: 1, endLine: 1, endColumn: 21, step: "variable" },
            { path: "modules/node/main.tf", line: 8, column: 3, endLine: 8, endColumn: 73, step: "attribute" },
            { path: "boot.sh", line: 2, column: 1, endLine: 2, endColumn: 25 },
          ],
        },
      ],
    },
  ],
});
