// `npm run gen`: writes docs/rules/<id>.md, the README rules table and the per-rule settings in package.json
// from rule metadata. `--check` fails when any of them is stale (run in CI by `npm test`).
import fs from "node:fs";
import path from "node:path";
import { allRules } from "../server/src/rules/index.ts";
import { renderRuleDoc } from "../server/src/rules/docs.ts";

const root = path.resolve(__dirname, "..");
const check = process.argv.includes("--check");
const stale: string[] = [];

function write(file: string, content: string): void {
  const abs = path.join(root, file);
  const current = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : undefined;
  if (current === content) return;
  if (check) stale.push(file);
  else {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    console.log(`wrote ${file}`);
  }
}

// 1. One page per rule; pages of rules that no longer exist are stale too.
const docsDir = path.join(root, "docs/rules");
for (const rule of allRules) write(`docs/rules/${rule.meta.id}.md`, renderRuleDoc(rule));
if (fs.existsSync(docsDir)) {
  for (const f of fs.readdirSync(docsDir)) {
    if (f.endsWith(".md") && !allRules.some((r) => `${r.meta.id}.md` === f)) {
      if (check) stale.push(`docs/rules/${f} (no such rule)`);
      else fs.rmSync(path.join(docsDir, f));
    }
  }
}

// 2. The README table between markers.
const FIX = { safe: "safe", unsafe: "unsafe (quick fix)", none: "—" } as const;
const table = [
  "| rule | applies to | severity | fix | flags |",
  "|---|---|---|---|---|",
  ...allRules.map((r) => `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.appliesTo.join(", ")} | ${r.meta.severity} | ${FIX[r.meta.fix]} | ${r.meta.docs.summary.replace(/\|/g, "\\|")} |`),
].join("\n");
const readmePath = path.join(root, "README.md");
const readme = fs.readFileSync(readmePath, "utf8");
const start = "<!-- rules:start -->";
const end = "<!-- rules:end -->";
if (!readme.includes(start) || !readme.includes(end)) throw new Error("README.md lacks the rules table markers");
write("README.md", readme.slice(0, readme.indexOf(start) + start.length) + "\n" + table + "\n" + readme.slice(readme.indexOf(end)));

// 3. Per-rule settings in package.json: `immutably.rules` with one entry per rule id.
const pkgText = fs.readFileSync(path.join(root, "package.json"), "utf8");
/** The parts of package.json this script writes; the rest is kept as it is. */
interface Configuration {
  title?: string;
  properties?: Record<string, unknown>;
}
const pkg = JSON.parse(pkgText) as { contributes?: { configuration?: Configuration | Configuration[] } };
pkg.contributes ??= {};
const contributed = (pkg.contributes.configuration ??= { title: "immutably", properties: {} });
const configuration = Array.isArray(contributed) ? contributed[0] : contributed;
configuration.properties ??= {};
configuration.properties["immutably.rules"] = {
  type: "object",
  scope: "resource",
  default: {},
  markdownDescription: "Rule levels that override `.immutably.hcl`: rule id → `off`, `info`, `warning` or `error`.",
  properties: Object.fromEntries(
    allRules.map((r) => [r.meta.id, { type: "string", enum: ["off", "info", "warning", "error"], markdownDescription: `${r.meta.docs.summary} (default: ${r.meta.severity})` }]),
  ),
  additionalProperties: false,
};
write("package.json", JSON.stringify(pkg, null, 2) + "\n");

if (check && stale.length) {
  console.error(`generated files are stale; run \`npm run gen\`:\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
console.log(check ? "generated files are up to date" : "done");
