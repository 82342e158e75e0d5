// Tests for pinned-container-image (Kubernetes, Docker, ECS, Cloud Run, Azure, Lambda; Packer docker sources and builders).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLinter, defaultConfig } from "../../../server/src/engine/index.ts";
import { classifyImage } from "../../../server/src/rules/pinned-container-image.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

const k8s = (image: string) =>
  `resource "kubernetes_deployment" "web" {\n  spec {\n    template {\n      spec {\n        container {\n          image = ${image}\n        }\n      }\n    }\n  }\n}\n`;

const ecs = (definitions: string) => `resource "aws_ecs_task_definition" "web" {\n  family                = "web"\n  container_definitions = ${definitions}\n}\n`;

describe("classifyImage", () => {
  it("reads tags, registries with ports and digests", () => {
    assert.equal(classifyImage("nginx", false), "untagged");
    assert.equal(classifyImage("nginx:latest", false), "latest");
    assert.equal(classifyImage("nginx:1.27", false), undefined);
    assert.equal(classifyImage("nginx:1.27", true), "no-digest");
    assert.equal(classifyImage("registry.local:5000/team/app", false), "untagged");
    assert.equal(classifyImage("registry.local:5000/team/app:2.1", false), undefined);
    assert.equal(classifyImage(`nginx@sha256:${"a".repeat(64)}`, true), undefined);
    assert.equal(classifyImage(`nginx:1.27@sha256:${"a".repeat(64)}`, true), undefined);
    assert.equal(classifyImage("", false), undefined);
  });
  it("decides from what follows the last unknown part", () => {
    assert.equal(classifyImage("\u0000/app", false), "untagged");
    assert.equal(classifyImage("\u0000:latest", false), "latest");
    assert.equal(classifyImage("app:\u0000", false), undefined);
    assert.equal(classifyImage("\u0000-app", false), undefined);
    assert.equal(classifyImage("\u0000", false), undefined);
    assert.equal(classifyImage("\u0000:1.2", true), "no-digest");
  });
});

