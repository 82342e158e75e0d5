# SYNTAX TEST "source.hcl" "type constraints in variable blocks"

variable "instance_types" {
  type = list(string)
#        ^^^^ meta.type-constructor.hcl support.type.hcl - support.function.hcl
#            ^ punctuation.section.parens.begin.hcl
#             ^^^^^^ meta.type-constructor.hcl support.type.primitive.hcl
  default = ["t3.micro"]
}

variable "rollout" {
  type = object({
#        ^^^^^^ support.type.hcl
#               ^ meta.type-constructor.hcl meta.object.hcl punctuation.section.braces.begin.hcl
    min_healthy_percentage = optional(number, 90)
#   ^^^^^^^^^^^^^^^^^^^^^^ variable.other.property.hcl
#                            ^^^^^^^^ support.type.hcl
#                                     ^^^^^^ support.type.primitive.hcl
    enabled                = bool
#                            ^^^^ support.type.primitive.hcl
    tags                   = map(any)
#                            ^^^ support.type.hcl
#                                ^^^ support.type.primitive.hcl
  })
}

locals {
  subnets  = tolist(var.subnets)
#            ^^^^^^ support.function.hcl - support.type.hcl
  as_text  = tostring(var.count_of_things)
#            ^^^^^^^^ support.function.hcl
  stringy  = var.string
#                ^^^^^^ variable.other.member.hcl - support.type.primitive.hcl
}
