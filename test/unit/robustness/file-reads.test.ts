// What `file()` / `templatefile()` may read, through the real CLI (main thread and workers): only regular files inside the repository, under the size limit; a refusal is a finding and nothing from outside is quoted.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { CLI } from "../../helpers/cli.ts";
import { watchRss } from "../../helpers/rss-watchdog.ts";

/** A CLI run that reads a device or waits on a FIFO is killed after this long, or past this much memory. */
const TIMEOUT_MS = 60_000;
const RSS_LIMIT_MB = 1024;
const SECRET = "leaked-secret-package";
const posix = process.platform !== "win32";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  peakMb: number;
  overMemory: boolean;
}

/** Runs the CLI, killing it when it hangs or its memory grows past the limit (both are failures here). */
function lint(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "lint", ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    const watch = watchRss(child.pid!, RSS_LIMIT_MB);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      watch.stop();
      resolve({ code, stdout, stderr, timedOut, peakMb: watch.peakMb(), overMemory: watch.exceeded() });
    });
  });
}

interface Finding {
  ruleId: string;
  message: string;
  path: string;
  line: number;
  column: number;
  related?: Array<{ path: string }>;
}

async function lintJson(cwd: string, args: string[] = []): Promise<{ findings: Finding[]; skipped: unknown[]; raw: string }> {
  const r = await lint(cwd, ["--format", "json", ...args]);
  assert.equal(r.timedOut, false, `the CLI hung (killed after ${TIMEOUT_MS} ms); stderr: ${r.stderr}`);
  assert.equal(r.overMemory, false, `the CLI went over ${RSS_LIMIT_MB} MB (killed at ${r.peakMb.toFixed(0)} MB)`);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}; stderr: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { findings: Finding[]; skipped: unknown[] };
  return { ...report, raw: r.stdout };
}

/** An instance whose user_data is `file(<expr>)`; nothing else in it is flagged. */
const instance = (name: string, pathExpr: string) =>
  `resource "aws_instance" "${name}" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = file(${pathExpr})\n  user_data_replace_on_change = true\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`;

/** A repository-less folder to lint, and a folder beside it holding a script that must never be read. */
function layout(files: Record<string, string> | ((outside: string) => Record<string, string>)): { repo: string; outside: string } {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "immutably-reads-")));
  const outside = path.join(base, "outside");
  const repo = path.join(base, "repo");
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, "secret.sh"), `#!/bin/sh\napt-get install -y ${SECRET}\n`);
  for (const [name, text] of Object.entries(typeof files === "function" ? files(outside) : files)) {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), text);
  }
  return { repo, outside };
}

const refusals = (findings: Finding[]) =>
  findings.filter((f) => f.ruleId === "file-read-refused").map((f) => [f.path, f.line, f.column, f.message]);

describe("file() reads through the CLI", () => {
  it("/dev/zero is refused without being read (it drove the CLI to 16 GB)", { skip: posix ? false : "no /dev/zero" }, async () => {
    const { repo } = layout({ "main.tf": instance("web", '"/dev/zero"') });
    const out = await lintJson(repo);
    assert.deepEqual(refusals(out.findings), [
      ["main.tf", 3, 38, `"/dev/zero" was not read (outside ${repo}), so no rule checked what it holds.`],
    ]);
  });

  it(
    "a link inside the repository to /dev/zero, and a FIFO, are refused as not regular files, without hanging",
    { skip: posix ? false : "no FIFOs" },
    async () => {
      const { repo } = layout({ "main.tf": instance("zero", '"zero.sh"') + instance("pipe", '"${path.module}/pipe.sh"') });
      fs.symlinkSync("/dev/zero", path.join(repo, "zero.sh"));
      spawnSync("mkfifo", [path.join(repo, "pipe.sh")]);
      assert.ok(fs.statSync(path.join(repo, "pipe.sh")).isFIFO(), "mkfifo failed");
      const out = await lintJson(repo);
      assert.deepEqual(refusals(out.findings), [
        ["main.tf", 3, 38, `"zero.sh" was not read (outside ${repo}), so no rule checked what it holds.`],
        ["main.tf", 12, 38, `"pipe.sh" was not read (not a regular file), so no rule checked what it holds.`],
      ]);
    },
  );

  for (const threads of ["1", "2"]) {
    it(`a script outside the repository (absolute, ../, or through a link) is refused and never quoted (--threads ${threads})`, async () => {
      const { repo, outside } = layout((outside) => ({
        "main.tf":
          instance("absolute", JSON.stringify(path.join(outside, "secret.sh"))) +
          instance("relative", '"../outside/secret.sh"') +
          instance("linked", '"scripts/secret.sh"'),
      }));
      fs.mkdirSync(path.join(repo, "scripts"));
      fs.symlinkSync(path.join(outside, "secret.sh"), path.join(repo, "scripts", "secret.sh"));
      const out = await lintJson(repo, ["--threads", threads]);
      assert.deepEqual(refusals(out.findings), [
        [
          "main.tf",
          3,
          38,
          `${JSON.stringify(path.join(outside, "secret.sh"))} was not read (outside ${repo}), so no rule checked what it holds.`,
        ],
        ["main.tf", 12, 38, `"../outside/secret.sh" was not read (outside ${repo}), so no rule checked what it holds.`],
        ["main.tf", 21, 38, `"scripts/secret.sh" was not read (outside ${repo}), so no rule checked what it holds.`],
      ]);
      assert.equal(out.findings.length, 3, JSON.stringify(out.findings));
      assert.ok(!out.raw.includes(SECRET), "the outside script's content was quoted");
      const sarif = await lint(repo, ["--format", "sarif", "--threads", threads]);
      assert.ok(sarif.code === 0 || sarif.code === 1, sarif.stderr);
      assert.ok(!sarif.stdout.includes(SECRET), "the outside script's content was quoted in SARIF");
    });
  }

  it("a script over max_file_bytes is refused with the limit named", async () => {
    const { repo } = layout({
      ".immutably.hcl": "max_file_bytes = 4096\n",
      "main.tf": instance("web", '"big.sh"'),
      "big.sh": `#!/bin/sh\n${"# padding\n".repeat(500)}`,
    });
    const out = await lintJson(repo);
    assert.deepEqual(refusals(out.findings), [
      [
        "main.tf",
        3,
        38,
        `"big.sh" was not read (${10 + 500 * 10} bytes is over the limit of 4096 (setting max_file_bytes)), so no rule checked what it holds.`,
      ],
    ]);
  });

  it("inside a git repository, a script elsewhere in it is read (the repository is the root, not the linted folder)", async () => {
    const { repo } = layout({
      "infra/main.tf": instance("web", '"../scripts/init.sh"'),
      "scripts/init.sh": "#!/bin/sh\napt-get install -y nginx\n",
    });
    fs.mkdirSync(path.join(repo, ".git"));
    const out = await lintJson(path.join(repo, "infra"));
    assert.deepEqual(refusals(out.findings), []);
    assert.deepEqual(
      out.findings.map((f) => [f.ruleId, f.related?.map((r) => r.path)]),
      [["no-boot-time-mutation", ["../scripts/init.sh"]]],
    );
  });
});
