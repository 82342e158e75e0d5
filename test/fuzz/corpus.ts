// Loads the fuzzer's seed files: examples, test fixtures, the fuzz corpus, and every rule's docs examples.
import fs from "node:fs";
import path from "node:path";
import { fileRole } from "../../server/src/engine/index.ts";
import { ruleDocExamples } from "../helpers/doc-examples.ts";

/** One seed: the file that gets mutated and the untouched files of its module (its folder). */
export interface Seed {
  /** Virtual absolute path under /fuzz, so module grouping and file() paths behave as on disk. */
  path: string;
  bytes: Uint8Array;
  siblings: Array<{ path: string; text: string }>;
}

const CORPUS_DIRS = ["examples", "test/fixtures", "test/fuzz/corpus"];

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Files the engine reads (configuration, variable files, JSON that may be legacy Packer). */
function engineReads(file: string): boolean {
  const role = fileRole(file);
  return role !== "other" && role !== "config";
}

/** Loads all seeds in a stable order, so a seed number means the same input on every machine. */
export function loadSeeds(root: string): Seed[] {
  const files: Array<{ path: string; text: string }> = [];
  for (const dir of CORPUS_DIRS) {
    for (const file of listFiles(path.join(root, dir))) {
      if (!engineReads(file)) continue;
      files.push({ path: "/fuzz/" + path.relative(root, file).split(path.sep).join("/"), text: fs.readFileSync(file, "utf8") });
    }
  }
  for (const example of ruleDocExamples()) files.push({ path: `/fuzz/docs/${example.name}`, text: example.code });
  const encoder = new TextEncoder();
  return files.map((f) => ({
    path: f.path,
    bytes: encoder.encode(f.text),
    siblings: files.filter((o) => o !== f && path.posix.dirname(o.path) === path.posix.dirname(f.path)),
  }));
}
