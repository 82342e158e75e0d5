// Tests for pinned-container-image (Kubernetes, Docker, ECS, Cloud Run, Azure, Lambda; Packer docker sources and builders); the cases live in cases/pinned-container-image-*.ts by topic.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyImage } from "../../../server/src/rules/_container-image-reference.ts";
import { ecs, k8s } from "../../helpers/container-image-snippets.ts";
import { lintWithOnly, ruleTester } from "../../helpers/rule-tester.ts";
import * as ecsAndOthers from "./cases/pinned-container-image-ecs-and-others.ts";
import * as kubernetesDocker from "./cases/pinned-container-image-kubernetes-docker.ts";
import * as packer from "./cases/pinned-container-image-packer.ts";

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

// One list over the topic files, in this order, so that each case keeps its number in its test's name.
ruleTester("pinned-container-image", {
  valid: [...kubernetesDocker.valid, ...ecsAndOthers.valid, ...packer.valid],
  invalid: [...kubernetesDocker.invalid, ...ecsAndOthers.invalid, ...packer.invalid],
});

describe("pinned-container-image related information", () => {
  it("points into a container definitions file at the image key", async () => {
    const inputs = [
      { path: "/virtual/module/main.tf", text: ecs('file("containers.json")') },
      { path: "/virtual/module/containers.json", text: '[\n  { "name": "web", "image": "web:latest" }\n]\n' },
    ];
    const result = await lintWithOnly("pinned-container-image", inputs, (p) => inputs.find((i) => i.path === p)?.text);
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
      code:
        "locals {\n  base = { essential = true }\n}\n\n" + ecs('jsonencode([merge(local.base, { name = "web", image = "nginx:1.27.0" })])'),
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
      code:
        'locals {\n  app = {\n    name  = "app"\n    image = "${var.repository}:latest"\n  }\n}\n\n' +
        ecs("jsonencode(concat([local.app], var.sidecars))"),
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
