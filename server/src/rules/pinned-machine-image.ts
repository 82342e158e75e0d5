// pinned-machine-image: a machine's image must name one image, not a slug, family or lookup that moves to newer images.
import { eolOf, jsonSet, replaceExpr } from "../engine/edits.ts";
import { asBool } from "../engine/functions.ts";
import { addressOf, attr, blocksOf, type Body } from "../engine/model.ts";
import { referenceOf, unwrapInterpolation } from "../engine/resolve.ts";
import { everyValue } from "../engine/value-verdicts.ts";
import { ignoredChanges } from "./no-ignore-image-changes.ts";
import type { Attribute, Block, Expr, Fix, Followed, Origin, Rule, RuleContext, Scope, SourceFile } from "../engine/types.ts";

/**
 * DigitalOcean distribution slugs (`ubuntu-20-04-x64`, `debian-12-x64`, `fedora-39-x64`, ...):
 * DigitalOcean repoints them at new point releases. Snapshot IDs and custom image IDs are numbers.
 * Marketplace slugs (`docker-20-04`) are left out: they name an application image, not a distribution.
 */
/** The called module of the "through modules" examples, the same for the bad and the good call. */
const WEB_MODULE =
  'variable "image_id" {\n  type = string\n}\n\nresource "aws_launch_template" "web" {\n  name_prefix = "web-"\n  image_id    = var.image_id\n}\n';

export const DIGITALOCEAN_DISTRIBUTION_SLUG = /^(ubuntu|debian|centos|fedora|rockylinux|almalinux|freebsd)-[\d-]+x64$/;

/** Public AWS SSM parameters under /aws/service/ whose path says they follow the newest release. */
const FLOATING_SSM_PARAMETER = /^\/aws\/service\/.*\blatest\b/;

/**
 * A GCP image reference to a family (`.../family/<name>`, `family/<name>`), or `<project>/<name>` in a
 * public image project (`debian-cloud`, `ubuntu-os-cloud`, ...), where every image name carries a
 * `vYYYYMMDD` date stamp, so a name without one can only be a family. Bare names are left out: a
 * family and an image may share a name, and the provider tries the image first.
 */
export function isGcpImageFamily(image: string): boolean {
  if (/(^|\/)family\/[^/]+$/.test(image)) return true;
  const m = /^([a-z][-a-z0-9]*-cloud)\/([a-z][-a-z0-9]*)$/.exec(image);
  return m !== null && !/\d{8}/.test(m[2]);
}

/** How a resource selects its image: the attribute name, where it sits, and what kind of value it takes. */
interface ImageSelector {
  /** Path of nested block types from the resource body to the body holding the attribute. */
  blocks: string[];
  attribute: string;
  provider: "digitalocean" | "aws" | "gcp";
}

const SELECTORS: Record<string, ImageSelector[]> = {
  digitalocean_droplet: [{ blocks: [], attribute: "image", provider: "digitalocean" }],
  aws_instance: [{ blocks: [], attribute: "ami", provider: "aws" }],
  aws_spot_instance_request: [{ blocks: [], attribute: "ami", provider: "aws" }],
  aws_launch_template: [{ blocks: [], attribute: "image_id", provider: "aws" }],
  aws_launch_configuration: [{ blocks: [], attribute: "image_id", provider: "aws" }],
  google_compute_instance: [{ blocks: ["boot_disk", "initialize_params"], attribute: "image", provider: "gcp" }],
  google_compute_instance_template: [{ blocks: ["disk"], attribute: "source_image", provider: "gcp" }],
  google_compute_region_instance_template: [{ blocks: ["disk"], attribute: "source_image", provider: "gcp" }],
  // A standalone disk created from an image becomes a boot disk the same way.
  google_compute_disk: [{ blocks: [], attribute: "image", provider: "gcp" }],
};

/** Module arguments whose name says they take a machine image: `ami`, `ami_id`, `image`, `image_id`, `source_image`, `*_ami`, `*_image`... */
const IMAGE_ARGUMENT = /^(?:\w+_)?(?:ami|ami_id|image|image_id)$/;

/** Azure blocks that select a marketplace image by publisher/offer/sku/version (any VM or scale set resource). */
const AZURE_IMAGE_BLOCKS = ["source_image_reference", "storage_image_reference"];

const VARIABLE_DESCRIPTION: Record<ImageSelector["provider"] | "azure", string> = {
  digitalocean: "Snapshot ID of the image baked for",
  aws: "AMI ID of the image baked for",
  gcp: "Self link of the image baked for",
  azure: "Version of the image for",
};

