// no-inplace-provisioner: Terraform provisioners must not configure a running machine; that work belongs in the image build.
import path from "node:path";
import { findNodeAtLocation, parseTree, type Node as JsonNode } from "jsonc-parser";
import { deleteLines, eolOf, indentAt, jsonDelete } from "../engine/edits.ts";
import { applyEdits, editBetween } from "../engine/fix.ts";
import { addressOf, attr, blocksOf, literalValue } from "../engine/model.ts";
import { parseHcl } from "../engine/parse.ts";
import type { Attribute, Block, Expr, FileChange, Fix, Rule, RuleContext, SourceFile, TextEdit } from "../engine/types.ts";

/** Terraform's removed configuration-management provisioners (until 0.15); their settings have no one-to-one Packer form. */
const LEGACY = new Set(["chef", "puppet", "salt-masterless", "habitat"]);
/** A local command that reaches the machine: a remote shell, a copy, or a configuration tool pointed at it. */
const REACHES_MACHINE = /(?:^|[\s;&|(`"'])(ssh|scp|rsync|ansible-playbook|ansible|knife)(?=\s|$|["'`])/m;
/** References to the machine's address (`self.public_ip`, `self.ipv4_address`, `self.access_ip_v4`, ...). */
const SELF_ADDRESS = /\bself\.\w*ip\w*/g;

/** The file the fix creates when the module has no Packer template yet. */
export const NEW_TEMPLATE = "image.pkr.hcl";

/** Packer builders for the provider of a Terraform resource type; other types get an empty `null` source to fill in. */
const BUILDERS: Array<[RegExp, string]> = [
  [/^aws_/, "amazon-ebs"],
  [/^google_/, "googlecompute"],
  [/^azurerm_/, "azure-arm"],
  [/^digitalocean_/, "digitalocean"],
  [/^hcloud_/, "hcloud"],
];

/** Quotes a value as an HCL string literal that Packer reads back as the same text. */
function hclQuote(value: string): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, "%%{");
  return `"${escaped}"`;
}

/** An expression as Packer HCL: literals re-quoted, anything else copied with Terraform-only references translated. */
function packerExpr(file: SourceFile, expr: Expr): string {
  const literal = literalValue(expr);
  if (typeof literal === "string") return hclQuote(literal);
  // `self.<address>` becomes the address Packer's communicator connects to; `path.module` the template's directory.
  return file.text
    .slice(expr.range.startOffset, expr.range.endOffset)
    .replace(SELF_ADDRESS, "build.Host")
    .replace(/\bpath\.module\b/g, "path.root");
}

/** One Packer provisioner as lines relative to its own indentation; a line may hold a multi-line heredoc copied verbatim. */
interface PackerProvisioner {
  type: string;
  lines: string[];
  /** Title of the fix. */
  title: string;
}

function listLines(name: string, items: string[]): string[] {
  return [`${name} = [`, ...items.map((i) => `  ${i},`), "]"];
}

/** What the provisioner becomes in Packer, or undefined when there is nothing to carry over. */
function packerProvisioner(file: SourceFile, provisioner: Block): PackerProvisioner | undefined {
  const type = provisioner.labels[0];
  const body = provisioner.body;
  const get = (name: string): Attribute | undefined => attr(body, name);
  if (type === "remote-exec") {
    const inline = get("inline");
    const script = get("script");
    const scripts = get("scripts");
    const lines: string[] = [];
    if (inline) {
      const items = inline.expr.kind === "tuple" ? inline.expr.items.map((i) => packerExpr(file, i)) : undefined;
      lines.push(...(items ? listLines("inline", items) : [`inline = ${packerExpr(file, inline.expr)}`]));
    }
    if (script) lines.push(`script = ${packerExpr(file, script.expr)}`);
    if (scripts) lines.push(`scripts = ${packerExpr(file, scripts.expr)}`);
    return lines.length > 0 ? { type: "shell", lines, title: "Move the commands into a Packer shell provisioner" } : undefined;
  }
  if (type === "file") {
    const lines = ["source", "content", "destination"].flatMap((name) => {
      const a = get(name);
      return a ? [`${name} = ${packerExpr(file, a.expr)}`] : [];
    });
    return lines.length > 0 ? { type: "file", lines, title: "Move the file into a Packer file provisioner" } : undefined;
  }
  if (type === "local-exec") {
    const command = get("command");
    if (!command) return undefined;
    const lines = [`command = ${packerExpr(file, command.expr)}`];
    const environment = get("environment");
    if (environment?.expr.kind === "object") {
      // Packer's shell-local takes `environment_vars` as KEY=value strings.
      const vars = environment.expr.entries.flatMap((e) => {
        if (e.key === undefined) return [];
        const literal = literalValue(e.value);
        return [
          typeof literal === "string" || typeof literal === "number" || typeof literal === "boolean"
            ? hclQuote(`${e.key}=${literal}`)
            : `"${e.key}=\${${packerExpr(file, e.value)}}"`,
        ];
      });
      if (vars.length > 0) lines.push(...listLines("environment_vars", vars));
    }
    return { type: "shell-local", lines, title: "Move the command into a Packer shell-local provisioner" };
  }
  return undefined;
}

