// Bundles the three front ends: dist/cli.js (the `immutably` bin), dist/server.js (language server)
// and dist/client.js (VS Code extension). Type checking is a separate step (`npm run typecheck`).
import * as esbuild from "esbuild";
import fs from "node:fs";

const watch = process.argv.includes("--watch");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  minify: process.env.IMMUTABLY_MINIFY !== "0",
  logLevel: "warning",
  // jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow; its ESM build can be bundled.
  mainFields: ["module", "main"],
  // web-tree-sitter's ESM build locates itself with import.meta.url, which a CommonJS bundle lacks.
  define: { "import.meta.url": "__importMetaUrl", IMMUTABLY_VERSION: JSON.stringify(JSON.parse(fs.readFileSync("package.json", "utf8")).version) },
  // hcl2json loads its Go WASM relative to its own folder, so it stays a runtime dependency
  // (shipped in the .vsix); everything else is bundled.
  external: ["vscode", "@cdktf/hcl2json"],
};
const shim = 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;';
const entries = [
  { entryPoints: ["server/src/cli/main.ts"], outfile: "dist/cli.js", banner: { js: `#!/usr/bin/env node\n${shim}` } },
  { entryPoints: ["server/src/lsp/main.ts"], outfile: "dist/server.js", banner: { js: shim } },
  { entryPoints: ["client/src/extension.ts"], outfile: "dist/client.js", banner: { js: shim } },
];
fs.mkdirSync("dist", { recursive: true });
// The tree-sitter runtime and the HCL grammar are WASM files loaded at run time from dist/.
fs.copyFileSync("node_modules/web-tree-sitter/web-tree-sitter.wasm", "dist/web-tree-sitter.wasm");
fs.copyFileSync("node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm", "dist/tree-sitter-terraform.wasm");
for (const entry of entries) {
  if (!fs.existsSync(entry.entryPoints[0])) continue; // a front end not written yet
  if (watch) (await esbuild.context({ ...common, ...entry })).watch();
  else await esbuild.build({ ...common, ...entry });
}
if (fs.existsSync("dist/cli.js")) fs.chmodSync("dist/cli.js", 0o755);
