# SYNTAX TEST "source.hcl" "heredocs <<EOT and <<-EOT, with templates inside"

resource "aws_instance" "web" {
  user_data = <<-EOT
#             ^^^ string.unquoted.heredoc.hcl keyword.operator.heredoc.hcl
#                ^^^ string.unquoted.heredoc.hcl keyword.control.heredoc-token.hcl
    #!/bin/bash
#   ^^^^^^^^^^^ string.unquoted.heredoc.hcl - comment.line.number-sign.hcl
    echo "${var.message}" > /etc/motd
#   ^^^^^^ string.unquoted.heredoc.hcl - string.quoted.double.hcl
#         ^^ string.unquoted.heredoc.hcl meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#           ^^^ meta.interpolation.hcl variable.language.hcl
    %{ for pkg in var.packages ~}
#   ^^ string.unquoted.heredoc.hcl meta.directive.hcl punctuation.section.directive.begin.hcl
#      ^^^ keyword.control.loop.hcl
    apt-get install -y ${pkg}
#                        ^^^ meta.interpolation.hcl variable.other.readwrite.hcl
    %{ endfor ~}
#      ^^^^^^ keyword.control.loop.hcl
    path \n stays literal, $${HOME} too
#        ^^ string.unquoted.heredoc.hcl - constant.character.escape.hcl
#                          ^^^ constant.character.escape.hcl
    EOT mentioned mid-line does not end it
#   ^^^ string.unquoted.heredoc.hcl - keyword.control.heredoc-token.hcl
    EOTX
#   ^^^^ string.unquoted.heredoc.hcl - keyword.control.heredoc-token.hcl
    EOT
#   ^^^ string.unquoted.heredoc.hcl keyword.control.heredoc-token.hcl
  instance_type = "t3.micro"
# ^^^^^^^^^^^^^ variable.other.property.hcl - string.unquoted.heredoc.hcl
}

policy = <<POLICY
# <------ variable.other.property.hcl
#        ^^ keyword.operator.heredoc.hcl
#          ^^^^^^ keyword.control.heredoc-token.hcl
{
# <- string.unquoted.heredoc.hcl - meta.object.hcl
  "Version": "2012-10-17",
  "Resource": "${aws_s3_bucket.logs.arn}/*"
#              ^^ meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#                ^^^^^^^^^^^^^ variable.other.readwrite.hcl
}
POLICY
# <------ string.unquoted.heredoc.hcl keyword.control.heredoc-token.hcl

after = 1
# <----- variable.other.property.hcl - string.unquoted.heredoc.hcl
