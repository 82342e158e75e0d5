locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
}

source "amazon-ebs" "web" {
  ami_name      = "web-${local.timestamp}" # ok: packer-unique-image-name
  instance_type = "t3.micro"
  region        = "eu-west-1"
  source_ami    = "ami-0abcdef1234567890"
  ssh_username  = "ubuntu"
}

source "amazon-ebs" "smoke" {
  ami_name        = "web-smoke-test" # ok: packer-unique-image-name
  instance_type   = "t3.micro"
  region          = "eu-west-1"
  source_ami      = "ami-0abcdef1234567890"
  ssh_username    = "ubuntu"
  skip_create_ami = true
}

source "amazon-ebs" "any_owner" {
  ami_name      = "web-${uuidv4()}"
  instance_type = "t3.micro"
  region        = "eu-west-1"
  ssh_username  = "ubuntu"

  source_ami_filter { # expect: ami-lookup-owners
    filters = {
      name = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
    }
    most_recent = true
  }
}

build { # ok: packer-require-manifest
  name    = "smoke"
  sources = ["source.amazon-ebs.smoke"]
}

build {
  sources = ["source.amazon-ebs.web", "source.amazon-ebs.any_owner"]

  post-processor "manifest" {}
}
