// Warms the language server's edit path once it is idle after start.
//
// The first keystrokes after a server starts run the edit path (incremental parse, reuse of unchanged
// blocks, rules) before V8 has optimised it: in-process, the first 20 edits of a 3,000-line file
// took 378–734 ms in all, about twice what they take once warm. Editing a small built-in document
// (never on disk, never published) for a moment after the workspace lint moves that cost to a time
// nobody types, in steps that yield to real requests.
import os from "node:os";
import path from "node:path";
import type { LintHost, Linter, ResolvedConfig } from "../engine/index.ts";

/** A path no workspace holds: the document exists only in memory. */
export const WARM_UP_PATH = path.join(os.tmpdir(), `immutably-warm-up-${process.pid}`, "main.tf");

/** A document with the blocks the rules look at most: instances, templates, images, lifecycles. */
export function warmUpDocument(blocks = 40): string {
  const out: string[] = ["# immutably's warm-up document: edited in memory once the server has started.", ""];
  for (let i = 0; i < blocks; i++) {
    switch (i % 4) {
      case 0:
        out.push(`resource "digitalocean_droplet" "web_${i}" {`, "  image  = var.web_image", `  name   = "web-${i}"`, '  region = "ams3"', "", "  lifecycle {", "    create_before_destroy = true", "  }", "}", "");
        break;
      case 1:
        out.push(`resource "aws_instance" "app_${i}" {`, '  ami           = "ami-0123456789abcdef0"', '  instance_type = "t3.micro"', '  user_data     = "#!/bin/sh\\necho ready\\n"', "}", "");
        break;
      case 2:
        out.push(`resource "aws_launch_template" "lt_${i}" {`, `  name_prefix   = "lt-${i}-"`, "  image_id      = data.aws_ami.base.id", "", "  lifecycle {", "    create_before_destroy = true", "  }", "}", "");
        break;
      default:
        out.push(`resource "google_compute_instance_template" "tpl_${i}" {`, `  name_prefix  = "tpl-${i}-"`, '  machine_type = "e2-small"', "", "  disk {", '    source_image = "projects/debian-cloud/global/images/family/debian-12"', "  }", "}", "");
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

export interface WarmUpResult {
  edits: number;
  milliseconds: number;
}

/**
 * Lints `edits` edits of the warm-up document, yielding between them, and then drops the document
 * from the linter's parse cache. Stops early when `stop()` says so (the server shuts down) or after
 * `budgetMs` of wall time.
 */
export async function warmUpEditPath(
  linter: Linter,
  config: ResolvedConfig,
  { edits = 120, budgetMs = 1500, stop = () => false, yieldTo = () => new Promise<void>((resolve) => setImmediate(resolve)) }: { edits?: number; budgetMs?: number; stop?: () => boolean; yieldTo?: () => Promise<void> } = {},
): Promise<WarmUpResult> {
  const started = performance.now();
  const host: LintHost = { readFile: () => undefined };
  const keep = new Set([WARM_UP_PATH]);
  const base = warmUpDocument();
  let done = 0;
  try {
    await linter.lint([{ path: WARM_UP_PATH, text: base }], config, host, { skipExactSyntax: true, keepTreesFor: keep });
    for (let i = 0; i < edits; i++) {
      if (stop() || performance.now() - started > budgetMs) break;
      await yieldTo();
      await linter.lint([{ path: WARM_UP_PATH, text: warmUpEdit(base, i) }], config, host, { skipExactSyntax: true, keepTreesFor: keep });
      done++;
    }
  } finally {
    linter.forgetCached(WARM_UP_PATH);
  }
  return { edits: done, milliseconds: performance.now() - started };
}
