# Boot scripts as modules and examples pass them: heredocs, files, templates, cloud-init parts.
data "cloudinit_config" "web" {
  gzip          = true
  base64_encode = true

  part {
    content_type = "text/cloud-config"
    content      = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", { cluster = var.cluster })
  }

  part {
    content_type = "text/x-shellscript"
    content      = file("${path.module}/scripts/bootstrap.sh")
  }
}

resource "aws_launch_template" "web" {
  name_prefix = "web-"
  image_id    = var.web_image
  user_data   = data.cloudinit_config.web.rendered # ok: no-boot-time-mutation

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_launch_template" "agent" {
  name_prefix = "agent-"
  image_id    = var.web_image
  user_data   = base64encode(file("${path.module}/scripts/install-agent.sh")) # expect: no-boot-time-mutation

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  docker_bootstrap = <<-EOT
    #!/bin/bash
    # The docs say: curl -fsSL https://get.docker.com | sh (done in the image now)
    systemctl start docker
  EOT
}

resource "aws_instance" "docker_host" {
  ami                         = var.web_image
  instance_type               = "t3.small"
  user_data_replace_on_change = true
  user_data                   = local.docker_bootstrap # ok: no-boot-time-mutation

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_instance" "legacy" {
  ami                         = var.web_image
  instance_type               = "t3.small"
  user_data_replace_on_change = true
  user_data                   = <<-EOT
    #!/bin/bash
    yum update -y # expect: no-boot-time-mutation
    yum install -y httpd
    systemctl start httpd
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_instance" "piped" {
  ami           = var.web_image
  instance_type = "t3.small"
  user_data     = "#!/bin/sh\ncurl -sSL https://get.example.com/install | bash\n" # expect: no-boot-time-mutation, require-user-data-replace

  lifecycle {
    create_before_destroy = true
  }
}

resource "digitalocean_droplet" "api" {
  name   = "api"
  image  = var.api_snapshot
  region = "ams3"
  size   = "s-1vcpu-1gb"

  user_data = <<-EOT
    #cloud-config
    packages: # expect: no-boot-time-mutation
      - nginx
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

resource "digitalocean_droplet" "worker" {
  name   = "worker"
  image  = var.api_snapshot
  region = "ams3"
  size   = "s-1vcpu-1gb"

  user_data = <<-EOT
    #cloud-config
    package_update: false
    packages: [] # ok: no-boot-time-mutation
    runcmd:
      - apt-get update # ok: no-boot-time-mutation
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

variable "web_image" {
  type = string
}

variable "api_snapshot" {
  type = string
}

variable "cluster" {
  type    = string
  default = "blue"
}
