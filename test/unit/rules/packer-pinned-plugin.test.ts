// Tests for packer-pinned-plugin (HCL and HCL2 JSON; fixed constraints checked by Packer's own constraint parser).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConstraints, pessimisticFromLowerBound } from "../../../server/src/rules/packer-pinned-plugin.ts";
import { packerSyntaxValidator } from "../../helpers/packer.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

const plugins = (entries: string) => `packer {\n  required_plugins {\n${entries}  }\n}\n`;
const amazon = (version: string) => `    amazon = {\n      source  = "github.com/hashicorp/amazon"\n      version = ${version}\n    }\n`;

ruleTester(
  "packer-pinned-plugin",
  {
    valid: [
      { name: "pessimistic", filename: "plugins.pkr.hcl", code: plugins(amazon('"~> 1.2"')) },
      { name: "exact", filename: "plugins.pkr.hcl", code: plugins(amazon('"1.2.8"')) },
      { name: "range with an upper bound", filename: "plugins.pkr.hcl", code: plugins(amazon('">= 1.2.8, < 2.0.0"')) },
      {
        name: "required_version of Packer itself is not a plugin",
        filename: "plugins.pkr.hcl",
        code: 'packer {\n  required_version = ">= 1.7.0"\n}\n',
      },
      { name: "an entry that is not an object literal", filename: "plugins.pkr.hcl", code: plugins("    amazon = var.amazon_plugin\n") },
      { name: "a version from an unset variable", filename: "plugins.pkr.hcl", code: plugins(amazon("var.amazon_version")) },
      {
        name: "HCL2 JSON",
        filename: "plugins.pkr.json",
        code: '{\n  "packer": {\n    "required_plugins": {\n      "amazon": {\n        "source": "github.com/hashicorp/amazon",\n        "version": "~> 1.2"\n      }\n    }\n  }\n}\n',
      },
    ],
    invalid: [
      {
        name: "lower bound only: fixed to ~> MAJOR.MINOR",
        filename: "plugins.pkr.hcl",
        code: plugins(amazon('">= 1.2.8"')),
        errors: [
          {
            line: 5,
            column: 7,
            endLine: 5,
            endColumn: 27,
            message:
              'Plugin "amazon" allows any version from ">= 1.2.8" on: packer init installs each new major release, so two builds of this template can use different plugins. Bound it above, as "~>" does.',
          },
        ],
        output: plugins(amazon('"~> 1.2"')),
      },
      {
        name: "no version: reported without a fix",
        filename: "plugins.pkr.hcl",
        code: plugins('    digitalocean = {\n      source = "github.com/digitalocean/digitalocean"\n    }\n'),
        errors: [
          {
            line: 3,
            column: 5,
            endLine: 3,
            endColumn: 17,
            message:
              'Plugin "digitalocean" has no version constraint: packer init installs whatever release is newest, so two builds of this template can use different plugins. Add version = "~> <the release you tested>".',
          },
        ],
      },
      {
        name: "several entries; != exclusions are kept",
        filename: "plugins.pkr.hcl",
        code: plugins(
          amazon('"> 1, != 1.3.0"') + '    qemu = {\n      source  = "github.com/hashicorp/qemu"\n      version = "!= 1.0.0"\n    }\n',
        ),
        errors: [
          {
            line: 5,
            column: 7,
            endLine: 5,
            endColumn: 32,
            message:
              'Plugin "amazon" allows any version from "> 1, != 1.3.0" on: packer init installs each new major release, so two builds of this template can use different plugins. Bound it above, as "~>" does.',
          },
          {
            line: 9,
            column: 7,
            endLine: 9,
            endColumn: 27,
            message:
              'Plugin "qemu" allows any version from "!= 1.0.0" on: packer init installs each new major release, so two builds of this template can use different plugins. Bound it above, as "~>" does.',
          },
        ],
        output: plugins(
          amazon('"~> 1.0, != 1.3.0"') + '    qemu = {\n      source  = "github.com/hashicorp/qemu"\n      version = "!= 1.0.0"\n    }\n',
        ),
      },
      {
        name: "a version from a local is reported but not rewritten there",
        filename: "plugins.pkr.hcl",
        code: 'locals {\n  amazon_version = ">= 1.2.8"\n}\n\n' + plugins(amazon("local.amazon_version")),
        errors: [
          {
            line: 9,
            column: 7,
            endLine: 9,
            endColumn: 37,
            message:
              'Plugin "amazon" allows any version from ">= 1.2.8" on: packer init installs each new major release, so two builds of this template can use different plugins. Bound it above, as "~>" does.',
          },
        ],
      },
      {
        name: "HCL2 JSON: reports at the key, rewrites the JSON string",
        filename: "plugins.pkr.json",
        code: '{\n  "packer": {\n    "required_plugins": {\n      "amazon": {\n        "source": "github.com/hashicorp/amazon",\n        "version": ">= 1.2.8"\n      }\n    }\n  }\n}\n',
        errors: [
          {
            line: 6,
            column: 9,
            endLine: 6,
            endColumn: 30,
            message:
              'Plugin "amazon" allows any version from ">= 1.2.8" on: packer init installs each new major release, so two builds of this template can use different plugins. Bound it above, as "~>" does.',
          },
        ],
        output:
          '{\n  "packer": {\n    "required_plugins": {\n      "amazon": {\n        "source": "github.com/hashicorp/amazon",\n        "version": "~> 1.2"\n      }\n    }\n  }\n}\n',
      },
    ],
  },
  [packerSyntaxValidator()],
);

describe("packer-pinned-plugin constraint parsing", () => {
  it("reads go-version constraint lists", () => {
    assert.deepEqual(parseConstraints(">= 1.2.8, < 2"), [
      { operator: ">=", version: [1, 2, 8], text: ">= 1.2.8" },
      { operator: "<", version: [2], text: "< 2" },
    ]);
    assert.deepEqual(parseConstraints("v1.0.0-beta"), [{ operator: "=", version: [1, 0, 0], text: "v1.0.0-beta" }]);
    assert.equal(parseConstraints("latest"), undefined);
  });
  it("derives ~> MAJOR.MINOR from the lower bound", () => {
    assert.equal(pessimisticFromLowerBound(parseConstraints(">= 1.2.8")!), "~> 1.2");
    assert.equal(pessimisticFromLowerBound(parseConstraints("> 2")!), "~> 2.0");
    assert.equal(pessimisticFromLowerBound(parseConstraints(">= 1.2.8, != 1.4.0")!), "~> 1.2, != 1.4.0");
    assert.equal(pessimisticFromLowerBound(parseConstraints("!= 1.0.0")!), undefined);
  });
});
