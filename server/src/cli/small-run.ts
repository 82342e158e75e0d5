// The options of `immutably lint`, and whether a run is small enough for V8's baseline WASM compiler.
// Shared by the bin's loader (dist/cli.js), which must decide before it compiles the bundle, and the
// CLI itself: V8 stamps its flags into a code cache, so a flag set halfway through a run would make
// the next run reject the cache it wrote.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { usesTreeSitter } from "../engine/hcl/parser-choice.ts";

export const LINT_OPTIONS = {
  format: { type: "string", default: "stylish" },
  fix: { type: "boolean", default: false },
  "max-warnings": { type: "string" },
  config: { type: "string" },
  "report-unused-ignores": { type: "boolean", default: false },
  threads: { type: "string" },
  cache: { type: "boolean", default: false },
  "cache-location": { type: "string" },
  "whole-folders": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Files at most this large in total are linted with V8's baseline WASM compiler only. */
export const SMALL_RUN_BYTES = 256 * 1024;

/**
 * When every path is a file and they are small (a pre-commit hook, one file from an editor-less
 * shell), tree-sitter's WASM is best compiled with V8's baseline compiler only: measured here, it
 * halves the CPU time of such a run, because optimising the grammar costs more than it saves on
 * little input. Folder scans keep the default, where optimised code pays off.
 */
export function isSmallRun(paths: string[]): boolean {
  let total = 0;
  for (const p of paths) {
    try {
      const st = fs.statSync(p);
      if (!st.isFile()) return false;
      total += st.size;
    } catch {
      return false;
    }
  }
  return total <= SMALL_RUN_BYTES;
}

/**
 * `--whole-folders`: each path stands for its folder (a file, or a file that no longer exists, for the
 * folder that holds it), and a folder that no longer exists for nothing. A pre-commit hook passes the
 * files that changed, but a module is a folder: a change in one file can raise a finding in another.
 */
export function wholeFolders(paths: string[]): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    for (const candidate of [p, path.dirname(p)]) {
      try {
        if (fs.statSync(candidate).isDirectory()) {
          folders.add(candidate);
          break;
        }
      } catch {
        // Gone: its folder is tried next, then nothing.
      }
    }
  }
  return [...folders];
}

/** The paths `immutably lint` would read for these arguments (after `lint`), resolved against `cwd`; undefined when they do not parse. */
export function lintPaths(args: string[], cwd: string): string[] | undefined {
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: LINT_OPTIONS });
    const paths = (positionals.length ? positionals : ["."]).map((p) => path.resolve(cwd, p));
    if (!values["whole-folders"]) return paths;
    // The files directly in each folder (every file: a little more than is linted, never less).
    return wholeFolders(paths).flatMap((dir) =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(dir, e.name)),
    );
  } catch {
    return undefined;
  }
}

/**
 * Sets V8's baseline-only WASM compilation for a small lint run with tree-sitter (the own reader runs
 * no WASM); true when it did. Setting it again is harmless.
 */
export function preferBaselineWasmForSmallRun(paths: string[] | undefined): boolean {
  if (!usesTreeSitter() || !paths || !isSmallRun(paths)) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the module costs a cold run about a millisecond.
  (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--liftoff-only");
  return true;
}
