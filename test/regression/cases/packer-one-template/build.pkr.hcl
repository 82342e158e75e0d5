build { # ok: packer-require-manifest
  sources = ["source.amazon-ebs.web", "source.azure-arm.web", "source.digitalocean.web", "source.amazon-ebs.release"]

  provisioner "shell" {
    inline = ["sudo apt-get install -y nginx"] # ok: no-boot-time-mutation
  }

  post-processors {
    post-processor "manifest" {
      output = "packer-manifest.json"
    }
  }
}
