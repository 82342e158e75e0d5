# A virtual machine module in the shape of the public Azure ones: counted VMs, one NIC each, marketplace images.
resource "azurerm_network_interface" "vm" {
  count               = var.nb_instances
  name                = "${var.vm_hostname}-nic-${count.index}"
  location            = var.location
  resource_group_name = var.resource_group_name

  ip_configuration {
    name                          = "${var.vm_hostname}-ip-${count.index}"
    subnet_id                     = var.vnet_subnet_id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "vm_linux" { # expect: require-create-before-destroy
  count                 = var.is_windows_image ? 0 : var.nb_instances
  name                  = "${var.vm_hostname}-vmLinux-${count.index}"
  location              = var.location
  resource_group_name   = var.resource_group_name
  size                  = var.vm_size
  admin_username        = var.admin_username
  network_interface_ids = [element(azurerm_network_interface.vm[*].id, count.index)]
  custom_data           = var.custom_data # ok: no-boot-time-mutation

  source_image_reference {
    publisher = var.vm_os_publisher
    offer     = var.vm_os_offer
    sku       = var.vm_os_sku
    version   = var.vm_os_version # expect: pinned-machine-image
  }

  os_disk {
    name                 = "osdisk-${var.vm_hostname}-${count.index}"
    caching              = "ReadWrite"
    storage_account_type = var.storage_account_type
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "web" { # expect: require-rolling-update
  name                = "${var.vm_hostname}-vmss"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = var.vm_size
  instances           = var.nb_instances
  admin_username      = var.admin_username
  source_image_id     = var.image_id # ok: pinned-machine-image

  custom_data = base64encode(<<-EOT
    #!/bin/bash
    curl -fsSLO https://packages.example.com/agent/install.sh # expect: no-boot-time-mutation
    bash install.sh --token "${var.agent_token}"
  EOT
  )

  network_interface {
    name    = "nic"
    primary = true

    ip_configuration {
      name      = "internal"
      primary   = true
      subnet_id = var.vnet_subnet_id
    }
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}

resource "azurerm_windows_virtual_machine_scale_set" "api" { # ok: require-rolling-update
  name                 = "${var.vm_hostname}-api"
  location             = var.location
  resource_group_name  = var.resource_group_name
  sku                  = var.vm_size
  admin_username       = var.admin_username
  admin_password       = var.admin_password
  source_image_id      = var.image_id
  upgrade_mode         = "Rolling"
  health_probe_id      = var.health_probe_id
  computer_name_prefix = "api"

  rolling_upgrade_policy {
    max_batch_instance_percent              = 20
    max_unhealthy_instance_percent          = 20
    max_unhealthy_upgraded_instance_percent = 20
    pause_time_between_batches              = "PT0S"
  }

  network_interface {
    name    = "nic"
    primary = true

    ip_configuration {
      name      = "internal"
      primary   = true
      subnet_id = var.vnet_subnet_id
    }
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
}
