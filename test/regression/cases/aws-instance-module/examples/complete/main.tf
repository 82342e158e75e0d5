# How a README calls the module, and the hand-written instances people start from.
module "ec2_instance" {
  source  = "terraform-aws-modules/ec2-instance/aws" # ok: pinned-module-source
  version = "~> 5.6"

  name          = "single-instance"
  instance_type = "t3.micro"
  subnet_id     = "subnet-0a1b2c3d"
}

module "ec2_unpinned" {
  source = "terraform-aws-modules/ec2-instance/aws" # expect: pinned-module-source

  name = "unpinned"
}

resource "aws_instance" "bastion" { # expect: require-create-before-destroy
  ami                         = "ami-0123456789abcdef0" # ok: pinned-machine-image
  instance_type               = "t3.micro"
  private_ip                  = "10.0.1.10"
  user_data_replace_on_change = true
  user_data                   = <<-EOT
    #!/bin/bash
    echo "ROLE=bastion" > /etc/role
    systemctl restart sshd
  EOT
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  private_ip    = "10.0.1.20" # expect: no-static-unique-attribute

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_instance" "worker" { # expect: require-create-before-destroy
  ami                    = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" # expect: pinned-machine-image
  instance_type          = "t3.micro"
  vpc_security_group_ids = ["sg-0a1b2c3d"]
}
