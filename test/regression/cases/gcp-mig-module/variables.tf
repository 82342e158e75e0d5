variable "project_id" {
  type = string
}

variable "name_prefix" {
  type    = string
  default = "default-instance-template"
}

variable "hostname" {
  type    = string
  default = "default"
}

variable "machine_type" {
  type    = string
  default = "n1-standard-1"
}

variable "region" {
  type    = string
  default = null
}

variable "zone" {
  type    = string
  default = null
}

variable "source_image" {
  type    = string
  default = ""
}

variable "source_image_project" {
  type    = string
  default = ""
}

variable "startup_script" {
  type    = string
  default = ""
}

variable "network" {
  type    = string
  default = ""
}

variable "subnetwork" {
  type    = string
  default = ""
}

variable "num_instances" {
  type    = number
  default = 1
}

variable "static_ips" {
  type    = list(string)
  default = []
}

variable "update_policy" {
  type    = list(any)
  default = []
}
