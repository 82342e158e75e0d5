# A single-instance module in the shape of the public ones: the AMI from SSM unless given, ignore_changes on a variant.
data "aws_ssm_parameter" "this" {
  count = local.create && var.ami == null ? 1 : 0

  name = var.ami_ssm_parameter
}

locals {
  create = var.create
  ami    = try(coalesce(var.ami, nonsensitive(data.aws_ssm_parameter.this[0].value)), null)
}

resource "aws_instance" "this" { # expect: require-create-before-destroy
  count = local.create && !var.ignore_ami_changes ? 1 : 0

  ami                         = local.ami # expect: pinned-machine-image
  instance_type               = var.instance_type
  user_data                   = var.user_data
  user_data_base64            = var.user_data_base64
  user_data_replace_on_change = var.user_data_replace_on_change

  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.vpc_security_group_ids
  private_ip             = var.private_ip # ok: no-static-unique-attribute

  dynamic "network_interface" {
    for_each = var.network_interface

    content {
      device_index         = network_interface.value.device_index
      network_interface_id = lookup(network_interface.value, "network_interface_id", null)
    }
  }

  tags = merge({ "Name" = var.name }, var.tags)
}

resource "aws_instance" "ignore_ami" { # expect: require-create-before-destroy
  count = local.create && var.ignore_ami_changes ? 1 : 0

  ami           = local.ami
  instance_type = var.instance_type
  user_data     = var.user_data # ok: require-user-data-replace, no-boot-time-mutation

  lifecycle {
    ignore_changes = [
      ami, # expect: no-ignore-image-changes
    ]
  }
}

resource "aws_eip" "this" {
  count = local.create && var.create_eip ? 1 : 0

  instance = try(aws_instance.this[0].id, aws_instance.ignore_ami[0].id)
  domain   = "vpc"
}
