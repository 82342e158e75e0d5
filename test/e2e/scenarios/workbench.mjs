// End-to-end scenarios of the rest of the workbench: Restricted Mode, the hover and its documentation link, .immutably.hcl as a language, the live-generation code lens.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { sel, until } from "../lib/workbench.mjs";
import { confirmRoll, DROPLET, has, lineOf, listFiles, openDroplet } from "./helpers.mjs";

export function registerWorkbenchScenarios(runner) {
  runner.test("7. restricted mode: diagnostics still appear; the roll commands and the Generations view are not offered", async (ctx, name) => {
    const trusted = await ctx.startServer("restricted", {
      workspaceTrust: true,
      // No start-up dialog: the folder simply opens untrusted, in Restricted Mode.
      settings: { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.banner": "always" },
    });
    const ws = ctx.workspace(name.replace(/\W+/g, "-"));
    const before = listFiles(ws);
    const wb = await ctx.workbench(name);
    await wb.open(trusted.url, ws, "digitalocean");
    await wb.step("restricted-mode", () => wb.page.getByText("Restricted Mode").first().waitFor());
    await wb.openFile(DROPLET, "digitalocean_droplet");
    await wb.step("problems", () => wb.waitProblems("droplet findings in Restricted Mode", (l) => has("pinned-machine-image")(l) && has("require-create-before-destroy")(l), { file: DROPLET }));
    // The palette lists immutably's other commands (so the extension's are scanned) but none that runs tools.
    const listed = await wb.step("palette-without-roll", async () => {
      const input = await wb.quickInput("F1");
      await input.fill(">Immutably:");
      return until("the palette to list Immutably: Lint Workspace", async () => {
        const rows = (await wb.page.locator(sel.quickInputRow).allInnerTexts()).map((t) => t.split("\n")[0]);
        return rows.some((r) => r.includes("Lint Workspace")) ? rows : false;
      }, 90_000, 500);
    });
    ctx.log(`  palette: ${listed.join(" | ")}`);
    for (const command of ["Roll New Generation", "Roll Back Generation", "Prune Images", "Refresh Generations"]) {
      assert.ok(!listed.some((r) => r.includes(command)), `"${command}" is not offered in Restricted Mode`);
    }
    await wb.page.keyboard.press("Escape");
    assert.equal(await wb.page.locator('.activitybar .action-item a[aria-label^="Immutably"]').count(), 0, "the Immutably view container (Generations) is hidden");
    assert.deepEqual(listFiles(ws), before, "nothing was written to the workspace");
    await ctx.stopServer(trusted);
  });

  runner.test("10. hover: why and the fix, not the message; its documentation link opens the bundled page in the Markdown preview", async (ctx, name) => {
    const { wb, lines } = await openDroplet(ctx, name);
    await wb.waitProblems("the create-before-destroy finding", has("require-create-before-destroy"), { file: DROPLET });
    const hover = wb.page.locator(".monaco-hover").filter({ hasText: "require-create-before-destroy" });
    const text = await wb.step("hover", async () => {
      await wb.gotoLine(lines.header, 12);
      // editor.action.showHover
      await wb.page.keyboard.press("Control+K");
      await wb.page.keyboard.press("Control+I");
      await hover.filter({ hasText: "Why:" }).first().waitFor({ timeout: 30_000 });
      return (await hover.first().innerText()).replace(/\s+/g, " ");
    });
    ctx.log(`  hover: ${text.slice(0, 300)}`);
    assert.match(text, /Fix: Add lifecycle \{ create_before_destroy = true \} \(safe/);
    await wb.step("documentation-preview", async () => {
      await hover.first().locator("a", { hasText: "Open the documentation of require-create-before-destroy" }).click();
      await wb.page.locator(".tabs-container .tab", { hasText: /Preview require-create-before-destroy/ }).waitFor({ timeout: 30_000 });
    });
    // The diagnostic's own code link is the page shipped in the extension (a file: URL): it opens in
    // the editor, without network and without an "open external website" prompt.
    await wb.step("code-link-opens-page", async () => {
      await wb.showProblems();
      await wb.page.locator(sel.markerRow).getByText("require-create-before-destroy", { exact: true }).first().click();
      await until("the rule page to open in an editor", async () => {
        if (await wb.page.locator(sel.dialog).count()) throw new Error(`a dialog asked: ${await wb.page.locator(sel.dialog).innerText()}`);
        return (await wb.page.locator('.tabs-container .tab[data-resource-name="require-create-before-destroy.md"]').count()) > 0;
      }, 30_000, 200);
    });
  });

  runner.test("9. .immutably.hcl is its own language: highlighted, its errors at the attribute, completion of generation attributes", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-").slice(0, 60), "examples/generation");
    const config = path.join(ws, ".immutably.hcl");
    fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace(/keep(\s*)= 2/, 'keep$1= "two"'));
    const keepLine = lineOf(fs.readFileSync(config, "utf8"), /^\s*keep\s*=/, "the keep attribute");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, ".immutably.hcl");
    await wb.openFile(".immutably.hcl", "generation");
    await wb.step("language-mode", () => wb.page.locator("#status\\.editor\\.mode", { hasText: "Immutably Configuration" }).waitFor({ timeout: 60_000 }));
    const colours = await wb.page.locator(`${sel.editor} .view-lines span[class^="mtk"]`).evaluateAll((els) => new Set(els.map((e) => e.className)).size);
    ctx.log(`  token colours in the editor: ${colours}`);
    assert.ok(colours >= 3, "the file is highlighted, not plain text");
    const problems = await wb.step("config-error", () => wb.waitProblems("the keep error", (l) => l.some((p) => p.code === "config"), { file: ".immutably.hcl" }));
    const keep = problems.find((p) => /attribute "keep"/.test(p.text));
    assert.ok(keep, JSON.stringify(problems));
    assert.equal(keep.line, keepLine, "the error is on the keep attribute");
    await wb.step("completion", async () => {
      await wb.gotoLine(keepLine, 1);
      await wb.page.keyboard.press("End");
      await wb.page.keyboard.press("Enter");
      await wb.page.keyboard.press("Control+Space");
      await wb.page.locator(".suggest-widget .monaco-list-row", { hasText: "bake_timeout" }).first().waitFor({ timeout: 30_000 });
    });
    await wb.page.keyboard.press("Escape");
    const icon = await wb.page.locator('.explorer-folders-view .monaco-list-row[aria-label=".immutably.hcl"] .monaco-icon-label').getAttribute("class");
    ctx.log(`  explorer icon classes: ${icon}`);
    assert.match(icon ?? "", /immutably-config-lang-file-icon/, "the explorer knows the file's language (its icon)");
  });

  runner.test("11. the live-generation code lens over the image variable: shown, its Roll New Generation starts the roll, it shows the new live generation", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-"), "examples/generation");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, ".immutably.hcl");
    await wb.openFile("infra/main.tf", "terraform_data");
    const lens = (text) => wb.page.locator(".codelens-decoration a", { hasText: text }).first();
    await wb.step("lens-before-roll", () => lens("demo: no live generation yet").waitFor({ timeout: 90_000 }));
    await confirmRoll(ctx, wb, () => wb.step("lens-roll-clicked", () => lens("Roll New Generation").click()));
    // The roll writes history; the lens is redrawn from it without reopening the file.
    const title = await wb.step("lens-after-roll", async () => {
      await lens("demo: live #1").waitFor({ timeout: 180_000 });
      return lens("demo: live #1").innerText();
    });
    ctx.log(`  lens after the roll: ${title}`);
    assert.match(title, /demo: live #1 · demo-\S+\.img · (just now|\d+ minutes? ago) · 1 kept \(keep = 2\)/);
    // The hover on the variable lists the history.
    const hover = await wb.step("hover-history", async () => {
      await wb.page.locator(".view-line", { hasText: 'variable "image"' }).first().getByText("variable").hover();
      const widget = wb.page.locator(".monaco-hover", { hasText: "Generation demo" }).first();
      await widget.waitFor({ timeout: 30_000 });
      return (await widget.innerText()).replace(/\s+/g, " ");
    });
    ctx.log(`  hover: ${hover.slice(0, 300)}`);
    assert.match(hover, /1 live .*demo-\S+\.img/);
  }, { timeoutMs: 600_000 });
}
