// The end-to-end scenarios of issue 6, one test each. They test wiring (the extension activates,
// VS Code shows its diagnostics, applies its code actions, runs its commands), not rule logic,
// which the unit tests cover.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { sel, until } from "./lib/workbench.mjs";

const DROPLET = "digitalocean/droplet.tf";

/** 1-based number of the first line of `text` that matches `re`. */
function lineOf(text, re, what) {
  const index = text.split("\n").findIndex((l) => re.test(l));
  if (index < 0) throw new Error(`cannot find ${what} (${re}) in the example`);
  return index + 1;
}

/** Where the droplet example's two findings belong: the image attribute and the block header. */
function dropletLines(file) {
  const text = fs.readFileSync(file, "utf8");
  return {
    text,
    header: lineOf(text, /^\s*resource\s+"digitalocean_droplet"/, "the droplet resource header"),
    image: lineOf(text, /^\s*image\s*=\s*"ubuntu-20-04-x64"/, "the unpinned image slug"),
  };
}

/**
 * Lines of a code-server's Immutably output channel logs (one per window) that match `re`, for
 * failure messages. With `about`, only lines that name it (a workspace path: each test has its
 * own), from every window's log; without, the newest log's.
 */
function immutablyLogLines(serverDir, re, about) {
  const logs = [];
  const walk = (dir) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "Immutably.log") logs.push({ p, mtime: fs.statSync(p).mtimeMs });
    }
  };
  walk(path.join(serverDir, "user-data/logs"));
  if (!logs.length) return "(no Immutably.log found)";
  const chosen = about ? logs : [logs.sort((a, b) => b.mtime - a.mtime)[0]];
  const lines = chosen.flatMap((l) => fs.readFileSync(l.p, "utf8").split("\n")).filter((l) => re.test(l) && (!about || l.includes(about)));
  return `${lines.length} matching log line(s)${about ? ` about ${about}` : ` in ${chosen[0].p}`}\n${lines.slice(-20).join("\n")}`;
}

const has = (code) => (list) => list.some((p) => p.source === "immutably" && p.code === code);
const lacks = (code) => (list) => !has(code)(list);

/** Opens a workspace copy of examples/ on the main server and the droplet file in it. */
async function openDroplet(ctx, testName, { settings } = {}) {
  const ws = ctx.workspace(testName.replace(/\W+/g, "-"));
  if (settings) {
    fs.mkdirSync(path.join(ws, ".vscode"), { recursive: true });
    fs.writeFileSync(path.join(ws, ".vscode/settings.json"), JSON.stringify(settings, null, 2));
  }
  const file = path.join(ws, DROPLET);
  const lines = dropletLines(file);
  const wb = await ctx.workbench(testName);
  await wb.open(ctx.main.url, ws, "digitalocean");
  await wb.openFile(DROPLET, "digitalocean_droplet");
  return { ws, file, lines, wb };
}

