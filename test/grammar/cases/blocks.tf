# SYNTAX TEST "source.hcl" "block headers: type, quoted and bare labels, braces"

resource "aws_launch_template" "app" {
# <-------- meta.block.hcl entity.name.type.hcl
#        ^ string.quoted.double.hcl punctuation.definition.string.begin.hcl
#         ^^^^^^^^^^^^^^^^^^^ string.quoted.double.hcl entity.name.label.hcl
#                            ^ string.quoted.double.hcl punctuation.definition.string.end.hcl
#                              ^ punctuation.definition.string.begin.hcl
#                               ^^^ entity.name.label.hcl
#                                    ^ meta.block.hcl punctuation.section.block.begin.hcl
  name_prefix = "app-"

  lifecycle {
# ^^^^^^^^^ meta.block.hcl meta.block.hcl entity.name.type.hcl
#           ^ meta.block.hcl meta.block.hcl punctuation.section.block.begin.hcl
    create_before_destroy = true
  }
# ^ meta.block.hcl meta.block.hcl punctuation.section.block.end.hcl
}
# <- meta.block.hcl punctuation.section.block.end.hcl

terraform {
# <--------- entity.name.type.hcl
#         ^ punctuation.section.block.begin.hcl
  required_version = ">= 1.5"
}

locals {}
# <------ entity.name.type.hcl
#      ^ punctuation.section.block.begin.hcl
#       ^ punctuation.section.block.end.hcl

resource "aws_instance" "web" {
  dynamic "ebs_block_device" {
# ^^^^^^^ entity.name.type.hcl
#          ^^^^^^^^^^^^^^^^ entity.name.label.hcl
    for_each = var.volumes
    content {
#   ^^^^^^^ meta.block.hcl meta.block.hcl meta.block.hcl entity.name.type.hcl
      device_name = ebs_block_device.value.name
    }
  }
  lifecycle { create_before_destroy = true }
# ^^^^^^^^^ entity.name.type.hcl
#           ^ punctuation.section.block.begin.hcl
#             ^^^^^^^^^^^^^^^^^^^^^ meta.block.hcl meta.block.hcl variable.other.property.hcl
#                                          ^ meta.block.hcl meta.block.hcl punctuation.section.block.end.hcl
}
# <- meta.block.hcl punctuation.section.block.end.hcl

bare_label_block first second {
# <---------------- entity.name.type.hcl
#                ^^^^^ entity.name.label.hcl - string.quoted.double.hcl
#                      ^^^^^^ entity.name.label.hcl
}

after_blocks = "top level again"
# <------------ variable.other.property.hcl - meta.block.hcl
