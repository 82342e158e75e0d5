# SYNTAX TEST "source.hcl" "a Packer template: packer, source, build and post-processor blocks"

packer {
  required_plugins {
# ^^^^^^^^^^^^^^^^ entity.name.type.hcl
    amazon = {
#   ^^^^^^ variable.other.property.hcl
      version = "~> 1.3"
#     ^^^^^^^ meta.object.hcl variable.other.property.hcl
#                ^^^^^^ string.quoted.double.hcl - keyword.operator.comparison.hcl
      source  = "github.com/hashicorp/amazon"
    }
  }
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
#             ^^^^^^^^^^^^^ support.function.hcl
#                           ^^^^^^^^^ meta.function-call.hcl meta.function-call.hcl support.function.hcl
}

source "amazon-ebs" "ubuntu" {
# <------ entity.name.type.hcl
#       ^^^^^^^^^^ entity.name.label.hcl
  ami_name      = "${var.name}-${local.timestamp}"
#                                ^^^^^ variable.language.hcl
#                                      ^^^^^^^^^ variable.other.member.hcl - support.function.hcl
  instance_type = "t3.micro"
}

build {
  sources = ["source.amazon-ebs.ubuntu"]
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.tuple.hcl string.quoted.double.hcl

  provisioner "shell" {
    inline = ["echo ${source.name} built by packer ${packer.version}"]
#                     ^^^^^^ variable.language.hcl
#                                                    ^^^^^^ variable.language.hcl
  }

  post-processor "manifest" {
# ^^^^^^^^^^^^^^ entity.name.type.hcl
#                 ^^^^^^^^ entity.name.label.hcl
    output     = "manifest.json"
    strip_path = true
#   ^^^^^^^^^^ variable.other.property.hcl
#                ^^^^ constant.language.boolean.hcl
  }
}
