// Tests for the packer validate validator: it passes what Packer accepts, fails what it rejects, and fails when packer is missing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { packerSyntaxValidator, parsePackerVersion, validateWithPacker } from "../../helpers/packer.ts";

const HCL_OK = 'source "null" "a" {\n  communicator = "none"\n}\n\nbuild {\n  sources = ["source.null.a"]\n}\n';

describe("packer validate validator", () => {
  it("passes a template that Packer accepts", async () => {
    const result = await validateWithPacker("a.pkr.hcl", HCL_OK);
    assert.equal(result.validatedText, HCL_OK);
    assert.deepEqual(result.checkedConstraints, []);
    assert.equal(result.evaluatedLocals, false);
  });

  it("fails with Packer's message on an HCL syntax error", async () => {
    await assert.rejects(
      validateWithPacker("a.pkr.hcl", 'source "null" "a" {\n  communicator = \n}\n'),
      /rejected a\.pkr\.hcl[\s\S]*Invalid expression/,
    );
  });

  it("fails on a block type Packer does not know", async () => {
    await assert.rejects(validateWithPacker("a.pkr.hcl", "post-processor {\n}\n"), /Unsupported block type/);
  });

  it("checks HCL2 JSON templates", async () => {
    await validateWithPacker(
      "a.pkr.json",
      '{"build": {"sources": ["source.null.a"], "post-processor": {"manifest": {"output": "m.json"}}}}',
    );
    await assert.rejects(validateWithPacker("a.pkr.json", '{"build": {"sources": []},}'), /rejected a\.pkr\.json/);
  });

  it("checks legacy JSON templates, including their post-processor structure", async () => {
    await validateWithPacker(
      "t.json",
      '{"builders": [{"type": "null", "communicator": "none"}], "post-processors": [["manifest"], {"type": "manifest"}]}',
    );
    await assert.rejects(
      validateWithPacker("t.json", '{"builders": [{"type": "null"}], "post-processors": [{"output": "m.json"}]}'),
      /type is required/,
    );
  });

  it("with Packer before 1.7, checks required_plugins constraints on their own and the rest of the template", async (t) => {
    const text =
      'packer {\n  required_plugins {\n    amazon = {\n      version = "~> 1.2"\n      source  = "github.com/hashicorp/amazon"\n    }\n  }\n}\n' +
      HCL_OK;
    const result = await validateWithPacker("a.pkr.hcl", text);
    if (!result.packerVersion.startsWith("1.6.")) {
      t.diagnostic(`Packer ${result.packerVersion} reads required_plugins itself`);
      assert.equal(result.validatedText, text);
      return;
    }
    assert.deepEqual(result.checkedConstraints, ["~> 1.2"]);
    // The block is blanked, not removed, so Packer's line numbers match the fixed output.
    assert.equal(result.validatedText.split("\n").length, text.split("\n").length);
    assert.doesNotMatch(result.validatedText, /required_plugins/);
    await assert.rejects(
      validateWithPacker("a.pkr.hcl", text.replace("~> 1.2", "~> one.two")),
      /version constraint "~> one\.two"[\s\S]*Invalid version constraint/,
    );
  });

  it("evaluates locals with a full packer validate of the variables and locals alone", async () => {
    const stamp = 'locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }\n\n';
    const result = await validateWithPacker("a.pkr.hcl", stamp + HCL_OK);
    assert.equal(result.evaluatedLocals, true);
    // -syntax-only alone accepts an unknown function; the locals check does not.
    await assert.rejects(
      validateWithPacker("a.pkr.hcl", "locals {\n  t = no_such_function()\n}\n" + HCL_OK),
      /could not evaluate the locals[\s\S]*no_such_function/,
    );
    const json = await validateWithPacker(
      "a.pkr.json",
      '{"variable": {"p": {"default": "web"}}, "locals": {"t": "${var.p}-${regex_replace(timestamp(), \\"[- TZ:]\\", \\"\\")}"}}',
    );
    assert.equal(json.evaluatedLocals, true);
  });

  it("does not evaluate locals when a variable has no default, and the result says so", async () => {
    const result = await validateWithPacker("a.pkr.hcl", 'variable "p" {\n  type = string\n}\n\nlocals {\n  t = "${var.p}-x"\n}\n');
    assert.equal(result.evaluatedLocals, false);
  });

  it("fails, and says to install Packer, when packer is missing", async () => {
    const validate = packerSyntaxValidator({ bin: "/nonexistent/packer" });
    await assert.rejects(validate("a.pkr.hcl", HCL_OK), /packer was not found[\s\S]*apt-get install -y packer/);
  });

  it("refuses files that are not Packer templates", async () => {
    await assert.rejects(validateWithPacker("vars.pkrvars.hcl", 'x = "y"\n'), /not a Packer template/);
  });

  it("reads Packer's version line", () => {
    assert.deepEqual(parsePackerVersion("Packer v1.6.6\n"), [1, 6, 6]);
    assert.equal(parsePackerVersion("nope"), undefined);
  });
});
