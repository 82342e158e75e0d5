// require-user-data-replace: an aws_instance whose boot script changes must be replaced, not stopped and started.
import { appendToHclBlock, eolOf, indentAt, jsonSet, replaceExpr } from "../engine/edits.ts";
import { addressOf, attr } from "../engine/model.ts";
import type { Attribute, Block, Rule, SourceFile, TextEdit } from "../engine/types.ts";

/** Inserts `user_data_replace_on_change = true` on the line after the user data attribute (after any comment on its line). */
function insertAfter(file: SourceFile, block: Block, userData: Attribute): TextEdit[] {
  if (file.syntax === "json") return jsonSet(file, [...block.jsonPath!, "user_data_replace_on_change"], true);
  const { text } = file;
  // A one-line block (`{ user_data = "..." }`) holds a single attribute; it is opened up instead.
  if (block.openBraceEnd === undefined || !text.slice(block.openBraceEnd, userData.range.startOffset).includes("\n")) {
    return appendToHclBlock(file, block, ["user_data_replace_on_change = true"]);
  }
  let end = userData.range.endOffset;
  while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
  const newText = `${eolOf(file)}${indentAt(file, userData.range.startOffset)}user_data_replace_on_change = true`;
  return [{ start: end, end, newText }];
}

/** The called module of the "through modules" examples, the same for the bad and the good call. */
const INSTANCE_MODULE =
  'variable "ami" {}\n\nvariable "user_data" {\n  default = null\n}\n\nvariable "replace_on_change" {\n  default = true\n}\n\n' +
  'resource "aws_instance" "web" {\n  ami                         = var.ami\n  instance_type               = "t3.micro"\n  user_data                   = var.user_data\n  user_data_replace_on_change = var.replace_on_change\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n';

export const requireUserDataReplace: Rule = {
  meta: {
    id: "require-user-data-replace",
    severity: "warning",
    recommended: true,
    fix: "safe",
    appliesTo: ["terraform"],
    docs: {
      summary: "An `aws_instance` with `user_data` or `user_data_base64` must set `user_data_replace_on_change = true`.",
      why:
        "By default the AWS provider applies a changed `user_data` by stopping the instance, swapping the user data and starting it again. " +
        "The boot script normally runs only on an instance's first boot, so the new script never runs: the same machine keeps the state the old script left, " +
        "while the configuration claims the new one. With `user_data_replace_on_change = true` a new script means a new instance, built from scratch like every other generation.",
      reportedAt: "the `user_data` (or `user_data_base64`) attribute",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami           = var.web_ami\n  instance_type = "t3.micro"\n  user_data     = file("${path.module}/boot.sh")\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = var.web_ami\n  instance_type               = "t3.micro"\n  user_data                   = file("${path.module}/boot.sh")\n' +
            "  user_data_replace_on_change = true\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      throughModules: {
        bad: [
          {
            filename: "main.tf",
            code: 'module "web" {\n  source = "./modules/instance"\n\n  ami               = var.web_ami\n  user_data         = file("${path.module}/boot.sh")\n  replace_on_change = false\n}\n',
            files: { "modules/instance/main.tf": INSTANCE_MODULE },
          },
        ],
        good: [
          {
            filename: "main.tf",
            code: 'module "web" {\n  source = "./modules/instance"\n\n  ami       = var.web_ami\n  user_data = file("${path.module}/boot.sh")\n}\n',
            files: { "modules/instance/main.tf": INSTANCE_MODULE },
          },
        ],
      },
      fixSafety:
        "Safe: it adds `user_data_replace_on_change = true` on the line after the user data (or sets a false value to true). " +
        "Adding the argument does not by itself change the instance; only a later change to the user data replaces it, which is what a new generation should do.",
    },
    options: {},
  },
  check(context) {
    for (const { block, file } of context.checkBlocks("resource")) {
      const [type] = block.labels;
      const subject = addressOf(block);
      // aws_spot_instance_request is left out: a spot request is a one-off that immutable setups do not roll; aws_instance is the resource they do.
      if (type !== "aws_instance") continue;
      // `user_data = null` (directly or through a variable) means there is no script; modules often
      // pass both attributes a variable and the caller sets one of them.
      const userData = [attr(block.body, "user_data"), attr(block.body, "user_data_base64")].find(
        (a) => a && context.resolve(a.expr, file)?.value !== null,
      );
      if (!userData) continue;
      const replace = attr(block.body, "user_data_replace_on_change");
      if (replace) {
        const resolved = context.resolve(replace.expr, file);
        if (resolved?.value !== false && resolved?.value !== "false") continue; // true, or computed: trusted.
        context.report({
          file,
          range: userData.range,
          message: `${subject} sets user_data_replace_on_change = false: a changed ${userData.name} stops and starts the same instance, where the new script does not run. Set it to true.`,
          related: resolved.origin ? [resolved.origin] : undefined,
          fix: {
            title: "Set user_data_replace_on_change = true",
            kind: "safe",
            changes: [
              {
                path: file.path,
                edits:
                  file.syntax === "json"
                    ? jsonSet(file, [...block.jsonPath!, "user_data_replace_on_change"], true)
                    : [replaceExpr(replace, "true")],
              },
            ],
          },
        });
        continue;
      }
      context.report({
        file,
        range: userData.range,
        message: `${subject} has ${userData.name} but not user_data_replace_on_change = true: a changed script stops and starts the same instance, where the new script does not run. Add user_data_replace_on_change = true.`,
        fix: {
          title: "Add user_data_replace_on_change = true",
          kind: "safe",
          changes: [{ path: file.path, edits: insertAfter(file, block, userData) }],
        },
      });
    }
  },
};
