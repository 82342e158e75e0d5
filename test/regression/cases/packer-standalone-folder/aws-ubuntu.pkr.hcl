packer {
  required_plugins {
    amazon = {
      version = "~> 1.3" # ok: packer-pinned-plugin
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type    = string
  default = "us-west-2"
}

source "amazon-ebs" "ubuntu" {
  ami_name      = "learn-packer-linux-aws" # expect: packer-unique-image-name
  instance_type = "t2.micro"
  region        = var.region
  ssh_username  = "ubuntu"

  source_ami_filter { # ok: ami-lookup-owners
    filters = {
      name                = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    most_recent = true
    owners      = ["099720109477"]
  }
}

build {
  sources = ["source.amazon-ebs.ubuntu"]

  provisioner "shell" {
    inline = ["sudo apt-get update", "sudo apt-get install -y redis-server"]
  }

  post-processor "manifest" { # ok: packer-require-manifest
    output     = "packer-manifest.json"
    strip_path = true
  }
}
