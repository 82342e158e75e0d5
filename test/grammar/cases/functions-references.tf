# SYNTAX TEST "source.hcl" "function calls and references (var, local, module, data, resources)"

resource "aws_instance" "web" {
  ami       = data.aws_ami.ubuntu.id
#             ^^^^ variable.language.hcl
#                 ^ punctuation.accessor.hcl
#                  ^^^^^^^ variable.other.member.hcl
#                         ^ punctuation.accessor.hcl
#                          ^^^^^^ variable.other.member.hcl
#                                ^ punctuation.accessor.hcl
#                                 ^^ variable.other.member.hcl
  subnet_id = module.network.private_subnet_ids[count.index]
#             ^^^^^^ variable.language.hcl
#                    ^^^^^^^ variable.other.member.hcl
#                                              ^ meta.index.hcl punctuation.section.brackets.begin.hcl
#                                               ^^^^^ meta.index.hcl variable.language.hcl
#                                                     ^^^^^ meta.index.hcl variable.other.member.hcl
#                                                          ^ meta.index.hcl punctuation.section.brackets.end.hcl
  tags      = merge(local.common_tags, { Name = var.name })
#             ^^^^^ meta.function-call.hcl support.function.hcl
#                  ^ meta.function-call.hcl punctuation.section.parens.begin.hcl
#                   ^^^^^ meta.function-call.hcl variable.language.hcl
#                                    ^ punctuation.separator.comma.hcl
#                                               ^^^ variable.language.hcl
#                                                         ^ meta.function-call.hcl punctuation.section.parens.end.hcl
  user_data = base64encode(templatefile("${path.module}/init.sh", { port = 8080 }))
#             ^^^^^^^^^^^^ support.function.hcl
#                          ^^^^^^^^^^^^ meta.function-call.hcl meta.function-call.hcl support.function.hcl
#                                          ^^^^ variable.language.hcl
#                                                                          ^^^^ constant.numeric.integer.hcl
  sg_ids    = aws_security_group.web[*].id
#             ^^^^^^^^^^^^^^^^^^ variable.other.readwrite.hcl
#                               ^ punctuation.accessor.hcl
#                                ^^^ variable.other.member.hcl
#                                   ^^^ keyword.operator.splat.hcl
#                                       ^^ variable.other.member.hcl
  legacy    = aws_instance.pool.*.id
#                              ^ punctuation.accessor.hcl
#                               ^ keyword.operator.splat.hcl
  first     = var.list.0
#                     ^ punctuation.accessor.hcl
#                      ^ constant.numeric.integer.hcl
  spread    = max(var.sizes...)
#                          ^^^ keyword.operator.ellipsis.hcl
  arn       = provider::aws::arn_parse(var.arn).account_id
#             ^^^^^^^^^^^^^^^^^^^^^^^^ support.function.hcl
#                                              ^ punctuation.accessor.hcl
#                                               ^^^^^^^^^^ variable.other.member.hcl
  workspace = terraform.workspace
#             ^^^^^^^^^ variable.language.hcl - entity.name.type.hcl
  each_key  = each.key
#             ^^^^ variable.language.hcl
  plain     = variable_like
#             ^^^^^^^^^^^^^ variable.other.readwrite.hcl - variable.language.hcl
}
