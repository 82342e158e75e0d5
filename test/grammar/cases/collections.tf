# SYNTAX TEST "source.hcl" "objects, tuples, parentheses and operators"

locals {
  ports = [80, 443]
#         ^ meta.tuple.hcl punctuation.section.brackets.begin.hcl
#          ^^ meta.tuple.hcl constant.numeric.integer.hcl
#            ^ meta.tuple.hcl punctuation.separator.comma.hcl
#                 ^ meta.tuple.hcl punctuation.section.brackets.end.hcl

  nested = [
    { name = "a", size = 1 },
#   ^ meta.tuple.hcl meta.object.hcl punctuation.section.braces.begin.hcl
#     ^^^^ meta.object.hcl variable.other.property.hcl
#          ^ keyword.operator.assignment.hcl
#               ^ punctuation.separator.comma.hcl
#                 ^^^^ meta.object.hcl variable.other.property.hcl
    ["x", "y"],
#   ^ meta.tuple.hcl meta.tuple.hcl punctuation.section.brackets.begin.hcl
  ]

  colon_keys = { a: 1, b: true }
#                ^ variable.other.property.hcl
#                 ^ keyword.operator.assignment.hcl
#                      ^ variable.other.property.hcl

  computed_key = { (var.key) = "v" }
#                  ^ meta.object.hcl meta.parens.hcl punctuation.section.parens.begin.hcl
#                   ^^^ variable.language.hcl
#                            ^ keyword.operator.assignment.hcl

  ternary_in_object = { x = var.a ? var.b : var.c }
#                                       ^ variable.other.member.hcl - variable.other.property.hcl
#                                         ^ punctuation.separator.colon.hcl - keyword.operator.assignment.hcl

  logic = !var.a && (var.b || var.c) ? 1 * 2 / 3 % 4 - 5 : 6 >= 7
#         ^ keyword.operator.logical.hcl
#                ^^ keyword.operator.logical.hcl
#                   ^ meta.parens.hcl punctuation.section.parens.begin.hcl
#                          ^^ meta.parens.hcl keyword.operator.logical.hcl
#                                  ^ punctuation.section.parens.end.hcl
#                                        ^ keyword.operator.arithmetic.hcl
#                                            ^ keyword.operator.arithmetic.hcl
#                                                ^ keyword.operator.arithmetic.hcl
#                                                    ^ keyword.operator.arithmetic.hcl
#                                                            ^^ keyword.operator.comparison.hcl
  compare = 1 < 2 && 3 > 2 && 4 <= 5 && 6 != 7
#             ^ keyword.operator.comparison.hcl
#                      ^ keyword.operator.comparison.hcl
#                               ^^ keyword.operator.comparison.hcl
#                                         ^^ keyword.operator.comparison.hcl
}
