// Tests for packer-require-manifest (HCL, HCL2 JSON and legacy JSON; every fixed template checked by packer validate).
import { packerSyntaxValidator } from "../../helpers/packer.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

const MANIFEST_HCL = '  post-processor "manifest" {\n    output     = "packer-manifest.json"\n    strip_path = true\n  }\n';

ruleTester(
  "packer-require-manifest",
  {
    valid: [
      {
        name: "manifest post-processor",
        filename: "web.pkr.hcl",
        code: 'build {\n  sources = ["source.null.a"]\n\n' + MANIFEST_HCL + "}\n",
      },
      {
        name: "manifest inside a post-processors chain",
        filename: "web.pkr.hcl",
        code: 'build {\n  sources = ["source.docker.a"]\n  post-processors {\n    post-processor "docker-tag" {\n      repository = "web"\n    }\n    post-processor "manifest" {}\n  }\n}\n',
      },
      {
        name: "HCP Packer registry",
        filename: "web.pkr.hcl",
        code: 'build {\n  sources = ["source.null.a"]\n  hcp_packer_registry {\n    bucket_name = "web"\n  }\n}\n',
      },
      {
        name: "HCL2 JSON",
        filename: "web.pkr.json",
        code: '{\n  "build": {\n    "sources": ["source.null.a"],\n    "post-processor": {\n      "manifest": {\n        "output": "packer-manifest.json"\n      }\n    }\n  }\n}\n',
      },
      {
        name: "legacy JSON bare string",
        filename: "template.json",
        code: '{"builders": [{"type": "null"}], "post-processors": ["manifest"]}',
      },
      {
        name: "legacy JSON chain",
        filename: "template.json",
        code: '{"builders": [{"type": "docker"}], "post-processors": [[{"type": "docker-tag", "repository": "r"}, {"type": "manifest"}]]}',
      },
      { name: "legacy JSON without builders builds nothing", filename: "template.json", code: '{"builders": []}' },
      {
        name: "a build whose sources make no image has nothing to record",
        filename: "web.pkr.hcl",
        code:
          'source "null" "check" {\n  communicator = "none"\n}\n\nsource "amazon-ebs" "test" {\n  ami_name        = "test"\n  skip_create_ami = true\n}\n\n' +
          'build {\n  sources = ["source.null.check", "source.amazon-ebs.test"]\n}\n',
      },
      {
        name: "a build's source block that skips the image",
        filename: "web.pkr.hcl",
        code: 'source "googlecompute" "web" {\n  image_name = "web"\n}\n\nbuild {\n  source "source.googlecompute.web" {\n    skip_create_image = true\n  }\n}\n',
      },
      {
        name: "legacy JSON whose builders make no image",
        filename: "template.json",
        code: '{"builders": [{"type": "amazon-ebs", "skip_create_ami": true}, {"type": "null"}]}',
      },
      {
        name: "a template without build blocks (sources only)",
        filename: "sources.pkr.hcl",
        code: 'source "null" "a" {\n  communicator = "none"\n}\n',
      },
    ],
    invalid: [
      {
        name: "one source of the build makes an image",
        filename: "web.pkr.hcl",
        code:
          'source "amazon-ebs" "test" {\n  ami_name        = "test"\n  skip_create_ami = true\n}\n\nsource "amazon-ebs" "web" {\n  ami_name = "web"\n}\n\n' +
          'build {\n  sources = ["source.amazon-ebs.test", "amazon-ebs.web"]\n}\n',
        errors: [
          {
            line: 10,
            column: 1,
            endLine: 10,
            endColumn: 6,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        output:
          'source "amazon-ebs" "test" {\n  ami_name        = "test"\n  skip_create_ami = true\n}\n\nsource "amazon-ebs" "web" {\n  ami_name = "web"\n}\n\n' +
          'build {\n  sources = ["source.amazon-ebs.test", "amazon-ebs.web"]\n\n' +
          MANIFEST_HCL +
          "}\n",
      },
      {
        name: "build without a manifest: appended at the end",
        filename: "web.pkr.hcl",
        code: 'build {\n  sources = ["source.null.a"]\n\n  provisioner "shell" {\n    inline = ["echo hi"]\n  }\n}\n',
        errors: [
          {
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 6,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        output:
          'build {\n  sources = ["source.null.a"]\n\n  provisioner "shell" {\n    inline = ["echo hi"]\n  }\n\n' + MANIFEST_HCL + "}\n",
      },
      {
        name: "other post-processors do not count; the build's name is in the message",
        filename: "web.pkr.hcl",
        code: 'build {\n  name    = "web"\n  sources = ["source.null.a"]\n  post-processor "checksum" {\n    checksum_types = ["sha256"]\n  }\n}\n',
        errors: [
          {
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 6,
            message:
              'Build "web" records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        output:
          'build {\n  name    = "web"\n  sources = ["source.null.a"]\n  post-processor "checksum" {\n    checksum_types = ["sha256"]\n  }\n\n' +
          MANIFEST_HCL +
          "}\n",
      },
      {
        name: "two builds, a one-line one among them, and CRLF",
        filename: "web.pkr.hcl",
        code: 'build {\r\n  sources = ["source.null.a"]\r\n}\r\n\r\nbuild {}\r\n',
        errors: [
          {
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 6,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
          {
            line: 5,
            column: 1,
            endLine: 5,
            endColumn: 6,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        output:
          'build {\r\n  sources = ["source.null.a"]\r\n\r\n' +
          MANIFEST_HCL.replace(/\n/g, "\r\n") +
          "}\r\n\r\n" +
          "build {\r\n\r\n" +
          MANIFEST_HCL.replace(/\n/g, "\r\n") +
          "}\r\n",
      },
      {
        name: "HCL2 JSON without post-processors",
        filename: "web.pkr.json",
        code: '{\n  "build": {\n    "sources": ["source.null.a"]\n  }\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 10,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        // jsonc-parser's formatting of the inserted property also re-indents the value just before it.
        output:
          '{\n  "build": {\n    "sources": [\n      "source.null.a"\n    ],\n    "post-processor": {\n      "manifest": {\n        "output": "packer-manifest.json",\n        "strip_path": true\n      }\n    }\n  }\n}\n',
      },
      {
        name: "HCL2 JSON with another post-processor object",
        filename: "web.pkr.json",
        code: '{\n  "build": {\n    "sources": ["source.null.a"],\n    "post-processor": {\n      "checksum": {}\n    }\n  }\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 10,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        output:
          '{\n  "build": {\n    "sources": ["source.null.a"],\n    "post-processor": {\n      "checksum": {},\n      "manifest": {\n        "output": "packer-manifest.json",\n        "strip_path": true\n      }\n    }\n  }\n}\n',
      },
      {
        name: "HCL2 JSON with a post-processor array",
        filename: "web.pkr.json",
        code: '{\n  "build": {\n    "sources": ["source.null.a"],\n    "post-processor": [\n      {"checksum": {}}\n    ]\n  }\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 10,
            message:
              'Build records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".',
          },
        ],
        output:
          '{\n  "build": {\n    "sources": ["source.null.a"],\n    "post-processor": [\n      {\n        "checksum": {}\n      },\n      {\n        "manifest": {\n          "output": "packer-manifest.json",\n          "strip_path": true\n        }\n      }\n    ]\n  }\n}\n',
      },
      {
        name: "legacy JSON without post-processors: reported at the builders key",
        filename: "template.json",
        code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}",\n      "instance_type": "t3.micro",\n      "region": "eu-west-1",\n      "source_ami": "ami-0abcdef1234567890",\n      "ssh_username": "ubuntu"\n    }\n  ]\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 13,
            message:
              'This template records no artifact: its post-processors have no "manifest", so the image of this generation is not written down for the roll. Add a manifest post-processor.',
          },
        ],
        output:
          '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}",\n      "instance_type": "t3.micro",\n      "region": "eu-west-1",\n      "source_ami": "ami-0abcdef1234567890",\n      "ssh_username": "ubuntu"\n    }\n  ],\n' +
          '  "post-processors": [\n    {\n      "type": "manifest",\n      "output": "packer-manifest.json",\n      "strip_path": true\n    }\n  ]\n}\n',
      },
      {
        name: "legacy JSON with a chain and a shorthand that are not manifests",
        filename: "template.json",
        code: '{\n  "builders": [{"type": "docker", "image": "ubuntu:22.04", "commit": true}],\n  "post-processors": [\n    [{"type": "docker-tag", "repository": "web"}],\n    "checksum"\n  ]\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 13,
            message:
              'This template records no artifact: its post-processors have no "manifest", so the image of this generation is not written down for the roll. Add a manifest post-processor.',
          },
        ],
        output:
          '{\n  "builders": [{"type": "docker", "image": "ubuntu:22.04", "commit": true}],\n  "post-processors": [\n    [{"type": "docker-tag", "repository": "web"}],\n    "checksum",\n' +
          '    {\n      "type": "manifest",\n      "output": "packer-manifest.json",\n      "strip_path": true\n    }\n  ]\n}\n',
      },
    ],
  },
  [packerSyntaxValidator()],
);
