// Mocha entry point loaded by the VS Code extension host (`extensionTestsPath`): runs every
// `*.test.js` bundled beside it and writes a JSON record of each test, so that a harness which
// cannot read the extension host's console (code-server's remote host) still sees every result.
import fs from "node:fs";
import path from "node:path";
import Mocha from "mocha";

export interface SuiteResult {
  title: string;
  state: "passed" | "failed" | "pending";
  durationMs: number;
  error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", color: false, timeout: 60_000, reporter: "spec" });
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".test.js"))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const results: SuiteResult[] = [];
  const resultsFile = process.env.IMMUTABLY_VSCODE_RESULTS ?? path.join(__dirname, "results.json");
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} of ${results.length} VS Code API tests failed`));
      else resolve();
    });
    runner.on("pass", (t) => results.push({ title: t.fullTitle(), state: "passed", durationMs: t.duration ?? 0 }));
    runner.on("fail", (t, err: Error) =>
      results.push({ title: t.fullTitle(), state: "failed", durationMs: t.duration ?? 0, error: err.stack ?? String(err) }),
    );
    runner.on("pending", (t) => results.push({ title: t.fullTitle(), state: "pending", durationMs: 0 }));
  });
}
