// pinned-container-image: container images must be pinned to a tag other than `latest` (or to a digest).
import { parseTree, type Node as JsonNode } from "jsonc-parser";
import { attr, blocksOf, computeLineStarts, rangeOf } from "../engine/model.ts";
import { unwrapInterpolation } from "../engine/resolve.ts";
import { everyValue } from "../engine/value-verdicts.ts";
import type { Attribute, Block, Expr, Followed, Origin, Range, Rule, Scope, SourceFile, Value } from "../engine/types.ts";
import { classifyImage, decodeQuoted, describeProblem, HOLE } from "./_container-image-reference.ts";
import { modulePath } from "./no-boot-time-mutation.ts";

/** Terraform resource types whose nested container blocks carry an `image` (any depth of spec/template). */
const CONTAINER_RESOURCES: Array<string | RegExp> = [
  // kubernetes_deployment(_v1), _pod, _stateful_set, _daemon_set, _job, _cron_job(_v1), _replication_controller, ...
  /^kubernetes_/,
  "google_cloud_run_service",
  "google_cloud_run_v2_service",
  // Cloud Run jobs run containers from the same kind of reference as services.
  "google_cloud_run_v2_job",
  "azurerm_container_group",
  "azurerm_container_app",
  // docker_service nests the image in task_spec.container_spec.
  "docker_service",
];

/** Nested block types that describe one container and hold its `image`. */
const CONTAINER_BLOCKS = new Set(["container", "containers", "init_container", "init_containers", "container_spec"]);

/** Module arguments whose name says they take a container image. */
const CONTAINER_IMAGE_ARGUMENT = /^(?:\w+_)?(?:container_image|docker_image|image_uri)$/;
/** Module arguments named for an image of some kind. */
const IMAGE_ARGUMENT = /^(?:\w+_)?image$/;

/** Resource types with the image in a top-level attribute. */
const IMAGE_ATTRIBUTES: Record<string, string> = {
  docker_container: "image",
  docker_image: "name",
  aws_lambda_function: "image_uri",
};

/** The text of one value an image may be, with unknown parts as HOLEs, and where a resolved value was written. */
function textOf(value: Followed): { text: string; origin?: Origin } | undefined {
  const { scope, file, expr } = value;
  const isFormat = expr.kind === "call" && expr.name === "format";
  // Templates and format() are read part by part, so that the origin shown is the tag's.
  const resolved = expr.kind === "template" || isFormat ? undefined : scope.resolve(expr, file);
  if (resolved) return typeof resolved.value === "string" ? { text: resolved.value, origin: resolved.origin ?? value.origin } : undefined;
  let pieces: Array<string | Expr>;
  if (expr.kind === "template") pieces = expr.parts;
  else if (expr.kind === "call" && expr.name === "format" && expr.args[0]?.kind === "literal" && typeof expr.args[0].value === "string") {
    // format("%s:%s", repository, tag): only plain verbs; a width or flag leaves the text unknown.
    const verbs = expr.args[0].value.split(/(%[%svd])/);
    if (/%(?![%svd])/.test(verbs.filter((_, i) => i % 2 === 0).join(""))) return undefined;
    pieces = [];
    let next = 1;
    for (const [i, piece] of verbs.entries()) {
      if (i % 2 === 0) pieces.push(piece);
      else if (piece === "%%") pieces.push("%");
      else pieces.push(expr.args[next++] ?? { kind: "other", range: expr.range });
    }
  } else return undefined;
  let text = "";
  // The tag, written last, decides whether the image is pinned: its origin is the one to show.
  let origin: Origin | undefined;
  for (const part of pieces) {
    if (typeof part === "string") {
      text += part;
      continue;
    }
    const r = scope.resolve(part, file);
    if (r && (typeof r.value === "string" || typeof r.value === "number")) {
      text += String(r.value);
      origin = r.origin ?? origin;
    } else text += HOLE;
  }
  return { text, origin: origin ?? value.origin };
}

