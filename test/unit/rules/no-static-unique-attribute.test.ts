// Tests for no-static-unique-attribute: fixed names, addresses and attachments on machines created before they are destroyed.
import { ruleTester } from "../../helpers/rule-tester.ts";

const CBD = "\n  lifecycle {\n    create_before_destroy = true\n  }\n";

ruleTester("no-static-unique-attribute", {
  valid: [
    { name: "destroy-first keeps a fixed name possible", code: 'resource "google_compute_instance" "web" {\n  name = "web"\n}\n' },
    { name: "a random suffix", code: `resource "google_compute_instance" "web" {\n  name = "web-\${random_id.web.hex}"\n${CBD}}\n` },
    {
      name: "a name from a local built on a random suffix",
      code: `locals {\n  name = "web-\${random_pet.web.id}"\n}\n\nresource "hcloud_server" "web" {\n  name = local.name\n${CBD}}\n`,
    },
    {
      name: "a name from a variable without a default cannot be told",
      code: `variable "name" {}\n\nresource "azurerm_linux_virtual_machine" "web" {\n  name = var.name\n${CBD}}\n`,
    },
    {
      name: "a disk attached read-only may be shared",
      code: `resource "google_compute_instance" "web" {\n  name = "web-\${random_id.web.hex}"\n\n  attached_disk {\n    source = google_compute_disk.data.id\n    mode   = "READ_ONLY"\n  }\n${CBD}}\n`,
    },
    {
      name: "a null private IP lets AWS choose",
      code: `variable "ip" {\n  default = null\n}\n\nresource "aws_instance" "web" {\n  private_ip = var.ip\n${CBD}}\n`,
    },
    {
      name: "a launch configuration's name is no-static-template-name's",
      code: `resource "aws_launch_configuration" "web" {\n  name = "web"\n${CBD}}\n`,
    },
    { name: "droplet names may repeat", code: `resource "digitalocean_droplet" "web" {\n  name = "web"\n${CBD}}\n` },
    {
      name: "a network interface whose name is new for each generation",
      code: `resource "azurerm_network_interface" "web" {\n  name = "web-\${random_id.web.hex}"\n}\n\nresource "azurerm_linux_virtual_machine" "web" {\n  name                  = "web-\${random_id.web.hex}"\n  network_interface_ids = [azurerm_network_interface.web.id]\n${CBD}}\n`,
    },
  ],
  invalid: [
    {
      name: "a fixed GCE instance name: the quick fix adds a random_id keyed on the image",
      code:
        'resource "google_compute_instance" "web" {\n  name         = "web"\n  machine_type = "e2-small"\n\n  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n' +
        CBD +
        "}\n",
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 23,
          message:
            'google_compute_instance.web is created before its predecessor is destroyed, but has the fixed name "web": the replacement cannot take the name while this machine exists, so the next replacement fails ("already exists"). Make the name unique per generation.',
        },
      ],
      output:
        'resource "google_compute_instance" "web" {\n  name         = "web-${random_id.web_name.hex}"\n  machine_type = "e2-small"\n\n  boot_disk {\n    initialize_params {\n      image = var.web_image\n    }\n  }\n' +
        CBD +
        "}\n\n# A new suffix for each new image, so that the next generation's google_compute_instance can be created beside this one.\n" +
        'resource "random_id" "web_name" {\n  byte_length = 4\n\n  keepers = {\n    image = var.web_image\n  }\n}\n',
    },
    {
      name: "a name from a variable's default, a label taken by another random_id",
      code:
        'variable "name" {\n  default = "web"\n}\n\nresource "random_id" "web_name" {\n  byte_length = 2\n}\n\n' +
        `resource "hcloud_server" "web" {\n  name  = var.name\n  image = var.image\n${CBD}}\n`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 19,
          message:
            'hcloud_server.web is created before its predecessor is destroyed, but has the fixed name "web": the replacement cannot take the name while this machine exists, so the next replacement fails ("already exists"). Make the name unique per generation.',
        },
      ],
      output:
        'variable "name" {\n  default = "web"\n}\n\nresource "random_id" "web_name" {\n  byte_length = 2\n}\n\n' +
        `resource "hcloud_server" "web" {\n  name  = "\${var.name}-\${random_id.web_name_2.hex}"\n  image = var.image\n${CBD}}\n\n` +
        "# A new suffix for each new image, so that the next generation's hcloud_server can be created beside this one.\n" +
        'resource "random_id" "web_name_2" {\n  byte_length = 4\n\n  keepers = {\n    image = var.image\n  }\n}\n',
    },
    {
      name: "a Windows name too long for a suffix: no fix",
      code: `resource "azurerm_windows_virtual_machine" "web" {\n  name            = "web-frontend"\n  source_image_id = var.image\n${CBD}}\n`,
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 35,
          message:
            'azurerm_windows_virtual_machine.web is created before its predecessor is destroyed, but has the fixed name "web-frontend": the replacement cannot take the name while this machine exists, so the next replacement fails ("already exists"). Make the name unique per generation.',
        },
      ],
    },
    {
      name: "fixed addresses and a network interface",
      code:
        'resource "aws_network_interface" "web" {\n  subnet_id = var.subnet\n}\n\n' +
        `resource "aws_instance" "web" {\n  ami        = var.ami\n  private_ip = "10.0.1.10"\n\n  network_interface {\n    network_interface_id = aws_network_interface.web.id\n    device_index         = 0\n  }\n${CBD}}\n`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 27,
          message:
            'aws_instance.web is created before its predecessor is destroyed, but has the fixed private IP "10.0.1.10": the replacement cannot take the address while this machine holds it, so the next replacement fails. Let the provider assign the address and reach the machines through a load balancer or DNS.',
        },
        {
          line: 10,
          column: 5,
          endLine: 10,
          endColumn: 56,
          message:
            "aws_instance.web is created before its predecessor is destroyed, but has the network interface aws_network_interface.web: it is not replaced with the machine, and the replacement cannot attach it while this machine holds it, so the next replacement fails. Give each generation its own network interface.",
        },
      ],
    },
    {
      name: "a GCE external IP reserved in the module, and a disk attached read-write",
      code:
        'resource "google_compute_address" "web" {\n  name = "web"\n}\n\nresource "google_compute_disk" "data" {\n  name = "data"\n}\n\n' +
        `resource "google_compute_instance" "web" {\n  name = "web-\${random_id.web.hex}"\n\n  attached_disk {\n    source = google_compute_disk.data.id\n  }\n\n  network_interface {\n    access_config {\n      nat_ip = google_compute_address.web.address\n    }\n  }\n${CBD}}\n`,
      errors: [
        {
          line: 13,
          column: 5,
          endLine: 13,
          endColumn: 41,
          message:
            "google_compute_instance.web is created before its predecessor is destroyed, but has the disk google_compute_disk.data: it is not replaced with the machine, and the replacement cannot attach it while this machine holds it, so the next replacement fails. Give each generation its own disk.",
        },
        {
          line: 18,
          column: 7,
          endLine: 18,
          endColumn: 50,
          message:
            "google_compute_instance.web is created before its predecessor is destroyed, but has the fixed external IP google_compute_address.web: the replacement cannot take the address while this machine holds it, so the next replacement fails. Let the provider assign the address and reach the machines through a load balancer or DNS.",
        },
      ],
    },
    {
      name: "an Azure OS disk with a fixed name",
      code: `resource "azurerm_linux_virtual_machine" "web" {\n  name = "web-\${random_id.web.hex}"\n\n  os_disk {\n    name    = "web-os"\n    caching = "ReadWrite"\n  }\n${CBD}}\n`,
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 23,
          message:
            'azurerm_linux_virtual_machine.web is created before its predecessor is destroyed, but has the fixed OS disk name "web-os": the replacement cannot take the name while this machine exists, so the next replacement fails ("already exists"). Make the OS disk name unique per generation.',
        },
      ],
    },
  ],
});
