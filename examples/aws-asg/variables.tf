variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "subnet_ids" {
  type = list(string)
}
