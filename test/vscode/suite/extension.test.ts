// Wiring tests against the VS Code API: the extension activates on a Terraform file, publishes
// the droplet example's findings and offers its quick fix and fix-all. The workspace is a copy of
// examples/ (the harness or run-electron.mjs opens it).
import assert from "node:assert/strict";
import * as vscode from "vscode";

const EXTENSION_ID = "immutably.immutably";

function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the tests need a workspace folder (a copy of examples/)");
  return vscode.Uri.joinPath(folder.uri, rel);
}

function immutablyDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === "immutably");
}

function ruleId(d: vscode.Diagnostic): string {
  return typeof d.code === "object" ? String(d.code.value) : String(d.code);
}

/** Resolves once the file's diagnostics satisfy `predicate`, on the diagnostics-changed event. */
function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = immutablyDiagnostics(uri);
      if (!predicate(ds)) return false;
      cleanup();
      resolve(ds);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; diagnostics were ${JSON.stringify(immutablyDiagnostics(uri).map((d) => `${ruleId(d)}@${d.range.start.line + 1}`))}`,
        ),
      );
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

function lineOf(doc: vscode.TextDocument, re: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  throw new Error(`no line matches ${re} in ${doc.uri.fsPath}`);
}

describe("immutably in VS Code", () => {
  const droplet = (): vscode.Uri => workspaceFile("digitalocean/droplet.tf");

  afterEach(async () => {
    // Each test starts from the file as it is on disk.
    await vscode.commands.executeCommand("workbench.action.files.revert");
  });

  it("activates when a Terraform file opens", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(droplet()));
    await waitForDiagnostics(droplet(), (ds) => ds.length > 0, "any immutably diagnostic");
    assert.equal(extension.isActive, true);
  });

  it("publishes the droplet example's findings with rule ids on the right lines", async () => {
    const doc = await vscode.workspace.openTextDocument(droplet());
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(
      droplet(),
      (all) => ["pinned-machine-image", "require-create-before-destroy"].every((id) => all.some((d) => ruleId(d) === id)),
      "both droplet findings",
    );
    const lineFor = (id: string): number[] => ds.filter((d) => ruleId(d) === id).map((d) => d.range.start.line);
    assert.deepEqual(lineFor("require-create-before-destroy"), [lineOf(doc, /^\s*resource\s+"digitalocean_droplet"/)]);
    assert.deepEqual(lineFor("pinned-machine-image"), [lineOf(doc, /^\s*image\s*=\s*"ubuntu-20-04-x64"/)]);
  });

  it("offers the create-before-destroy quick fix, which adds the lifecycle block and clears the finding", async () => {
    const doc = await vscode.workspace.openTextDocument(droplet());
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(
      droplet(),
      (all) => all.some((d) => ruleId(d) === "require-create-before-destroy"),
      "the create-before-destroy finding",
    );
    const finding = ds.find((d) => ruleId(d) === "require-create-before-destroy");
    assert.ok(finding);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      droplet(),
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === "Add lifecycle { create_before_destroy = true }");
    assert.ok(fix?.edit, `quick fixes offered: ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.match(doc.getText(), /lifecycle\s*\{\s*create_before_destroy\s*=\s*true\s*\}/);
    await waitForDiagnostics(
      droplet(),
      (all) => !all.some((d) => ruleId(d) === "require-create-before-destroy"),
      "the create-before-destroy finding to go",
    );
  });

  it("fix-all (source.fixAll.immutably) applies the safe fix and leaves the unpinned image alone", async () => {
    const doc = await vscode.workspace.openTextDocument(droplet());
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(
      droplet(),
      (all) => all.some((d) => ruleId(d) === "require-create-before-destroy"),
      "the create-before-destroy finding",
    );
    const imageLine = doc.lineAt(lineOf(doc, /^\s*image\s*=\s*"ubuntu-20-04-x64"/)).text;
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      droplet(),
      whole,
      "source.fixAll.immutably",
    );
    const fixAll = actions.find((a) => a.kind?.value === "source.fixAll.immutably");
    assert.ok(
      fixAll?.edit,
      `actions of kind source.fixAll.immutably: ${JSON.stringify(actions.map((a) => `${a.kind?.value}: ${a.title}`))}`,
    );
    assert.equal(await vscode.workspace.applyEdit(fixAll.edit), true);
    assert.match(doc.getText(), /create_before_destroy\s*=\s*true/);
    assert.ok(doc.getText().split("\n").includes(imageLine), "the unsafe image fix is not part of fix-all");
  });

  it("lints a .tofu file, and says on the .tf file it shadows why that file has no findings", async () => {
    const tofu = workspaceFile("opentofu-e2e/main.tofu");
    const tf = workspaceFile("opentofu-e2e/main.tf");
    const droplet = 'resource "digitalocean_droplet" "web" {\n  image = "123456789"\n}\n';
    await vscode.workspace.fs.writeFile(tf, Buffer.from(droplet));
    await vscode.workspace.fs.writeFile(tofu, Buffer.from(droplet));
    try {
      const tofuDoc = await vscode.workspace.openTextDocument(tofu);
      await vscode.window.showTextDocument(tofuDoc);
      assert.equal(tofuDoc.languageId, "terraform", ".tofu files get the extension's Terraform language (grammar, snippets)");
      await waitForDiagnostics(tofu, (all) => all.some((d) => ruleId(d) === "require-create-before-destroy"), "the .tofu file's finding");
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(tf));
      const ds = await waitForDiagnostics(
        tf,
        (all) => all.length === 1 && ruleId(all[0]) === "not-loaded",
        "the shadowed file's explanation",
      );
      assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Information);
      assert.equal(ds[0].message, "Not loaded: OpenTofu reads main.tofu instead of this file.");
    } finally {
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      await vscode.workspace.fs.delete(workspaceFile("opentofu-e2e"), { recursive: true });
    }
  });
});
