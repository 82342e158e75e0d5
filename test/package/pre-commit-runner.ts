// Runs the pre-commit hooks (.pre-commit-hooks.yaml) the way the pre-commit framework runs them. The
// framework itself (Python, from PyPI) cannot be installed here, so its two steps are emulated:
// installing a node hook (npm install and npm pack in this repository, which `packed()` does, then
// `npm install -g <tarball>` into the hook's own prefix) and running it (the entry split into words,
// then the hook's args, then the staged files that match `files`, in the repository's root, with
// PRE_COMMIT=1; one process when require_serial).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { packed, ROOT, runIn, type Run } from "./packed.ts";

export interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
  args?: string[];
  [key: string]: unknown;
}

export const hooks = parse(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
export const hook = (id: string) => hooks.find((h) => h.id === id)!;

let envBin: string | undefined;

/** The hook's node environment, as pre-commit installs it (once per process): its bin folder. */
export function hookEnvironment(): string {
  if (envBin) return envBin;
  const { tarball, installDir } = packed();
  const prefix = fs.mkdtempSync(path.join(installDir, "pre-commit-node-env-"));
  const r = runIn(installDir, "npm", ["install", "-g", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
    NPM_CONFIG_PREFIX: prefix,
    npm_config_prefix: prefix,
  });
  assert.equal(r.code, 0, r.stderr);
  return (envBin = path.join(prefix, "bin"));
}

/** A git repository with a first commit of `files`. */
export function repository(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(packed().installDir, "hooked-repo-"));
  const git = (...args: string[]) => {
    const r = runIn(dir, "git", args, {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  git("init", "-q");
  write(dir, files);
  git("add", "-A");
  git("commit", "-q", "-m", "first");
  return dir;
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/**
 * Stages `files` and runs one hook as `pre-commit run <id>` would on the staged files, with a
 * project's settings for it (`args`, `files`... from .pre-commit-config.yaml) over the manifest's;
 * undefined when no file matches (the hook is skipped).
 */
export function runHook(
  dir: string,
  id: string,
  files: Record<string, string>,
  config: Partial<Hook> = {},
): (Run & { argv: string[] }) | undefined {
  write(dir, files);
  assert.equal(runIn(dir, "git", ["add", "-A"]).code, 0);
  // pre-commit's list of staged files: added, copied, modified, renamed, type-changed, unmerged...; not deleted.
  const staged = runIn(dir, "git", ["diff", "--cached", "--name-only", "--diff-filter=ACMRTUXB", "-z"]).stdout.split("\0").filter(Boolean);
  const h = { ...hook(id), ...config };
  const matching = staged.filter((f) => new RegExp(h.files).test(f));
  if (matching.length === 0) return undefined;
  assert.ok(!/["'\\]/.test(h.entry), "the entry is split on spaces here, as shlex would split it");
  const [cmd, ...entryArgs] = h.entry.split(/\s+/);
  const argv = [...entryArgs, ...(h.args ?? []), ...(h.pass_filenames === false ? [] : matching)];
  const bin = hookEnvironment();
  const r = runIn(dir, path.join(bin, cmd), argv, { PRE_COMMIT: "1", PATH: `${bin}${path.delimiter}${process.env.PATH}` });
  return { ...r, argv };
}
