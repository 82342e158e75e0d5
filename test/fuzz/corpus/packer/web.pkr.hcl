packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "base_image" {
  type    = string
  default = "ubuntu:latest"
}

source "amazon-ebs" "web" {
  instance_type = "t3.micro"
  region        = "eu-west-1"
  ssh_username  = "ubuntu"
  ami_name      = "web-${formatdate("YYYYMMDDhhmmss", timestamp())}"

  source_ami_filter {
    filters = {
      name = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"
    }
    most_recent = true
  }
}

source "docker" "app" {
  image  = var.base_image
  commit = true
}

build {
  sources = ["source.amazon-ebs.web", "source.docker.app"]

  provisioner "shell" {
    inline = [
      "sudo apt-get update",
      "sudo apt-get install -y nginx=1.18.*",
    ]
  }

  post-processor "manifest" {
    output = "manifest.json"
  }
}
