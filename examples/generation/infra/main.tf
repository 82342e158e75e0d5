# Stands in for a fleet of machines: terraform_data is replaced whenever the image changes, and
# create_before_destroy brings the new generation up before the old one goes, as it would for real servers.
variable "image" {
  type        = string
  description = "The image this generation runs; written by immutably into immutably.auto.tfvars.json."
  default     = "none"
}

resource "terraform_data" "server" {
  input            = var.image
  triggers_replace = [var.image]

  lifecycle {
    create_before_destroy = true
  }
}

output "image" {
  value = terraform_data.server.output
}