export function registerScenarios(runner) {
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

  runner.test("6. Roll New Generation on examples/generation: confirmation, streamed bake, Generations view; a failing verify rolls back", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-"), "examples/generation");
    if (!fs.existsSync(path.join(ws, ".immutably.hcl"))) throw new Error("examples/generation/.immutably.hcl does not exist yet");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, ".immutably.hcl");
    await confirmRoll(ctx, wb);
    // Packer's own line, streamed into the channel while the image bakes.
    await wb.step("bake-output", () => wb.waitOutputLine("Build 'file.image' finished"));
    const live = await wb.step("generations-view", () => liveGeneration(wb));
    ctx.log(`  live generation after the first roll: ${live}`);
    assert.equal(fs.readdirSync(path.join(ws, "images/out")).length, 1, "the first roll baked one image");

    // The example fails its verify step when IMMUTABLY_DEMO_FAIL_VERIFY=1 is in the environment
    // of the roll (examples/generation/README.md). The editor passes its extension host's
    // environment on, so the second roll runs in a second code-server started with that variable,
    // on the same workspace folder and its state.
    const failing = await ctx.startServer("roll-failing-verify", { env: { IMMUTABLY_DEMO_FAIL_VERIFY: "1" } });
    await ctx.afterEach();
    const wb2 = await ctx.workbench(`${name} (failing verify)`);
    await wb2.open(failing.url, ws, ".immutably.hcl");
    await confirmRoll(ctx, wb2);
    // A failed run's result is a modal: it cannot be dropped in a burst of toasts or missed.
    const error = await wb2.step("verify-error", () => until("a modal error that names the failed verify", async () => {
      const texts = await wb2.page.locator(sel.dialog).allInnerTexts();
      return texts.map((t) => t.replace(/\s+/g, " ")).find((t) => /verif/i.test(t)) ?? false;
    }, 180_000, 500));
    ctx.log(`  error shown: ${error.slice(0, 200)}`);
    await wb2.step("verify-error-dismissed", () => dismissDialog(wb2));
    // The exact words matter: the workspace folder's own name contains "rolls-back".
    await wb2.step("rollback-output", () => wb2.waitOutputLine("rolled back"));
    const liveAfter = await wb2.step("generations-after-rollback", () => liveGeneration(wb2));
    assert.equal(liveAfter, live, "the generation that was live before the failed roll is live again");
    await ctx.stopServer(failing);
  }, { timeoutMs: 600_000 });

  runner.test("8. ten quick roll/rollback cycles: one progress notification per run, every result seen as a toast; a declined roll is information and recorded declined", async (ctx, name) => {
    const ws = ctx.workspace(name.replace(/\W+/g, "-").slice(0, 60), "examples/generation");
    const wb = await ctx.workbench(name);
    await wb.open(ctx.main.url, ws, ".immutably.hcl");
    const first = await rollCommandWithResult(wb, "Immutably: Roll New Generation", /rolled demo to generation #1 /);
    ctx.log(`  first roll: ${first.text.slice(0, 120)}`);
    // Each command starts as soon as the previous result is on screen. Roll i+1 makes #(i+1) live;
    // the rollback after it goes to the newest previous generation before it, #i.
    for (let i = 1; i <= 10; i++) {
      const rolled = await rollCommandWithResult(wb, "Immutably: Roll New Generation", new RegExp(`rolled demo to generation #${i + 1} `));
      const back = await rollCommandWithResult(wb, "Immutably: Roll Back Generation", new RegExp(`rolled demo back to generation #${i} `));
      await wb.shot(`cycle-${i}`);
      ctx.log(`  cycle ${i}: "${rolled.text.slice(0, 60)}" / "${back.text.slice(0, 60)}"; progress notifications on screen at once: ${rolled.most}, ${back.most}`);
      assert.ok(rolled.most <= 1 && back.most <= 1, "a run shows one progress notification at a time");
    }
    const declined = await wb.step("declined", () => rollCommandWithResult(wb, "Immutably: Roll New Generation", /roll of demo was not confirmed; nothing was applied\. #12 is marked declined/, { apply: false }));
    ctx.log(`  declined: ${declined.text.slice(0, 160)}`);
    assert.doesNotMatch(declined.text, /error/i);
    await wb.step("generations-declined", async () => {
      await wb.runCommand("Focus on Generations View");
      await wb.page.locator(".pane-body .monaco-list-row").filter({ hasText: /#12 declined/, visible: true }).first().waitFor({ timeout: 60_000 });
    });
    const history = JSON.parse(fs.readFileSync(path.join(ws, ".immutably/generations.json"), "utf8"));
    assert.equal(history.generations.find((g) => g.number === 12)?.status, "declined");
  }, { timeoutMs: 1_200_000 });

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

/** Closes the open modal dialog with its Cancel (or Close) button. */
async function dismissDialog(wb) {
  const dialog = wb.page.locator(sel.dialog);
  const buttons = dialog.locator(".dialog-buttons .monaco-button");
  const labels = await buttons.allInnerTexts();
  const index = labels.findIndex((l) => /cancel|close/i.test(l));
  assert.ok(index >= 0, `no dismissing button among ${JSON.stringify(labels)}`);
  await buttons.nth(index).click();
  await dialog.waitFor({ state: "detached" });
}

/** Answers the modal confirmation of the command just run: `apply` presses Apply, otherwise Cancel. */
async function answerConfirmation(wb, apply) {
  const dialog = wb.page.locator(sel.dialog);
  await dialog.waitFor({ timeout: 120_000 });
  const buttons = dialog.locator(".dialog-buttons .monaco-button");
  const labels = await buttons.allInnerTexts();
  const index = labels.findIndex((l) => (apply ? /^apply$/i : /cancel/i).test(l.trim()));
  assert.ok(index >= 0, `no ${apply ? "Apply" : "Cancel"} button among ${JSON.stringify(labels)}`);
  await buttons.nth(index).click();
  await dialog.waitFor({ state: "detached" });
}

/** Texts of the notifications shown as toasts right now (not the notification center). */
async function toasts(wb) {
  return (await wb.page.locator(sel.toast).allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
}

/**
 * Runs one roll command, confirms it, and waits for its result as a toast, sampling meanwhile how
 * many of the run's progress notifications are on screen at once. Returns the result's text and
 * that maximum.
 */
async function rollCommandWithResult(wb, command, result, { apply = true } = {}) {
  await wb.runCommand(command);
  let most = 0;
  const sample = async () => {
    most = Math.max(most, (await toasts(wb)).filter((t) => /Immutably: (roll|rollback|prune) of demo/.test(t)).length);
  };
  await sample();
  await answerConfirmation(wb, apply);
  const text = await until(`a toast matching ${result}`, async () => {
    await sample();
    return (await toasts(wb)).find((t) => result.test(t)) ?? false;
  }, 180_000, 100);
  return { text, most };
}

/**
 * Runs "Immutably: Roll New Generation" (or `start`), checks that the modal confirmation lists the packer and
 * terraform commands and the planned replacement, and confirms it.
 */
async function confirmRoll(ctx, wb, start = () => wb.runCommand("Immutably: Roll New Generation")) {
  await start();
  const dialog = wb.page.locator(sel.dialog);
  const text = await wb.step("confirmation", async () => {
    await dialog.waitFor({ timeout: 60_000 });
    return (await dialog.innerText()).replace(/\s+/g, " ");
  });
  ctx.log(`  confirmation: ${text.slice(0, 400)}`);
  assert.match(text, /packer build/i, "the confirmation lists the packer command");
  assert.match(text, /terraform (apply|plan)/i, "the confirmation lists the terraform command");
  assert.match(text, /replace/i, "the confirmation shows the planned replacement");
  await wb.step("confirmed", async () => {
    const buttons = dialog.locator(".dialog-buttons .monaco-button");
    const labels = await buttons.allInnerTexts();
    const index = labels.findIndex((l) => !/cancel/i.test(l));
    assert.ok(index >= 0, `no confirming button among ${JSON.stringify(labels)}`);
    await buttons.nth(index).click();
    await dialog.waitFor({ state: "detached" });
  });
}

/** Focuses the Generations view and returns the text of the row marked live, once there is one. */
async function liveGeneration(wb) {
  // VS Code names the focus command after the view's container ("<Container>: Focus on
  // Generations View"), which is the package.json's choice, so only the view's part is matched.
  await wb.runCommand("Focus on Generations View");
  const row = wb.page.locator(".pane-body .monaco-list-row").filter({ hasText: /live/i, visible: true }).first();
  await row.waitFor({ timeout: 180_000 });
  return (await row.innerText()).replace(/\s+/g, " ").trim();
}

/** Files under `dir`, relative and sorted, `/`-separated. */
function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}
