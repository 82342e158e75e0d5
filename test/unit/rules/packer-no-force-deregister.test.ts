// Tests for packer-no-force-deregister (HCL, HCL2 JSON and legacy JSON; every fixed template checked by packer validate).
import { packerSyntaxValidator } from "../../helpers/packer.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

ruleTester(
  "packer-no-force-deregister",
  {
    valid: [
      {
        name: "unique name, nothing forced",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "web" {\n  ami_name = "web-${uuidv4()}"\n}\n',
      },
      {
        name: "explicitly false",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "web" {\n  force_deregister      = false\n  force_delete_snapshot = false\n}\n',
      },
      {
        name: "a variable whose value is unknown",
        filename: "web.pkr.hcl",
        code: 'variable "force" {\n  type = bool\n}\nsource "amazon-ebs" "web" {\n  force_deregister = var.force\n}\n',
      },
      {
        name: "a build that makes no image deletes none",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "test" {\n  ami_name         = "test"\n  force_deregister = true\n  skip_create_ami  = true\n}\n',
      },
      { name: "legacy JSON false", filename: "template.json", code: '{"builders": [{"type": "amazon-ebs", "force_deregister": false}]}' },
      {
        name: "provisioners are never flagged",
        filename: "web.pkr.hcl",
        code: 'build {\n  sources = ["source.amazon-ebs.web"]\n  provisioner "shell-local" {\n    force_deregister = true\n  }\n}\n',
      },
    ],
    invalid: [
      {
        name: "force_deregister in a source",
        filename: "web.pkr.hcl",
        code: 'source "amazon-ebs" "web" {\n  ami_name         = "web"\n  force_deregister = true\n  region           = "eu-west-1"\n}\n',
        errors: [
          {
            line: 3,
            column: 3,
            endLine: 3,
            endColumn: 26,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: 'source "amazon-ebs" "web" {\n  ami_name = "web"\n  region   = "eu-west-1"\n}\n',
      },
      {
        name: "both options, and a build-nested source",
        filename: "web.pkr.hcl",
        code:
          'source "amazon-ebs" "web" {\n  force_deregister      = true\n  force_delete_snapshot = true\n}\n\n' +
          'build {\n  source "source.amazon-ebs.web" {\n    force_deregister = true\n  }\n}\n',
        errors: [
          {
            line: 2,
            column: 3,
            endLine: 2,
            endColumn: 31,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
          {
            line: 3,
            column: 3,
            endLine: 3,
            endColumn: 31,
            message:
              "force_delete_snapshot = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
          {
            line: 8,
            column: 5,
            endLine: 8,
            endColumn: 28,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: 'source "amazon-ebs" "web" {\n}\n\nbuild {\n  source "source.amazon-ebs.web" {\n  }\n}\n',
      },
      {
        name: "true from a variable default is reported where it is used",
        filename: "web.pkr.hcl",
        code: 'variable "force" {\n  default = true\n}\n\nsource "amazon-ebs" "web" {\n  force_deregister = var.force\n}\n',
        errors: [
          {
            line: 6,
            column: 3,
            endLine: 6,
            endColumn: 31,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: 'variable "force" {\n  default = true\n}\n\nsource "amazon-ebs" "web" {\n}\n',
      },
      {
        name: "true from an *.auto.pkrvars.hcl file",
        filename: "web.pkr.hcl",
        files: { "ci.auto.pkrvars.hcl": "force = true\n" },
        code: 'variable "force" {\n  default = false\n}\n\nsource "amazon-ebs" "web" {\n  force_deregister = var.force\n}\n',
        errors: [
          {
            line: 6,
            column: 3,
            endLine: 6,
            endColumn: 31,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: 'variable "force" {\n  default = false\n}\n\nsource "amazon-ebs" "web" {\n}\n',
      },
      {
        name: "true from a Packer `variables` block",
        filename: "web.pkr.hcl",
        code: 'variables {\n  force = true\n}\n\nsource "amazon-ebs" "web" {\n  force_deregister = var.force\n}\n',
        errors: [
          {
            line: 6,
            column: 3,
            endLine: 6,
            endColumn: 31,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: 'variables {\n  force = true\n}\n\nsource "amazon-ebs" "web" {\n}\n',
      },
      {
        name: "HCL2 JSON",
        filename: "web.pkr.json",
        code: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web-${uuidv4()}",\n        "force_deregister": true\n      }\n    }\n  }\n}\n',
        errors: [
          {
            line: 6,
            column: 9,
            endLine: 6,
            endColumn: 33,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: '{\n  "source": {\n    "amazon-ebs": {\n      "web": {\n        "ami_name": "web-${uuidv4()}"\n      }\n    }\n  }\n}\n',
      },
      {
        name: 'legacy JSON, a string "true" included',
        filename: "template.json",
        code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "force_deregister": "true",\n      "force_delete_snapshot": true,\n      "ami_name": "web-{{timestamp}}"\n    }\n  ]\n}\n',
        errors: [
          {
            line: 5,
            column: 7,
            endLine: 5,
            endColumn: 33,
            message:
              "force_deregister = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
          {
            line: 6,
            column: 7,
            endLine: 6,
            endColumn: 36,
            message:
              "force_delete_snapshot = true deletes the image of the previous generation on every build, so there is nothing to roll back to. Remove it, and give each build a unique image name instead.",
          },
        ],
        output: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}"\n    }\n  ]\n}\n',
      },
    ],
  },
  [packerSyntaxValidator()],
);
