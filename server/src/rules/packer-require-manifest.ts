// packer-require-manifest: every Packer build records its artifact with a manifest post-processor (or HCP Packer).
import { findNodeAtLocation, parseTree } from "jsonc-parser";
import { appendToHclBlock, jsonSet } from "../engine/edits.ts";
import { attr, blocksOf, literalValue } from "../engine/model.ts";
import type { Block, Rule, RuleContext, SourceFile, TextEdit } from "../engine/types.ts";
import { makesNoImage, packerBuilders, type PackerBuilder } from "./packer-unique-image-name.ts";

/**
 * The manifest post-processor the fix adds. `packer-manifest.json` is Packer's own default output and
 * where `immutably roll` reads the manifest by default; `strip_path` keeps build paths out of the record.
 */
const MANIFEST = { output: "packer-manifest.json", strip_path: true };

/** True when a build's own post-processors (alone or in a `post-processors` chain) include "manifest". */
function buildRecordsArtifact(build: Block): boolean {
  if (blocksOf(build.body, "hcp_packer_registry").length > 0) return true;
  const isManifest = (b: Block) => b.labels[0] === "manifest";
  if (blocksOf(build.body, "post-processor").some(isManifest)) return true;
  return blocksOf(build.body, "post-processors").some((chain) => blocksOf(chain.body, "post-processor").some(isManifest));
}

/**
 * Whether every source a build names makes no image (`skip_create_ami`, the `null` builder, ...), so it
 * has no artifact to record. A source the module does not define counts as making one.
 */
function buildMakesNoImage(context: RuleContext, build: Block, builders: PackerBuilder[]): boolean {
  const refs = new Set<string>();
  const sources = attr(build.body, "sources");
  const listed = sources ? literalValue(sources.expr) : undefined;
  if (Array.isArray(listed)) for (const ref of listed) if (typeof ref === "string") refs.add(ref.replace(/^source\./, ""));
  const nested = builders.filter((b) => b.nested && build.body.blocks.includes(b.block));
  for (const b of nested) if (b.sourceRef) refs.add(b.sourceRef);
  if (refs.size === 0) return false;
  return [...refs].every((ref) => {
    const builder = nested.find((b) => b.sourceRef === ref) ?? builders.find((b) => !b.nested && b.sourceRef === ref);
    return builder !== undefined && makesNoImage(context, builder, builders);
  });
}

/** Edits that add the manifest post-processor to an HCL or HCL2 JSON build block. */
function addManifestToBuild(file: SourceFile, build: Block): TextEdit[] {
  if (file.syntax === "hcl") {
    return appendToHclBlock(file, build, [
      "",
      'post-processor "manifest" {',
      `  output     = "${MANIFEST.output}"`,
      "  strip_path = true",
      "}",
    ]);
  }
  const existing = attr(build.body, "post-processor");
  const path = [...build.jsonPath!, "post-processor"];
  if (!existing) return jsonSet(file, path, { manifest: MANIFEST });
  if (existing.expr.kind === "object") return jsonSet(file, [...path, "manifest"], MANIFEST);
  // A JSON array of post-processor objects: append one more, which jsonc-parser spells as index -1.
  if (existing.expr.kind === "tuple") return jsonSet(file, [...path, -1], { manifest: MANIFEST });
  return [];
}

/** Edits that add `{"type": "manifest", ...}` to a legacy template's `post-processors` (created when missing). */
function addManifestToLegacy(file: SourceFile): TextEdit[] {
  const entry = { type: "manifest", ...MANIFEST };
  const root = parseTree(file.text);
  const node = root && findNodeAtLocation(root, ["post-processors"]);
  if (!node) return jsonSet(file, ["post-processors"], [entry]);
  return node.type === "array" ? jsonSet(file, ["post-processors", -1], entry) : [];
}

