// The plan checks on hand-written resource changes of the provider types the table knows (no provider can be downloaded here).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { checkPlan, createLinter, defaultConfig, parseConfig, type ResolvedConfig } from "../../../server/src/engine/index.ts";
import { moduleCallPath } from "../../../server/src/engine/plan/document.ts";
import { MACHINE_LIKE_TYPES } from "../../../server/src/rules/_machine-like.ts";
import { DEFAULT_REPLACEABLE } from "../../../server/src/rules/require-create-before-destroy.ts";

type Json = Record<string, unknown>;

/** A plan with one resource change, in the shape `terraform show -json` prints (format 1.2). */
function plan(type: string, actions: string[], before: Json | null, after: Json | null, afterUnknown: Json = {}, extra: Json = {}): string {
  return JSON.stringify({
    format_version: "1.2",
    planned_values: {},
    resource_changes: [
      {
        address: `${type}.web`,
        mode: "managed",
        type,
        name: "web",
        change: { actions, before, after, after_unknown: afterUnknown },
        ...extra,
      },
    ],
    configuration: { root_module: {} },
  });
}

let config: ResolvedConfig;
const host = { readFile: () => undefined, listFiles: () => undefined };

function messages(json: string, with_: ResolvedConfig = config): string[] {
  return checkPlan({ json, planPath: "/p/plan.json", planIsJson: true, rootDir: "/p" }, with_, host).findings.map(
    (f) => `${f.ruleId}: ${f.message.split(":")[0]}`,
  );
}

