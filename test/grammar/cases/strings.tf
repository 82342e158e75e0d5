# SYNTAX TEST "source.hcl" "quoted strings and their escapes"

locals {
  plain = "hello" # the string has ended
#         ^ string.quoted.double.hcl punctuation.definition.string.begin.hcl
#          ^^^^^ string.quoted.double.hcl
#               ^ string.quoted.double.hcl punctuation.definition.string.end.hcl
#                 ^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.hcl - string.quoted.double.hcl

  escapes = "tab\there\nquote\" slash\\ cr\r"
#               ^^ string.quoted.double.hcl constant.character.escape.hcl
#                     ^^ constant.character.escape.hcl
#                            ^^ constant.character.escape.hcl
#                                    ^^ constant.character.escape.hcl
#                                         ^^ constant.character.escape.hcl
#                                           ^ punctuation.definition.string.end.hcl

  unicode = "\u00e9 and \U0001F600"
#            ^^^^^^ constant.character.escape.hcl
#                       ^^^^^^^^^^ constant.character.escape.hcl

  literal_dollar = "$${not.interpolated} and %%{not_a_directive}"
#                   ^^^ constant.character.escape.hcl
#                      ^^^^^^^^^^^^^^^^^ string.quoted.double.hcl - meta.interpolation.hcl
#                                            ^^^ constant.character.escape.hcl - meta.directive.hcl

  lone_dollar = "costs $5 and 50%"
#                ^^^^^^^^^^^^^^^^ string.quoted.double.hcl - meta.interpolation.hcl meta.directive.hcl

  empty = ""
#         ^ punctuation.definition.string.begin.hcl
#          ^ punctuation.definition.string.end.hcl
  after = 1
# ^^^^^ variable.other.property.hcl - string.quoted.double.hcl
}
