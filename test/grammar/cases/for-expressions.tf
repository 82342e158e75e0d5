# SYNTAX TEST "source.hcl" "for expressions producing tuples and objects"

locals {
  upper_names = [for name in var.names : upper(name) if name != ""]
#               ^ meta.tuple.hcl punctuation.section.brackets.begin.hcl
#                ^^^ meta.tuple.hcl keyword.control.loop.hcl
#                    ^^^^ variable.parameter.hcl
#                         ^^ keyword.control.in.hcl
#                            ^^^ variable.language.hcl
#                                      ^ punctuation.separator.colon.hcl
#                                        ^^^^^ support.function.hcl
#                                                    ^^ keyword.control.conditional.hcl
#                                                                 ^ punctuation.section.brackets.end.hcl

  by_id = { for k, inst in aws_instance.web : inst.id => k... }
#         ^ meta.object.hcl punctuation.section.braces.begin.hcl
#           ^^^ keyword.control.loop.hcl
#               ^ variable.parameter.hcl
#                ^ punctuation.separator.comma.hcl
#                  ^^^^ variable.parameter.hcl
#                       ^^ keyword.control.in.hcl
#                                           ^ punctuation.separator.colon.hcl
#                                             ^^^^ variable.other.readwrite.hcl - variable.other.property.hcl
#                                                     ^^ keyword.operator.arrow.hcl
#                                                         ^^^ keyword.operator.ellipsis.hcl

  multi_line = {
    for az, subnet in var.subnets :
#   ^^^ meta.object.hcl keyword.control.loop.hcl
#       ^^ variable.parameter.hcl
#                  ^^ keyword.control.in.hcl
    az => subnet.id
#   ^^ variable.other.readwrite.hcl
#      ^^ keyword.operator.arrow.hcl
    if subnet.public
#   ^^ keyword.control.conditional.hcl
  }

  conditional = var.a ? [for x in var.b : x] : []
#                     ^ keyword.operator.ternary.hcl
#                        ^^^ keyword.control.loop.hcl
#                                            ^ punctuation.separator.colon.hcl - meta.tuple.hcl
}

resource "aws_instance" "per_subnet" {
  for_each = toset(var.subnet_ids)
# ^^^^^^^^ variable.other.property.hcl - keyword.control.loop.hcl
  subnet_id = each.value
  tags = { for_team = "a", inbound = "b" }
#          ^^^^^^^^ variable.other.property.hcl - keyword.control.loop.hcl
#                          ^^^^^^^ variable.other.property.hcl - keyword.control.in.hcl
}