/** Renders lines at an indentation; continuation lines of a verbatim multi-line chunk (a heredoc) are kept as written. */
function render(lines: string[], indent: string, eol: string): string {
  return lines
    .map((line) => {
      const [first, ...rest] = line.split(/\r?\n/);
      return [first === "" ? "" : indent + first, ...rest].join(eol);
    })
    .join(eol);
}

function provisionerLines(p: PackerProvisioner): string[] {
  return [`provisioner "${p.type}" {`, ...p.lines.map((l) => `  ${l}`), "}"];
}

/** A new template: an empty source of the resource's builder to complete, and a build that runs the provisioner and records its artifact. */
function newTemplateLines(resource: Block, p: PackerProvisioner): string[] {
  const [type = "", name = "machine"] = resource.labels;
  const builder = BUILDERS.find(([re]) => re.test(type))?.[1] ?? "null";
  return [
    `# The image of ${type}.${name}: what its provisioner did to the running machine now happens when the image is baked.`,
    `source "${builder}" "${name}" {`,
    `  # Complete the builder settings (base image, region, size, SSH user) of this image.`,
    `}`,
    ``,
    `build {`,
    `  sources = ["source.${builder}.${name}"]`,
    ``,
    ...provisionerLines(p).map((l) => `  ${l}`),
    ``,
    // The roll reads the artifact of each bake from the manifest.
    `  post-processor "manifest" {`,
    `    output     = "packer-manifest.json"`,
    `    strip_path = true`,
    `  }`,
    `}`,
  ];
}

/**
 * The module's HCL Packer templates a provisioner can move into. A template the engine was not handed
 * (the editor passes only open files) is read from disk rather than overwritten; one that is there but
 * may not be read (a link out of the repository, a FIFO) gives undefined: nothing is moved. Asked
 * once per module: a read and a parse per finding would make lint quadratic in findings.
 */
function packerTemplates(context: RuleContext): SourceFile[] | undefined {
  const beside = context.moduleBeside("packer")?.files.filter((f) => f.syntax === "hcl") ?? [];
  const onDisk = beside.some((f) => path.basename(f.path) === NEW_TEMPLATE) ? undefined : context.readModuleFile(NEW_TEMPLATE);
  if (onDisk?.refused !== undefined) return undefined;
  return onDisk ? [...beside, parseHcl(onDisk.path, onDisk.text)] : beside;
}

/** The change that puts the provisioner into the module's Packer template: an existing build, an existing file, or a new file. */
function packerChange(context: RuleContext, templates: SourceFile[], resource: Block, p: PackerProvisioner): FileChange {
  const dir = context.module.dir;
  for (const template of templates) {
    const build = blocksOf(template.body, "build")[0];
    if (!build || build.closeBraceStart === undefined) continue;
    const eol = eolOf(template);
    const outer = indentAt(template, build.range.startOffset);
    const rendered = render(provisionerLines(p), outer + "  ", eol);
    let lineStart = build.closeBraceStart;
    while (lineStart > 0 && template.text[lineStart - 1] !== "\n") lineStart--;
    const braceOnOwnLine = template.text.slice(lineStart, build.closeBraceStart).trim() === "" && lineStart > build.range.startOffset;
    const edit: TextEdit = braceOnOwnLine
      ? { start: lineStart, end: lineStart, newText: eol + rendered + eol }
      : { start: build.closeBraceStart, end: build.closeBraceStart, newText: eol + rendered + eol + outer };
    return { path: template.path, edits: [edit] };
  }
  const existing = templates.find((t) => path.basename(t.path) === NEW_TEMPLATE);
  if (existing) {
    const eol = eolOf(existing);
    const lead = existing.text === "" ? "" : existing.text.endsWith("\n") ? eol : eol + eol;
    return {
      path: existing.path,
      edits: [
        { start: existing.text.length, end: existing.text.length, newText: lead + render(newTemplateLines(resource, p), "", eol) + eol },
      ],
    };
  }
  return {
    path: path.join(dir, NEW_TEMPLATE),
    create: true,
    edits: [{ start: 0, end: 0, newText: render(newTemplateLines(resource, p), "", "\n") + "\n" }],
  };
}