/** Bodies reached by following nested block types (every match at each level). */
function bodiesAt(body: Body, path: string[]): Array<{ body: Body; block?: Block }> {
  let level: Array<{ body: Body; block?: Block }> = [{ body }];
  for (const type of path) level = level.flatMap((b) => blocksOf(b.body, type).map((block) => ({ body: block.body, block })));
  return level;
}

/**
 * True when an aws_ami lookup filters on an exact `name` or `image-id` (no `*` or `?`): then at most
 * one image matches and `most_recent` picks nothing newer.
 */
function namesOneImage(scope: Scope, lookup: Block, file: SourceFile): boolean {
  return blocksOf(lookup.body, "filter").some((filter) => {
    const name = attr(filter.body, "name");
    const values = attr(filter.body, "values");
    const key = name ? scope.resolve(name.expr, file)?.value : undefined;
    const list = values ? scope.resolve(values.expr, file)?.value : undefined;
    return (
      (key === "name" || key === "image-id") &&
      Array.isArray(list) &&
      list.length > 0 &&
      list.every((v) => typeof v === "string" && !/[*?]/.test(v))
    );
  });
}

/** A data block of the module by type and name. */
function dataBlock(scope: Scope, type: string, name: string): { block: Block; file: SourceFile } | undefined {
  return scope.findTopBlock("data", type, name);
}

interface Floating {
  message: string;
  related?: Origin;
}

/** The kinds of image reference to recognise: a resource's provider, or all of them for a module's argument. */
type Providers = ReadonlySet<ImageSelector["provider"]>;
const ALL_PROVIDERS: Providers = new Set(["digitalocean", "aws", "gcp"]);
const ONE_PROVIDER: Record<ImageSelector["provider"], Providers> = {
  digitalocean: new Set(["digitalocean"]),
  aws: new Set(["aws"]),
  gcp: new Set(["gcp"]),
};

/** Why one value an image attribute may take moves to newer images over time, or undefined when it names one image (or is unknown). */
function floatingValue(providers: Providers, subject: string, value: Followed): Floating | undefined {
  const { scope, file } = value;
  const ref = referenceOf(value.expr);
  if (ref && ref.root === "data" && typeof ref.path[0] === "string" && typeof ref.path[1] === "string") {
    const [type, name] = ref.path as [string, string];
    const data = dataBlock(scope, type, name);
    if (!data) return undefined;
    const where: Origin = { path: data.file.path, range: data.block.headerRange, description: `data "${type}" "${name}"` };
    if (providers.has("aws") && type === "aws_ami") {
      const mostRecent = attr(data.block.body, "most_recent");
      // Terraform reads the string "true" as true too.
      const resolved = mostRecent ? scope.resolve(mostRecent.expr, data.file) : undefined;
      if (!resolved || asBool(resolved.value) !== true) return undefined;
      if (namesOneImage(scope, data.block, data.file)) return undefined;
      return {
        message: `${subject} comes from data.aws_ami.${name} with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.`,
        related: where,
      };
    }
    if (providers.has("aws") && type === "aws_ssm_parameter") {
      const param = attr(data.block.body, "name");
      const parameter = param ? scope.resolve(param.expr, data.file)?.value : undefined;
      if (typeof parameter !== "string" || !FLOATING_SSM_PARAMETER.test(parameter)) return undefined;
      return {
        message: `${subject} comes from the public SSM parameter "${parameter}", which AWS points at each new release: the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.`,
        related: where,
      };
    }
    if (providers.has("gcp") && type === "google_compute_image") {
      // A lookup by `name` names one image; one by `family` follows the family's newest image.
      if (attr(data.block.body, "name") || !attr(data.block.body, "family")) return undefined;
      return {
        message: `${subject} comes from data.google_compute_image.${name}, looked up by family: it resolves to the family's newest image, so the next apply replaces the machine outside any roll. Use the self link of an image you baked.`,
        related: where,
      };
    }
    return undefined;
  }
  // Any other reference is one `follow` could not follow: its value is unknown.
  if (ref) return undefined;
  const resolved = scope.resolve(value.expr, file);
  if (typeof resolved?.value !== "string") return undefined;
  const image = resolved.value;
  const related = resolved.origin ?? value.origin;
  if (providers.has("digitalocean") && DIGITALOCEAN_DISTRIBUTION_SLUG.test(image)) {
    return {
      message: `Image "${image}" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.`,
      related,
    };
  }
  // Launch templates accept `resolve:ssm:<parameter>` and resolve it at every launch.
  const ssm = /^resolve:ssm:(.*)$/.exec(image);
  if (providers.has("aws") && ssm && FLOATING_SSM_PARAMETER.test(ssm[1])) {
    return {
      message: `${subject} "${image}" resolves the public SSM parameter at every launch, and AWS points it at each new release: machines of one generation boot different images. Use the AMI ID your image build produced.`,
      related,
    };
  }
  if (providers.has("gcp") && isGcpImageFamily(image)) {
    return {
      message: `Image "${image}" is an image family, which resolves to the family's newest image: the same configuration builds different machines over time. Use the self link of an image you baked.`,
      related,
    };
  }
  return undefined;
}