export const packerRequireManifest: Rule = {
  meta: {
    id: "packer-require-manifest",
    severity: "warning",
    recommended: true,
    fix: "safe",
    appliesTo: ["packer"],
    docs: {
      summary:
        'Every Packer `build` must record its artifact with a `post-processor "manifest"` (or publish it to HCP Packer with `hcp_packer_registry`).',
      why:
        "Immutable infrastructure rolls forward by image id: the deployment is told which image to run, and a rollback is the " +
        "previous id. The manifest post-processor writes the id of every artifact a build produces (with the build time and a " +
        "run UUID) to a file, and that record is what the roll reads to promote a generation. Without it the only trace of a " +
        'generation is a log line, and the next step has to look the image up by name or by "newest", which is exactly the ' +
        "mutable lookup immutable infrastructure avoids. `hcp_packer_registry` keeps the same record in HCP Packer and counts too. " +
        "In a legacy JSON template the whole template is one build and its `post-processors` list is checked (a bare " +
        '`"manifest"` and a manifest inside a chain count). A build none of whose sources makes an image (the `null` builder, ' +
        "`skip_create_ami = true` on amazon-*, `skip_create_image = true` on googlecompute and azure-*) has nothing to record and is left alone.",
      reportedAt: "the build block header (legacy JSON: the `builders` key)",
      bad: [
        {
          filename: "web.pkr.hcl",
          code: 'build {\n  sources = ["source.amazon-ebs.web"]\n\n  provisioner "shell" {\n    script = "setup.sh"\n  }\n}\n',
        },
        {
          filename: "web.json",
          code: '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}",\n      "instance_type": "t3.micro",\n      "region": "eu-west-1",\n      "source_ami": "ami-0abcdef1234567890",\n      "ssh_username": "ubuntu"\n    }\n  ]\n}\n',
        },
      ],
      good: [
        {
          filename: "web.pkr.hcl",
          code:
            'build {\n  sources = ["source.amazon-ebs.web"]\n\n  provisioner "shell" {\n    script = "setup.sh"\n  }\n\n' +
            '  post-processor "manifest" {\n    output     = "packer-manifest.json"\n    strip_path = true\n  }\n}\n',
        },
        {
          filename: "web.json",
          code:
            '{\n  "builders": [\n    {\n      "type": "amazon-ebs",\n      "ami_name": "web-{{timestamp}}",\n      "instance_type": "t3.micro",\n      "region": "eu-west-1",\n      "source_ami": "ami-0abcdef1234567890",\n      "ssh_username": "ubuntu"\n    }\n  ],\n' +
            '  "post-processors": [\n    {\n      "type": "manifest",\n      "output": "packer-manifest.json",\n      "strip_path": true\n    }\n  ]\n}\n',
        },
      ],
      fixSafety:
        'Safe: it adds `post-processor "manifest" { output = "packer-manifest.json" strip_path = true }` at the end of the build (legacy ' +
        'JSON: `{"type": "manifest", "output": "packer-manifest.json", "strip_path": true}` at the end of `post-processors`). ' +
        "`packer-manifest.json` is Packer's default output name and where `immutably roll` looks for the manifest. " +
        "The post-processor only writes a file next to the template; the image and the other post-processors are unchanged. " +
        "The tests check every fixed template with `packer validate -syntax-only`, which for legacy JSON also checks the " +
        "post-processor structure.",
    },
    options: {},
  },
  check(context) {
    const builders = packerBuilders(context);
    if (context.module.legacyPacker) {
      const [first] = context.topBlocks("builders");
      if (!first) return; // No builder, no artifact to record.
      if (builders.every((b) => makesNoImage(context, b, builders))) return;
      const recorded = context.topBlocks("post-processors").some(({ block }) => {
        const type = attr(block.body, "type");
        return type !== undefined && literalValue(type.expr) === "manifest";
      });
      if (recorded) return;
      const edits = addManifestToLegacy(first.file);
      context.report({
        file: first.file,
        range: first.block.headerRange,
        message:
          'This template records no artifact: its post-processors have no "manifest", so the image of this generation is not written down for the roll. Add a manifest post-processor.',
        fix: edits.length
          ? { title: "Add a manifest post-processor", kind: "safe", changes: [{ path: first.file.path, edits }] }
          : undefined,
      });
      return;
    }
    for (const { block, file } of context.topBlocks("build")) {
      if (buildRecordsArtifact(block) || buildMakesNoImage(context, block, builders)) continue;
      const edits = addManifestToBuild(file, block);
      const name = attr(block.body, "name");
      const nameValue = name ? literalValue(name.expr) : undefined;
      context.report({
        file,
        range: block.headerRange,
        message: `Build${typeof nameValue === "string" ? ` "${nameValue}"` : ""} records no artifact: it has no post-processor "manifest" and no hcp_packer_registry, so the image of this generation is not written down for the roll. Add post-processor "manifest".`,
        fix: edits.length ? { title: 'Add post-processor "manifest"', kind: "safe", changes: [{ path: file.path, edits }] } : undefined,
      });
    }
  },
};
