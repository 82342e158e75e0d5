# A compute module: an image lookup, a launch template with a templated boot script, an autoscaling group.
data "aws_ami" "base" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "name"
    values = ["web-${var.image_version}-*"]
  }

  filter {
    name   = "state"
    values = ["available"]
  }
}

resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = data.aws_ami.base.id
  instance_type = var.instance_type != "" ? var.instance_type : "t3.small"
  key_name      = try(var.key_name, null)

  user_data = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    echo "${var.environment}" > /etc/environment-name
    %{ for name, value in var.settings }
    echo "${name}=${value}" >> /etc/app.env
    %{ endfor }
    systemctl start app
  EOT
  )

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size = 20
      volume_type = "gp3"
      encrypted   = true
    }
  }

  metadata_options {
    http_tokens = "required"
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "web", Version = var.image_version }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "web" {
  name_prefix         = "web-${aws_launch_template.web.latest_version}-"
  min_size            = var.min_size
  max_size            = var.max_size * 2
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.web.id
    version = aws_launch_template.web.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 90
    }
  }

  dynamic "tag" {
    for_each = merge(var.tags, { Name = "web" })
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [desired_capacity]
  }
}

resource "null_resource" "notify" {
  triggers = {
    group = aws_autoscaling_group.web.name
  }

  provisioner "local-exec" {
    command = <<EOT
curl -fsS -X POST "${var.webhook}" \
  -d '{"group": "${aws_autoscaling_group.web.name}"}'
EOT
  }
}
