# SYNTAX TEST "source.hcl" "input HCL rejects: the grammar marks it and recovers"
# grammar-test: invalid-hcl (an unknown escape and an unterminated string are parse errors on purpose)

bad_escape = "a\qb"
#              ^^ string.quoted.double.hcl invalid.illegal.escape.hcl

unterminated = "no closing quote
#               ^^^^^^^^^^^^^^^^ string.quoted.double.hcl
next_line = true
# <--------- variable.other.property.hcl - string.quoted.double.hcl
#           ^^^^ constant.language.boolean.hcl
