// Tests for require-create-before-destroy (HCL and JSON syntax, fixes merged into existing lifecycle blocks).
import { ruleTester } from "../../helpers/rule-tester.ts";

ruleTester("require-create-before-destroy", {
  valid: [
    { code: 'resource "aws_instance" "web" {\n  ami = var.ami\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n' },
    { name: "not a replaceable type", code: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' },
    { name: "excluded", code: 'resource "aws_instance" "web" {\n}\n', options: { exclude: ["aws_instance"] } },
    {
      name: "computed value is trusted",
      code: 'resource "aws_instance" "web" {\n  lifecycle {\n    create_before_destroy = var.cbd\n  }\n}\n',
    },
    {
      name: "a GCE instance whose name is new for each generation",
      code: 'resource "google_compute_instance" "web" {\n  name         = "web-${random_id.web.hex}"\n  machine_type = "e2-small"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "JSON syntax",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "lifecycle": { "create_before_destroy": true }\n      }\n    }\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: "a GCE instance with a fixed name: the quick fix makes the name unique per generation",
      code:
        'resource "google_compute_instance" "web" {\n  name         = "web"\n  machine_type = "e2-small"\n  zone         = "europe-west1-b"\n\n' +
        '  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n\n  network_interface {\n    network = "default"\n  }\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 41,
          message:
            'google_compute_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Two generations cannot hold the fixed name "web" at once: make the name unique per generation, then add lifecycle { create_before_destroy = true }.',
        },
      ],
      output:
        'resource "google_compute_instance" "web" {\n  name         = "web-${random_id.web_name.hex}"\n  machine_type = "e2-small"\n  zone         = "europe-west1-b"\n\n' +
        '  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n\n  network_interface {\n    network = "default"\n  }\n\n' +
        "  lifecycle {\n    create_before_destroy = true\n  }\n}\n\n" +
        "# A new suffix for each new image, so that the next generation's google_compute_instance can be created beside this one.\n" +
        'resource "random_id" "web_name" {\n  byte_length = 4\n\n  keepers = {\n    image = var.web_image\n  }\n}\n',
    },
    {
      name: "a counted Hetzner server: the suffix follows the index",
      code: 'resource "hcloud_server" "web" {\n  count       = 2\n  name        = "web-${count.index}"\n  image       = var.image\n  server_type = "cx22"\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 31,
          message:
            'hcloud_server.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Two generations cannot hold the fixed name "web-${count.index}" at once: make the name unique per generation, then add lifecycle { create_before_destroy = true }.',
        },
      ],
      output:
        'resource "hcloud_server" "web" {\n  count       = 2\n  name        = "web-${count.index}-${random_id.web_name.hex}"\n  image       = var.image\n  server_type = "cx22"\n\n' +
        "  lifecycle {\n    create_before_destroy = true\n  }\n}\n\n" +
        "# A new suffix for each new image, so that the next generation's hcloud_server can be created beside this one.\n" +
        'resource "random_id" "web_name" {\n  byte_length = 4\n\n  keepers = {\n    image = var.image\n  }\n}\n',
    },
    {
      name: "a name from a variable without a default: a quick fix only",
      code: 'variable "name" {\n  type = string\n}\n\nresource "google_compute_instance" "web" {\n  name = var.name\n}\n',
      errors: [
        {
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 41,
          message:
            "google_compute_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true } once its name (var.name) differs for each generation.",
        },
      ],
      output:
        'variable "name" {\n  type = string\n}\n\nresource "google_compute_instance" "web" {\n  name = var.name\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "a name built from the image is new for each generation: the safe fix",
      code: 'resource "google_compute_instance" "web" {\n  name = "web-${substr(sha1(var.web_image), 0, 8)}"\n\n  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 41,
          message:
            "google_compute_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output:
        'resource "google_compute_instance" "web" {\n  name = "web-${substr(sha1(var.web_image), 0, 8)}"\n\n  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n\n' +
        "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
    },
    {
      name: "network interfaces from a dynamic block cannot be told: a quick fix only",
      code:
        'resource "aws_instance" "web" {\n  ami = var.ami\n\n  dynamic "network_interface" {\n    for_each = var.network_interfaces\n\n    content {\n' +
        "      device_index         = network_interface.value.device_index\n      network_interface_id = network_interface.value.id\n    }\n  }\n}\n",
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 30,
          message:
            "aws_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true } once its network interface (network_interface.value.id) differs for each generation.",
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  ami = var.ami\n\n  dynamic "network_interface" {\n    for_each = var.network_interfaces\n\n    content {\n' +
        "      device_index         = network_interface.value.device_index\n      network_interface_id = network_interface.value.id\n    }\n  }\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
    },
    {
      name: "a fixed internal IP: no fix, the message says why",
      code: 'resource "google_compute_instance" "web" {\n  name = "web-${random_id.web.hex}"\n\n  network_interface {\n    network    = "default"\n    network_ip = "10.0.0.5"\n  }\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 41,
          message:
            'google_compute_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Two generations cannot hold the fixed internal IP "10.0.0.5" at once: let the provider assign the address and reach the machines through a load balancer or DNS, then add lifecycle { create_before_destroy = true }.',
        },
      ],
    },
    {
      name: "an AWS instance with a fixed private IP from a variable's default",
      code: 'variable "ip" {\n  default = "10.0.1.10"\n}\n\nresource "aws_instance" "web" {\n  ami        = var.ami\n  private_ip = var.ip\n}\n',
      errors: [
        {
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 30,
          message:
            'aws_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Two generations cannot hold the fixed private IP "10.0.1.10" at once: let the provider assign the address and reach the machines through a load balancer or DNS, then add lifecycle { create_before_destroy = true }.',
        },
      ],
    },
    {
      name: "an Azure VM on a network interface that is not replaced with it",
      code:
        'resource "azurerm_network_interface" "web" {\n  name = "web-nic"\n}\n\n' +
        'resource "azurerm_linux_virtual_machine" "web" {\n  name                  = "web-${random_id.web.hex}"\n  network_interface_ids = [azurerm_network_interface.web.id]\n}\n',
      errors: [
        {
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 47,
          message:
            "azurerm_linux_virtual_machine.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Two generations cannot hold the network interface azurerm_network_interface.web at once: give each generation its own network interface, then add lifecycle { create_before_destroy = true }.",
        },
      ],
    },
    {
      name: "a launch configuration with a fixed name: use name_prefix",
      code: 'resource "aws_launch_configuration" "web" {\n  name     = "web"\n  image_id = var.ami\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 42,
          message:
            'aws_launch_configuration.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Two generations cannot hold the fixed name "web" at once: use name_prefix instead of name, then add lifecycle { create_before_destroy = true }.',
        },
      ],
    },
    {
      name: "a launch template is versioned in place, and replaced only by a change such as its name",
      code: 'resource "aws_launch_template" "web" {\n  name_prefix = "web-"\n  image_id    = var.ami\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 37,
          message:
            "aws_launch_template.web does not set create_before_destroy: a change that replaces it (a new name, for one) deletes the template the group launches from before the next one exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output:
        'resource "aws_launch_template" "web" {\n  name_prefix = "web-"\n  image_id    = var.ami\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "DigitalOcean droplet without lifecycle",
      code: 'resource "digitalocean_droplet" "web" {\n  image = "x"\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 38,
          message:
            "digitalocean_droplet.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output: 'resource "digitalocean_droplet" "web" {\n  image = "x"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "merges into an existing lifecycle block",
      code: 'resource "aws_instance" "web" {\n  lifecycle {\n    prevent_destroy = false\n  }\n}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 30,
          message:
            "aws_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output:
        'resource "aws_instance" "web" {\n  lifecycle {\n    prevent_destroy       = false\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "false is set to true, reported at the attribute",
      code: 'resource "aws_instance" "web" {\n  lifecycle { create_before_destroy = false }\n}\n',
      errors: [
        {
          line: 2,
          column: 15,
          endLine: 2,
          endColumn: 44,
          message:
            "aws_instance.web sets create_before_destroy = false: Terraform destroys the running generation before creating its replacement. Set it to true.",
        },
      ],
      output: 'resource "aws_instance" "web" {\n  lifecycle { create_before_destroy = true }\n}\n',
    },
    {
      name: "empty one-line block",
      code: 'resource "hcloud_server" "a" {}\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 29,
          message:
            "hcloud_server.a does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output: 'resource "hcloud_server" "a" {\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
    },
    {
      name: "CRLF line endings are kept",
      code: 'resource "aws_instance" "web" {\r\n  ami = "a"\r\n}\r\n',
      errors: [
        {
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 30,
          message:
            "aws_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output: 'resource "aws_instance" "web" {\r\n  ami = "a"\r\n\r\n  lifecycle {\r\n    create_before_destroy = true\r\n  }\r\n}\r\n',
    },
    {
      name: "JSON syntax reports at the key and edits JSON",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x"\n      }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 7,
          endLine: 4,
          endColumn: 12,
          message:
            "aws_instance.web does not set create_before_destroy: it is replaced by each new image, and each roll destroys the running generation before its replacement exists. Add lifecycle { create_before_destroy = true }.",
        },
      ],
      output:
        '{\n  "resource": {\n    "aws_instance": {\n      "web": {\n        "ami": "x",\n        "lifecycle": {\n          "create_before_destroy": true\n        }\n      }\n    }\n  }\n}\n',
    },
  ],
});
