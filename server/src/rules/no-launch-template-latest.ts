// no-launch-template-latest: groups and instances must pin the launch template version they run, so a new version rolls them.
import { appendToHclBlock, jsonSet, replaceExpr } from "../engine/edits.ts";
import { addressOf, attr } from "../engine/model.ts";
import { blocksWithDynamic, everyValue } from "../engine/value-verdicts.ts";
import type { Block, Expr, Fix, Followed, Origin, Rule, RuleContext, SourceFile } from "../engine/types.ts";

/** Module arguments whose name says they choose the launch template version. */
const VERSION_ARGUMENT = /(?:^|_)launch_template_version$/;

/** Version keywords that follow the template instead of naming a version. */
const FLOATING_VERSIONS = new Set(["$Latest", "$Default"]);

/** The attributes that name the template: `launch_template` blocks use id/name, specifications use launch_template_id/_name. */
const BLOCK_KEYS = ["id", "name"] as const;
const SPECIFICATION_KEYS = ["launch_template_id", "launch_template_name"] as const;

/**
 * Whether the launch template a reference names keeps its default version at its latest one
 * (`update_default_version = true`), so that "$Default" already runs `latest_version`.
 */
function defaultIsLatest(context: RuleContext, spec: Block, keys: readonly string[]): boolean {
  for (const key of keys) {
    const a = attr(spec.body, key);
    let expr: Expr | undefined = a?.expr;
    if (expr?.kind === "template" && expr.parts.length === 1 && typeof expr.parts[0] !== "string") expr = expr.parts[0];
    if (expr?.kind !== "traversal" || expr.root !== "aws_launch_template" || typeof expr.path[0] !== "string") continue;
    const name = expr.path[0];
    const template = context
      .topBlocks("resource")
      .find(({ block }) => block.labels[0] === "aws_launch_template" && block.labels[1] === name);
    const update = template && attr(template.block.body, "update_default_version");
    const value = update && context.resolve(update.expr, template.file)?.value;
    return value === true || value === "true";
  }
  return false;
}

/**
 * The source text of `aws_launch_template.X.latest_version` when the template is named by a
 * reference to an `aws_launch_template` resource (`aws_launch_template.X.id` or `.name`, also
 * `aws_launch_template.X[0].id`, and the `"${...}"` form JSON syntax needs); otherwise undefined.
 */
function latestVersionRef(file: SourceFile, spec: Block, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const a = attr(spec.body, key);
    if (!a) continue;
    let expr: Expr = a.expr;
    if (expr.kind === "template" && expr.parts.length === 1 && typeof expr.parts[0] !== "string") expr = expr.parts[0];
    if (expr.kind !== "traversal" || expr.root !== "aws_launch_template") continue;
    const last = expr.path[expr.path.length - 1];
    if (expr.path.length < 2 || typeof expr.path[0] !== "string" || (last !== "id" && last !== "name")) continue;
    const text = file.text.slice(expr.range.startOffset, expr.range.endOffset);
    if (!text.endsWith(`.${last}`)) continue;
    return `${text.slice(0, -last.length)}latest_version`;
  }
  return undefined;
}

/** The keyword a value is, when it is `"$Latest"` or `"$Default"`, and where it was written. */
function floatingVersion(value: Followed): { keyword: string; origin?: Origin } | undefined {
  const resolved = value.scope.resolve(value.expr, value.file);
  if (typeof resolved?.value !== "string" || !FLOATING_VERSIONS.has(resolved.value)) return undefined;
  return { keyword: resolved.value, origin: resolved.origin ?? value.origin };
}

/**
 * Checks one `launch_template` block or `launch_template_specification` block; `generated` marks the
 * content of a `dynamic` block, which may not exist, so that only a version it sets is judged.
 */
