# A Packer template: plugins, variables, two sources and a build that provisions and tags the image.
packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "version" {
  type = string
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
  name      = "web-${var.version}-${local.timestamp}"
}

source "amazon-ebs" "web" {
  region        = var.region
  instance_type = "t3.small"
  ami_name      = local.name
  ssh_username  = "ubuntu"

  source_ami_filter {
    filters = {
      name                = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    most_recent = true
    owners      = ["099720109477"]
  }

  tags = {
    Name    = local.name
    Version = var.version
  }
}

build {
  name    = "web"
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    inline = [
      "sudo apt-get update",
      "sudo apt-get install -y nginx=1.18.*",
    ]
  }

  provisioner "file" {
    source      = "files/app.service"
    destination = "/tmp/app.service"
  }

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
  }
}
