# Bakes the web droplet's image: a DigitalOcean snapshot with nginx installed at build time, so that
# every droplet of a generation boots the same disk. `immutably roll` runs this template, reads the
# snapshot id from packer-manifest.json and sets it as the web_image variable of ../../digitalocean-fixed.
packer {
  required_plugins {
    digitalocean = {
      source  = "github.com/digitalocean/digitalocean"
      version = "~> 1.4"
    }
  }
}

variable "do_token" {
  type        = string
  description = "DigitalOcean API token; read from DIGITALOCEAN_TOKEN when not set."
  default     = env("DIGITALOCEAN_TOKEN")
  sensitive   = true
}

variable "region" {
  type    = string
  default = "nyc3"
}

# Each build gets its own snapshot name, so the previous generation stays available for a rollback.
locals { timestamp = regex_replace(timestamp(), "[- TZ:]", "") }

source "digitalocean" "web" {
  api_token        = var.do_token
  # The base is the distribution image the primer's droplet booted; it is read once, at bake time.
  image            = "ubuntu-20-04-x64"
  region           = var.region
  size             = "s-1vcpu-1gb"
  ssh_username     = "root"
  snapshot_name    = "web-${local.timestamp}"
  snapshot_regions = [var.region]
}

build {
  sources = ["source.digitalocean.web"]

  # Configuration happens here, once per generation, instead of on running droplets.
  provisioner "shell" {
    environment_vars = ["DEBIAN_FRONTEND=noninteractive"]
    inline = [
      "cloud-init status --wait",
      "apt-get update",
      "apt-get install -y nginx",
      "systemctl enable nginx",
    ]
  }

  post-processor "manifest" {
    output     = "packer-manifest.json"
    strip_path = true
  }
}
