// Tests for require-create-before-destroy (HCL and JSON syntax, fixes merged into existing lifecycle blocks).
import { ruleTester } from "../../helpers/rule-tester.ts";

ruleTester("require-create-before-destroy", {
  valid: [
    { code: 'resource "aws_instance" "web" {\n  ami = var.ami\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n' },
    { name: "not a replaceable type", code: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' },
    { name: "excluded", code: 'resource "aws_instance" "web" {\n}\n', options: { exclude: ["aws_instance"] } },
    { name: "computed value is trusted", code: 'resource "aws_instance" "web" {\n  lifecycle {\n    create_before_destroy = var.cbd\n  }\n}\n' },
    {
      name: "JSON syntax",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": { "create_before_destroy": true }\n      }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "DigitalOcean droplet without lifecycle",
      code: 'resource "digitalocean_droplet" "web" {\n  image = "x"\n}\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 38, message: "create_before_destroy" }],
      output: 'resource "digitalocean_droplet" "web" {\n  image = "x"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "merges into an existing lifecycle block",
      code: 'resource "aws_instance" "web" {\n  lifecycle {\n    prevent_destroy = false\n  }\n}\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 30 }],
      output: 'resource "aws_instance" "web" {\n  lifecycle {\n    prevent_destroy       = false\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "false is set to true, reported at the attribute",
      code: 'resource "aws_instance" "web" {\n  lifecycle { create_before_destroy = false }\n}\n',
      errors: [{ line: 2, column: 15, endLine: 2, endColumn: 44 }],
      output: 'resource "aws_instance" "web" {\n  lifecycle { create_before_destroy = true }\n}\n',
    },
    {
      name: "empty one-line block",
      code: 'resource "hcloud_server" "a" {}\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 29 }],
      output: 'resource "hcloud_server" "a" {\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "CRLF line endings are kept",
      code: 'resource "aws_instance" "web" {\r\n  ami = "a"\r\n}\r\n',
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 30 }],
      output: 'resource "aws_instance" "web" {\r\n  ami = "a"\r\n\r\n  lifecycle {\r\n    create_before_destroy = true\r\n  }\r\n}\r\n',
    },
    {
      name: "JSON syntax reports at the key and edits JSON",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x"\n      }\n    }\n  }\n}\n',
      errors: [{ line: 4, column: 7, endLine: 4, endColumn: 12 }],
      output: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x",\n        "lifecycle": {\n          "create_before_destroy": true\n        }\n      }\n    }\n  }\n}\n',
    },
  ],
});
