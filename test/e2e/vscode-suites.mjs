// Runs the mocha suites of test/vscode/ inside code-server, in extension development mode.
//
// How this works in the browser workbench of VS Code 1.139 (read from code-server's bundle):
// - the workbench takes `extensionDevelopmentPath` and `extensionTestsPath` from the URL's
//   `payload` parameter, but a built product only honours that payload when the server runs with
//   `--vscode-option enable-smoke-test-driver`;
// - the remote extension host receives the tests location in its init data, loads the module
//   and calls its `run()`; the tests location must lie inside an extension under development;
// - when `run()` settles, the workbench calls `window.codeAutomationExit(code)` if the page
//   defines it, which is how this harness learns the exit code.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { buildSuites } from "../vscode/build.mjs";

const execFileAsync = promisify(execFile);

export function registerVscodeSuites(runner) {
  runner.test("vscode API suites (test/vscode, mocha) in code-server extension development mode", async (ctx, name) => {
    // Into this run's artifacts folder, so that two runs at once do not replace each other's bundle.
    const testsEntry = await buildSuites(path.join(ctx.artifacts, "vscode-suites"));
    const resultsFile = path.join(path.dirname(testsEntry), "results.json");
    // Development mode runs the extension from the working tree, so dist/ must be current.
    await execFileAsync("node", ["esbuild.mjs"], { cwd: ctx.root });
    const server = await ctx.startServer("devmode", { vsix: false, extraArgs: ["--vscode-option", "enable-smoke-test-driver"] });
    const ws = ctx.workspace("vscode-suites");
    const wb = await ctx.workbench(name);
    const exited = new Promise((resolve) => {
      wb.page.exposeFunction("codeAutomationExit", (code) => resolve(code));
    });
    const authority = new URL(server.url).host;
    const payload = [
      ["extensionDevelopmentPath", `vscode-remote://${authority}${ctx.root}`],
      ["extensionTestsPath", `vscode-remote://${authority}${testsEntry}`],
    ];
    await wb.step("workbench", async () => {
      await wb.page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: "domcontentloaded", timeout: 60_000 });
      await wb.page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    });
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("the extension host never reported the end of the tests (codeAutomationExit) within 180 s")), 180_000); }),
    ]).finally(() => clearTimeout(timer));
    await wb.shot("tests-finished");
    if (!fs.existsSync(resultsFile)) throw new Error(`the test runner exited with ${code} and wrote no ${resultsFile}`);
    const results = JSON.parse(fs.readFileSync(resultsFile, "utf8"));
    fs.copyFileSync(resultsFile, path.join(wb.shotsDir, "results.json"));
    for (const r of results) {
      if (r.state === "pending") runner.record(`vscode: ${r.title}`, false, 0, "not run: marked pending");
      else runner.record(`vscode: ${r.title}`, r.state === "passed", r.durationMs, r.error);
    }
    if (!results.length) throw new Error(`the test runner exited with ${code} and ran no test`);
    if (code !== 0) throw new Error(`the test runner exited with ${code}`);
    await ctx.stopServer(server);
  }, { timeoutMs: 300_000 });
}