function checkSpecification(
  context: RuleContext,
  file: SourceFile,
  spec: Block,
  keys: readonly string[],
  subject: string,
  generated = false,
): void {
  const ref = latestVersionRef(file, spec, keys);
  /**
   * "$Latest" already runs `latest_version`: naming it changes nothing until the next version, so the fix
   * is safe. "$Default" (or no version) runs the default version, which is the latest only when the
   * template sets `update_default_version = true`; otherwise the next apply moves the group to a newer
   * version, so the fix is a quick fix to review.
   */
  const kindFor = (floating: string): Fix["kind"] => (floating === "$Latest" || defaultIsLatest(context, spec, keys) ? "safe" : "unsafe");
  const fixWith = (floating: string, title: string, edits: Fix["changes"][number]["edits"]): Fix | undefined =>
    ref ? { title, kind: kindFor(floating), changes: [{ path: file.path, edits }] } : undefined;
  const version = attr(spec.body, "version");
  if (version) {
    // A version number or a computed reference (latest_version, a variable set by the roll) is pinned;
    // a value that may be one of several floats only when each of them does ("" leaves the version unset).
    const floating = everyValue(context.follow(version.expr, file), floatingVersion);
    if (!floating) return;
    context.report({
      file,
      range: version.range,
      message: `${subject} uses launch template version "${floating.keyword}": a new template version changes nothing Terraform compares, so the running instances are never replaced. ${ref ? `Set version = ${ref}` : "Pin the version the group should run"}.`,
      related: floating.origin ? [floating.origin] : undefined,
      fix: fixWith(
        floating.keyword,
        `Pin version to ${ref}`,
        file.syntax === "json" ? jsonSet(file, [...spec.jsonPath!, "version"], `\${${ref}}`) : [replaceExpr(version, ref ?? "")],
      ),
    });
    return;
  }
  if (generated) return;
  context.report({
    file,
    range: spec.headerRange,
    message: `${subject} sets no launch template version, so it uses "$Default": a new template version changes nothing Terraform compares, so the running instances are never replaced. ${ref ? `Add version = ${ref}` : "Pin the version the group should run"}.`,
    fix: fixWith(
      "$Default",
      `Add version = ${ref}`,
      file.syntax === "json"
        ? jsonSet(file, [...spec.jsonPath!, "version"], `\${${ref}}`)
        : appendToHclBlock(file, spec, [`version = ${ref}`]),
    ),
  });
}

/** The called module of the "through modules" examples, the same for the bad and the good call. */
const WORKERS_MODULE =
  'variable "launch_template_version" {\n  type    = string\n  default = null\n}\n\n' +
  'resource "aws_launch_template" "workers" {\n  name_prefix = "workers-"\n}\n\n' +
  'resource "aws_autoscaling_group" "workers" {\n  min_size = 2\n  max_size = 4\n\n' +
  "  launch_template {\n    id      = aws_launch_template.workers.id\n    version = coalesce(var.launch_template_version, aws_launch_template.workers.latest_version)\n  }\n\n" +
  '  instance_refresh {\n    strategy = "Rolling"\n  }\n}\n';

