# One template spread over several files, built as a folder: packer build .
variable "image_version" {
  type = string
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  image_name = "web-${var.image_version}"
}
