// no-boot-time-mutation: boot scripts must not install packages, fetch code or run configuration management.
import { attr, computeLineStarts, rangeOf, type Body } from "../engine/model.ts";
import { referenceOf } from "../engine/resolve.ts";
import { everyValue } from "../engine/value-verdicts.ts";
import type { Expr, Origin, Range, Rule, Scope, SourceFile } from "../engine/types.ts";
import { findMutation, KIND_TEXT, type Mutation } from "./_boot-commands.ts";

export { findMutation } from "./_boot-commands.ts";

/** Attributes that hand a script or cloud-init document to a machine at boot (any provider, any nesting). */
const BOOT_ATTRIBUTES = new Set(["user_data", "user_data_base64", "custom_data", "metadata_startup_script"]);
/** Module arguments whose name says they are a boot script: `user_data`, `user_data_base64`, `custom_data`, `startup_script`, `*_user_data`... */
const BOOT_SCRIPT_ARGUMENT = /^(?:\w+_)?(?:user_data|user_data_base64|userdata|custom_data|startup_script)$/;
/** Keys of a GCP-style `metadata` map that the guest agent runs at boot. */
const BOOT_METADATA_KEYS = new Set(["startup-script", "user-data"]);

/** A script to inspect: its text, and where it came from when that is not the attribute itself. */
interface Script {
  text: string;
  /** A file read through file()/templatefile(): its path as written (relative to the module) and absolute path. */
  followed?: { written: string; path: string };
  origin?: Origin;
}

/** Calls whose first argument is the script, transformed in a way that keeps its commands readable or decodable. */
const WRAPPERS = new Set(["base64encode", "base64gzip", "textencodebase64", "trimspace", "chomp", "replace"]);

/** The literal path of a file()/templatefile() argument, relative to the module (`${path.module}/x.sh` -> `x.sh`). */
export function modulePath(scope: Scope, expr: Expr, file: SourceFile): string | undefined {
  let out = "";
  const parts = expr.kind === "template" ? expr.parts : [expr];
  for (const part of parts) {
    if (typeof part === "string") out += part;
    else if (
      part.kind === "traversal" &&
      part.root === "path" &&
      (part.path[0] === "module" || part.path[0] === "root" || part.path[0] === "cwd")
    )
      out += ".";
    else {
      const r = scope.resolve(part, file);
      if (typeof r?.value !== "string") return undefined;
      out += r.value;
    }
  }
  return out.replace(/^\.\//, "").replace(/^\.$/, "") || undefined;
}

/** Decodes a literal base64 payload (user_data_base64, Azure custom_data) when it is text. */
function decodeBase64Script(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length < 8 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, "base64").toString("utf8");
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(decoded) && !decoded.includes("\ufffd") ? decoded : undefined;
}

/** Collects the scripts an expression hands to the machine, following wrappers, files, locals, variables and data sources. */
function scriptsOf(scope: Scope, expr: Expr, file: SourceFile, depth = 0): Script[] {
  if (depth > 8) return [];
  switch (expr.kind) {
    case "literal":
      return typeof expr.value === "string" ? [{ text: expr.value }] : [];
    case "template": {
      // `"${file("x.sh")}"` (JSON syntax writes every expression this way) is the expression itself.
      if (expr.parts.length === 1 && typeof expr.parts[0] !== "string") return scriptsOf(scope, expr.parts[0], file, depth + 1);
      // Unknown interpolations become a placeholder: the commands around them still read, and a message shows where one was.
      let text = "";
      let origin: Origin | undefined;
      for (const part of expr.parts) {
        if (typeof part === "string") text += part;
        else {
          const r = scope.resolve(part, file);
          if (typeof r?.value === "string" || typeof r?.value === "number") {
            text += String(r.value);
            origin ??= r.origin;
          } else text += "${…}";
        }
      }
      return [{ text, origin }];
    }
    case "call": {
      const [first] = expr.args;
      if (!first) return [];
      if (expr.name === "file" || expr.name === "templatefile") {
        const written = modulePath(scope, first, file);
        const read = written ? scope.readModuleFile(written, { file, range: first.range }) : undefined;
        return read?.text !== undefined && written ? [{ text: read.text, followed: { written, path: read.path } }] : [];
      }
      if (WRAPPERS.has(expr.name)) return scriptsOf(scope, first, file, depth + 1);
      return scriptsOfValue(scope, expr, file, depth);
    }
    case "traversal":
    case "splat":
      return scriptsOfReference(scope, expr, file, depth);
    case "conditional":
      return scriptsOfValue(scope, expr, file, depth);
    default:
      return [];
  }
}

/** Whether one of the scripts mutates the machine. */
const mutates = (scripts: Script[]) => scripts.some((s) => findMutation(s.text) !== undefined);

/**
 * The scripts of a value that may be one of several (a conditional, a variable given by a module
 * call): those of the first possible value when every one that is not empty mutates the machine,
 * otherwise those of one that does not (a script that only may run is not reported).
 */