/**
 * Why the value of an image attribute moves to newer images over time, or undefined when it names
 * one image or is unknown. A value that may be one of several (a conditional) floats when each
 * possible value either floats or names no image (null or "", as when a lookup is switched off).
 */
function floatingImage(scope: Scope, providers: Providers, subject: string, expr: Expr, file: SourceFile): Floating | undefined {
  return everyValue(scope.follow(expr, file), (value) => floatingValue(providers, subject, value));
}

/** The variable's name, and whether the module already declares it. */
function imageVariable(context: RuleContext, resourceName: string, suffix: string): { name: string; exists: boolean } {
  const name = `${resourceName}_${suffix}`;
  return { name, exists: context.findTopBlock("variable", name) !== undefined };
}

/**
 * The fix: the attribute takes `var.<resource>_image`, declared at the end of the file without a
 * default, since the roll writes it. No fix when the value already is a variable reference: then the
 * default or tfvars value named in the finding is what to remove, and that may be in another file.
 */
function extractFix(
  context: RuleContext,
  file: SourceFile,
  owner: Block,
  resource: Block,
  attribute: Attribute,
  suffix: string,
  description: string,
): Fix | undefined {
  const e = unwrapInterpolation(attribute.expr);
  if (e.kind === "traversal" && e.root === "var") return undefined;
  return context.fix("Extract the image into a variable that the roll sets", "unsafe", () => {
    const variable = imageVariable(context, resource.labels[1] ?? "machine", suffix);
    const what = addressOf(resource);
    const edits =
      file.syntax === "json"
        ? [
            ...jsonSet(file, [...owner.jsonPath!, attribute.name], `\${var.${variable.name}}`),
            ...(variable.exists
              ? []
              : jsonSet(file, ["variable", variable.name], { type: "string", description: `${description} ${what}; set by the roll.` })),
          ]
        : [
            replaceExpr(attribute, `var.${variable.name}`),
            ...(variable.exists ? [] : [appendVariable(file, variable.name, `${description} ${what}; set by the roll.`)]),
          ];
    return [{ path: file.path, edits }];
  });
}

/** An edit that adds a `variable` block (type string, no default) at the end of an HCL file. */
function appendVariable(file: SourceFile, name: string, description: string) {
  const eol = eolOf(file);
  const lead = file.text === "" || file.text.endsWith("\n") ? eol : eol + eol;
  const block = [`variable "${name}" {`, `  type        = string`, `  description = "${description}"`, `}`].join(eol);
  return { start: file.text.length, end: file.text.length, newText: `${lead}${block}${eol}` };
}