ruleTester("pinned-container-image", {
  valid: [
    { name: "Kubernetes container with a version tag", code: k8s('"nginx:1.27.0"') },
    { name: "registry with a port and a tag", code: k8s('"registry.local:5000/team/web:2.3.1"') },
    { name: "digest", code: k8s(`"nginx@sha256:${"0".repeat(64)}"`) },
    { name: "digest with requireDigest", code: k8s(`"nginx:1.27@sha256:${"0".repeat(64)}"`), options: { requireDigest: true } },
    { name: "unknown variable", code: k8s("var.image") },
    { name: "unknown tag", code: k8s('"nginx:${var.tag}"') },
    { name: "variable default with a tag", code: k8s("var.image"), files: { "variables.tf": 'variable "image" {\n  default = "nginx:1.27"\n}\n' } },
    { name: "docker_container from a docker_image reference", code: 'resource "docker_container" "web" {\n  name  = "web"\n  image = docker_image.web.image_id\n}\n' },
    { name: "ECS jsonencode with tags", code: ecs('jsonencode([\n    { name = "web", image = "nginx:1.27" },\n  ])') },
    { name: "ECS JSON heredoc with a tag", code: ecs('<<EOF\n[{"name": "web", "image": "nginx:1.27"}]\nEOF') },
    { name: "ECS image from an unknown variable", code: ecs('jsonencode([{ image = "${var.repo}:${var.tag}" }])') },
    { name: "kubernetes_manifest with a tag", code: 'resource "kubernetes_manifest" "p" {\n  manifest = {\n    spec = { containers = [{ image = "app:1.2.3" }] }\n  }\n}\n' },
    { name: "not a container resource", code: 'resource "aws_instance" "web" {\n  container {\n    image = "nginx"\n  }\n}\n' },
    { name: "Packer docker source with a tag", filename: "web.pkr.hcl", code: 'source "docker" "web" {\n  image  = "ubuntu:24.04"\n  commit = true\n}\n' },
    { name: "Packer non-docker source", filename: "web.pkr.hcl", code: 'source "googlecompute" "web" {\n  image = "x"\n}\n' },
    {
      name: "legacy JSON docker builder with a tag",
      filename: "template.json",
      code: '{\n  "builders": [\n    { "type": "docker", "image": "ubuntu:22.04", "commit": true }\n  ]\n}\n',
    },
    {
      name: "a Packer provisioner is never about the base image",
      filename: "web.pkr.hcl",
      code: 'source "docker" "web" {\n  image  = "ubuntu:24.04"\n  commit = true\n}\n\nbuild {\n  sources = ["source.docker.web"]\n\n  provisioner "shell" {\n    inline = ["docker pull nginx:latest"]\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "Kubernetes latest",
      code: k8s('"nginx:latest"'),
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 33,
          message:
            'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "Kubernetes untagged",
      code: k8s('"nginx"'),
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 26,
          message:
            'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "a registry port is not a tag",
      code: k8s('"registry.local:5000/web"'),
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 44,
          message:
            'Container image "registry.local:5000/web" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "requireDigest flags a plain tag",
      code: k8s('"nginx:1.27"'),
      options: { requireDigest: true },
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 31,
          message:
            'Container image "nginx:1.27" is not pinned by digest (@sha256:…): a tag can be moved to other content (option requireDigest). Add the digest of the image you tested.',
        },
      ],
    },
    {
      name: "init containers and pods, v1 resources",
      code: 'resource "kubernetes_pod_v1" "p" {\n  spec {\n    init_container {\n      image = "busybox"\n    }\n    container {\n      image = "app:latest"\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 24,
          message:
            'Container image "busybox" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
        {
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 27,
          message:
            'Container image "app:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "cron job nesting",
      code: 'resource "kubernetes_cron_job_v1" "c" {\n  spec {\n    job_template {\n      spec {\n        template {\n          spec {\n            container {\n              image = "busybox"\n            }\n          }\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 8,
          column: 15,
          endLine: 8,
          endColumn: 32,
          message:
            'Container image "busybox" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "dynamic container blocks",
      code: 'resource "kubernetes_deployment" "d" {\n  spec {\n    dynamic "container" {\n      for_each = var.sidecars\n      content {\n        image = "envoy:latest"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 31,
          message:
            'Container image "envoy:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "value from a variable default is reported at the attribute",
      code: k8s("var.image"),
      files: { "variables.tf": 'variable "image" {\n  default = "nginx:latest"\n}\n' },
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 28,
          message:
            'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "value from tfvars",
      code: k8s("var.image"),
      files: { "variables.tf": 'variable "image" {\n  default = "nginx:1.27"\n}\n', "terraform.tfvars": 'image = "nginx"\n' },
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 28,
          message:
            'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "value from a local",
      code: `locals {\n  image = "nginx:latest"\n}\n\n${k8s("local.image")}`,
      errors: [
        {
          line: 10,
          column: 11,
          endLine: 10,
          endColumn: 30,
          message:
            'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "unknown registry, known latest",
      code: k8s('"${var.registry}/web:latest"'),
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 47,
          message:
            'Container image "${…}/web:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "docker_container and docker_image",
      code: 'resource "docker_image" "web" {\n  name = "nginx"\n}\n\nresource "docker_container" "web" {\n  name  = "web"\n  image = "nginx:latest"\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 17,
          message:
            'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 25,
          message:
            'Container image "nginx:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "ECS jsonencode reports at the image key",
      code: ecs('jsonencode([\n    {\n      name  = "web"\n      image = "nginx:latest"\n    },\n    { name = "log", image = "fluent-bit" },\n  ])'),
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
      files: { "containers.json.tpl": '[\n  { "name": "web", "image": "web:${tag}", "cpu": ${cpu} },\n  { "name": "proxy", "image": "envoyproxy/envoy" }\n]\n' },
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
    {
      name: "Packer docker source untagged",
      filename: "web.pkr.hcl",
      code: 'source "docker" "web" {\n  image  = "ubuntu"\n  commit = true\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 20,
          message:
            'Container image "ubuntu" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "Packer image through a variable",
      filename: "web.pkr.hcl",
      code: 'variable "base" {\n  default = "debian:latest"\n}\n\nsource "docker" "web" {\n  image  = var.base\n  commit = true\n}\n',
      errors: [
        {
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 20,
          message:
            'Container image "debian:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "Packer HCL-JSON docker source",
      filename: "web.pkr.json",
      code: '{\n  "source": {\n    "docker": {\n      "web": { "image": "ubuntu:latest", "commit": true }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 16,
          endLine: 4,
          endColumn: 40,
          message:
            'Container image "ubuntu:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "legacy JSON docker builder",
      filename: "template.json",
      code: '{\n  "builders": [\n    {\n      "type": "docker",\n      "image": "ubuntu",\n      "commit": true\n    }\n  ]\n}\n',
      errors: [
        {
          line: 5,
          column: 7,
          endLine: 5,
          endColumn: 24,
          message:
            'Container image "ubuntu" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
  ],
});

describe("pinned-container-image related information", () => {
  it("points into a container definitions file at the image key", async () => {
    const linter = await createLinter();
    const config = defaultConfig(linter.rules);
    for (const id of Object.keys(config.rules)) config.rules[id].enabled = id === "pinned-container-image";
    const inputs = [
      { path: "/virtual/module/main.tf", text: ecs('file("containers.json")') },
      { path: "/virtual/module/containers.json", text: '[\n  { "name": "web", "image": "web:latest" }\n]\n' },
    ];
    const host = { readFile: (p: string) => inputs.find((i) => i.path === p)?.text };
    const result = await linter.lint(inputs, config, host, { skipExactSyntax: true });
    assert.equal(result.findings.length, 1);
    const related = result.findings[0].related?.[0];
    assert.equal(related?.path, "/virtual/module/containers.json");
    assert.equal(related?.description, "containers.json line 2");
    assert.deepEqual(
      [related?.range.start, related?.range.end],
      [
        { line: 1, character: 19 },
        { line: 1, character: 40 },
      ],
    );
  });
});

ruleTester("pinned-container-image", {
  title: "expressions around the image",
  valid: [
    { name: "format() with an unknown tag", code: k8s('format("%s:%s", var.repository, var.tag)') },
    { name: "a conditional between two pinned tags", code: k8s('var.canary ? "nginx:1.27.1" : "nginx:1.27.0"') },
    {
      name: "merge() inside jsonencode with a pinned image",
      code: "locals {\n  base = { essential = true }\n}\n\n" + ecs('jsonencode([merge(local.base, { name = "web", image = "nginx:1.27.0" })])'),
    },
  ],
  invalid: [
    {
      name: "format() with the tag latest",
      code: k8s('format("%s:latest", var.repository)'),
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 54,
          message:
            'Container image "${…}:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "a conditional whose other branch is empty",
      code: k8s('var.sidecar ? "envoyproxy/envoy" : ""'),
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 56,
          message:
            'Container image "envoyproxy/envoy" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "merge() inside jsonencode, written in place: reported at the image key",
      code: "locals {\n  base = { essential = true }\n}\n\n" + ecs('jsonencode([merge(local.base, { name = "web", image = "nginx" })])'),
      errors: [
        {
          line: 7,
          column: 73,
          endLine: 7,
          endColumn: 88,
          message:
            'Container image "nginx" has no tag, so it means "latest" and follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
        },
      ],
    },
    {
      name: "concat() of a local container whose tag is unknown elsewhere: reported at the attribute, pointing at the local",
      code: 'locals {\n  app = {\n    name  = "app"\n    image = "${var.repository}:latest"\n  }\n}\n\n' + ecs("jsonencode(concat([local.app], var.sidecars))"),
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 72,
          message:
            'Container image "${…}:latest" uses the tag "latest", which follows whatever was pushed last: the same configuration runs different code from one deploy to the next. Pin a version tag or a digest.',
          related: [{ path: "main.tf", line: 4, column: 5, endLine: 4, endColumn: 39, description: "image" }],
        },
      ],
    },
  ],
});

/** A call to a registry module that was never downloaded, with the given arguments. */
const registryCall = (args: string) => `module "service" {\n  source  = "cloudposse/ecs-container-definition/aws"\n  version = "0.61.1"\n\n${args}}\n`;

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
    { name: "the repository given, the tag left to its default (the module's own finding)", code: serviceCall('  repository = "example/app"\n'), disk: serviceModule },
    { name: "a tag nobody knows", code: serviceCall('  repository = "example/app"\n  tag        = var.release\n'), disk: serviceModule },
    {
      name: "a sidecar pinned by tag",
      code: serviceCall('  repository = "example/app"\n  tag        = "1.4.2"\n  sidecars   = [{ name = "log", image = "fluent/fluent-bit:3.0.4" }]\n'),
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
      code: serviceCall('  repository = "example/app"\n  tag        = "1.4.2"\n  sidecars   = [{ name = "log", image = "fluent/fluent-bit" }]\n'),
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
