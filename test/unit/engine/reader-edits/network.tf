# A network module as public ones lay it out: locals, a VPC, subnets per zone, security groups with dynamic rules.
locals {
  azs          = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  public_cidrs = [for i, az in local.azs : cidrsubnet(var.cidr, 8, i)]
  private_cidrs = {
    for i, az in local.azs : az => cidrsubnet(var.cidr, 8, i + 10)
  }
  common_tags = merge(var.tags, {
    Module      = "network"
    Environment = var.environment
  })
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(local.common_tags, { Name = "${var.name}-vpc" })
}

resource "aws_subnet" "public" {
  count                   = length(local.azs)
  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.public_cidrs[count.index]
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true

  tags = merge(local.common_tags, {
    Name = format("%s-public-%s", var.name, local.azs[count.index])
    Tier = "public"
  })
}

resource "aws_subnet" "private" {
  for_each          = local.private_cidrs
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key

  timeouts { create = "10m" }

  lifecycle {
    ignore_changes = [tags["LastSeen"]]
  }
}

/* Security groups: the rules come from a variable, one block per rule. */
resource "aws_security_group" "web" {
  name_prefix = "${var.name}-web-"
  description = "Web tier"
  vpc_id      = aws_vpc.this.id

  dynamic "ingress" {
    for_each = var.ingress_rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
      description = lookup(rule.value, "description", null)
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] // everything out
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "public_subnet_ids" {
  value       = aws_subnet.public[*].id
  description = "One per zone, in zone order."
}

output "private_subnets" {
  value = { for k, s in aws_subnet.private : k => s.id if s.map_public_ip_on_launch == false }
}
