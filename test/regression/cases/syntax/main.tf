# Mistakes Terraform rejects although they look like HCL.
resource "aws_route" "office" {
  route_table_id         = "rtb-0a1b2c3d"
  destination_cidr_block = 10.11.10.12/32 # expect: hcl-syntax
  gateway_id             = "vgw-0a1b2c3d"
}

resource "aws_security_group_rule" "office" {
  type        = "ingress"
  cidr_blocks = ["10.11.10.12/32"] # ok: hcl-syntax
  from_port   = 443
  to_port     = 443
  protocol    = "tcp"
}

locals {
  tags = {
    Name        = "web"
    Environment = "production" Team = "platform" # expect: hcl-syntax
  }
}
