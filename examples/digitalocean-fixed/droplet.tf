# The fixed twin of ../digitalocean: the droplet boots a snapshot baked by Packer (the roll writes
# its id into var.web_image) and each new generation is created before the old one is destroyed.
terraform {
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.34"
    }
  }
}

variable "do_token" {
  type      = string
  sensitive = true
}

variable "web_image" {
  type        = string
  description = "Snapshot id of the current web generation, set by `immutably roll`."
}

provider "digitalocean" {
  token = var.do_token
}

resource "digitalocean_droplet" "web" {
  image  = var.web_image
  name   = "web-1"
  region = "nyc3"
  size   = "s-1vcpu-1gb"

  lifecycle {
    create_before_destroy = true
  }
}
