# A root module whose values come from variable defaults, overridden by tfvars files.
variable "image" {
  type    = string
  default = "ubuntu-22-04-x64"
}

variable "lb_private_ip" {
  type    = string
  default = null
}

variable "app_version" {
  type    = string
  default = "latest"
}

variable "module_ref" {
  type    = string
  default = "v1.0.0"
}

resource "digitalocean_droplet" "web" {
  name   = "web"
  image  = var.image # expect: pinned-machine-image
  region = "ams3"
  size   = "s-1vcpu-1gb"

  lifecycle {
    create_before_destroy = true # ok: require-create-before-destroy
  }
}

resource "aws_instance" "lb" { # ok: require-create-before-destroy
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  private_ip    = var.lb_private_ip # expect: no-static-unique-attribute

  lifecycle {
    create_before_destroy = true
  }
}

resource "docker_container" "app" {
  name  = "app"
  image = "acme/app:${var.app_version}" # ok: pinned-container-image
}