function scriptsOfValue(scope: Scope, expr: Expr, file: SourceFile, depth: number): Script[] {
  const values = scope.follow(expr, file).filter((v) => v.expr !== expr || v.scope !== scope);
  let calm: Script[] = [];
  const chosen = everyValue(values, (value) => {
    const scripts = scriptsOf(value.scope, value.expr, value.file, depth + 1).map((s) => ({ ...s, origin: s.origin ?? value.origin }));
    if (mutates(scripts)) return scripts;
    calm = scripts;
    return undefined;
  });
  return chosen ?? calm;
}

/** Follows `local.x`, `var.x` and the rendered output of `cloudinit_config` / `template_file` data sources. */
function scriptsOfReference(scope: Scope, expr: Expr, file: SourceFile, depth: number): Script[] {
  const ref = referenceOf(expr);
  const [first, second] = ref?.path ?? [];
  if (ref?.root === "data" && typeof first === "string" && typeof second === "string") {
    const data = scope.findTopBlock("data", first, second);
    if (!data) return [];
    if (first === "cloudinit_config") {
      return data.block.body.blocks
        .filter((b) => b.type === "part")
        .flatMap((part) => {
          const content = attr(part.body, "content");
          return content ? scriptsOf(scope, content.expr, data.file, depth + 1) : [];
        });
    }
    if (first === "template_file") {
      const template = attr(data.block.body, "template");
      return template ? scriptsOf(scope, template.expr, data.file, depth + 1) : [];
    }
    return [];
  }
  const r = scope.resolve(expr, file);
  if (typeof r?.value === "string") return [{ text: r.value, origin: r.origin }];
  return ref?.root === "var" || ref?.root === "local" ? scriptsOfValue(scope, expr, file, depth) : [];
}

interface BootScriptSite {
  /** How the message names the site: `user_data`, `metadata "startup-script"`. */
  name: string;
  range: Range;
  expr: Expr;
  base64: boolean;
}

/** Boot script attributes and metadata keys in a body and its nested blocks. */
function bootSites(body: Body, file: SourceFile, out: BootScriptSite[]): void {
  for (const a of body.attributes) {
    if (BOOT_ATTRIBUTES.has(a.name))
      out.push({ name: a.name, range: a.range, expr: a.expr, base64: a.name === "user_data_base64" || a.name === "custom_data" });
    if (a.name === "metadata" && a.expr.kind === "object") {
      for (const entry of a.expr.entries) {
        if (entry.key === undefined || !BOOT_METADATA_KEYS.has(entry.key)) continue;
        out.push({
          name: `metadata "${entry.key}"`,
          range: rangeOf(file.lineStarts, entry.keyRange.startOffset, entry.value.range.endOffset),
          expr: entry.value,
          base64: false,
        });
      }
    }
  }
  // In JSON syntax a `metadata` object is also exposed as a block; its attributes are already seen above.
  for (const b of body.blocks) if (b.type !== "metadata") bootSites(b.body, file, out);
}

/**
 * Where a command of a script written in an expression (a string, a heredoc) stands in the file: the
 * same occurrence of its text in the expression as in the script. Undefined when the text differs
 * there (escapes, interpolations), and the caller then keeps the whole attribute.
 */
function locateCommand(file: SourceFile, range: Range, script: string, mutation: Mutation): Range | undefined {
  const command = script.slice(mutation.start, mutation.end);
  if (command.trim().length < 3) return undefined;
  let occurrence = 0;
  for (let i = script.indexOf(command); i >= 0 && i < mutation.start; i = script.indexOf(command, i + 1)) occurrence++;
  const written = file.text.slice(range.startOffset, range.endOffset);
  let at = -1;
  for (let n = 0; n <= occurrence; n++) {
    at = written.indexOf(command, at + 1);
    if (at < 0) return undefined;
  }
  return rangeOf(file.lineStarts, range.startOffset + at, range.startOffset + at + command.length);
}

/** The called module of the "through modules" examples, the same for the bad and the good call. */
const WEB_MODULE =
  'variable "user_data" {\n  type = string\n}\n\nresource "aws_launch_template" "web" {\n  name_prefix = "web-"\n  user_data   = base64encode(var.user_data)\n}\n';

