# SYNTAX TEST "source.hcl" "comments: #, // and /* */"

# A number-sign comment.
# <- comment.line.number-sign.hcl punctuation.definition.comment.hcl
#^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.hcl

// A double-slash comment.
# <-- comment.line.double-slash.hcl punctuation.definition.comment.hcl
#  ^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.hcl

/* A block comment on one line. */
# <-- comment.block.hcl punctuation.definition.comment.begin.hcl
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.hcl
#                               ^^ comment.block.hcl punctuation.definition.comment.end.hcl

/*
  A block comment over lines keeps resource "a" "b" { from being a block.
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.hcl - meta.block.hcl entity.name.type.hcl
*/

locals {
  a = 1 # trailing comment after a value
#       ^ comment.line.number-sign.hcl punctuation.definition.comment.hcl
#         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.block.hcl comment.line.number-sign.hcl
  b = 2 // trailing comment
#       ^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.hcl
  c = /* inline */ 3
#     ^^^^^^^^^^^^ comment.block.hcl
#                  ^ constant.numeric.integer.hcl - comment.block.hcl
  d = "# not a comment // nor this"
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.hcl - comment.line.number-sign.hcl comment.line.double-slash.hcl
}
