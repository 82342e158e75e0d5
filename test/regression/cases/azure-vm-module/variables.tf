variable "resource_group_name" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "vm_hostname" {
  type    = string
  default = "myvm"
}

variable "nb_instances" {
  type    = number
  default = 1
}

variable "is_windows_image" {
  type    = bool
  default = false
}

variable "vm_size" {
  type    = string
  default = "Standard_D2s_v3"
}

variable "admin_username" {
  type    = string
  default = "azureuser"
}

variable "admin_password" {
  type      = string
  default   = null
  sensitive = true
}

variable "custom_data" {
  type    = string
  default = ""
}

variable "vnet_subnet_id" {
  type = string
}

variable "vm_os_publisher" {
  type    = string
  default = "Canonical"
}

variable "vm_os_offer" {
  type    = string
  default = "0001-com-ubuntu-server-jammy"
}

variable "vm_os_sku" {
  type    = string
  default = "22_04-lts"
}

variable "vm_os_version" {
  type    = string
  default = "latest"
}

variable "storage_account_type" {
  type    = string
  default = "Premium_LRS"
}

variable "image_id" {
  type    = string
  default = null
}

variable "agent_token" {
  type      = string
  sensitive = true
}

variable "health_probe_id" {
  type    = string
  default = null
}
