// no-ignore-image-changes: `lifecycle { ignore_changes }` must not hide the image or boot script a new generation changes.
import { deleteLines, eolOf, indentAt, indentUnit, jsonDelete, jsonSet } from "../engine/edits.ts";
import { addressOf, attr, blocksOf, rangeOf } from "../engine/model.ts";
import type { Attribute, Block, Expr, Rule, SourceFile, TextEdit } from "../engine/types.ts";

/** Attributes that carry the machine image, the boot script or the launch template of a generation. */
const IMAGE_ATTRIBUTES = new Set([
  "ami",
  "image",
  "image_id",
  "source_image",
  "source_image_id",
  "source_image_reference",
  "user_data",
  "user_data_base64",
  "custom_data",
  "metadata_startup_script",
  "launch_template",
  "container_definitions",
]);

/** One entry of an `ignore_changes` list: the attribute it names (first step), or "all" for the legacy `"*"`. */
interface Entry {
  expr: Expr;
  name: string | undefined;
}

/**
 * The attribute an entry names. Terraform accepts references (`ami`, `tags["x"]`) and, as a legacy
 * form, strings holding them (`"ami"`, `"tags.Name"`); only the first step decides which attribute is ignored.
 */
function entryName(expr: Expr): string | undefined {
  if (expr.kind === "traversal") return expr.root;
  if (expr.kind === "literal" && typeof expr.value === "string") return expr.value === "*" ? "all" : expr.value.split(/[.[]/)[0];
  return undefined;
}

/** True when the whole attribute is the `all` keyword (JSON syntax writes it as a string). */
function ignoresAll(expr: Expr): boolean {
  return (expr.kind === "traversal" && expr.root === "all" && expr.path.length === 0) || (expr.kind === "literal" && expr.value === "all");
}

/** The attributes a resource's `lifecycle { ignore_changes }` names (first steps), or "all". */
export function ignoredChanges(resource: Block): Set<string> | "all" {
  const names = new Set<string>();
  for (const lifecycle of blocksOf(resource.body, "lifecycle")) {
    const ignore = attr(lifecycle.body, "ignore_changes");
    if (!ignore) continue;
    if (ignoresAll(ignore.expr)) return "all";
    if (ignore.expr.kind !== "tuple") continue;
    for (const item of ignore.expr.items) {
      const name = entryName(item);
      if (name === "all") return "all";
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

/** The end of the line holding `offset` (before its line break). */
function lineEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && text[end] !== "\n" && text[end] !== "\r") end++;
  return end;
}

/** Deletes an HCL item that stands on lines of its own (with its comma and a trailing comment), or undefined when it shares a line. */
function deleteOwnLineItem(file: SourceFile, item: Expr): TextEdit | undefined {
  const { text } = file;
  let start = item.range.startOffset;
  while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
  if (start > 0 && text[start - 1] !== "\n") return undefined;
  const rest = text.slice(item.range.endOffset, lineEnd(text, item.range.endOffset));
  // After the item only a comma and a comment may follow on its line; a closing bracket there would be lost.
  if (!/^[ \t]*,?[ \t]*(?:(?:#|\/\/).*)?$/.test(rest)) return undefined;
  // Deleting the last item leaves the previous item's comma as a trailing comma, which HCL allows in multi-line lists.
  return deleteLines(file, start, item.range.endOffset + rest.length);
}

/** Edits that remove an HCL `lifecycle` block whose only content was the deleted attribute, with a blank line before it when the parent ends right after. */
function deleteWholeBlock(file: SourceFile, block: Block): TextEdit {
  const edit = deleteLines(file, block.range.startOffset, block.range.endOffset);
  const { text } = file;
  if (!/^[ \t]*\}/.test(text.slice(edit.end))) return edit;
  let prev = edit.start - 1;
  if (text[prev] !== "\n") return edit;
  prev--;
  if (text[prev] === "\r") prev--;
  while (prev >= 0 && (text[prev] === " " || text[prev] === "\t")) prev--;
  return prev >= 0 && text[prev] === "\n" ? { ...edit, start: prev + 1 } : edit;
}

/** The HCL edits that leave only `kept` in the list, or drop the attribute (and an emptied lifecycle block). */
function hclEdits(file: SourceFile, lifecycle: Block, ignore: Attribute, entries: Entry[], kept: Entry[]): TextEdit[] {
  if (kept.length === 0) {
    const inside = (from: number, to: number) => file.text.slice(from, to).trim() === "";
    const onlyContent =
      lifecycle.body.attributes.length === 1 &&
      lifecycle.body.blocks.length === 0 &&
      lifecycle.openBraceEnd !== undefined &&
      lifecycle.closeBraceStart !== undefined &&
      inside(lifecycle.openBraceEnd, ignore.range.startOffset) &&
      inside(ignore.range.endOffset, lifecycle.closeBraceStart);
    return [onlyContent ? deleteWholeBlock(file, lifecycle) : deleteLines(file, ignore.range.startOffset, ignore.range.endOffset)];
  }
  const removed = entries.filter((e) => !kept.includes(e));
  const ownLine = removed.map((e) => deleteOwnLineItem(file, e.expr));
  if (ownLine.every((e): e is TextEdit => e !== undefined)) return ownLine;
  // Items that share lines: write the list again from the kept items' own text.
  const items = kept.map((e) => file.text.slice(e.expr.range.startOffset, e.expr.range.endOffset));
  const list = ignore.expr;
  const multiLine = file.text.slice(list.range.startOffset, list.range.endOffset).includes("\n");
  const indent = indentAt(file, ignore.range.startOffset);
  const eol = eolOf(file);
  const newText = multiLine
    ? `[${eol}${items.map((i) => `${indent}${indentUnit(file)}${i},${eol}`).join("")}${indent}]`
    : `[${items.join(", ")}]`;
  return [{ start: list.range.startOffset, end: list.range.endOffset, newText }];
}

export const noIgnoreImageChanges: Rule = {
  meta: {
    id: "no-ignore-image-changes",
    severity: "warning",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["terraform"],
    docs: {
      summary: "`lifecycle { ignore_changes }` must not list the image, boot script or launch template of a machine, nor be `all`.",
      why:
        "A new generation is a new image (or boot script, or launch template version) written into the configuration. `ignore_changes` tells Terraform to act as if that " +
        "attribute had not changed: the plan shows nothing, the machine is never replaced, and the configuration claims an image that is not running. " +
        "The configuration stops describing the infrastructure, which is the contract immutable infrastructure rests on. " +
        "(`ignore_changes = all` hides every change, the image included.)",
      reportedAt: "the ignored image or boot script entries of `ignore_changes` (JSON: their list), or the whole attribute for `all`",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = var.web_ami\n  instance_type               = "t3.micro"\n  user_data_replace_on_change = true\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n    ignore_changes        = [ami, tags]\n  }\n}\n",
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = var.web_ami\n  instance_type               = "t3.micro"\n  user_data_replace_on_change = true\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n    ignore_changes        = [tags]\n  }\n}\n",
        },
      ],
      fixSafety:
        "Unsafe: it removes the image-bearing entries from `ignore_changes` (the whole attribute when nothing else is left, and a `lifecycle` block it leaves empty). " +
        "The next plan may then replace machines whose image drifted from the configuration while it was ignored, so review that plan before applying it.",
    },
    options: {},
  },
  check(context) {
    for (const { block, file } of context.checkBlocks("resource")) {
      const subject = addressOf(block);
      for (const lifecycle of blocksOf(block.body, "lifecycle")) {
        const ignore = attr(lifecycle.body, "ignore_changes");
        if (!ignore) continue;
        let entries: Entry[];
        let kept: Entry[];
        let flagged: string[];
        if (ignoresAll(ignore.expr)) {
          entries = [{ expr: ignore.expr, name: "all" }];
          kept = [];
          flagged = ["all"];
        } else if (ignore.expr.kind === "tuple") {
          entries = ignore.expr.items.map((expr) => ({ expr, name: entryName(expr) }));
          kept = entries.filter((e) => e.name === undefined || (e.name !== "all" && !IMAGE_ATTRIBUTES.has(e.name)));
          flagged = [...new Set(entries.filter((e) => !kept.includes(e)).map((e) => e.name!))];
        } else continue;
        if (flagged.length === 0) continue;
        // JSON lists hold strings only; a kept entry of any other kind cannot be written back.
        const jsonKept = kept.map((e) => (e.expr.kind === "literal" && typeof e.expr.value === "string" ? e.expr.value : undefined));
        const path = file.syntax === "json" ? [...lifecycle.jsonPath!, "ignore_changes"] : [];
        const edits =
          file.syntax === "hcl"
            ? hclEdits(file, lifecycle, ignore, entries, kept)
            : kept.length === 0
              ? jsonDelete(file, path)
              : jsonKept.every((v): v is string => v !== undefined)
                ? jsonSet(file, path, jsonKept)
                : [];
        const what = flagged.includes("all") ? "all changes" : `changes to ${flagged.join(", ")}`;
        // The offending entries of the list (from the first to the last), or the whole attribute for `all`.
        const offending = entries.filter((e) => !kept.includes(e));
        const range =
          flagged.includes("all") || offending.length === 0
            ? ignore.range
            : rangeOf(file.lineStarts, offending[0].expr.range.startOffset, offending[offending.length - 1].expr.range.endOffset);
        context.report({
          file,
          range,
          message: `${subject} ignores ${what}: a new image or boot script never replaces it, and the configuration no longer says what is running. ${flagged.includes("all") ? "Remove ignore_changes = all and list only what may drift" : `Remove ${flagged.join(", ")} from ignore_changes`}.`,
          fix:
            edits.length > 0
              ? {
                  title: kept.length === 0 ? "Remove ignore_changes" : `Stop ignoring ${flagged.join(", ")}`,
                  kind: "unsafe",
                  changes: [{ path: file.path, edits }],
                }
              : undefined,
        });
      }
    }
  },
};
