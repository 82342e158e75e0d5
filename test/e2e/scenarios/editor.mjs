// End-to-end scenarios of the editor's findings: the harness check, Problems and squiggles, a quick fix, fix all on save, findings while typing, a Packer template.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { until } from "../lib/workbench.mjs";
import { DROPLET, has, immutablyLogLines, lacks, lineOf, openDroplet } from "./helpers.mjs";

export function registerEditorScenarios(runner) {
  runner.test("harness: code-server serves the workbench with immutably.immutably installed", async (ctx, name) => {
    const installed = ctx.main.installed.find((id) => id.startsWith("immutably.immutably@"));
    assert.ok(installed, `code-server --list-extensions printed ${JSON.stringify(ctx.main.installed)}`);
    const ws = ctx.workspace("harness");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, "digitalocean");
    // The Extensions view lists what the server's extension host actually scanned, not just what
    // the CLI unpacked.
    await wb.step("extensions-view", async () => {
      await wb.page.keyboard.press("Control+Shift+X");
      // The search box is a small Monaco editor, so it is typed into rather than filled.
      const search = wb.page.locator(".extensions-viewlet .suggest-input-container .monaco-editor").first();
      await search.click();
      await wb.page.locator(".extensions-viewlet .suggest-input-container .monaco-editor.focused").waitFor();
      await wb.page.keyboard.type("@installed immutably");
      await // Hidden lists of the view hold rows too, so only a visible one counts.
      await wb.page.locator(".extensions-viewlet .monaco-list-row").filter({ hasText: "immutably", visible: true }).first().waitFor({ timeout: 60_000 });
    });
  });

  runner.test("1. droplet example: Problems lists the unpinned-image and create-before-destroy findings, squiggles on their lines", async (ctx, name) => {
    const { wb, lines } = await openDroplet(ctx, name);
    const problems = await wb.step("problems", () => wb.waitProblems("both droplet findings", (l) => has("pinned-machine-image")(l) && has("require-create-before-destroy")(l), { file: DROPLET }));
    const at = (code) => problems.filter((p) => p.code === code).map((p) => p.line);
    assert.deepEqual(at("require-create-before-destroy"), [lines.header], "create-before-destroy belongs on the resource header");
    assert.deepEqual(at("pinned-machine-image"), [lines.image], "pinned-machine-image belongs on the image attribute");
    await wb.step("squiggles", async () => {
      await wb.page.keyboard.press("Control+1");
      const squiggles = await until("squiggles on both lines", async () => {
        const got = await wb.squiggleLines();
        return got.includes(lines.header) && got.includes(lines.image) ? got : false;
      });
      ctx.log(`  squiggles on lines ${squiggles.join(", ")}`);
    });
  });

  runner.test("2. quick fix: Ctrl+. on create-before-destroy, Enter, save adds the lifecycle block and clears the finding", async (ctx, name) => {
    const { wb, lines, file } = await openDroplet(ctx, name);
    await wb.waitProblems("the create-before-destroy finding", has("require-create-before-destroy"), { file: DROPLET });
    const title = "Add lifecycle { create_before_destroy = true }";
    await wb.step("quick-fix-menu", async () => {
      await wb.gotoLine(lines.header, 1);
      await wb.codeActions(title);
    });
    await wb.step("quick-fix-applied", () => wb.applyCodeAction(title));
    await wb.step("saved", () => wb.save("droplet.tf"));
    const onDisk = fs.readFileSync(file, "utf8");
    assert.match(onDisk, /lifecycle\s*\{\s*create_before_destroy\s*=\s*true\s*\}/, "the saved file has the lifecycle block");
    await wb.step("finding-gone", () => wb.waitProblems("create-before-destroy gone, pinned image still there", (l) => lacks("require-create-before-destroy")(l) && has("pinned-machine-image")(l), { file: DROPLET }));
  });

  runner.test("3. fix all on save (source.fixAll.immutably) applies only safe fixes", async (ctx, name) => {
    const { wb, lines, file } = await openDroplet(ctx, name, {
      settings: { "editor.codeActionsOnSave": { "source.fixAll.immutably": "explicit" } },
    });
    await wb.waitProblems("both droplet findings", (l) => has("pinned-machine-image")(l) && has("require-create-before-destroy")(l), { file: DROPLET });
    // An edit makes the save a real one; a comment is neutral to every rule.
    await wb.step("edited", async () => {
      await wb.gotoLine(1, 1);
      await wb.page.keyboard.type("# edited by the e2e test\n");
      await wb.page.locator('.tabs-container .tab.dirty[data-resource-name="droplet.tf"]').waitFor();
      // The save waits until the server has linted the edited text (the finding moved down a
      // line): this scenario is about which fixes run on save. A save within a second of typing
      // once got no fix-all at all under load, which is reported separately.
      await wb.waitProblems("the findings of the edited text", (l) => l.some((p) => p.code === "require-create-before-destroy" && p.line === lines.header + 1), { file: DROPLET });
    });
    const LIFECYCLE = /lifecycle\s*\{\s*create_before_destroy\s*=\s*true\s*\}/;
    const saveAndRead = async (step, firstLine) => {
      await wb.step(step, () => wb.save("droplet.tf"));
      return until("the saved file on disk", () => {
        const t = fs.readFileSync(file, "utf8");
        return t.startsWith(firstLine) ? t : false;
      });
    };
    let onDisk = await saveAndRead("saved", "# edited by the e2e test\n");
    if (!LIFECYCLE.test(onDisk)) {
      // What the extension and its server logged about the request decides what this means. When
      // the server declined (no result for the version, no safe fix, a dropped fix), immutably is
      // at fault and the test fails. When immutably offered the fix, or was never asked, the miss
      // happened in the editor: seen in about one full e2e run in seven on this machine, never
      // explained by VS Code's logs. The test then saves once more, must get the fix, and is
      // reported as flaky with the log, so that every such miss stays visible.
      const log = immutablyLogLines(ctx.main.dir, /fix-all/, file);
      const declined = /has no problem with a safe fix|no lint result|left it unchanged|changed from version|not open|is disabled|before the server was ready|fix-all: 0 action\(s\)/.test(log);
      const offered = /offering the safe fixes/.test(log);
      if (declined) {
        assert.fail(`the safe create-before-destroy fix was applied on save (immutably declined it)\n${log}`);
      }
      ctx.flaky = `the first save kept the problem although immutably ${offered ? "offered the fix" : /cancelled/.test(log) ? "saw VS Code cancel the request" : "was not asked for it"}; the second save applied it. ${log.replace(/\n/g, " | ")}`;
      await wb.step("edited-again", async () => {
        await wb.gotoLine(1, 1);
        await wb.page.keyboard.type("# saved again by the e2e test\n");
        await wb.page.locator('.tabs-container .tab.dirty[data-resource-name="droplet.tf"]').waitFor();
        await wb.waitProblems("the findings of the text edited again", (l) => l.some((p) => p.code === "require-create-before-destroy" && p.line === lines.header + 2), { file: DROPLET });
      });
      onDisk = await saveAndRead("saved-again", "# saved again by the e2e test\n");
      assert.match(onDisk, LIFECYCLE, `the safe create-before-destroy fix was applied on the second save\n${immutablyLogLines(ctx.main.dir, /fix-all|error|warn/i)}`);
    }
    const imageLine = lines.text.split("\n")[lines.image - 1];
    assert.ok(onDisk.split("\n").includes(imageLine), `the unpinned image line is untouched (unsafe fixes are not applied on save): ${imageLine.trim()}`);
    await wb.step("after-save", () => wb.waitProblems("only the unsafe finding left", (l) => lacks("require-create-before-destroy")(l) && has("pinned-machine-image")(l), { file: DROPLET }));
  });

  runner.test("4. typing: an aws_instance with user_data is flagged before saving; the line suppression removes it", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-"));
    // Auto-closing and auto-indent would turn typed braces and quotes into doubled ones.
    fs.mkdirSync(path.join(ws, ".vscode"), { recursive: true });
    fs.writeFileSync(path.join(ws, ".vscode/settings.json"), JSON.stringify({
      "editor.autoClosingBrackets": "never", "editor.autoClosingQuotes": "never", "editor.autoIndent": "none",
      "editor.autoSurround": "never", "editor.formatOnType": false, "editor.acceptSuggestionOnEnter": "off",
      "editor.quickSuggestions": { other: false, comments: false, strings: false }, "editor.suggestOnTriggerCharacters": false,
    }, null, 2));
    fs.mkdirSync(path.join(ws, "typing"), { recursive: true });
    fs.writeFileSync(path.join(ws, "typing/web.tf"), "# Resources typed by the e2e test follow.\n");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, "typing");
    await wb.openFile("typing/web.tf", "Resources typed");
    const typed = [
      'resource "aws_instance" "web" {',
      '  ami                    = "ami-0123456789abcdef0"',
      '  instance_type          = "t3.micro"',
      '  user_data              = "#!/bin/sh\\necho hello > /tmp/hello\\n"',
      "",
      "  lifecycle {",
      "    create_before_destroy = true",
      "  }",
      "}",
    ];
    await wb.step("typed", async () => {
      await wb.page.keyboard.press("Control+End");
      await wb.page.keyboard.type(`\n${typed.join("\n")}\n`);
      await wb.page.locator('.tabs-container .tab.dirty[data-resource-name="web.tf"]').waitFor();
    });
    await wb.step("finding-while-dirty", () => wb.waitProblems("require-user-data-replace on the unsaved buffer", has("require-user-data-replace"), { file: "typing/web.tf" }));
    assert.equal(await wb.page.locator('.tabs-container .tab.dirty[data-resource-name="web.tf"]').count(), 1, "the file is still unsaved");
    const finding = (await wb.problems("typing/web.tf")).find((p) => p.code === "require-user-data-replace");
    const title = "Ignore require-user-data-replace for this line";
    await wb.step("suppression-menu", async () => {
      await wb.gotoLine(finding.line, finding.column);
      await wb.codeActions(title);
    });
    await wb.step("suppressed", () => wb.applyCodeAction(title));
    await wb.step("finding-gone", () => wb.waitProblems("require-user-data-replace gone", lacks("require-user-data-replace"), { file: "typing/web.tf" }));
    const text = await wb.editorText();
    assert.match(text, /immutably[^\n]*require-user-data-replace/, "a suppression comment naming the rule is in the buffer");
  });

  runner.test("5. a Packer template shows its findings", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-"));
    // The Packer templates under examples/ are the clean, recommended ones, so the test writes a
    // template with two known problems: a fixed image name and no manifest post-processor.
    const template = "packer-findings/web.pkr.hcl";
    const text = [
      "# A template written by the e2e test: a fixed image name and no manifest.",
      'source "amazon-ebs" "web" {',
      '  ami_name      = "web"',
      '  instance_type = "t3.micro"',
      '  region        = "us-east-1"',
      '  source_ami    = "ami-0123456789abcdef0"',
      '  ssh_username  = "ubuntu"',
      "}",
      "",
      "build {",
      '  sources = ["source.amazon-ebs.web"]',
      "}",
      "",
    ].join("\n");
    fs.mkdirSync(path.join(ws, "packer-findings"));
    fs.writeFileSync(path.join(ws, template), text);
    const expected = {
      "packer-unique-image-name": lineOf(text, /^\s*ami_name\s*=/, "ami_name"),
      "packer-require-manifest": lineOf(text, /^build\s*\{/, "the build block"),
    };
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, "packer-findings");
    await wb.openFile(template, "amazon-ebs");
    const problems = await wb.step("problems", () => wb.waitProblems("both packer findings", (l) => Object.keys(expected).every((code) => has(code)(l)), { file: template }));
    for (const [code, line] of Object.entries(expected)) {
      assert.deepEqual(problems.filter((p) => p.code === code).map((p) => p.line), [line], `${code} belongs on line ${line}`);
    }
    await wb.step("squiggles", async () => {
      await wb.page.keyboard.press("Control+1");
      await until("squiggles on both lines", async () => {
        const got = await wb.squiggleLines();
        return Object.values(expected).every((l) => got.includes(l)) ? got : false;
      });
    });
  });
}