describe("plan checks", () => {
  before(async () => {
    config = defaultConfig((await createLinter()).rules);
  });

  it("the machine-like types are the ones require-create-before-destroy treats as replaceable compute", () => {
    assert.deepEqual(DEFAULT_REPLACEABLE, Object.keys(MACHINE_LIKE_TYPES));
    assert.deepEqual(config.rules["plan-in-place-update"].options.resources, Object.keys(MACHINE_LIKE_TYPES));
  });

  it("aws_instance: tags and instance_type changed in place are not findings; user_data is", () => {
    const base = { ami: "ami-1", instance_type: "t3.micro", user_data: "a", tags: { Name: "web" } };
    assert.deepEqual(messages(plan("aws_instance", ["update"], base, { ...base, instance_type: "t3.large", tags: { Name: "web2" } })), []);
    assert.deepEqual(messages(plan("aws_instance", ["update"], base, { ...base, user_data: "b", tags: { Name: "x" } })), [
      "plan-in-place-update: aws_instance.web is updated in place (user_data)",
    ]);
  });

  it("an image known only after apply counts as changed", () => {
    const base = { ami: "ami-1" };
    assert.deepEqual(messages(plan("aws_instance", ["update"], base, {}, { ami: true })), [
      "plan-in-place-update: aws_instance.web is updated in place (ami)",
    ]);
  });

  it("google_compute_instance: a startup-script key of metadata counts, ssh-keys does not", () => {
    const base = { metadata: { "ssh-keys": "a", "startup-script": "echo 1" }, machine_type: "e2-small" };
    assert.deepEqual(
      messages(
        plan("google_compute_instance", ["update"], base, {
          ...base,
          metadata: { "ssh-keys": "b", "startup-script": "echo 1" },
          machine_type: "e2-medium",
        }),
      ),
      [],
    );
    assert.deepEqual(
      messages(plan("google_compute_instance", ["update"], base, { ...base, metadata: { "ssh-keys": "a", "startup-script": "echo 2" } })),
      ["plan-in-place-update: google_compute_instance.web is updated in place (metadata.startup-script)"],
    );
  });

  it("digitalocean_droplet: a new image rebuilds in place (finding); a new size does not", () => {
    const base = { image: "111", size: "s-1vcpu-1gb" };
    assert.deepEqual(messages(plan("digitalocean_droplet", ["update"], base, { ...base, size: "s-2vcpu-2gb" })), []);
    assert.deepEqual(messages(plan("digitalocean_droplet", ["update"], base, { ...base, image: "222" })), [
      "plan-in-place-update: digitalocean_droplet.web is updated in place (image)",
    ]);
  });

  it("aws_launch_template: a new image version is not a finding, a destroy-first replacement is", () => {
    assert.deepEqual(messages(plan("aws_launch_template", ["update"], { image_id: "ami-1" }, { image_id: "ami-2" })), []);
    assert.deepEqual(
      messages(
        plan(
          "aws_launch_template",
          ["delete", "create"],
          { name: "a" },
          { name: "b" },
          {},
          { action_reason: "replace_because_cannot_update" },
        ),
      ),
      [
        "plan-destroy-first-replacement: aws_launch_template.web is replaced destroy-first (a changed attribute cannot be updated in place)",
      ],
    );
  });

  it("create-first replacements, creates, deletes and other types are not findings", () => {
    assert.deepEqual(messages(plan("aws_instance", ["create", "delete"], { ami: "ami-1" }, { ami: "ami-2" })), []);
    assert.deepEqual(messages(plan("aws_instance", ["create"], null, { ami: "ami-2" })), []);
    assert.deepEqual(messages(plan("aws_instance", ["delete"], { ami: "ami-1" }, null)), []);
    assert.deepEqual(messages(plan("aws_s3_bucket", ["delete", "create"], { bucket: "a" }, { bucket: "b" })), []);
  });

  it("a configuration adds types and attributes, and excludes types", async () => {
    const linter = await createLinter();
    const configured = parseConfig(
      "/p/.immutably.hcl",
      'rule "plan-in-place-update" {\n  resources  = ["aws_instance", "my_vm"]\n  attributes = ["aws_instance.instance_type"]\n}\nrule "plan-destroy-first-replacement" {\n  exclude = ["aws_instance"]\n}\n',
      linter.rules,
    );
    assert.deepEqual(messages(plan("aws_instance", ["update"], { instance_type: "a" }, { instance_type: "b" }), configured), [
      "plan-in-place-update: aws_instance.web is updated in place (instance_type)",
    ]);
    // A listed type without attributes: every attribute but tags and labels.
    assert.deepEqual(messages(plan("my_vm", ["update"], { disk: "a", tags: {} }, { disk: "b", tags: { x: "y" } }), configured), [
      "plan-in-place-update: my_vm.web is updated in place (disk)",
    ]);
    assert.deepEqual(messages(plan("my_vm", ["update"], { tags: {} }, { tags: { x: "y" } }), configured), []);
    assert.deepEqual(messages(plan("aws_instance", ["delete", "create"], { ami: "a" }, { ami: "b" }), configured), []);
  });

  it("a finding in a downloaded module points at its block in the folder terraform init installed it into", () => {
    const json = JSON.stringify({
      format_version: "1.2",
      resource_changes: [
        {
          address: 'module.web["a"].aws_instance.this[0]',
          module_address: 'module.web["a"]',
          mode: "managed",
          type: "aws_instance",
          name: "this",
          change: { actions: ["delete", "create"], before: {}, after: {}, after_unknown: {} },
        },
      ],
      configuration: {
        root_module: { module_calls: { web: { source: "terraform-aws-modules/ec2-instance/aws", module: { resources: [] } } } },
      },
    });
    const files: Record<string, string> = {
      "/p/.terraform/modules/modules.json": JSON.stringify({
        Modules: [
          { Key: "", Source: "", Dir: "." },
          { Key: "web", Source: "registry.terraform.io/terraform-aws-modules/ec2-instance/aws", Dir: ".terraform/modules/web" },
        ],
      }),
      "/p/.terraform/modules/web/main.tf": '# the module\n\nresource "aws_instance" "this" {\n  ami = var.ami\n}\n',
    };
    const diskHost = {
      readFile: (p: string) => files[p],
      listFiles: (d: string) => (d === "/p/.terraform/modules/web" ? ["main.tf"] : undefined),
    };
    const [finding] = checkPlan({ json, planPath: "/p/plan.json", planIsJson: true, rootDir: "/p" }, config, diskHost).findings;
    assert.deepEqual(
      [finding.path, finding.range.start.line, finding.message.split(" is ")[0]],
      ["/p/.terraform/modules/web/main.tf", 2, 'module.web["a"].aws_instance.this[0]'],
    );
  });

  it("module addresses give the call names without instance keys", () => {
    assert.deepEqual(moduleCallPath('module.a["x.y"].module.b[0]'), ["a", "b"]);
    assert.deepEqual(moduleCallPath("module.web"), ["web"]);
  });
});