/**
 * The image text of an expression: when it may be one of several values (a conditional), the first
 * that is not pinned if every one that names an image is not; otherwise one that is. Undefined when
 * a value is unknown.
 */
function imageText(scope: Scope, expr: Expr, file: SourceFile, requireDigest: boolean): { text: string; origin?: Origin } | undefined {
  let pinned: { text: string; origin?: Origin } | undefined;
  const floating = everyValue(scope.follow(expr, file), (value) => {
    const image = textOf(value);
    if (!image) return undefined;
    if (classifyImage(image.text, requireDigest)) return image;
    pinned ??= image;
    return undefined;
  });
  return floating ?? pinned;
}

interface FoundImage {
  value: string;
  range: Range;
  origin?: Origin;
}

/**
 * Finds `"image": "..."` entries in JSON written as a string or heredoc (ECS container definitions),
 * with ranges from the key to the value in the file.
 */
function imagesInJsonLiteral(context: Scope, expr: Expr, file: SourceFile): FoundImage[] {
  if (expr.kind !== "literal" && expr.kind !== "template") return [];
  if (expr.kind === "literal" && typeof expr.value !== "string") return [];
  const { startOffset, endOffset } = expr.range;
  let json: string;
  let toFile: (offset: number) => number;
  if (expr.kind === "template" && expr.heredoc) {
    // Heredoc content is the file text itself from the line after `<<EOT`: offsets map one to one.
    const newline = file.text.indexOf("\n", startOffset);
    if (newline < 0 || newline >= endOffset) return [];
    const base = newline + 1;
    // The closing marker's line is not JSON; stop before it.
    json = file.text.slice(base, Math.max(base, file.text.lastIndexOf("\n", endOffset - 1) + 1));
    toFile = (o) => base + o;
  } else {
    const decoded = decodeQuoted(file.text, startOffset, endOffset);
    json = decoded.text;
    toFile = (o) => decoded.offsets[Math.min(o, decoded.offsets.length - 1)];
  }
  const root = parseTree(json, [], { allowTrailingComma: true });
  if (!root) return [];
  const interpolations = expr.kind === "template" ? expr.parts.filter((p): p is Expr => typeof p !== "string") : [];
  const found: FoundImage[] = [];
  const visit = (node: JsonNode): void => {
    if (node.type === "property") {
      const [key, value] = node.children ?? [];
      if (key?.value === "image" && value?.type === "string") {
        const start = toFile(key.offset);
        const end = toFile(value.offset + value.length);
        // Interpolations inside the value are replaced by what they resolve to, or by holes.
        const inside = interpolations.filter((p) => p.range.startOffset >= toFile(value.offset) && p.range.endOffset <= end);
        let origin: Origin | undefined;
        let k = 0;
        const text = String(value.value).replace(/\$\{[^}]*\}/g, () => {
          const part = inside[k++];
          const r = part ? context.resolve(part, file) : undefined;
          if (r && (typeof r.value === "string" || typeof r.value === "number")) {
            origin ??= r.origin;
            return String(r.value);
          }
          return HOLE;
        });
        found.push({ value: text, range: rangeOf(file.lineStarts, start, end), origin });
        return;
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return found;
}

/** Where an image found in an expression is reported: at its entry when that is inside `range` (written in place), else at `range`. */
interface Placement {
  file: SourceFile;
  range: Range;
}

/**
 * Finds `image = ...` entries in an object (a `jsonencode(...)` argument, a Kubernetes manifest),
 * also through `merge()`, `concat()` and the locals and variables that hold its parts.
 */
function imagesInExpr(
  scope: Scope,
  expr: Expr,
  file: SourceFile,
  found: FoundImage[],
  requireDigest: boolean,
  at: Placement,
  depth = 0,
): void {
  if (depth > 16) return;
  const e = unwrapInterpolation(expr);
  if (e.kind === "tuple") for (const item of e.items) imagesInExpr(scope, item, file, found, requireDigest, at, depth + 1);
  else if (e.kind === "call" && (e.name === "merge" || e.name === "concat" || e.name === "flatten" || e.name === "tolist")) {
    for (const arg of e.args) imagesInExpr(scope, arg, file, found, requireDigest, at, depth + 1);
  } else if (e.kind === "traversal" || e.kind === "conditional" || e.kind === "call") {
    for (const value of scope.follow(e, file)) {
      if (value.expr !== e && value.expr.kind !== "traversal")
        imagesInExpr(value.scope, value.expr, value.file, found, requireDigest, at, depth + 1);
    }
  }
  if (e.kind !== "object") return;
  for (const entry of e.entries) {
    if (entry.key === "image") {
      const image = imageText(scope, entry.value, file, requireDigest);
      if (!image) continue;
      const range = rangeOf(file.lineStarts, entry.keyRange.startOffset, entry.value.range.endOffset);
      if (file === at.file && range.startOffset >= at.range.startOffset && range.endOffset <= at.range.endOffset)
        found.push({ value: image.text, range, origin: image.origin });
      else found.push({ value: image.text, range: at.range, origin: image.origin ?? { path: file.path, range, description: "image" } });
    } else imagesInExpr(scope, entry.value, file, found, requireDigest, at, depth + 1);
  }
}

/** Every `image` string in a plain value (a resolved variable or local), depth first. */
function imagesInValue(value: Value, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) imagesInValue(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "image" && typeof v === "string") out.push(v);
      else imagesInValue(v, out);
    }
  }
}

