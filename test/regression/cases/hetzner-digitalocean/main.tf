# Hetzner and DigitalOcean machines as their providers' examples write them.
resource "hcloud_server" "web" { # expect: require-create-before-destroy
  name        = "web-1"
  image       = var.web_snapshot
  server_type = "cx22"
  location    = "nbg1"

  network {
    network_id = hcloud_network.private.id
    ip         = "10.0.1.5"
  }
}

resource "hcloud_network" "private" {
  name     = "private"
  ip_range = "10.0.0.0/16"
}

resource "hcloud_server" "api" {
  name        = "api-${random_pet.api.id}" # ok: no-static-unique-attribute
  image       = var.api_snapshot
  server_type = "cx22"
  location    = "nbg1"

  lifecycle {
    create_before_destroy = true
  }
}

resource "random_pet" "api" {
  keepers = {
    image = var.api_snapshot
  }
}

resource "digitalocean_droplet" "web" { # expect: require-create-before-destroy
  name   = "web"
  image  = var.web_snapshot
  region = "ams3"
  size   = "s-1vcpu-1gb"

  provisioner "remote-exec" { # expect: no-inplace-provisioner
    inline = ["apt-get update", "apt-get install -y nginx"]
  }
}

resource "digitalocean_droplet" "cache" {
  name   = "cache" # ok: no-static-unique-attribute
  image  = var.web_snapshot
  region = "ams3"
  size   = "s-1vcpu-1gb"

  lifecycle {
    create_before_destroy = true
  }
}

variable "web_snapshot" {
  type = string
}

variable "api_snapshot" {
  type = string
}