export const noBootTimeMutation: Rule = {
  meta: {
    id: "no-boot-time-mutation",
    severity: "warning",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform"],
    docs: {
      summary:
        "Boot scripts (`user_data`, `custom_data`, `metadata_startup_script`, startup-script metadata) must not install packages, fetch code or run configuration management.",
      why:
        "An immutable machine runs exactly the image it was built from. A boot script that installs or upgrades packages (apt, yum, dnf, apk, zypper, pip, npm, gem), " +
        "pipes a download into a shell or downloads a file and runs it (`curl -O`, `wget`, `Invoke-WebRequest -OutFile`, then `sh`, `./`, `dpkg -i`, ...), " +
        "clones code or runs chef, puppet, ansible-pull or salt turns every boot into a build: machines started from the same image " +
        "at different times end up different, a mirror outage stops scaling, and what runs was never tested as an image. " +
        "Boot scripts should only pass per-instance settings; the rest belongs in the image (a Packer provisioner). " +
        "Scripts are read in strings, heredocs, `base64encode()`, locals, variables, `cloudinit_config` parts, and files read with `file()` or `templatefile()` at a literal path; " +
        "cloud-init documents are checked for `packages:`, `package_update: true` and `package_upgrade: true`.",
      reportedAt:
        "the offending command when the script is written in the attribute (a string or heredoc); otherwise the boot script attribute, " +
        "or the `startup-script` / `user-data` key of `metadata`, with the command's place in the file, local or variable it comes from",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = var.web_image\n  instance_type               = "t3.micro"\n  user_data_replace_on_change = true\n' +
            "  user_data                   = <<-EOT\n    #!/bin/bash\n    apt-get update\n    apt-get install -y nginx\n  EOT\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = var.web_image\n  instance_type               = "t3.micro"\n  user_data_replace_on_change = true\n' +
            '  user_data                   = <<-EOT\n    #!/bin/bash\n    echo "ENVIRONMENT=production" > /etc/web.env\n    systemctl restart web\n  EOT\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n',
        },
      ],
      throughModules: {
        arguments:
          "an input named for a boot script (`user_data`, `user_data_base64`, `custom_data`, `startup_script`, `*_user_data`) whose script does one of the things above.",
        bad: [
          {
            filename: "main.tf",
            code: 'module "web" {\n  source = "./modules/web"\n\n  user_data = <<-EOT\n    #!/bin/bash\n    apt-get install -y nginx\n  EOT\n}\n',
            files: { "modules/web/main.tf": WEB_MODULE },
          },
          {
            filename: "main.tf",
            code: 'module "runner" {\n  source  = "acme/runner/aws"\n  version = "2.0.3"\n\n  user_data = "#!/bin/sh\\ncurl -fsSL https://example.com/install.sh | sh\\n"\n}\n',
          },
        ],
        good: [
          {
            filename: "main.tf",
            code: 'module "web" {\n  source = "./modules/web"\n\n  user_data = <<-EOT\n    #!/bin/bash\n    echo "ENVIRONMENT=production" > /etc/web.env\n  EOT\n}\n',
            files: { "modules/web/main.tf": WEB_MODULE },
          },
        ],
      },
      fixSafety:
        "There is no automatic fix: the commands have to move into the image build (a Packer provisioner) and the boot script keep only per-instance settings.",
    },
    options: {},
  },
  check(context) {
    const checkSite = (site: BootScriptSite, file: SourceFile) => {
      for (const script of scriptsOf(context, site.expr, file)) {
        // A base64 payload written in place is decoded only when the text itself reads as no script.
        const decoded = site.base64 && !script.followed ? decodeBase64Script(script.text) : undefined;
        const inText = findMutation(script.text);
        const mutation = inText ?? (decoded === undefined ? undefined : findMutation(decoded));
        if (!mutation) continue;
        const related: Origin[] = [];
        let where = "";
        let range = site.range;
        if (script.followed) {
          where = `, ${script.followed.written} line ${mutation.line + 1}`;
          related.push({
            path: script.followed.path,
            range: rangeOf(computeLineStarts(script.text), mutation.start, mutation.end),
            description: `${script.followed.written} line ${mutation.line + 1}`,
          });
        } else if (script.origin) {
          // Written in a local or variable: the finding stays on the attribute, its origin points at the command.
          const home = [...context.module.files, ...context.module.varFiles].find((f) => f.path === script.origin!.path);
          const at = inText && home ? locateCommand(home, script.origin.range, script.text, mutation) : undefined;
          related.push(at ? { ...script.origin, range: at } : script.origin);
        } else if (inText) {
          // Written in place: the finding underlines the offending command, not the whole script.
          range = locateCommand(file, site.expr.range, script.text, mutation) ?? site.range;
        }
        context.report({
          file,
          range,
          message: `${site.name} ${KIND_TEXT[mutation.kind]} at boot ("${mutation.command}"${where}): machines from the same image end up different. Bake it into the image instead.`,
          related: related.length > 0 ? related : undefined,
        });
        return; // One finding per site: the first offending command is enough to act on.
      }
    };
    for (const { block, file } of context.checkBlocks("resource")) {
      const sites: BootScriptSite[] = [];
      bootSites(block.body, file, sites);
      for (const site of sites) checkSite(site, file);
    }
    // A module the engine cannot read is judged by its arguments: one named for a boot script.
    for (const call of context.moduleCallsNotFollowed()) {
      for (const argument of call.block.body.attributes) {
        if (!BOOT_SCRIPT_ARGUMENT.test(argument.name)) continue;
        const base64 = /base64|custom_data/.test(argument.name);
        checkSite({ name: `${argument.name} of module.${call.name}`, range: argument.range, expr: argument.expr, base64 }, call.file);
      }
    }
  },
};