export const pinnedMachineImage: Rule = {
  meta: {
    id: "pinned-machine-image",
    severity: "warning",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["terraform"],
    docs: {
      summary: "A machine's image must name one image, not a distribution slug, image family, `most_recent` lookup or `latest` version.",
      why:
        "Immutable infrastructure replaces machines with new ones built from a known image, and rolls back by pointing at the previous one. " +
        "A reference that moves (a DigitalOcean distribution slug matching `^(ubuntu|debian|centos|fedora|rockylinux|almalinux|freebsd)-[\\d-]+x64$`, " +
        'a `data "aws_ami"` with `most_recent = true` (unless a filter names one exact `name` or `image-id`), a public SSM parameter under `/aws/service/` with `latest` in its path, a GCP image family, ' +
        'an Azure image reference with `version = "latest"`) means the same configuration builds different machines over time: ' +
        "a plan can replace every machine just because a vendor published an image, and there is no previous generation to return to by reference. " +
        "Bake an image, record its ID, and let the roll set it.",
      reportedAt:
        "the attribute that selects the image (`image`, `ami`, `image_id`, `source_image`, or the `version` of an Azure image reference)",
      bad: [
        {
          filename: "main.tf",
          code: 'resource "digitalocean_droplet" "web" {\n  image  = "ubuntu-20-04-x64"\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'variable "web_image" {\n  type        = string\n  description = "Snapshot ID of the image baked for digitalocean_droplet.web; set by the roll."\n}\n\n' +
            'resource "digitalocean_droplet" "web" {\n  image  = var.web_image\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
        },
      ],
      throughModules: {
        arguments:
          "an input named for a machine image (`ami`, `ami_id`, `image`, `image_id`, `source_image`, `*_ami`, `*_image`, `*_image_id`) " +
          "given a `most_recent` AMI lookup, a public `latest` SSM parameter, a DigitalOcean distribution slug or a GCP image family.",
        bad: [
          {
            filename: "main.tf",
            code:
              'data "aws_ami" "ubuntu" {\n  most_recent = true\n  owners      = ["099720109477"]\n\n  filter {\n    name   = "name"\n    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]\n  }\n}\n\n' +
              'module "web" {\n  source = "./modules/web"\n\n  image_id = data.aws_ami.ubuntu.id\n}\n',
            files: { "modules/web/main.tf": WEB_MODULE },
          },
          {
            filename: "main.tf",
            code: 'module "bastion" {\n  source  = "acme/bastion/digitalocean"\n  version = "1.4.0"\n\n  image = "ubuntu-24-04-x64"\n}\n',
          },
        ],
        good: [
          {
            filename: "main.tf",
            code:
              'variable "web_image" {\n  type        = string\n  description = "AMI ID of the image baked for the web tier; set by the roll."\n}\n\n' +
              'module "web" {\n  source = "./modules/web"\n\n  image_id = var.web_image\n}\n',
            files: { "modules/web/main.tf": WEB_MODULE },
          },
        ],
      },
      fixSafety:
        "Unsafe: it replaces the value with `var.<resource>_image` (`var.<resource>_image_version` for Azure) and declares that variable without a default, " +
        "so the next plan needs a value: the image your bake recorded, which the roll passes in. Nothing is offered when the value already comes from a variable.",
    },
    options: {},
  },
  check(context) {
    for (const { block: resource, file } of context.checkBlocks("resource")) {
      const type = resource.labels[0] ?? "";
      const selectors = SELECTORS[type];
      // An image Terraform is told to ignore never replaces the machine: no-ignore-image-changes reports that instead.
      const ignored = selectors ? ignoredChanges(resource) : "all";
      for (const selector of selectors ?? []) {
        if (ignored === "all" || ignored.has(selector.blocks[0] ?? selector.attribute)) continue;
        for (const { body, block } of bodiesAt(resource.body, selector.blocks)) {
          const attribute = attr(body, selector.attribute);
          if (!attribute) continue;
          const floating = floatingImage(context, ONE_PROVIDER[selector.provider], attribute.name, attribute.expr, file);
          if (!floating) continue;
          context.report({
            file,
            range: attribute.range,
            message: floating.message,
            fix: extractFix(context, file, block ?? resource, resource, attribute, "image", VARIABLE_DESCRIPTION[selector.provider]),
            related: floating.related ? [floating.related] : undefined,
          });
        }
      }
      for (const reference of AZURE_IMAGE_BLOCKS.flatMap((t) => blocksOf(resource.body, t))) {
        const version = attr(reference.body, "version");
        if (!version) continue;
        const resolved = context.resolve(version.expr, file);
        if (resolved?.value !== "latest") continue;
        context.report({
          file,
          range: version.range,
          message: `${reference.type} uses version = "latest", which follows each new marketplace image: the same configuration builds different machines over time. Pin the version you tested.`,
          fix: extractFix(context, file, reference, resource, version, "image_version", VARIABLE_DESCRIPTION.azure),
          related: resolved.origin ? [resolved.origin] : undefined,
        });
      }
    }
    // A module the engine cannot read (a registry module never downloaded) is judged by its
    // arguments: one whose name says it is an image and whose value certainly moves.
    for (const call of context.moduleCallsNotFollowed()) {
      for (const argument of call.block.body.attributes) {
        if (!IMAGE_ARGUMENT.test(argument.name)) continue;
        const floating = floatingImage(context, ALL_PROVIDERS, `${argument.name} of module.${call.name}`, argument.expr, call.file);
        if (!floating) continue;
        context.report({
          file: call.file,
          range: argument.range,
          message: floating.message,
          related: floating.related ? [floating.related] : undefined,
        });
      }
    }
  },
};
