# An example calling the module the way public READMEs do, plus the classic hand-written group.
provider "aws" {
  region = "eu-west-1"
}

data "aws_ami" "amazon_linux" {
  most_recent = true
  owners      = ["amazon"] # ok: ami-lookup-owners

  filter {
    name   = "name"
    values = ["al2023-ami-*-x86_64"]
  }
}

module "asg" {
  source = "../../" # ok: pinned-module-source

  name                = "complete-example"
  image_id            = data.aws_ami.amazon_linux.id # expect: pinned-machine-image
  instance_type       = "t3.micro"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  instance_refresh = {
    strategy = "Rolling"
  }
}

resource "aws_launch_configuration" "legacy" { # expect: require-create-before-destroy
  name          = "legacy-web" # expect: no-static-template-name
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "legacy" { # ok: require-instance-refresh
  name                 = "legacy-web"
  launch_configuration = aws_launch_configuration.legacy.name
  min_size             = 1
  max_size             = 2
  vpc_zone_identifier  = ["subnet-0a1b2c3d"]
}

resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "web" { # expect: require-instance-refresh
  name_prefix         = "web-"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest" # expect: no-launch-template-latest
  }
}
