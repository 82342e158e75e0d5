// Bundles the mocha suites in test/vscode/suite/ for the extension host. The output has to live
// inside the extension's own folder (VS Code only runs extensionTestsPath from inside an extension
// under development), so it goes to test/e2e/artifacts/vscode-suites/, which git ignores.
import * as esbuild from "esbuild";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
export const outDir = path.join(root, "test/e2e/artifacts/vscode-suites");

/** Bundles the suites into `dir` (default `outDir`) and returns the path of the mocha entry point. */
export async function buildSuites(dir = outDir) {
  const suiteDir = path.join(root, "test/vscode/suite");
  const entryPoints = fs.readdirSync(suiteDir).filter((f) => f.endsWith(".ts")).map((f) => path.join(suiteDir, f));
  fs.rmSync(dir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: dir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    logLevel: "warning",
    // vscode is provided by the extension host; mocha is loaded from the project's node_modules.
    external: ["vscode", "mocha"],
  });
  return path.join(dir, "index.js");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await buildSuites());
