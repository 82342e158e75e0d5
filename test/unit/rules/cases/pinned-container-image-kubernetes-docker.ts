// pinned-container-image cases: Kubernetes and Docker resources (tags, digests, nesting, values from variables, tfvars and locals).
import { k8s } from "../../../helpers/container-image-snippets.ts";
import type { InvalidCase, TestCase } from "../../../helpers/rule-tester.ts";

export const valid: TestCase[] = [
  { name: "Kubernetes container with a version tag", code: k8s('"nginx:1.27.0"') },
  { name: "registry with a port and a tag", code: k8s('"registry.local:5000/team/web:2.3.1"') },
  { name: "digest", code: k8s(`"nginx@sha256:${"0".repeat(64)}"`) },
  { name: "digest with requireDigest", code: k8s(`"nginx:1.27@sha256:${"0".repeat(64)}"`), options: { requireDigest: true } },
  { name: "unknown variable", code: k8s("var.image") },
  { name: "unknown tag", code: k8s('"nginx:${var.tag}"') },
  {
    name: "variable default with a tag",
    code: k8s("var.image"),
    files: { "variables.tf": 'variable "image" {\n  default = "nginx:1.27"\n}\n' },
  },
  {
    name: "docker_container from a docker_image reference",
    code: 'resource "docker_container" "web" {\n  name  = "web"\n  image = docker_image.web.image_id\n}\n',
  },
];

export const invalid: InvalidCase[] = [
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
];
