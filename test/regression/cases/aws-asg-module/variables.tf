variable "create" {
  type    = bool
  default = true
}

variable "create_launch_template" {
  type    = bool
  default = true
}

variable "name" {
  type = string
}

variable "use_name_prefix" {
  type    = bool
  default = true
}

variable "launch_template_name" {
  type    = string
  default = ""
}

variable "launch_template_use_name_prefix" {
  type    = bool
  default = true
}

variable "launch_template_id" {
  type    = string
  default = null
}

variable "launch_template_version" {
  type    = string
  default = null
}

variable "image_id" {
  type    = string
  default = ""
}

variable "instance_type" {
  type    = string
  default = null
}

variable "user_data" {
  type    = string
  default = null
}

variable "security_groups" {
  type    = list(string)
  default = []
}

variable "block_device_mappings" {
  type    = list(any)
  default = []
}

variable "min_size" {
  type    = number
  default = null
}

variable "max_size" {
  type    = number
  default = null
}

variable "desired_capacity" {
  type    = number
  default = null
}

variable "vpc_zone_identifier" {
  type    = list(string)
  default = null
}

variable "use_mixed_instances_policy" {
  type    = bool
  default = false
}

variable "instance_refresh" {
  type    = any
  default = {}
}
