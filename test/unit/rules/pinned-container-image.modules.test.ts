// Tests for pinned-container-image through module calls: arguments of modules that are not read, and a service module of our own.
import { ruleTester } from "../../helpers/rule-tester.ts";

/** A call to a registry module that was never downloaded, with the given arguments. */
const registryCall = (args: string) =>
  `module "service" {\n  source  = "cloudposse/ecs-container-definition/aws"\n  version = "0.61.1"\n\n${args}}\n`;

ruleTester("pinned-container-image", {
  title: "arguments of modules that are not read",
  valid: [
    { name: "a version tag", code: registryCall('  container_image = "amazon/aws-for-fluent-bit:2.32.0"\n') },
    { name: "an untagged value under the name image, which may be a machine image", code: registryCall('  image = "ubuntu"\n') },
    { name: "an unknown tag", code: registryCall('  container_image = "${var.repository}:${var.tag}"\n') },
    { name: "another argument", code: registryCall('  command = "nginx:latest"\n') },
  ],
  invalid: [
    {
      name: "container_image with the tag latest",
      code: registryCall('  container_image = "public.ecr.aws/datadog/agent:latest"\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 58,
          message:
            'Container image "public.ecr.aws/datadog/agent:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "container_image without a tag",
      code: registryCall('  container_image = "nginx"\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 28,
          message:
            'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "*_image with the tag latest",
      code: registryCall('  runner_image = format("%s:latest", var.repository)\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 53,
          message:
            'Container image "${…}:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
  ],
});

// A service module of our own: the image is built from a repository and a tag, inside the container definitions.
const serviceModule = {
  "modules/service/variables.tf":
    'variable "repository" {\n  type = string\n}\n\nvariable "tag" {\n  type    = string\n  default = "latest"\n}\n\nvariable "sidecars" {\n  type    = list(any)\n  default = []\n}\n',
  "modules/service/main.tf":
    'locals {\n  app = {\n    name      = "app"\n    image     = format("%s:%s", var.repository, var.tag)\n    essential = true\n  }\n}\n\n' +
    'resource "aws_ecs_task_definition" "this" {\n  family                = "service"\n  container_definitions = jsonencode(concat([local.app], var.sidecars))\n}\n',
};
const serviceCall = (args: string) => `module "service" {\n  source = "./modules/service"\n\n${args}}\n`;

ruleTester("pinned-container-image", {
  title: "through modules",
  valid: [
    { name: "a version tag given", code: serviceCall('  repository = "example/app"\n  tag        = "1.4.2"\n'), disk: serviceModule },
    {
      name: "the repository given, the tag left to its default (the module's own finding)",
      code: serviceCall('  repository = "example/app"\n'),
      disk: serviceModule,
    },
    { name: "a tag nobody knows", code: serviceCall('  repository = "example/app"\n  tag        = var.release\n'), disk: serviceModule },
    {
      name: "a sidecar pinned by tag",
      code: serviceCall(
        '  repository = "example/app"\n  tag        = "1.4.2"\n  sidecars   = [{ name = "log", image = "fluent/fluent-bit:3.0.4" }]\n',
      ),
      disk: serviceModule,
    },
  ],
  invalid: [
    {
      name: "the tag latest given explicitly",
      code: serviceCall('  repository = "example/app"\n  tag        = "latest"\n'),
      disk: serviceModule,
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 24,
          message:
            'Passed to module.service → aws_ecs_task_definition.this: Container image "example/app:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
          related: [
            { path: "modules/service/variables.tf", line: 5, column: 1, endLine: 5, endColumn: 15, step: "variable" },
            { path: "modules/service/main.tf", line: 11, column: 3, endLine: 11, endColumn: 72, step: "attribute" },
          ],
        },
      ],
    },
    {
      name: "an untagged sidecar merged into the definitions",
      code: serviceCall(
        '  repository = "example/app"\n  tag        = "1.4.2"\n  sidecars   = [{ name = "log", image = "fluent/fluent-bit" }]\n',
      ),
      disk: serviceModule,
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 63,
          message:
            'Passed to module.service → aws_ecs_task_definition.this: Container image "fluent/fluent-bit" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
  ],
});
