# SYNTAX TEST "source.hcl" "numbers, booleans and null"

locals {
  integer  = 42
#            ^^ constant.numeric.integer.hcl
  float    = 3.14
#            ^^^^ constant.numeric.float.hcl
  exponent = 1e6
#            ^^^ constant.numeric.float.hcl
  both     = 2.5E-3
#            ^^^^^^ constant.numeric.float.hcl
  negative = -7
#            ^ keyword.operator.arithmetic.hcl
#             ^ constant.numeric.integer.hcl
  yes      = true
#            ^^^^ constant.language.boolean.hcl
  no       = false
#            ^^^^^ constant.language.boolean.hcl
  nothing  = null
#            ^^^^ constant.language.null.hcl
  not_bool = true_value
#            ^^^^^^^^^^ variable.other.readwrite.hcl - constant.language.boolean.hcl
  dashed   = null-ish
#            ^^^^^^^^ variable.other.readwrite.hcl - constant.language.null.hcl
  name_99  = ami_2024
#            ^^^^^^^^ variable.other.readwrite.hcl - constant.numeric.integer.hcl
}
