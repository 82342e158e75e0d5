// The engine's workspace policy as pure functions over a file system the test hands in: the walk, ignore_paths, the config lookup and the read root.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  findConfigFile,
  ignoreMatcher,
  readRoot,
  walkLintableFiles,
  type FolderEntry,
  type WalkFs,
} from "../../../server/src/engine/index.ts";

/** A file system of folders (path → entries) with canonical paths given for links. */
function fakeFs(folders: Record<string, FolderEntry[]>, realpaths: Record<string, string> = {}): WalkFs {
  return {
    realpath: (p) => realpaths[p] ?? p,
    list: (p) => {
      const entries = folders[p];
      if (!entries) throw Object.assign(new Error("denied"), { code: "EACCES" });
      return entries;
    },
  };
}

function walk(fs: WalkFs, start: string, within: string, ignore: string[] = []) {
  const folders: Array<[string, string[]]> = [];
  const problems: string[] = [];
  const isIgnored = ignoreMatcher(start, ignore);
  walkLintableFiles(start, fs, {
    within,
    isIgnored,
    onFolder: (dir, files) => folders.push([dir, files]),
    onProblem: (p) => problems.push(`${p.path}: ${p.message}`),
  });
  return { folders, problems };
}

describe("workspace policy", () => {
  it("walks lintable files by name, skipping tool folders, other files and the config file", () => {
    const fs = fakeFs({
      "/r": [
        { name: "main.tf", kind: "file" },
        { name: ".immutably.hcl", kind: "file" },
        { name: "README.md", kind: "file" },
        { name: "pipe.tf", kind: "other" },
        { name: ".terraform", kind: "folder" },
        { name: "node_modules", kind: "folder" },
        { name: ".git", kind: "folder" },
        { name: "mod", kind: "folder" },
      ],
      "/r/mod": [
        { name: "b.tf.json", kind: "file" },
        { name: "a.pkr.hcl", kind: "file" },
        { name: "x.json", kind: "file" },
      ],
    });
    assert.deepEqual(walk(fs, "/r", "/r"), {
      // A FIFO or device with a lintable name is handed on, for the reader to refuse and report.
      folders: [
        ["/r/mod", ["/r/mod/a.pkr.hcl", "/r/mod/b.tf.json", "/r/mod/x.json"]],
        ["/r", ["/r/main.tf", "/r/pipe.tf"]],
      ],
      problems: [],
    });
  });

  it("follows links inside the root once, and reports links leading outside it, loops, broken links and unreadable folders", () => {
    const fs = fakeFs(
      {
        "/r": [
          { name: "alias.tf", kind: "file", linkTarget: "/r/main.tf" },
          { name: "main.tf", kind: "file" },
          { name: "out.tf", kind: "file", linkTarget: "/etc/passwd.tf" },
          { name: "outdir", kind: "folder", linkTarget: "/home/someone" },
          { name: "self", kind: "folder", linkTarget: "/r" },
          { name: "gone.tf", kind: "broken-link" },
          { name: "locked", kind: "folder" },
        ],
      },
      { "/r/self": "/r" },
    );
    assert.deepEqual(walk(fs, "/r", "/r"), {
      folders: [["/r", ["/r/alias.tf", "/r/main.tf"]]],
      problems: [
        "/r/gone.tf: skipped: broken symbolic link",
        "/r/locked: cannot read folder: EACCES",
        "/r/out.tf: skipped: symbolic link leads outside /r",
        "/r/outdir: skipped: symbolic link leads outside /r",
        "/r/self: skipped: symbolic link loop (folder already visited)",
      ],
    });
  });

  it("ignore_paths: globs relative to the root; a folder pattern ignores what is below it; nothing outside the root", () => {
    const ignored = ignoreMatcher("/r", ["legacy/", "scratch/*.tf", "**/gen/**"]);
    assert.equal(ignored("/r/legacy/a.tf"), true);
    assert.equal(ignored("/r/legacy/deep/a.tf"), true);
    assert.equal(ignored("/r/legacy", true), true);
    assert.equal(ignored("/r/scratch/a.tf"), true);
    assert.equal(ignored("/r/scratch/deeper/a.tf"), false);
    assert.equal(ignored("/r/mod/gen/a.tf"), true);
    assert.equal(ignored("/r/main.tf"), false);
    assert.equal(ignored("/r", true), false);
    assert.equal(ignored("/elsewhere/legacy/a.tf"), false);
    assert.equal(ignoreMatcher("/r", [])("/r/legacy/a.tf"), false);
  });

  it("finds the nearest .immutably.hcl up from a folder", () => {
    const files = new Set(["/r/.immutably.hcl", "/r/sub/.immutably.hcl"]);
    assert.equal(
      findConfigFile("/r/sub/deep", (p) => files.has(p)),
      "/r/sub/.immutably.hcl",
    );
    assert.equal(
      findConfigFile("/r/other", (p) => files.has(p)),
      "/r/.immutably.hcl",
    );
    assert.equal(
      findConfigFile("/elsewhere", (p) => files.has(p)),
      undefined,
    );
  });

  it("the read root is the repository, else the innermost linted or workspace folder, else the folder itself", () => {
    const repos = new Set(["/repo"]);
    const isRepo = (p: string) => repos.has(p);
    assert.equal(readRoot("/repo/modules/web", ["/repo/modules"], isRepo), "/repo");
    assert.equal(readRoot("/ws/modules/web", ["/ws", "/ws/modules"], isRepo), "/ws/modules");
    assert.equal(readRoot("/loose/web", ["/ws"], isRepo), "/loose/web");
  });
});
