// What `file()` / `templatefile()` may read in the language server (which also runs in Restricted Mode): the CLI's policy, a refusal as a diagnostic, nothing from outside quoted, no hang, no memory blow-up.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { watchRss, type RssWatch } from "../helpers/rss-watchdog.ts";
import { LspClient } from "./lsp-client.ts";

const SECRET = "leaked-secret-package";
const RSS_LIMIT_MB = 1024;
const posix = process.platform !== "win32";

const running: Array<{ client: LspClient; watch: RssWatch }> = [];
after(async () => {
  for (const { client, watch } of running) {
    watch.stop();
    await client.stop();
  }
});

const instance = (name: string, pathExpr: string) =>
  `resource "aws_instance" "${name}" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = file(${pathExpr})\n  user_data_replace_on_change = true\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n`;

const messageOf = (d: Diagnostic): string => (typeof d.message === "string" ? d.message : d.message.value);

describe("file() reads in the language server", () => {
  it(
    "refuses /dev/zero, a FIFO and scripts outside the workspace with a diagnostic each, and quotes nothing from outside",
    { skip: posix ? false : "no FIFOs or /dev/zero", timeout: 60_000 },
    async () => {
      const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "immutably-lsp-reads-")));
      const outside = path.join(base, "outside");
      const root = path.join(base, "workspace");
      fs.mkdirSync(outside);
      fs.mkdirSync(path.join(root, "scripts"), { recursive: true });
      fs.writeFileSync(path.join(outside, "secret.sh"), `#!/bin/sh\napt-get install -y ${SECRET}\n`);
      fs.symlinkSync(path.join(outside, "secret.sh"), path.join(root, "scripts", "linked.sh"));
      spawnSync("mkfifo", [path.join(root, "scripts", "pipe.sh")]);
      assert.ok(fs.statSync(path.join(root, "scripts", "pipe.sh")).isFIFO(), "mkfifo failed");
      const text =
        instance("zero", '"/dev/zero"') +
        instance("pipe", '"scripts/pipe.sh"') +
        instance("relative", '"../outside/secret.sh"') +
        instance("linked", '"scripts/linked.sh"');
      fs.writeFileSync(path.join(root, "main.tf"), text);

      const client = await LspClient.start(root);
      const watch = watchRss(client.process.pid!, RSS_LIMIT_MB);
      running.push({ client, watch });
      const uri = await client.open(path.join(root, "main.tf"), text);
      const exited = new Promise<string>((resolve) =>
        client.process.once("exit", () => resolve(`the server exited (peak ${watch.peakMb().toFixed(0)} MB)`)),
      );
      const published = await Promise.race([client.waitForDiagnostics(uri, (p) => p.version === 1), exited]);
      assert.notEqual(typeof published, "string", typeof published === "string" ? published : "");
      const diagnostics = (published as { diagnostics: Diagnostic[] }).diagnostics;
      assert.deepEqual(
        diagnostics
          .filter((d) => d.code === "file-read-refused")
          .map((d) => [d.range.start.line + 1, d.range.start.character + 1, messageOf(d)]),
        [
          [3, 38, `"/dev/zero" was not read (outside ${root}), so no rule checked what it holds.`],
          [12, 38, `"scripts/pipe.sh" was not read (not a regular file), so no rule checked what it holds.`],
          [21, 38, `"../outside/secret.sh" was not read (outside ${root}), so no rule checked what it holds.`],
          [30, 38, `"scripts/linked.sh" was not read (outside ${root}), so no rule checked what it holds.`],
        ],
      );
      assert.equal(diagnostics.length, 4, JSON.stringify(diagnostics));
      assert.ok(!JSON.stringify(client.published).includes(SECRET), "the outside script's content reached a diagnostic");
      assert.equal(watch.exceeded(), false);
    },
  );
});
