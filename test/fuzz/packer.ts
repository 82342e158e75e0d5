// Runs `packer validate -syntax-only` on a text in a scratch folder, when Packer is installed.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PackerValidate } from "./check.ts";

/** Finds `packer` on PATH; undefined when it is not installed, so the fuzzer can say the check was skipped. */
export function findPacker(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "packer");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder; keep looking.
    }
  }
  return undefined;
}

/**
 * A validator bound to one Packer binary. Each call writes the template alone into a fresh folder:
 * Packer 1.6.6 reads every .pkr.hcl of a folder, and a shared folder would mix inputs.
 */
export function packerValidator(packer: string, timeoutMs = 30_000): PackerValidate {
  return (filename, text) =>
    new Promise((resolve) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-fuzz-packer-"));
      const file = path.join(dir, path.basename(filename));
      fs.writeFileSync(file, text);
      // The checkpoint (update check) is a network call; it has no place in a test.
      const env = { ...process.env, CHECKPOINT_DISABLE: "1", PACKER_NO_COLOR: "1" };
      execFile(
        packer,
        ["validate", "-syntax-only", file],
        { cwd: dir, env, timeout: timeoutMs, encoding: "utf8" },
        (error, stdout, stderr) => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve(error ? `${error.killed ? "timed out; " : ""}${stdout}${stderr}`.trim() : undefined);
        },
      );
    });
}
