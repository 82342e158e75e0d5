// Where the generated rule pages (docs/rules/<id>.md) are on disk: both packages ship them, since the project has no public web address to link to.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

let folder: string | undefined;
const urls = new Map<string, string>();

/** docs/rules beside dist/ in the npm package and the .vsix, or in the repository when running from sources. */
function docsFolder(): string {
  if (folder === undefined) {
    const packaged = path.join(__dirname, "..", "docs", "rules");
    folder = fs.existsSync(packaged) ? packaged : path.resolve(__dirname, "..", "..", "..", "docs", "rules");
  }
  return folder;
}

/** The absolute path of a rule's page. */
export function ruleDocsFile(id: string): string {
  return path.join(docsFolder(), `${id}.md`);
}

/** The file: URL of a rule's page (diagnostics link it for every finding, so it is computed once per rule). */
export function ruleDocsUrl(id: string): string {
  let url = urls.get(id);
  if (url === undefined) {
    url = pathToFileURL(ruleDocsFile(id)).href;
    urls.set(id, url);
  }
  return url;
}

/** The file: URL of docs/plan.md, where the plan checks are documented (beside docs/rules). */
export function planDocsUrl(): string {
  return pathToFileURL(path.join(docsFolder(), "..", "plan.md")).href;
}
