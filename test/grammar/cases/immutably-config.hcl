# SYNTAX TEST "source.hcl" ".immutably.hcl (language immutably-config, the same grammar): rule and generation blocks, a suppression comment"

rule "require-create-before-destroy" {
# <---- meta.block.hcl entity.name.type.hcl
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.hcl entity.name.label.hcl
  severity = "warning"
# ^^^^^^^^ variable.other.property.hcl
#            ^^^^^^^ string.quoted.double.hcl
}

generation "web" {
# <---------- meta.block.hcl entity.name.type.hcl
  keep = 2
#        ^ constant.numeric.integer.hcl
  verify {
# ^^^^^^ meta.block.hcl meta.block.hcl entity.name.type.hcl
    command = ["node", "scripts/verify.mjs"] # immutably-ignore: no-inplace-provisioner
#                                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.hcl
  }
}
