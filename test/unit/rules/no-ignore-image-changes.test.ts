// Tests for no-ignore-image-changes (references, legacy strings, `all`; single- and multi-line lists; HCL and JSON; CRLF kept).
import { ruleTester } from "../../helpers/rule-tester.ts";

const res = (lifecycle: string) => `resource "aws_instance" "web" {\n  ami = var.ami\n\n  lifecycle {\n${lifecycle}  }\n}\n`;

ruleTester("no-ignore-image-changes", {
  valid: [
    { name: "unrelated attributes", code: res("    ignore_changes = [tags, desired_count]\n") },
    { name: "a nested key named like an image attribute", code: res('    ignore_changes = [tags["image"]]\n') },
    { name: "no ignore_changes", code: res("    create_before_destroy = true\n") },
    { name: "empty list", code: res("    ignore_changes = []\n") },
    {
      name: "ECS service task definition is not an image attribute",
      code: 'resource "aws_ecs_service" "s" {\n  lifecycle {\n    ignore_changes = [task_definition]\n  }\n}\n',
    },
    {
      name: "JSON syntax with unrelated entries",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": { "ignore_changes": ["tags"] }\n      }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "one image entry among others, single line",
      code: res("    ignore_changes = [ami, tags]\n"),
      errors: [
        {
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 26,
          message:
            "aws_instance.web ignores changes to ami: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ami from ignore_changes.",
        },
      ],
      output: res("    ignore_changes = [tags]\n"),
    },
    {
      name: "several image entries, legacy strings and a nested step",
      code: res('    ignore_changes = ["user_data", tags, source_image_reference[0].version, "ami"]\n'),
      errors: [
        {
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 82,
          message:
            "aws_instance.web ignores changes to user_data, source_image_reference, ami: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove user_data, source_image_reference, ami from ignore_changes.",
        },
      ],
      output: res("    ignore_changes = [tags]\n"),
    },
    {
      name: "only image entries: the attribute goes, the rest of the block stays",
      code: res("    create_before_destroy = true\n    ignore_changes        = [ami]\n"),
      errors: [
        {
          line: 6,
          column: 30,
          endLine: 6,
          endColumn: 33,
          message:
            "aws_instance.web ignores changes to ami: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ami from ignore_changes.",
        },
      ],
      output: res("    create_before_destroy = true\n"),
    },
    {
      name: "only image entries in a lifecycle block of their own: the block goes",
      code: res("    ignore_changes = [user_data_base64]\n"),
      errors: [
        {
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 39,
          message:
            "aws_instance.web ignores changes to user_data_base64: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove user_data_base64 from ignore_changes.",
        },
      ],
      output: 'resource "aws_instance" "web" {\n  ami = var.ami\n}\n',
    },
    {
      name: "ignore_changes = all",
      code: 'resource "google_compute_instance" "vm" {\n  lifecycle {\n    ignore_changes = all\n  }\n\n  name = "vm"\n}\n',
      errors: [
        {
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 25,
          message:
            "google_compute_instance.vm ignores all changes: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ignore_changes = all and list only what may drift.",
        },
      ],
      output: 'resource "google_compute_instance" "vm" {\n\n  name = "vm"\n}\n',
    },
    {
      name: 'the legacy ["*"] wildcard',
      code: res('    ignore_changes = ["*"]\n    prevent_destroy = false\n'),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 27,
          message:
            "aws_instance.web ignores all changes: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ignore_changes = all and list only what may drift.",
        },
      ],
      output: res("    prevent_destroy = false\n"),
    },
    {
      name: "multi-line list: whole lines are removed, comments of kept items stay",
      code: res(
        "    ignore_changes = [\n      tags, # managed by the tagger\n      ami,\n      metadata_startup_script, # set by ops\n      labels\n    ]\n",
      ),
      errors: [
        {
          line: 7,
          column: 7,
          endLine: 8,
          endColumn: 30,
          message:
            "aws_instance.web ignores changes to ami, metadata_startup_script: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ami, metadata_startup_script from ignore_changes.",
        },
      ],
      output: res("    ignore_changes = [\n      tags, # managed by the tagger\n      labels\n    ]\n"),
    },
    {
      name: "multi-line list whose last item is removed keeps a trailing comma",
      code: res("    ignore_changes = [\n      tags,\n      container_definitions\n    ]\n"),
      errors: [
        {
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 28,
          message:
            "aws_instance.web ignores changes to container_definitions: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove container_definitions from ignore_changes.",
        },
      ],
      output: res("    ignore_changes = [\n      tags,\n    ]\n"),
    },
    {
      name: "multi-line list with items sharing lines is written again",
      code: res("    ignore_changes = [tags,\n      image_id, labels]\n"),
      errors: [
        {
          line: 6,
          column: 7,
          endLine: 6,
          endColumn: 15,
          message:
            "aws_instance.web ignores changes to image_id: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove image_id from ignore_changes.",
        },
      ],
      output: res("    ignore_changes = [\n      tags,\n      labels,\n    ]\n"),
    },
    {
      name: "launch_template on an Auto Scaling group",
      code: 'resource "aws_autoscaling_group" "web" {\n  lifecycle {\n    ignore_changes = [launch_template, desired_capacity]\n  }\n}\n',
      errors: [
        {
          line: 3,
          column: 23,
          endLine: 3,
          endColumn: 38,
          message:
            "aws_autoscaling_group.web ignores changes to launch_template: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove launch_template from ignore_changes.",
        },
      ],
      output: 'resource "aws_autoscaling_group" "web" {\n  lifecycle {\n    ignore_changes = [desired_capacity]\n  }\n}\n',
    },
    {
      name: "CRLF line endings are kept",
      code: res("    ignore_changes = [\n      custom_data,\n      tags,\n    ]\n").replace(/\n/g, "\r\n"),
      errors: [
        {
          line: 6,
          column: 7,
          endLine: 6,
          endColumn: 18,
          message:
            "aws_instance.web ignores changes to custom_data: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove custom_data from ignore_changes.",
        },
      ],
      output: res("    ignore_changes = [\n      tags,\n    ]\n").replace(/\n/g, "\r\n"),
    },
    {
      name: "CRLF: an emptied lifecycle block goes",
      code: res("    ignore_changes = [image]\n").replace(/\n/g, "\r\n"),
      errors: [
        {
          line: 5,
          column: 23,
          endLine: 5,
          endColumn: 28,
          message:
            "aws_instance.web ignores changes to image: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove image from ignore_changes.",
        },
      ],
      output: 'resource "aws_instance" "web" {\r\n  ami = var.ami\r\n}\r\n',
    },
    {
      name: "JSON syntax keeps the other entries",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": {\n          "ignore_changes": ["ami", "tags"]\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 30,
          endLine: 6,
          endColumn: 35,
          message:
            "aws_instance.web ignores changes to ami: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ami from ignore_changes.",
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": {\n          "ignore_changes": [\n            "tags"\n          ]\n        }\n      }\n    }\n  }\n}\n',
    },
    {
      name: 'JSON syntax: "all" removes the property',
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": {\n          "create_before_destroy": true,\n          "ignore_changes": "all"\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 7,
          column: 11,
          endLine: 7,
          endColumn: 34,
          message:
            "aws_instance.web ignores all changes: a new image or boot script never replaces it, and the configuration no longer says what is running. Remove ignore_changes = all and list only what may drift.",
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": {\n          "create_before_destroy": true\n        }\n      }\n    }\n  }\n}\n',
    },
  ],
});
