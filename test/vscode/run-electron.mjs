// `npm run test:vscode`: runs the mocha suites in test/vscode/suite/ inside VS Code desktop via
// @vscode/test-electron, on a copy of examples/. This needs a machine that can download VS Code;
// where it cannot (as on the project's own machines), test/e2e/run.mjs runs the same suites inside
// code-server instead.
import { runTests } from "@vscode/test-electron";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSuites, root } from "./build.mjs";

const extensionTestsPath = await buildSuites();
execFileSync("node", ["esbuild.mjs"], { cwd: root, stdio: "inherit" });
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-vscode-"));
fs.cpSync(path.join(root, "examples"), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
  });
} catch (e) {
  console.error(`VS Code API tests failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
