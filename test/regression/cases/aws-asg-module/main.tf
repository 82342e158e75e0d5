# An Auto Scaling group module in the shape of the public ones: every block optional, names from variables.
locals {
  create_launch_template  = var.create && var.create_launch_template
  launch_template_name    = coalesce(var.launch_template_name, var.name)
  launch_template_version = var.create_launch_template && var.launch_template_version == null ? aws_launch_template.this[0].latest_version : var.launch_template_version
}

resource "aws_launch_template" "this" { # ok: require-create-before-destroy
  count = local.create_launch_template ? 1 : 0

  name        = var.launch_template_use_name_prefix ? null : local.launch_template_name # ok: no-static-template-name
  name_prefix = var.launch_template_use_name_prefix ? "${local.launch_template_name}-" : null

  image_id      = var.image_id # ok: pinned-machine-image
  instance_type = var.instance_type
  user_data     = var.user_data # ok: no-boot-time-mutation, require-user-data-replace

  vpc_security_group_ids = var.security_groups

  dynamic "block_device_mappings" {
    for_each = var.block_device_mappings

    content {
      device_name = block_device_mappings.value.device_name
      no_device   = try(block_device_mappings.value.no_device, null)
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "this" { # ok: require-instance-refresh
  count = var.create ? 1 : 0

  name        = var.use_name_prefix ? null : var.name
  name_prefix = var.use_name_prefix ? "${var.name}-" : null

  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.desired_capacity
  vpc_zone_identifier = var.vpc_zone_identifier

  dynamic "launch_template" {
    for_each = var.use_mixed_instances_policy ? [] : [1]

    content {
      id      = local.create_launch_template ? aws_launch_template.this[0].id : var.launch_template_id
      version = local.launch_template_version # ok: no-launch-template-latest
    }
  }

  dynamic "instance_refresh" {
    for_each = length(var.instance_refresh) > 0 ? [var.instance_refresh] : []

    content {
      strategy = instance_refresh.value.strategy
      triggers = try(instance_refresh.value.triggers, null)
    }
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes = [
      desired_capacity, # ok: no-ignore-image-changes
    ]
  }
}
