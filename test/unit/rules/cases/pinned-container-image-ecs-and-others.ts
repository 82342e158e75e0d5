// pinned-container-image cases: ECS container definitions, kubernetes_manifest, Cloud Run, Azure, Lambda and JSON syntax.
import { ecs } from "../../../helpers/container-image-snippets.ts";
import type { InvalidCase, TestCase } from "../../../helpers/rule-tester.ts";

export const valid: TestCase[] = [
  { name: "ECS jsonencode with tags", code: ecs('jsonencode([\n    { name = "web", image = "nginx:1.27" },\n  ])') },
  { name: "ECS JSON heredoc with a tag", code: ecs('<<EOF\n[{"name": "web", "image": "nginx:1.27"}]\nEOF') },
  { name: "ECS image from an unknown variable", code: ecs('jsonencode([{ image = "${var.repo}:${var.tag}" }])') },
  {
    name: "kubernetes_manifest with a tag",
    code: 'resource "kubernetes_manifest" "p" {\n  manifest = {\n    spec = { containers = [{ image = "app:1.2.3" }] }\n  }\n}\n',
  },
  { name: "not a container resource", code: 'resource "aws_instance" "web" {\n  container {\n    image = "nginx"\n  }\n}\n' },
];

export const invalid: InvalidCase[] = [
  {
    name: "ECS jsonencode reports at the image key",
    code: ecs(
      'jsonencode([\n    {\n      name  = "web"\n      image = "nginx:latest"\n    },\n    { name = "log", image = "fluent-bit" },\n  ])',
    ),
    errors: [
      {
        line: 6,
        column: 7,
        endLine: 6,
        endColumn: 29,
        message:
          'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
      {
        line: 8,
        column: 21,
        endLine: 8,
        endColumn: 41,
        message:
          'Container image "fluent-bit" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "ECS JSON heredoc reports at the image key inside it",
    code: ecs('<<EOF\n[\n  {\n    "name": "web",\n    "image": "nginx:latest"\n  }\n]\nEOF'),
    errors: [
      {
        line: 7,
        column: 5,
        endLine: 7,
        endColumn: 28,
        message:
          'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "ECS flush heredoc with an interpolated registry, CRLF",
    code: ecs('<<-EOF\r\n    [{"name": "web", "image": "${var.registry}/web"}]\r\n  EOF')
      .replace(/\n/g, "\r\n")
      .replace(/\r\r\n/g, "\r\n"),
    errors: [
      {
        line: 4,
        column: 22,
        endLine: 4,
        endColumn: 52,
        message:
          'Container image "${…}/web" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "ECS JSON in a quoted string: the offset inside the escaped text",
    code: ecs('"[{\\"name\\": \\"web\\", \\"image\\": \\"nginx\\"}]"'),
    errors: [
      {
        line: 3,
        column: 49,
        endLine: 3,
        endColumn: 69,
        message:
          'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "ECS definitions in a template file",
    code: ecs('templatefile("${path.module}/containers.json.tpl", { tag = var.tag })'),
    files: {
      "containers.json.tpl":
        '[\n  { "name": "web", "image": "web:${tag}", "cpu": ${cpu} },\n  { "name": "proxy", "image": "envoyproxy/envoy" }\n]\n',
    },
    errors: [
      {
        line: 3,
        column: 3,
        endLine: 3,
        endColumn: 96,
        message:
          'Container image "envoyproxy/envoy" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "ECS jsonencode of a local",
    code: `locals {\n  containers = [{ name = "web", image = "nginx:latest" }]\n}\n\n${ecs("jsonencode(local.containers)")}`,
    errors: [
      {
        line: 7,
        column: 3,
        endLine: 7,
        endColumn: 55,
        message:
          'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "kubernetes_manifest object",
    code:
      'resource "kubernetes_manifest" "job" {\n  manifest = {\n    apiVersion = "batch/v1"\n    kind       = "Job"\n    spec = {\n      template = {\n        spec = {\n' +
      '          containers = [{ name = "migrate", image = "app:latest" }]\n        }\n      }\n    }\n  }\n}\n',
    errors: [
      {
        line: 8,
        column: 45,
        endLine: 8,
        endColumn: 65,
        message:
          'Container image "app:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "Cloud Run v1 and v2",
    code:
      'resource "google_cloud_run_service" "a" {\n  template {\n    spec {\n      containers {\n        image = "gcr.io/p/app"\n      }\n    }\n  }\n}\n\n' +
      'resource "google_cloud_run_v2_service" "b" {\n  template {\n    containers {\n      image = "us-docker.pkg.dev/p/r/app:latest"\n    }\n  }\n}\n',
    errors: [
      {
        line: 5,
        column: 9,
        endLine: 5,
        endColumn: 31,
        message:
          'Container image "gcr.io/p/app" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
      {
        line: 14,
        column: 7,
        endLine: 14,
        endColumn: 49,
        message:
          'Container image "us-docker.pkg.dev/p/r/app:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "Azure container group",
    code: 'resource "azurerm_container_group" "g" {\n  container {\n    name  = "web"\n    image = "mcr.microsoft.com/azuredocs/aci-helloworld:latest"\n  }\n}\n',
    errors: [
      {
        line: 4,
        column: 5,
        endLine: 4,
        endColumn: 64,
        message:
          'Container image "mcr.microsoft.com/azuredocs/aci-helloworld:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "Lambda image_uri",
    code: 'resource "aws_lambda_function" "f" {\n  package_type = "Image"\n  image_uri    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:latest"\n}\n',
    errors: [
      {
        line: 3,
        column: 3,
        endLine: 3,
        endColumn: 74,
        message:
          'Container image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "JSON syntax (.tf.json)",
    filename: "main.tf.json",
    code: '{\n  "resource": {\n    "docker_container": {\n      "web": { "name": "web", "image": "nginx:latest" }\n    }\n  }\n}\n',
    errors: [
      {
        line: 4,
        column: 31,
        endLine: 4,
        endColumn: 54,
        message:
          'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
  {
    name: "JSON syntax ECS definitions string",
    filename: "main.tf.json",
    code: '{\n  "resource": {\n    "aws_ecs_task_definition": {\n      "t": { "container_definitions": "[{\\"image\\": \\"nginx\\"}]" }\n    }\n  }\n}\n',
    errors: [
      {
        line: 4,
        column: 42,
        endLine: 4,
        endColumn: 62,
        message:
          'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
      },
    ],
  },
];
