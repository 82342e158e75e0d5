# A folder of tutorial templates, each built alone: packer build docker-basic.pkr.hcl
packer {
  required_plugins {
    docker = {
      version = ">= 1.0.8" # expect: packer-pinned-plugin
      source  = "github.com/hashicorp/docker"
    }
  }
}

source "docker" "ubuntu" {
  image  = "ubuntu:jammy" # ok: pinned-container-image
  commit = true
}

build { # expect: packer-require-manifest
  name    = "learn-packer"
  sources = ["source.docker.ubuntu"]

  provisioner "shell" {
    inline = ["echo Adding file to Docker Container", "echo \"FOO is $FOO\" > example.txt"]
  }
}