/** Deletes an HCL block with its lines, and a blank line above it when it would leave two blank lines or a blank line before `}`. */
function deleteHclBlock(file: SourceFile, block: Block): TextEdit {
  const edit = deleteLines(file, block.range.startOffset, block.range.endOffset);
  if (edit.start === block.range.startOffset && edit.end === block.range.endOffset) return edit;
  const blankAbove = /\n([ \t]*\r?\n)$/.exec(file.text.slice(0, edit.start));
  if (blankAbove && /^[ \t]*(\r?\n|\})/.test(file.text.slice(edit.end)))
    return { start: edit.start - blankAbove[1].length, end: edit.end, newText: "" };
  return edit;
}

/**
 * Deletes a provisioner in JSON syntax without leaving an empty `{}` or `[]` behind: the whole
 * `provisioner` property when it held only this one, else its array entry, else its key.
 */
function deleteJsonProvisioner(file: SourceFile, block: Block): TextEdit[] {
  const jsonPath = block.jsonPath!;
  const at = jsonPath.lastIndexOf("provisioner");
  const root = parseTree(file.text);
  const container = root ? findNodeAtLocation(root, jsonPath.slice(0, at + 1)) : undefined;
  const keys = (n: JsonNode | undefined) => (n?.type === "object" ? (n.children ?? []).length : 0);
  if (!container || at < 0) return jsonDelete(file, jsonPath);
  const total = container.type === "array" ? (container.children ?? []).reduce((sum, c) => sum + keys(c), 0) : keys(container);
  if (total <= 1) return jsonDelete(file, jsonPath.slice(0, at + 1));
  if (container.type === "array" && typeof jsonPath[at + 1] === "number" && keys(container.children?.[jsonPath[at + 1] as number]) === 1) {
    return jsonDelete(file, jsonPath.slice(0, at + 2));
  }
  return jsonDelete(file, jsonPath);
}

/**
 * Applies JSON deletions one after another (each computed on the text the previous one left, since
 * deletions of neighbouring properties share a comma) and returns the result as one edit.
 */
function deleteJsonInTurn(file: SourceFile, deletions: Array<(file: SourceFile) => TextEdit[]>): TextEdit[] {
  let text = file.text;
  for (const deletion of deletions) {
    // The edit builders read only the text of the file they are given.
    const edits = deletion({ ...file, text });
    text = applyEdits(text, edits);
  }
  return [editBetween(file.text, text)];
}

/** Why a provisioner changes the machine in place, or undefined when it does not. */
function inPlaceReason(context: RuleContext, file: SourceFile, subject: string, provisioner: Block): string | undefined {
  const type = provisioner.labels[0] ?? "";
  if (type === "remote-exec") return `provisioner "remote-exec" runs commands on ${subject} after it is created`;
  if (type === "file") return `provisioner "file" copies files onto ${subject} after it is created`;
  if (LEGACY.has(type)) return `provisioner "${type}" configures ${subject} in place after it is created`;
  if (type !== "local-exec") return undefined;
  const command = attr(provisioner.body, "command");
  if (!command) return undefined;
  // The address may reach the command through `environment`, so the whole block is searched for it.
  const blockText = file.text.slice(provisioner.range.startOffset, provisioner.range.endOffset);
  const resolved = context.resolve(command.expr, file)?.value;
  const commandText =
    file.text.slice(command.expr.range.startOffset, command.expr.range.endOffset) + (typeof resolved === "string" ? `\n${resolved}` : "");
  const tool = REACHES_MACHINE.exec(commandText)?.[1];
  const address = blockText.match(SELF_ADDRESS)?.[0];
  if (!tool && !address) return undefined;
  return `provisioner "local-exec" reaches into ${subject} (${tool ? `"${tool}"` : address}) to change it after it is created`;
}

