// Warms the language server's edit path once the open documents have their first diagnostics.
//
// The first keystrokes after a server starts run the edit path (incremental parse, reuse of unchanged
// blocks, rules, conversion to diagnostics) before V8 has optimised it: in-process, the first 20 edits
// of a 3,000-line file took 378–734 ms in all, about twice what they take once warm. Editing a copy
// of the largest open document (or, with none open or only small ones, a built-in one) in memory, never on disk
// and never published, moves that cost to a moment nobody types, in steps that yield to real
// requests. A copy of the real document matters: warmed on the built-in one only, the first 25 edits
// of the 3,000-line file still took 10–20 ms each; warmed on its copy, 5–7 ms from the first edit.
import os from "node:os";
import path from "node:path";
import type { Finding, LintHost, Linter, ResolvedConfig } from "../engine/index.ts";

/** A path no workspace holds: the document exists only in memory. */
export const WARM_UP_PATH = path.join(os.tmpdir(), `immutably-warm-up-${process.pid}`, "main.tf");

/** A document with the blocks the rules look at most: instances, templates, images, lifecycles. */
export function warmUpDocument(blocks = 40): string {
  const out: string[] = ["# immutably's warm-up document: edited in memory once the server has started.", ""];
  for (let i = 0; i < blocks; i++) {
    switch (i % 4) {
      case 0:
        out.push(
          `resource "digitalocean_droplet" "web_${i}" {`,
          "  image  = var.web_image",
          `  name   = "web-${i}"`,
          '  region = "ams3"',
          "",
          "  lifecycle {",
          "    create_before_destroy = true",
          "  }",
          "}",
          "",
        );
        break;
      case 1:
        out.push(
          `resource "aws_instance" "app_${i}" {`,
          '  ami           = "ami-0123456789abcdef0"',
          '  instance_type = "t3.micro"',
          '  user_data     = "#!/bin/sh\\necho ready\\n"',
          "}",
          "",
        );
        break;
      case 2:
        out.push(
          `resource "aws_launch_template" "lt_${i}" {`,
          `  name_prefix   = "lt-${i}-"`,
          "  image_id      = data.aws_ami.base.id",
          "",
          "  lifecycle {",
          "    create_before_destroy = true",
          "  }",
          "}",
          "",
        );
        break;
      default:
        out.push(
          `resource "google_compute_instance_template" "tpl_${i}" {`,
          `  name_prefix  = "tpl-${i}-"`,
          '  machine_type = "e2-small"',
          "",
          "  disk {",
          '    source_image = "projects/debian-cloud/global/images/family/debian-12"',
          "  }",
          "}",
          "",
        );
    }
  }
  return out.join("\n");
}

/** The text after edit `i`: typing and deleting in a value, then adding and removing a line, in turn. */
export function warmUpEdit(base: string, i: number): string {
  const inValue = base.indexOf('"web-0"') + 5;
  const lineStart = base.indexOf('resource "aws_instance"');
  switch (i % 4) {
    case 0:
      return base.slice(0, inValue) + "x" + base.slice(inValue);
    case 2:
      return base.slice(0, lineStart) + "# note\n" + base.slice(lineStart);
    default:
      return base;
  }
}

/** The largest open document that is worth warming on: HCL (a comment line keeps it valid), at most this size. */
export const SAMPLE_MAX_CHARS = 256 * 1024;

/**
 * The text after edit `i` of an open document's copy: a comment line inserted at its start (which
 * moves every block, as typing near the top does) or in its middle (one block changes), then removed.
 * A comment line is valid anywhere a line starts in HCL, and inside a heredoc it is only text.
 */
export function sampleEdit(base: string, i: number): string {
  if (i % 2 === 1) return base;
  const at = i % 4 === 0 ? (base.charCodeAt(0) === 0xfeff ? 1 : 0) : base.indexOf("\n", base.length >> 1) + 1;
  return base.slice(0, at) + "# immutably warm-up\n" + base.slice(at);
}

/**
 * Picks the warm-up sample among open documents: the largest `.tf` or `.pkr.hcl` text up to
 * SAMPLE_MAX_CHARS. A document smaller than the built-in one is not picked: its edits are cheap even
 * cold, and the built-in document exercises more rules.
 */
export function pickSample(open: { path: string; text: string }[]): { path: string; text: string } | undefined {
  const minChars = warmUpDocument().length;
  let best: { path: string; text: string } | undefined;
  for (const doc of open) {
    if (!/\.(tf|pkr\.hcl)$/.test(doc.path) || doc.text.length > SAMPLE_MAX_CHARS || doc.text.length < minChars) continue;
    if (!best || doc.text.length > best.text.length) best = doc;
  }
  return best;
}

export interface WarmUpResult {
  edits: number;
  milliseconds: number;
}

export interface WarmUpOptions {
  edits?: number;
  budgetMs?: number;
  /** Stops before the next edit when true: the server shuts down, or someone typed. */
  stop?: () => boolean;
  yieldTo?: () => Promise<void>;
  /** The text of an open document (see pickSample) to edit a copy of, instead of the built-in document. */
  sample?: string;
  /** Called with each edit's findings, as publishing converts them (the conversion is part of the edit path). */
  convert?: (findings: Finding[]) => void;
}

/**
 * Lints `edits` edits of the warm-up document, yielding between them, and then drops the document
 * from the linter's parse cache. Stops early when `stop()` says so or after `budgetMs` of wall time.
 * The document is linted alone under WARM_UP_PATH, so the open document's module is never touched.
 */
export async function warmUpEditPath(linter: Linter, config: ResolvedConfig, options: WarmUpOptions = {}): Promise<WarmUpResult> {
  const {
    edits = 120,
    budgetMs = 1500,
    stop = () => false,
    yieldTo = () => new Promise<void>((resolve) => setImmediate(resolve)),
    sample,
    convert,
  } = options;
  const started = performance.now();
  const host: LintHost = { readFile: () => undefined };
  const keep = new Set([WARM_UP_PATH]);
  const base = sample ?? warmUpDocument();
  const edit = sample === undefined ? warmUpEdit : sampleEdit;
  let done = 0;
  try {
    await linter.lint([{ path: WARM_UP_PATH, text: base }], config, host, { skipExactSyntax: true, keepTreesFor: keep });
    for (let i = 0; i < edits; i++) {
      if (stop() || performance.now() - started > budgetMs) break;
      await yieldTo();
      const result = await linter.lint([{ path: WARM_UP_PATH, text: edit(base, i) }], config, host, {
        skipExactSyntax: true,
        keepTreesFor: keep,
      });
      convert?.(result.findings);
      done++;
    }
  } finally {
    linter.forgetCached(WARM_UP_PATH);
  }
  return { edits: done, milliseconds: performance.now() - started };
}
