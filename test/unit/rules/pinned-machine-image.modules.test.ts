// Tests for pinned-machine-image through module calls: arguments of modules that are not read, modules of our own, the resources a call creates.
import { latestLookup, ubuntuLookup } from "../../helpers/machine-image-snippets.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

/** A call to a registry module that was never downloaded, with the given arguments. */
const registryCall = (name: string, source: string, args: string) =>
  `module "${name}" {\n  source  = "${source}"\n  version = "1.0.0"\n\n${args}}\n`;

ruleTester("pinned-machine-image", {
  title: "arguments of modules that are not read",
  valid: [
    { name: "an AMI ID", code: registryCall("web", "cloudposse/ec2-instance/aws", '  ami = "ami-0123456789abcdef0"\n') },
    {
      name: "a lookup without most_recent",
      code: `${ubuntuLookup('  name_regex  = "^web-42$"\n')}${registryCall("web", "cloudposse/ec2-instance/aws", "  ami = data.aws_ami.ubuntu.id\n")}`,
    },
    {
      name: "a snapshot ID under the name image",
      code: registryCall("web", "git::https://example.com/droplet.git?ref=v1.2.0", '  image = "154736112"\n'),
    },
    {
      name: "a variable given by the tfvars overrides the default the conditional tests",
      code: `${latestLookup("base", "  count       = var.ami == null ? 1 : 0\n")}variable "ami" {\n  default = null\n}\n\n${registryCall("asg", "cloudposse/ec2-autoscale-group/aws", '  image_id = var.ami == null ? join("", data.aws_ami.base[*].image_id) : var.ami\n')}`,
      files: { "terraform.tfvars": 'ami = "ami-0123456789abcdef0"\n' },
    },
  ],
  invalid: [
    {
      name: "image_id: a most_recent lookup chosen by a variable's null default",
      code: `${latestLookup("base", "  count       = var.ami == null ? 1 : 0\n")}variable "ami" {\n  default = null\n}\n\n${registryCall("asg", "cloudposse/ec2-autoscale-group/aws", '  image_id = var.ami == null ? join("", data.aws_ami.base[*].image_id) : var.ami\n')}`,
      errors: [
        {
          line: 16,
          column: 3,
          endLine: 16,
          endColumn: 81,
          message:
            "image_id of module.asg comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [{ path: "main.tf", line: 1, column: 1, endLine: 1, endColumn: 22 }],
        },
      ],
    },
    {
      name: "ami: a lookup switched off by count gives an empty string otherwise",
      code: `${latestLookup("this", "  count       = local.enabled ? 1 : 0\n")}locals {\n  enabled = module.this.enabled\n}\n\n${registryCall("ec2", "cloudposse/ec2-instance/aws", '  ami = local.enabled ? data.aws_ami.this[0].id : ""\n')}`,
      errors: [
        {
          line: 16,
          column: 3,
          endLine: 16,
          endColumn: 53,
          message:
            "ami of module.ec2 comes from data.aws_ami.this with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
    {
      name: "image: a DigitalOcean distribution slug, from a git source",
      code: registryCall("web", "git::https://example.com/droplet.git?ref=v1.2.0", '  image = "ubuntu-22-04-x64"\n'),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 29,
          message:
            'Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
        },
      ],
    },
    {
      name: "source_image: a GCP image family",
      code: registryCall(
        "mig",
        "terraform-google-modules/vm/google//modules/instance_template",
        '  source_image = "debian-cloud/debian-12"\n',
      ),
      errors: [
        {
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 42,
          message:
            'Image "debian-cloud/debian-12" is an image family, which resolves to the family\'s newest image: the same configuration builds different machines over time. Use the self link of an image you baked.',
        },
      ],
    },
    {
      name: "a local module whose folder is missing is judged by its arguments too",
      code: `${latestLookup("base")}module "web" {\n  source = "./modules/web"\n\n  bastion_ami = data.aws_ami.base.id\n}\n`,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 37,
          message:
            "bastion_ami of module.web comes from data.aws_ami.base with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
  ],
});

// A module of our own, called the ways real configurations call modules.
const webVariables = 'variable "name" {\n  type = string\n}\n\nvariable "image_id" {\n  type    = string\n  default = null\n}\n';
const webMain = 'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = var.image_id\n}\n';
/** The module's files on the virtual disk, in a folder relative to the case's. */
const webModule = (dir: string, main = webMain) => ({ [`${dir}/variables.tf`]: webVariables, [`${dir}/main.tf`]: main });
const al2023 =
  'data "aws_ami" "al2023" {\n  most_recent = true\n  owners      = ["amazon"]\n  name_regex  = "^al2023-ami-2023.*-x86_64"\n}\n\n';
const webCall = (source: string, imageId: string, name = "web") =>
  `module "${name}" {\n  source = "${source}"\n\n  name     = "web"\n  image_id = ${imageId}\n}\n`;
/** The path of the value: the module's variable, the attribute that receives it, the lookup. */
const webPath = (dir: string, callPath = "main.tf", dataLine = 1) => [
  {
    path: `${dir}/variables.tf`,
    line: 5,
    column: 1,
    endLine: 5,
    endColumn: 20,
    step: "variable" as const,
    description: 'variable "image_id" of module.web',
  },
  {
    path: `${dir}/main.tf`,
    line: 3,
    column: 3,
    endLine: 3,
    endColumn: 29,
    step: "attribute" as const,
    description: "aws_launch_template.this image_id in module.web",
  },
  { path: callPath, line: dataLine, column: 1, endLine: dataLine, endColumn: 24, description: 'data "aws_ami" "al2023"' },
];
const installed = (modules: Array<[string, string, string]>) =>
  JSON.stringify({
    Modules: [{ Key: "", Source: "", Dir: "." }, ...modules.map(([Key, Source, Dir]) => ({ Key, Source, Version: "2.1.0", Dir }))],
  });

ruleTester("pinned-machine-image", {
  title: "through modules",
  valid: [
    {
      name: "a pinned AMI given to a local module",
      code: webCall("./modules/web", '"ami-0123456789abcdef0"'),
      disk: webModule("modules/web"),
    },
    { name: "an unknown value given to a local module", code: webCall("./modules/web", "var.ami"), disk: webModule("modules/web") },
    {
      name: "the module uses the argument for something other than an image",
      code: al2023 + webCall("./modules/web", "data.aws_ami.al2023.id"),
      disk: webModule(
        "modules/web",
        'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = "ami-0123456789abcdef0"\n\n  tags = {\n    base_image = var.image_id\n  }\n}\n',
      ),
    },
    {
      name: "the caller overrides the module's floating default with a pinned AMI",
      code: webCall("./modules/web", '"ami-0123456789abcdef0"'),
      disk: webModule(
        "modules/web",
        al2023 +
          'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = coalesce(var.image_id, data.aws_ami.al2023.id)\n}\n',
      ),
    },
    {
      name: "a floating default the call leaves alone is the module's own finding, not the call's",
      code: 'module "web" {\n  source = "./modules/web"\n\n  name = "web"\n}\n',
      disk: webModule(
        "modules/web",
        al2023 +
          'resource "aws_launch_template" "this" {\n  name_prefix = "${var.name}-"\n  image_id    = coalesce(var.image_id, data.aws_ami.al2023.id)\n}\n',
      ),
    },
    {
      name: "a downloaded module's own findings are never reported",
      code: webCall("acme/web/aws", '"ami-0123456789abcdef0"'),
      disk: {
        ".terraform/modules/modules.json": installed([["web", "registry.terraform.io/acme/web/aws", ".terraform/modules/web"]]),
        ...webModule(
          ".terraform/modules/web",
          webMain + '\nresource "digitalocean_droplet" "bastion" {\n  image = "ubuntu-22-04-x64"\n}\n',
        ),
      },
    },
    {
      name: "a module that calls itself is followed once",
      code: webCall("./modules/web", '"ami-0123456789abcdef0"'),
      disk: webModule(
        "modules/web",
        webMain + '\nmodule "again" {\n  source = "./"\n\n  name     = var.name\n  image_id = var.image_id\n}\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'a local module: source = "./modules/web"',
      code: al2023 + webCall("./modules/web", "data.aws_ami.al2023.id"),
      disk: webModule("modules/web"),
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath("modules/web"),
        },
      ],
    },
    {
      name: 'a sibling folder: source = "../shared/web"',
      code: al2023 + webCall("../shared/web", "data.aws_ami.al2023.id"),
      disk: webModule("../shared/web"),
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath("../shared/web"),
        },
      ],
    },
    {
      name: 'an example calling the module it documents: source = "../../"',
      filename: "examples/complete/main.tf",
      code: al2023 + webCall("../../", 'join("", data.aws_ami.al2023[*].id)'),
      disk: { "variables.tf": webVariables, "main.tf": webMain },
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 49,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath(".", "examples/complete/main.tf").map((r) => ({ ...r, path: r.path.replace(/^\.\//, "") })),
        },
      ],
    },
    {
      name: "a DigitalOcean slug written at the call",
      code: 'module "web" {\n  source = "./modules/droplet"\n\n  image = "ubuntu-22-04-x64"\n}\n',
      disk: { "modules/droplet/main.tf": 'variable "image" {}\n\nresource "digitalocean_droplet" "this" {\n  image = var.image\n}\n' },
      errors: [
        {
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 29,
          message:
            'Passed to module.web → digitalocean_droplet.this: Image "ubuntu-22-04-x64" is a DigitalOcean distribution slug, which DigitalOcean points at new point releases: the same configuration builds different machines over time. Use the ID of a snapshot you baked.',
          related: [
            { path: "modules/droplet/main.tf", line: 1, column: 1, endLine: 1, endColumn: 17, step: "variable" },
            { path: "modules/droplet/main.tf", line: 4, column: 3, endLine: 4, endColumn: 20, step: "attribute" },
          ],
        },
      ],
    },
    {
      name: "nested calls: root → wrapper → module, reported at the root's argument",
      code: al2023 + 'module "service" {\n  source = "./modules/service"\n\n  ami = data.aws_ami.al2023.id\n}\n',
      disk: {
        "modules/service/main.tf":
          'variable "ami" {\n  type = string\n}\n\nmodule "web" {\n  source = "../web"\n\n  name     = "service"\n  image_id = var.ami\n}\n',
        ...webModule("modules/web"),
      },
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 31,
          message:
            "Passed to module.service → module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [
            {
              path: "modules/service/main.tf",
              line: 1,
              column: 1,
              endLine: 1,
              endColumn: 15,
              step: "variable",
              description: 'variable "ami" of module.service',
            },
            {
              path: "modules/service/main.tf",
              line: 9,
              column: 3,
              endLine: 9,
              endColumn: 21,
              step: "argument",
              description: "module.web image_id in module.service",
            },
            ...webPath("modules/web"),
          ],
        },
      ],
    },
    {
      name: "two calls to one module: only the floating one, at its own argument",
      code:
        al2023 + webCall("./modules/web", '"ami-0123456789abcdef0"', "pinned") + "\n" + webCall("./modules/web", "data.aws_ami.al2023.id"),
      disk: webModule("modules/web"),
      errors: [
        {
          line: 18,
          column: 3,
          endLine: 18,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath("modules/web"),
        },
      ],
    },
    {
      name: "a downloaded module, found through .terraform/modules/modules.json",
      code:
        al2023 +
        webCall("acme/web/aws", "data.aws_ami.al2023.id").replace(
          'source = "acme/web/aws"',
          'source  = "acme/web/aws"\n  version = "2.1.0"',
        ),
      disk: {
        ".terraform/modules/modules.json": installed([["web", "registry.terraform.io/acme/web/aws", ".terraform/modules/web"]]),
        ...webModule(".terraform/modules/web"),
      },
      errors: [
        {
          line: 12,
          column: 3,
          endLine: 12,
          endColumn: 36,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: webPath(".terraform/modules/web"),
        },
      ],
    },
    {
      name: "a module downloaded inside a downloaded module, by its key path",
      code: al2023 + 'module "service" {\n  source  = "acme/service/aws"\n  version = "2.1.0"\n\n  ami = data.aws_ami.al2023.id\n}\n',
      disk: {
        ".terraform/modules/modules.json": installed([
          ["service", "registry.terraform.io/acme/service/aws", ".terraform/modules/service"],
          ["service.web", "registry.terraform.io/acme/web/aws", ".terraform/modules/service.web"],
        ]),
        ".terraform/modules/service/main.tf":
          'variable "ami" {\n  type = string\n}\n\nmodule "web" {\n  source  = "acme/web/aws"\n  version = "2.1.0"\n\n  name     = "service"\n  image_id = var.ami\n}\n',
        ...webModule(".terraform/modules/service.web"),
      },
      errors: [
        {
          line: 11,
          column: 3,
          endLine: 11,
          endColumn: 31,
          message:
            "Passed to module.service → module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
    {
      name: "JSON syntax at the call",
      filename: "main.tf.json",
      code: '{\n  "data": { "aws_ami": { "al2023": { "most_recent": true, "owners": ["amazon"] } } },\n  "module": {\n    "web": {\n      "source": "./modules/web",\n      "name": "web",\n      "image_id": "${data.aws_ami.al2023.id}"\n    }\n  }\n}\n',
      disk: webModule("modules/web"),
      errors: [
        {
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 46,
          message:
            "Passed to module.web → aws_launch_template.this: image_id comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
        },
      ],
    },
  ],
});

// A module that creates one of two variants, chosen by the caller.
const variantsModule = {
  "modules/node/main.tf":
    'variable "ami" {}\n\nvariable "spot" {\n  default = false\n}\n\n' +
    'resource "aws_instance" "this" {\n  count = var.spot ? 0 : 1\n  ami   = var.ami\n}\n\n' +
    'resource "aws_spot_instance_request" "this" {\n  count = var.spot ? 1 : 0\n  ami   = var.ami\n}\n\n' +
    'resource "aws_instance" "sidecar" {\n  ami = var.ami\n}\n',
};

ruleTester("pinned-machine-image", {
  title: "through modules: resources a call creates",
  valid: [],
  invalid: [
    {
      name: "one finding at the argument, naming the first resource the call creates (not a variant it leaves out)",
      code: al2023 + 'module "node" {\n  source = "./modules/node"\n\n  ami  = data.aws_ami.al2023.id\n  spot = true\n}\n',
      disk: variantsModule,
      errors: [
        {
          line: 10,
          column: 3,
          endLine: 10,
          endColumn: 32,
          message:
            "Passed to module.node → aws_spot_instance_request.this: ami comes from data.aws_ami.al2023 with most_recent = true: each newly published AMI changes the image, so the next apply replaces the machine outside any roll. Use the AMI ID your image build produced.",
          related: [
            { path: "modules/node/main.tf", line: 1, column: 1, endLine: 1, endColumn: 15, step: "variable" },
            { path: "modules/node/main.tf", line: 14, column: 3, endLine: 14, endColumn: 18, step: "attribute" },
            { path: "main.tf", line: 1, column: 1, endLine: 1, endColumn: 24 },
          ],
        },
      ],
    },
  ],
});
