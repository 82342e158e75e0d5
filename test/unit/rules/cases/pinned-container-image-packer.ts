// pinned-container-image cases: Packer docker sources (HCL and HCL-JSON) and legacy JSON docker builders.
import type { InvalidCase, TestCase } from "../../../helpers/rule-tester.ts";

export const valid: TestCase[] = [
  {
    name: "Packer docker source with a tag",
    filename: "web.pkr.hcl",
    code: 'source "docker" "web" {\n  image  = "ubuntu:24.04"\n  commit = true\n}\n',
  },
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
];

export const invalid: InvalidCase[] = [
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
];
