# SYNTAX TEST "source.hcl" "template interpolations and strip markers"

locals {
  name = "${var.project}-${local.env}"
#        ^ punctuation.definition.string.begin.hcl
#         ^^ string.quoted.double.hcl meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#           ^^^ meta.interpolation.hcl meta.embedded.line.hcl variable.language.hcl
#              ^ meta.interpolation.hcl punctuation.accessor.hcl
#               ^^^^^^^ meta.interpolation.hcl variable.other.member.hcl
#                      ^ meta.interpolation.hcl punctuation.section.interpolation.end.hcl
#                       ^ string.quoted.double.hcl - meta.interpolation.hcl
#                        ^^ punctuation.section.interpolation.begin.hcl
#                                    ^ punctuation.definition.string.end.hcl - meta.interpolation.hcl

  trimmed = "a ${~ var.x ~} b"
#              ^^ punctuation.section.interpolation.begin.hcl
#                ^ meta.interpolation.hcl keyword.operator.template.strip.hcl
#                        ^ meta.interpolation.hcl keyword.operator.template.strip.hcl
#                         ^ punctuation.section.interpolation.end.hcl

  nested = "${var.enabled ? "on-${var.x}" : upper("off")}"
#                         ^ meta.interpolation.hcl keyword.operator.ternary.hcl
#                           ^ meta.interpolation.hcl string.quoted.double.hcl punctuation.definition.string.begin.hcl
#                               ^^ meta.interpolation.hcl string.quoted.double.hcl meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#                                         ^ meta.interpolation.hcl punctuation.separator.colon.hcl
#                                           ^^^^^ meta.interpolation.hcl support.function.hcl
#                                                       ^ punctuation.section.interpolation.end.hcl
#                                                        ^ punctuation.definition.string.end.hcl

  spans_lines = "x-${
    var.suffix
#   ^^^ string.quoted.double.hcl meta.interpolation.hcl variable.language.hcl
  }-y"
# ^ meta.interpolation.hcl punctuation.section.interpolation.end.hcl
#  ^^ string.quoted.double.hcl - meta.interpolation.hcl
#    ^ punctuation.definition.string.end.hcl
  after_span = 1
# ^^^^^^^^^^ variable.other.property.hcl - string.quoted.double.hcl

  math = "${count.index + 1}"
#           ^^^^^ variable.language.hcl
#                       ^ keyword.operator.arithmetic.hcl
#                         ^ constant.numeric.integer.hcl
}
