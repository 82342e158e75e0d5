// Runs the real formatters on texts: `terraform fmt` for Terraform files, `packer fmt` for Packer HCL2 files.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const INSTALL_HINT =
  "The rule tests check that every fix keeps formatted input formatted with the real `terraform fmt` and `packer fmt` " +
  "and never skip that check: install Terraform (https://developer.hashicorp.com/terraform/install) and Packer and put them on PATH.";

/** Which formatter reads a file name, or undefined for files neither formats (JSON). */
export function formatterFor(filename: string): "terraform" | "packer" | undefined {
  if (/\.pkr(vars)?\.hcl$/.test(filename)) return "packer";
  if (/\.(tf|tfvars)$/.test(filename)) return "terraform";
  return undefined;
}

function run(bin: string, args: string[], cwd: string, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      args,
      { cwd, timeout: 60_000, env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error(`${bin} was not found. ${INSTALL_HINT}`));
        if (error && typeof error.code !== "number") return reject(new Error(`${bin} ${args.join(" ")} failed to run: ${error.message}`));
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/**
 * The names of the given files that their formatter would change. Each name must be a plain file name
 * ending as the formatter expects (`.tf`, `.tfvars`, `.pkr.hcl`, `.pkrvars.hcl`). A file the formatter
 * cannot read (a syntax error) counts as not formatted.
 */
export async function unformatted(files: Array<{ name: string; text: string }>): Promise<Set<string>> {
  const out = new Set<string>();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "immutably-fmt-"));
  try {
    for (const kind of ["terraform", "packer"] as const) {
      const mine = files.filter((f) => formatterFor(f.name) === kind);
      if (mine.length === 0) continue;
      const sub = path.join(dir, kind);
      await fs.mkdir(sub);
      for (const f of mine) await fs.writeFile(path.join(sub, f.name), f.text);
      // Both list the files they would change and exit 3 (Terraform, Packer) when there are any.
      const args = kind === "terraform" ? ["fmt", "-check", "-list=true", "-no-color", "."] : ["fmt", "-check", "."];
      const result = await run(kind, args, sub);
      if (result.code !== 0 && result.code !== 3) {
        // A file that does not parse stops neither formatter from listing the others, but check one by one to be sure.
        for (const f of mine) {
          const single = await run(
            kind,
            kind === "terraform" ? ["fmt", "-check", "-list=true", "-no-color", f.name] : ["fmt", "-check", f.name],
            sub,
          );
          if (single.code !== 0) out.add(f.name);
        }
        continue;
      }
      for (const line of result.stdout.split(/\r?\n/)) {
        const name = path.basename(line.trim());
        if (name && mine.some((f) => f.name === name)) out.add(name);
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return out;
}

/** What the formatter makes of one text, to show in a failure. */
export async function formatted(name: string, text: string): Promise<string> {
  const kind = formatterFor(name);
  if (!kind) return text;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "immutably-fmt-"));
  try {
    await fs.writeFile(path.join(dir, name), text);
    await run(kind, ["fmt", name], dir);
    return await fs.readFile(path.join(dir, name), "utf8");
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
