# SYNTAX TEST "source.hcl" "attributes: name = value at body level and in one-line blocks"

instance_type = "t3.micro"
# <------------- variable.other.property.hcl
#             ^ keyword.operator.assignment.hcl
#               ^^^^^^^^^^ string.quoted.double.hcl

min-healthy-percentage = 90
# <---------------------- variable.other.property.hcl
#                      ^ keyword.operator.assignment.hcl

tags = {
# <---- variable.other.property.hcl
#      ^ meta.object.hcl punctuation.section.braces.begin.hcl
  Name        = "web"
# ^^^^ meta.object.hcl variable.other.property.hcl
#             ^ meta.object.hcl keyword.operator.assignment.hcl
  Environment = "prod"
  "cost-center" = "42"
# ^^^^^^^^^^^^^ meta.object.hcl string.quoted.double.hcl
#               ^ keyword.operator.assignment.hcl
}
# <- meta.object.hcl punctuation.section.braces.end.hcl

compare = 1 == 2
#           ^^ keyword.operator.comparison.hcl - keyword.operator.assignment.hcl