/**
 * The images of `container_definitions`: jsonencode(...), a JSON string or heredoc, a file, or a
 * reference to one of these (a local, or a variable given by a module call).
 */
function containerDefinitionImages(
  scope: Scope,
  expr: Expr,
  file: SourceFile,
  at: Placement,
  requireDigest: boolean,
  depth = 0,
): FoundImage[] {
  if (expr.kind === "call" && expr.name === "jsonencode" && expr.args.length === 1) {
    const arg = expr.args[0];
    // Each `image` entry is read where it is written (in place, in a local, through merge() or
    // concat()), so that it is reported there or names its own origin.
    const found: FoundImage[] = [];
    imagesInExpr(scope, arg, file, found, requireDigest, at);
    if (found.length > 0 || arg.kind === "object" || arg.kind === "tuple") return found;
    const resolved = scope.resolve(arg, file);
    if (!resolved) return [];
    const images: string[] = [];
    imagesInValue(resolved.value, images);
    return images.map((value) => ({ value, range: at.range, origin: resolved.origin }));
  }
  if (expr.kind === "call" && (expr.name === "file" || expr.name === "templatefile") && expr.args.length > 0) {
    // Definitions kept in a JSON file (or template) beside the module: report at the attribute, pointing into the file.
    const written = modulePath(scope, expr.args[0], file);
    const read = written ? scope.readModuleFile(written, { file, range: expr.args[0].range }) : undefined;
    if (read?.text === undefined || !written) return [];
    const lineStarts = computeLineStarts(read.text);
    const found: FoundImage[] = [];
    const visit = (node: JsonNode): void => {
      const [key, value] = node.type === "property" ? (node.children ?? []) : [];
      if (key?.value === "image" && value?.type === "string" && !String(value.value).includes("${")) {
        const range = rangeOf(lineStarts, key.offset, value.offset + value.length);
        found.push({
          value: String(value.value),
          range: at.range,
          origin: { path: read.path, range, description: `${written} line ${range.start.line + 1}` },
        });
        return;
      }
      for (const child of node.children ?? []) visit(child);
    };
    const root = parseTree(read.text, [], { allowTrailingComma: true });
    if (root) visit(root);
    return found;
  }
  if ((expr.kind === "literal" || expr.kind === "template") && file === at.file) return imagesInJsonLiteral(scope, expr, file);
  // A definition kept in a local or a variable: as a JSON string, or followed to what it is.
  const resolved = scope.resolve(expr, file);
  if (typeof resolved?.value === "string") {
    const images: string[] = [];
    try {
      imagesInValue(JSON.parse(resolved.value) as Value, images);
    } catch {
      return [];
    }
    return images.map((value) => ({ value, range: at.range, origin: resolved.origin }));
  }
  if (depth > 8 || (expr.kind !== "traversal" && expr.kind !== "conditional")) return [];
  return scope
    .follow(expr, file)
    .flatMap((value) =>
      value.expr === expr ? [] : containerDefinitionImages(value.scope, value.expr, value.file, at, requireDigest, depth + 1),
    );
}

