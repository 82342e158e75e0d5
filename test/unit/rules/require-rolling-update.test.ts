// Tests for require-rolling-update (GCP zonal and regional groups, Azure Linux and Windows scale sets; HCL and JSON; CRLF kept).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findingsOf, ruleTester } from "../../helpers/rule-tester.ts";

const MIG = 'resource "google_compute_instance_group_manager" "web" {\n  base_instance_name = "web"\n';
const UPDATE_POLICY = (surge: number) =>
  `\n  update_policy {\n    type                  = "PROACTIVE"\n    minimal_action        = "REPLACE"\n    max_surge_fixed       = ${surge}\n    max_unavailable_fixed = 0\n  }\n`;
const VMSS = 'resource "azurerm_linux_virtual_machine_scale_set" "web" {\n  sku = "Standard_B2s"\n';
const ROLLING_POLICY =
  "\n  rolling_upgrade_policy {\n    max_batch_instance_percent              = 20\n    max_unhealthy_instance_percent          = 20\n" +
  '    max_unhealthy_upgraded_instance_percent = 20\n    pause_time_between_batches              = "PT0S"\n  }\n';

ruleTester("require-rolling-update", {
  valid: [
    {
      name: "proactive update_policy",
      code: `${MIG}  update_policy {\n    type           = "PROACTIVE"\n    minimal_action = "REPLACE"\n  }\n}\n`,
    },
    {
      name: "computed policy type is trusted",
      code: `${MIG}  update_policy {\n    type           = var.update_type\n    minimal_action = "REPLACE"\n  }\n}\n`,
    },
    {
      name: "update_policy from a dynamic block",
      code: `${MIG}  dynamic "update_policy" {\n    for_each = [1]\n    content {\n      type = "PROACTIVE"\n    }\n  }\n}\n`,
    },
    { name: "Rolling scale set", code: `${VMSS}  upgrade_mode    = "Rolling"\n  health_probe_id = var.probe\n}\n` },
    { name: "Automatic scale set moves instances to the new image", code: `${VMSS}  upgrade_mode = "Automatic"\n}\n` },
    {
      name: "Windows scale set with a Rolling mode from a variable",
      code: 'variable "mode" {\n  default = "Rolling"\n}\n\nresource "azurerm_windows_virtual_machine_scale_set" "w" {\n  upgrade_mode = var.mode\n}\n',
    },
    {
      name: "orchestrated scale sets have no upgrade_mode",
      code: 'resource "azurerm_orchestrated_virtual_machine_scale_set" "o" {\n  platform_fault_domain_count = 1\n}\n',
    },
    { name: "unmanaged instance groups", code: 'resource "google_compute_instance_group" "g" {\n  zone = "europe-west1-b"\n}\n' },
    {
      name: "JSON syntax with a proactive policy",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "google_compute_instance_group_manager": {\n      "web": { "update_policy": { "type": "PROACTIVE", "minimal_action": "REPLACE" } }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "zonal group without update_policy",
      code: `${MIG}}\n`,
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 55,
          message:
            'google_compute_instance_group_manager.web has no update_policy: how a new instance template reaches the running instances is left to whatever the group was last set to, not to this configuration. Add an update_policy with type = "PROACTIVE".',
        },
      ],
      output: `${MIG}${UPDATE_POLICY(1)}}\n`,
    },
    {
      name: "regional group surges one instance per zone (three by default)",
      code: 'resource "google_compute_region_instance_group_manager" "web" {\n  region = "europe-west1"\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 62,
          message:
            'google_compute_region_instance_group_manager.web has no update_policy: how a new instance template reaches the running instances is left to whatever the group was last set to, not to this configuration. Add an update_policy with type = "PROACTIVE".',
        },
      ],
      output: `resource "google_compute_region_instance_group_manager" "web" {\n  region = "europe-west1"\n${UPDATE_POLICY(3)}}\n`,
    },
    {
      name: "regional group over two literal zones",
      code: 'resource "google_compute_region_instance_group_manager" "web" {\n  distribution_policy_zones = ["europe-west1-b", "europe-west1-c"]\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 62,
          message:
            'google_compute_region_instance_group_manager.web has no update_policy: how a new instance template reaches the running instances is left to whatever the group was last set to, not to this configuration. Add an update_policy with type = "PROACTIVE".',
        },
      ],
      output: `resource "google_compute_region_instance_group_manager" "web" {\n  distribution_policy_zones = ["europe-west1-b", "europe-west1-c"]\n${UPDATE_POLICY(2)}}\n`,
    },
    {
      name: "OPPORTUNISTIC is reported at the type attribute",
      code: `${MIG}  update_policy {\n    type           = "OPPORTUNISTIC"\n    minimal_action = "REPLACE"\n  }\n}\n`,
      errors: [
        {
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 37,
          message:
            'google_compute_instance_group_manager.web has an OPPORTUNISTIC update_policy: a new instance template only reaches instances that happen to be recreated, so the group runs the old image. Set type = "PROACTIVE".',
        },
      ],
      output: `${MIG}  update_policy {\n    type           = "PROACTIVE"\n    minimal_action = "REPLACE"\n  }\n}\n`,
    },
    {
      name: "OPPORTUNISTIC from a variable default",
      code: `variable "update_type" {\n  default = "OPPORTUNISTIC"\n}\n\n${MIG}  update_policy {\n    type           = var.update_type\n    minimal_action = "REPLACE"\n  }\n}\n`,
      errors: [
        {
          line: 8,
          column: 5,
          endLine: 8,
          endColumn: 37,
          message:
            'google_compute_instance_group_manager.web has an OPPORTUNISTIC update_policy: a new instance template only reaches instances that happen to be recreated, so the group runs the old image. Set type = "PROACTIVE".',
        },
      ],
      output: `variable "update_type" {\n  default = "OPPORTUNISTIC"\n}\n\n${MIG}  update_policy {\n    type           = "PROACTIVE"\n    minimal_action = "REPLACE"\n  }\n}\n`,
    },
    {
      name: "Azure scale set without upgrade_mode",
      code: `${VMSS}}\n`,
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 57,
          message:
            'azurerm_linux_virtual_machine_scale_set.web sets no upgrade_mode, so it is "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output: `${VMSS}\n  upgrade_mode = "Rolling"\n${ROLLING_POLICY}}\n`,
    },
    {
      name: "Azure Manual mode is reported at the attribute",
      code: 'resource "azurerm_linux_virtual_machine_scale_set" "web" {\n  sku          = "Standard_B2s"\n  upgrade_mode = "Manual"\n}\n',
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 26,
          message:
            'azurerm_linux_virtual_machine_scale_set.web sets upgrade_mode = "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output: `resource "azurerm_linux_virtual_machine_scale_set" "web" {\n  sku          = "Standard_B2s"\n  upgrade_mode = "Rolling"\n${ROLLING_POLICY}}\n`,
    },
    {
      name: "an existing rolling_upgrade_policy is kept",
      code: `resource "azurerm_windows_virtual_machine_scale_set" "w" {\n  upgrade_mode = "Manual"\n${ROLLING_POLICY}}\n`,
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 26,
          message:
            'azurerm_windows_virtual_machine_scale_set.w sets upgrade_mode = "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output: `resource "azurerm_windows_virtual_machine_scale_set" "w" {\n  upgrade_mode = "Rolling"\n${ROLLING_POLICY}}\n`,
    },
    {
      name: "Manual from terraform.tfvars",
      code: `${VMSS}  upgrade_mode = var.mode\n}\n`,
      files: { "variables.tf": 'variable "mode" {}\n', "terraform.tfvars": 'mode = "Manual"\n' },
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 26,
          message:
            'azurerm_linux_virtual_machine_scale_set.web sets upgrade_mode = "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output: `${VMSS}  upgrade_mode = "Rolling"\n${ROLLING_POLICY}}\n`,
    },
    {
      name: "CRLF line endings are kept",
      code: `${MIG}}\n`.replace(/\n/g, "\r\n"),
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 55,
          message:
            'google_compute_instance_group_manager.web has no update_policy: how a new instance template reaches the running instances is left to whatever the group was last set to, not to this configuration. Add an update_policy with type = "PROACTIVE".',
        },
      ],
      output: `${MIG}${UPDATE_POLICY(1)}}\n`.replace(/\n/g, "\r\n"),
    },
    {
      name: "CRLF line endings are kept in the Azure fix",
      code: `${VMSS}  upgrade_mode = "Manual"\n}\n`.replace(/\n/g, "\r\n"),
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 26,
          message:
            'azurerm_linux_virtual_machine_scale_set.web sets upgrade_mode = "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output: `${VMSS}  upgrade_mode = "Rolling"\n${ROLLING_POLICY}}\n`.replace(/\n/g, "\r\n"),
    },
    {
      name: "JSON syntax: group without update_policy",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "google_compute_instance_group_manager": {\n      "web": {\n        "base_instance_name": "web"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 12,
          message:
            'google_compute_instance_group_manager.web has no update_policy: how a new instance template reaches the running instances is left to whatever the group was last set to, not to this configuration. Add an update_policy with type = "PROACTIVE".',
        },
      ],
      output:
        '{\n  "resource": {\n    "google_compute_instance_group_manager": {\n      "web": {\n        "base_instance_name": "web",\n' +
        '        "update_policy": {\n          "type": "PROACTIVE",\n          "minimal_action": "REPLACE",\n          "max_surge_fixed": 1,\n          "max_unavailable_fixed": 0\n        }\n' +
        "      }\n    }\n  }\n}\n",
    },
    {
      name: "JSON syntax: OPPORTUNISTIC",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "google_compute_instance_group_manager": {\n      "web": {\n        "update_policy": {\n          "type": "OPPORTUNISTIC"\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 6,
          column: 11,
          endLine: 6,
          endColumn: 34,
          message:
            'google_compute_instance_group_manager.web has an OPPORTUNISTIC update_policy: a new instance template only reaches instances that happen to be recreated, so the group runs the old image. Set type = "PROACTIVE".',
        },
      ],
      output:
        '{\n  "resource": {\n    "google_compute_instance_group_manager": {\n      "web": {\n        "update_policy": {\n          "type": "PROACTIVE"\n        }\n      }\n    }\n  }\n}\n',
    },
    {
      name: "JSON syntax: scale set without upgrade_mode gets both properties",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "azurerm_linux_virtual_machine_scale_set": {\n      "web": {\n        "sku": "Standard_B2s"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 12,
          message:
            'azurerm_linux_virtual_machine_scale_set.web sets no upgrade_mode, so it is "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output:
        '{\n  "resource": {\n    "azurerm_linux_virtual_machine_scale_set": {\n      "web": {\n        "sku": "Standard_B2s",\n        "upgrade_mode": "Rolling",\n' +
        '        "rolling_upgrade_policy": {\n          "max_batch_instance_percent": 20,\n          "max_unhealthy_instance_percent": 20,\n' +
        '          "max_unhealthy_upgraded_instance_percent": 20,\n          "pause_time_between_batches": "PT0S"\n        }\n      }\n    }\n  }\n}\n',
    },
    {
      name: "JSON syntax: Manual mode with a policy already there",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "azurerm_linux_virtual_machine_scale_set": {\n      "web": {\n        "upgrade_mode": "Manual",\n        "rolling_upgrade_policy": {\n          "max_batch_instance_percent": 50\n        }\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 5,
          column: 9,
          endLine: 5,
          endColumn: 33,
          message:
            'azurerm_linux_virtual_machine_scale_set.web sets upgrade_mode = "Manual": a new image only reaches instances that are reimaged or upgraded by hand, so the scale set keeps running the old one. Set upgrade_mode = "Rolling" (or "Automatic").',
        },
      ],
      output:
        '{\n  "resource": {\n    "azurerm_linux_virtual_machine_scale_set": {\n      "web": {\n        "upgrade_mode": "Rolling",\n        "rolling_upgrade_policy": {\n          "max_batch_instance_percent": 50\n        }\n      }\n    }\n  }\n}\n',
    },
  ],
});

describe("require-rolling-update origins", () => {
  it("names the local an OPPORTUNISTIC type came from", async () => {
    const findings = await findingsOf("require-rolling-update", {
      "main.tf":
        'locals {\n  update_type = "OPPORTUNISTIC"\n}\n\nresource "google_compute_instance_group_manager" "web" {\n  update_policy {\n    type           = local.update_type\n    minimal_action = "REPLACE"\n  }\n}\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 6);
    assert.deepEqual(
      findings[0].related?.map((o) => ({ line: o.range.start.line, description: o.description })),
      [{ line: 1, description: 'local "update_type"' }],
    );
  });
  it("names the tfvars entry a Manual upgrade_mode came from", async () => {
    const findings = await findingsOf("require-rolling-update", {
      "main.tf": 'variable "mode" {}\n\nresource "azurerm_linux_virtual_machine_scale_set" "web" {\n  upgrade_mode = var.mode\n}\n',
      "prod.auto.tfvars": 'mode = "Manual"\n',
    });
    assert.equal(findings.length, 1);
    assert.deepEqual(
      findings[0].related?.map((o) => o.description),
      ["prod.auto.tfvars (mode)"],
    );
  });
});
