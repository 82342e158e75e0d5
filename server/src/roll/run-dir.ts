// The private folder of one generation's runs (`.immutably/runs/<name>`): tool output files and plan files, readable by this user only.
import fs from "node:fs";
import path from "node:path";

/** The run folder of a generation name, beside its history. */
export function runDirOf(historyDir: string, name: string): string {
  return path.join(historyDir, "runs", name);
}

/** Creates the folder (and its parents) private to this user, and makes an existing one private. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * Removes what an interrupted run left in its run folder: output files of its tools and a plan file
 * that holds variable values in clear text. Called with the generation's lock held, once no tool of
 * that run is running; returns the names removed.
 */
export function clearLeftovers(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  return names;
}