/** Container blocks at any depth of a resource body, looking through `dynamic "container" { content {} }`. */
function containerBodies(body: Block["body"], out: Array<Block["body"]>): void {
  for (const block of body.blocks) {
    const type = block.type === "dynamic" ? block.labels[0] : block.type;
    const inner = block.type === "dynamic" ? blocksOf(block.body, "content")[0]?.body : block.body;
    if (!type || !inner) continue;
    if (CONTAINER_BLOCKS.has(type)) out.push(inner);
    containerBodies(inner, out);
  }
}

/** The called module of the "through modules" examples, the same for the bad and the good call. */
const SERVICE_MODULE =
  'variable "image" {\n  type = string\n}\n\n' +
  'resource "aws_ecs_task_definition" "this" {\n  family = "api"\n  container_definitions = jsonencode([{ name = "api", image = var.image, essential = true }])\n}\n';

export const pinnedContainerImage: Rule = {
  meta: {
    id: "pinned-container-image",
    severity: "warning",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform", "packer"],
    docs: {
      summary: "Container images must be pinned to a version tag (or a digest), never `latest` or no tag.",
      why:
        "A container image is the immutable artifact of a container workload, but only if the reference names one artifact. " +
        "`latest` (or no tag, which means `latest`) follows whatever was pushed last: two deploys of the same configuration run different code, " +
        "a restarted pod can pick up an untested image, and there is no previous generation to roll back to by reference. " +
        "A version tag names one build; a digest (`@sha256:…`) names exactly one content and can never move (option `requireDigest`). " +
        "Checked in Kubernetes containers and manifests, Docker, ECS container definitions (also in a `file()` or `templatefile()`), Cloud Run, Azure container groups and apps, Lambda `image_uri`, " +
        "and Packer docker sources and builders. A `host:port/` registry prefix is not a tag.",
      reportedAt: "the image attribute; inside ECS `container_definitions`, the `image` key",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "kubernetes_deployment" "web" {\n  metadata {\n    name = "web"\n  }\n\n  spec {\n    template {\n      metadata {\n        labels = { app = "web" }\n      }\n\n' +
            '      spec {\n        container {\n          name  = "web"\n          image = "nginx:latest"\n        }\n      }\n    }\n  }\n}\n',
        },
        {
          filename: "web.pkr.hcl",
          code: 'source "docker" "web" {\n  image  = "ubuntu"\n  commit = true\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "kubernetes_deployment" "web" {\n  metadata {\n    name = "web"\n  }\n\n  spec {\n    template {\n      metadata {\n        labels = { app = "web" }\n      }\n\n' +
            '      spec {\n        container {\n          name  = "web"\n          image = "nginx:1.27.0"\n        }\n      }\n    }\n  }\n}\n',
        },
        {
          filename: "web.pkr.hcl",
          code: 'source "docker" "web" {\n  image  = "ubuntu:24.04"\n  commit = true\n}\n',
        },
      ],
      throughModules: {
        arguments:
          "an input named for a container image (`container_image`, `*_container_image`, `docker_image`, `image_uri`) that is untagged or tagged `latest`, " +
          "and any other `image` or `*_image` input tagged `latest` (an untagged one may name a machine image).",
        bad: [
          {
            filename: "main.tf",
            code: 'module "api" {\n  source = "./modules/service"\n\n  image = "ghcr.io/example/api:latest"\n}\n',
            files: { "modules/service/main.tf": SERVICE_MODULE },
          },
          {
            filename: "main.tf",
            code: 'module "proxy" {\n  source  = "acme/ecs-container-definition/aws"\n  version = "0.61.1"\n\n  container_image = "nginx"\n}\n',
          },
        ],
        good: [
          {
            filename: "main.tf",
            code: 'module "api" {\n  source = "./modules/service"\n\n  image = "ghcr.io/example/api:2.8.1"\n}\n',
            files: { "modules/service/main.tf": SERVICE_MODULE },
          },
        ],
      },
      fixSafety: "There is no automatic fix: the right tag or digest is the one you built and tested, which only your registry knows.",
    },
    options: {
      requireDigest: {
        type: "boolean",
        default: false,
        description: "Also flag images pinned only by a tag, without an `@sha256:` digest.",
      },
    },
  },
  check(context) {
    const requireDigest = context.options.requireDigest === true;
    const reportFound = (file: SourceFile, found: FoundImage) => {
      const problem = classifyImage(found.value, requireDigest);
      if (!problem) return;
      context.report({
        file,
        range: found.range,
        message: describeProblem(found.value, problem),
        related: found.origin ? [found.origin] : undefined,
      });
    };
    const checkAttribute = (file: SourceFile, attribute: Attribute | undefined) => {
      if (!attribute) return;
      const image = imageText(context, attribute.expr, file, requireDigest);
      if (image) reportFound(file, { value: image.text, range: attribute.range, origin: image.origin });
    };

    if (context.module.kind === "packer") {
      if (context.module.legacyPacker) {
        for (const { block, file } of context.topBlocks("builders")) {
          const type = attr(block.body, "type");
          if (type?.expr.kind === "literal" && type.expr.value === "docker") checkAttribute(file, attr(block.body, "image"));
        }
        return;
      }
      for (const { block, file } of context.topBlocks("source")) {
        if (block.labels[0] === "docker") checkAttribute(file, attr(block.body, "image"));
      }
      // Packer provisioners and post-processors never choose the image a build starts from.
      return;
    }

    for (const { block, file } of context.checkBlocks("resource")) {
      const type = block.labels[0] ?? "";
      const attributeName = IMAGE_ATTRIBUTES[type];
      if (attributeName) checkAttribute(file, attr(block.body, attributeName));
      if (type === "kubernetes_manifest") {
        // A raw manifest is an object attribute, not blocks: every `image` key in it names a container image.
        const manifest = attr(block.body, "manifest");
        const found: FoundImage[] = [];
        if (manifest) imagesInExpr(context, manifest.expr, file, found, requireDigest, { file, range: manifest.range });
        for (const f of found) reportFound(file, f);
        continue;
      }
      if (type === "aws_ecs_task_definition") {
        const definitions = attr(block.body, "container_definitions");
        const at = definitions && { file, range: definitions.range };
        if (definitions && at)
          for (const found of containerDefinitionImages(context, definitions.expr, file, at, requireDigest)) reportFound(file, found);
      }
      if (CONTAINER_RESOURCES.some((t) => (typeof t === "string" ? t === type : t.test(type)))) {
        const bodies: Array<Block["body"]> = [];
        containerBodies(block.body, bodies);
        for (const body of bodies) checkAttribute(file, attr(body, "image"));
      }
    }
    // A module the engine cannot read is judged by its arguments: one named for a container image
    // (`container_image`, `*_container_image`, `docker_image`, `image_uri`) must be pinned, and any
    // other `image` or `*_image` must at least not name the tag `latest` (its name may mean a machine image).
    for (const call of context.moduleCallsNotFollowed()) {
      for (const argument of call.block.body.attributes) {
        const container = CONTAINER_IMAGE_ARGUMENT.test(argument.name);
        if (!container && !IMAGE_ARGUMENT.test(argument.name)) continue;
        const image = imageText(context, argument.expr, call.file, requireDigest);
        const problem = image && classifyImage(image.text, requireDigest);
        if (!image || !problem || (!container && problem !== "latest")) continue;
        context.report({
          file: call.file,
          range: argument.range,
          message: describeProblem(image.text, problem),
          related: image.origin ? [image.origin] : undefined,
        });
      }
    }
  },
};
