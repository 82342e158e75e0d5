// Helpers the end-to-end scenarios share: the droplet example and its findings, the Immutably log, the roll's dialogs and toasts, the Generations view.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { sel, until } from "../lib/workbench.mjs";

export const DROPLET = "digitalocean/droplet.tf";

/** 1-based number of the first line of `text` that matches `re`. */
export function lineOf(text, re, what) {
  const index = text.split("\n").findIndex((l) => re.test(l));
  if (index < 0) throw new Error(`cannot find ${what} (${re}) in the example`);
  return index + 1;
}

/** Where the droplet example's two findings belong: the image attribute and the block header. */
export function dropletLines(file) {
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
export function immutablyLogLines(serverDir, re, about) {
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

export const has = (code) => (list) => list.some((p) => p.source === "immutably" && p.code === code);
export const lacks = (code) => (list) => !has(code)(list);

/** Opens a workspace copy of examples/ on the main server and the droplet file in it. */
export async function openDroplet(ctx, testName, { settings } = {}) {
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

/** Closes the open modal dialog with its Cancel (or Close) button. */
export async function dismissDialog(wb) {
  const dialog = wb.page.locator(sel.dialog);
  const buttons = dialog.locator(".dialog-buttons .monaco-button");
  const labels = await buttons.allInnerTexts();
  const index = labels.findIndex((l) => /cancel|close/i.test(l));
  assert.ok(index >= 0, `no dismissing button among ${JSON.stringify(labels)}`);
  await buttons.nth(index).click();
  await dialog.waitFor({ state: "detached" });
}

/** Answers the modal confirmation of the command just run: `apply` presses Apply, otherwise Cancel. */
export async function answerConfirmation(wb, apply) {
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
export async function toasts(wb) {
  return (await wb.page.locator(sel.toast).allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
}

/**
 * Runs one roll command, confirms it, and waits for its result as a toast, sampling meanwhile how
 * many of the run's progress notifications are on screen at once. Returns the result's text and
 * that maximum.
 */
export async function rollCommandWithResult(wb, command, result, { apply = true } = {}) {
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
export async function confirmRoll(ctx, wb, start = () => wb.runCommand("Immutably: Roll New Generation")) {
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
export async function liveGeneration(wb) {
  // VS Code names the focus command after the view's container ("<Container>: Focus on
  // Generations View"), which is the package.json's choice, so only the view's part is matched.
  await wb.runCommand("Focus on Generations View");
  const row = wb.page.locator(".pane-body .monaco-list-row").filter({ hasText: /live/i, visible: true }).first();
  await row.waitFor({ timeout: 180_000 });
  return (await row.innerText()).replace(/\s+/g, " ").trim();
}

/** Files under `dir`, relative and sorted, `/`-separated. */
export function listFiles(dir) {
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
