# SYNTAX TEST "source.hcl" "template directives %{ if } and %{ for }, with strip markers"

locals {
  greeting = "Hello, %{ if var.name != "" }${var.name}%{ else }stranger%{ endif }!"
#                    ^^ string.quoted.double.hcl meta.directive.hcl punctuation.section.directive.begin.hcl
#                       ^^ meta.directive.hcl keyword.control.conditional.hcl
#                          ^^^ meta.directive.hcl variable.language.hcl
#                                   ^^ meta.directive.hcl keyword.operator.comparison.hcl
#                                         ^ meta.directive.hcl punctuation.section.directive.end.hcl
#                                          ^^ meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#                                                     ^^ meta.directive.hcl punctuation.section.directive.begin.hcl
#                                                        ^^^^ keyword.control.conditional.hcl
#                                                              ^^^^^^^^ string.quoted.double.hcl - meta.directive.hcl
#                                                                         ^^^^^ keyword.control.conditional.hcl

  hosts = "%{ for i, h in var.hosts ~}${h}%{~ endfor }"
#          ^^ punctuation.section.directive.begin.hcl
#             ^^^ meta.directive.hcl keyword.control.loop.hcl
#                 ^ variable.parameter.hcl
#                  ^ punctuation.separator.comma.hcl
#                    ^ variable.parameter.hcl
#                      ^^ keyword.control.in.hcl
#                                   ^ meta.directive.hcl keyword.operator.template.strip.hcl
#                                    ^ punctuation.section.directive.end.hcl
#                                           ^ keyword.operator.template.strip.hcl
#                                             ^^^^^^ keyword.control.loop.hcl

  strip_left = "%{~ if true ~}yes%{~ endif ~}"
#                 ^ meta.directive.hcl keyword.operator.template.strip.hcl
#                   ^^ keyword.control.conditional.hcl
#                      ^^^^ constant.language.boolean.hcl
#                           ^ keyword.operator.template.strip.hcl
#                             ^^^ string.quoted.double.hcl - meta.directive.hcl
}
