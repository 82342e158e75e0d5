// Bundles the three front ends: dist/cli.js (the `immutably` bin, which loads dist/cli-main.js), dist/server.js (language server)
// and dist/client.js (VS Code extension). Type checking is a separate step (`npm run typecheck`).
import * as esbuild from "esbuild";
import fs from "node:fs";

const watch = process.argv.includes("--watch");
/**
 * `import fs from "node:fs"` in a CommonJS bundle becomes `__toESM(require("node:fs"))` in each module
 * that writes it: a fresh copy of the module's exports, property by property (about 70 copies of
 * `fs` and `path` at every start, a millisecond or two of a cold CLI run). Default imports of these
 * builtins resolve instead to one module of the bundle that requires the builtin once. They are only
 * ever imported by default; a named import of one would fail the build ("No matching export").
 */
const builtinDefaults = {
  name: "builtin-defaults",
  setup(build) {
    build.onResolve({ filter: /^node:(fs|path|os|crypto|module|readline|vm|zlib)$/ }, (args) =>
      args.namespace === "builtin-default" ? { path: args.path, external: true } : { path: args.path, namespace: "builtin-default" },
    );
    build.onLoad({ filter: /.*/, namespace: "builtin-default" }, (args) => ({
      contents: `export default require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

const common = {
  plugins: [builtinDefaults],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  minify: process.env.IMMUTABLY_MINIFY !== "0",
  logLevel: "warning",
  // jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow; its ESM build can be bundled.
  mainFields: ["module", "main"],
  // web-tree-sitter's CommonJS build, not the ESM one its "import" condition selects: the ESM build
  // runs `await import("module")`, which makes Node start its ESM loader (about 10 ms of a cold CLI run).
  alias: { "web-tree-sitter": "./node_modules/web-tree-sitter/web-tree-sitter.cjs" },
  define: { IMMUTABLY_VERSION: JSON.stringify(JSON.parse(fs.readFileSync("package.json", "utf8")).version) },
  // hcl2json loads its Go WASM relative to its own folder, so it stays a runtime dependency
  // (shipped in the .vsix); everything else is bundled.
  external: ["vscode", "@cdktf/hcl2json"],
};
const entries = [
  // The bin is a small loader that runs the CLI bundle through a V8 code cache (see loader.ts).
  { entryPoints: ["server/src/cli/loader.ts"], outfile: "dist/cli.js", banner: { js: "#!/usr/bin/env node" } },
  // Written as Node's module wrapper function, which the loader compiles as it is: wrapping it at run
  // time copied the whole bundle into a new string before every start (about a millisecond).
  {
    entryPoints: ["server/src/cli/main.ts"],
    outfile: "dist/cli-main.js",
    banner: { js: "(function (exports, require, module, __filename, __dirname) {" },
    footer: { js: "\n})" },
  },
  { entryPoints: ["server/src/lsp/main.ts"], outfile: "dist/server.js" },
  { entryPoints: ["client/src/extension.ts"], outfile: "dist/client.js" },
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