export const noInplaceProvisioner: Rule = {
  meta: {
    id: "no-inplace-provisioner",
    severity: "warning",
    recommended: true,
    fix: "unsafe",
    appliesTo: ["terraform"],
    docs: {
      summary:
        "Terraform provisioners must not configure a running machine (`remote-exec`, `file`, chef/puppet/salt-masterless/habitat, or a `local-exec` that reaches it).",
      why:
        "Immutable infrastructure bakes everything a machine needs into its image and never changes a machine after it boots. " +
        "A provisioner that runs commands on the machine, copies files onto it, or reaches it from your workstation (ssh, scp, rsync, ansible-playbook, knife, " +
        "a `self.*ip` address) configures it in place: the result depends on when and from where `apply` ran, a failed run leaves a tainted half-configured machine, " +
        "and the next machine from the same image is different. Packer provisioners are the place for this work: they run once, when the image is baked. " +
        "Provisioners with `when = destroy` do not configure a machine that keeps running and are not flagged, nor are Packer templates.",
      reportedAt: "the provisioner block header (in JSON: the provisioner's key)",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "digitalocean_droplet" "web" {\n  image  = var.web_image\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n\n' +
            '  provisioner "remote-exec" {\n    inline = [\n      "apt-get update",\n      "apt-get install -y nginx",\n    ]\n  }\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "digitalocean_droplet" "web" {\n  image  = var.web_image\n  name   = "web"\n  region = "ams3"\n  size   = "s-1vcpu-1gb"\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
        {
          filename: "image.pkr.hcl",
          code:
            'source "digitalocean" "web" {\n  image         = "ubuntu-22-04-x64"\n  region        = "ams3"\n  size          = "s-1vcpu-1gb"\n  ssh_username  = "root"\n  snapshot_name = "web-${formatdate("YYYYMMDDhhmmss", timestamp())}"\n}\n\n' +
            'build {\n  sources = ["source.digitalocean.web"]\n\n  provisioner "shell" {\n    inline = [\n      "apt-get update",\n      "apt-get install -y nginx",\n    ]\n  }\n\n  post-processor "manifest" {\n    output = "packer-manifest.json"\n  }\n}\n',
        },
      ],
      fixSafety:
        "Unsafe: it deletes the provisioner and adds its work to the Packer template in the module's directory: a `shell` provisioner with the same `inline`, `script` " +
        "or `scripts` for `remote-exec`, a `file` provisioner for `file`, a `shell-local` provisioner for `local-exec` (with `self.*ip` replaced by `build.Host`). " +
        "It appends to the first `build` of an existing `.pkr.hcl` template, or creates `image.pkr.hcl` with an empty source to complete, " +
        "and deletes the resource's `connection` block when no other provisioner is left to use it. " +
        "The machine only gets this configuration once a new image is baked and rolled out, and commands written for a live machine may need changes at bake time. " +
        "The legacy chef, puppet, salt-masterless and habitat provisioners get no fix: their settings have no one-to-one Packer form.",
    },
    options: {},
  },
  check(context) {
    let templates: SourceFile[] | undefined | null = null;
    for (const { block: resource, file } of context.checkBlocks("resource")) {
      const provisioners = blocksOf(resource.body, "provisioner");
      for (const provisioner of provisioners) {
        // Destroy-time provisioners clean up a machine on its way out; they configure nothing that keeps running.
        const when = attr(provisioner.body, "when");
        if (when && (when.expr.kind === "traversal" ? when.expr.root === "destroy" : literalValue(when.expr) === "destroy")) continue;
        const reason = inPlaceReason(context, file, addressOf(resource), provisioner);
        if (!reason) continue;
        let fix: Fix | undefined;
        const packer = packerProvisioner(file, provisioner);
        if (packer) {
          // Only provisioners use a resource's `connection`; with the last one gone it would be dead configuration.
          const connections = provisioners.length === 1 ? blocksOf(resource.body, "connection") : [];
          if (templates === null) templates = packerTemplates(context);
          const found = templates;
          if (found)
            fix = context.fix(packer.title, "unsafe", () => {
              const edits =
                file.syntax === "json"
                  ? deleteJsonInTurn(file, [
                      (f) => deleteJsonProvisioner(f, provisioner),
                      ...connections.map((c) => (f: SourceFile) => jsonDelete(f, c.jsonPath!)),
                    ])
                  : [deleteHclBlock(file, provisioner), ...connections.map((c) => deleteHclBlock(file, c))];
              return [{ path: file.path, edits }, packerChange(context, found, resource, packer)];
            });
        }
        context.report({
          file,
          range: provisioner.headerRange,
          message: `${reason}: the machine no longer matches its image, and a failed run leaves it half-configured. Do this in the image build (a Packer provisioner).`,
          fix,
        });
      }
    }
  },
};