export const noLaunchTemplateLatest: Rule = {
  meta: {
    id: "no-launch-template-latest",
    severity: "warning",
    recommended: true,
    fix: "safe",
    appliesTo: ["terraform"],
    docs: {
      summary: 'Auto Scaling groups and instances must pin their launch template version, not use `"$Latest"`, `"$Default"` or no version.',
      why:
        'With `version = "$Latest"`, `"$Default"` or no version (which means `"$Default"`), the group\'s configuration names a keyword, not a version. ' +
        "When a new image produces a new launch template version, the keyword is unchanged, so Terraform sees no difference on the `aws_autoscaling_group` (or `aws_instance`): " +
        "no instance refresh starts and no instance is replaced. The new image only reaches machines that happen to be launched later, and the group runs a mix of generations. " +
        "Pinning `version = aws_launch_template.X.latest_version` makes each new version a visible change that rolls the group.",
      reportedAt:
        "the `version` attribute, or the `launch_template` (or `launch_template_specification`) block header when there is no version",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "aws_autoscaling_group" "web" {\n  min_size            = 2\n  max_size            = 4\n  vpc_zone_identifier = var.subnet_ids\n\n' +
            '  launch_template {\n    id      = aws_launch_template.web.id\n    version = "$Latest"\n  }\n\n' +
            '  instance_refresh {\n    strategy = "Rolling"\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "aws_autoscaling_group" "web" {\n  min_size            = 2\n  max_size            = 4\n  vpc_zone_identifier = var.subnet_ids\n\n' +
            "  launch_template {\n    id      = aws_launch_template.web.id\n    version = aws_launch_template.web.latest_version\n  }\n\n" +
            '  instance_refresh {\n    strategy = "Rolling"\n  }\n}\n',
        },
      ],
      throughModules: {
        arguments:
          'an input named for the launch template version (`launch_template_version`, `*_launch_template_version`) that is certainly `"$Latest"` or `"$Default"`.',
        bad: [
          {
            filename: "main.tf",
            code: 'module "workers" {\n  source = "./modules/workers"\n\n  launch_template_version = "$Latest"\n}\n',
            files: { "modules/workers/main.tf": WORKERS_MODULE },
          },
          {
            filename: "main.tf",
            code: 'module "workers" {\n  source  = "acme/autoscaling/aws"\n  version = "3.1.0"\n\n  launch_template_version = "$Default"\n}\n',
          },
        ],
        good: [
          {
            filename: "main.tf",
            code: 'module "workers" {\n  source = "./modules/workers"\n}\n',
            files: { "modules/workers/main.tf": WORKERS_MODULE },
          },
        ],
      },
      fixSafety:
        "When the template is named by a reference to an `aws_launch_template` resource, the fix sets (or adds) `version = aws_launch_template.X.latest_version`. " +
        'It is safe for `"$Latest"`, and for `"$Default"` or no version when the template sets `update_default_version = true`: the group then names the ' +
        "version it already launches from, nothing changes at the next apply, and the next new version rolls it (through `instance_refresh`). " +
        'Otherwise `"$Default"` may be an older version than the latest, and the next apply would move the group to the latest, so the fix is offered as a quick fix only. ' +
        "When the template is named by a literal id or a variable there is no fix: the rule cannot know which resource's version to follow. " +
        "If you promote versions by moving the template's default version instead, pin `aws_launch_template.X.default_version` by hand.",
    },
    options: {},
  },
  check(context) {
    for (const { block, file } of context.checkBlocks("resource")) {
      const [type] = block.labels;
      // Other resources with a launch_template (EKS node groups, spot fleets) require or version it differently, so "$Latest" does not mean the same there.
      if (type !== "aws_autoscaling_group" && type !== "aws_instance") continue;
      const subject = addressOf(block);
      // Modules write these blocks as `dynamic` blocks, so that a caller can choose between them.
      const blocks = (body: Block["body"], t: string) => blocksWithDynamic(context, body, file, t);
      for (const lt of blocks(block.body, "launch_template")) checkSpecification(context, file, lt.block, BLOCK_KEYS, subject, lt.dynamic);
      if (type !== "aws_autoscaling_group") continue;
      for (const policy of blocks(block.body, "mixed_instances_policy")) {
        for (const lt of blocks(policy.block.body, "launch_template")) {
          for (const spec of blocks(lt.block.body, "launch_template_specification")) {
            checkSpecification(context, file, spec.block, SPECIFICATION_KEYS, subject, policy.dynamic || lt.dynamic || spec.dynamic);
          }
          for (const override of blocks(lt.block.body, "override")) {
            for (const spec of blocks(override.block.body, "launch_template_specification")) {
              checkSpecification(
                context,
                file,
                spec.block,
                SPECIFICATION_KEYS,
                `An override in ${subject}`,
                policy.dynamic || lt.dynamic || override.dynamic || spec.dynamic,
              );
            }
          }
        }
      }
    }
    // A module the engine cannot read is judged by its arguments: one named for the launch template
    // version that is certainly "$Latest" or "$Default" (every possible value is; "" is the module's to interpret).
    for (const call of context.moduleCallsNotFollowed()) {
      for (const argument of call.block.body.attributes) {
        if (!VERSION_ARGUMENT.test(argument.name)) continue;
        const values = context.follow(argument.expr, call.file).map(floatingVersion);
        const first = values[0];
        if (!first || values.some((v) => v === undefined)) continue;
        context.report({
          file: call.file,
          range: argument.range,
          message: `${argument.name} of module.${call.name} is "${first.keyword}": a new template version changes nothing Terraform compares, so the running instances are never replaced. Pass the version the group should run (a template's latest_version).`,
          related: first.origin ? [first.origin] : undefined,
        });
      }
    }
  },
};
