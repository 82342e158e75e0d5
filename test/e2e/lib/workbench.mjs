// Drives the VS Code workbench that code-server serves, in headless Debian chromium through
// playwright-core: opening files, reading the Problems panel and squiggles, running code actions
// and commands. Every wait is on UI (or file) state; a screenshot is saved at every step.
import fs from "node:fs";
import path from "node:path";

/** Selectors that proved stable in code-server 4.139 (VS Code 1.139). */
export const sel = {
  workbench: ".monaco-workbench",
  quickInput: ".quick-input-widget .quick-input-box input",
  quickInputRow: ".quick-input-widget .monaco-list-row",
  editor: ".editor-instance .monaco-editor",
  focusedEditor: ".editor-instance .monaco-editor.focused",
  markerRow: ".markers-panel .monaco-list-row",
  actionRow: ".action-widget .monaco-list-row.action",
  dialog: ".monaco-dialog-box",
  toast: ".notifications-toasts .notification-toast",
  notificationsCenter: ".notifications-center",
};

/** Polls a condition that no event announces (a file on disk, a panel's text) until it holds. */
export async function until(what, fn, timeoutMs = 20_000, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      if ((last = await fn())) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export class Workbench {
  /**
   * @param {import("playwright-core").Page} page
   * @param {string} shotsDir where this scenario's screenshots go
   * @param {(msg: string) => void} log
   */
  constructor(page, shotsDir, log) {
    Object.assign(this, { page, shotsDir, log, shotNo: 0 });
    fs.mkdirSync(shotsDir, { recursive: true });
  }

  async shot(name) {
    const file = path.join(this.shotsDir, `${String(++this.shotNo).padStart(2, "0")}-${name.replace(/[^\w.-]+/g, "-")}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs one named step and takes its screenshot, so that a failing run shows how far it got. */
  async step(name, fn) {
    this.log(`  step: ${name}`);
    const result = await fn();
    await this.shot(name);
    return result;
  }

  /** Opens the workbench on a folder and waits until the explorer shows `expectEntry`. */
  async open(serverUrl, folder, expectEntry, query = "") {
    await this.step("workbench", async () => {
      // The workbench is ready when the explorer shows the folder, not at the page's load event,
      // which on a busy two-core machine can take longer than the default navigation timeout.
      await this.page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}${query}`, { waitUntil: "domcontentloaded", timeout: 60_000 });
      await this.page.locator(sel.workbench).waitFor({ timeout: 60_000 });
      await this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${expectEntry}"]`).waitFor({ timeout: 60_000 });
    });
  }

  /** Opens a quick input with `key`; repeats the key when the first press is swallowed during start-up. */
  async quickInput(key) {
    const input = this.page.locator(sel.quickInput);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.page.keyboard.press(key);
      try {
        await input.waitFor({ state: "visible", timeout: 5_000 });
        return input;
      } catch {
        await this.page.keyboard.press("Escape");
      }
    }
    throw new Error(`the quick input never opened with ${key}`);
  }

  /** Opens a workspace file with Ctrl+P and waits for its editor to show `expectText`. */
  async openFile(relPath, expectText) {
    const base = path.basename(relPath);
    await this.step(`open-${base}`, async () => {
      const input = await this.quickInput("Control+P");
      await input.fill(relPath);
      // Quick open searches the folder first, which is slow on a loaded machine.
      await this.page.locator(sel.quickInputRow, { hasText: base }).first().waitFor({ timeout: 60_000 });
      await this.page.keyboard.press("Enter");
      await this.page.locator(`.tabs-container .tab[data-resource-name="${base}"]`).waitFor();
      await this.page.locator(`${sel.editor} .view-lines`, { hasText: expectText }).waitFor();
      await this.page.locator(sel.focusedEditor).waitFor();
    });
  }

  /**
   * Runs a command from the palette by its full title ("Immutably: Roll New Generation"). The
   * palette lists an extension's commands only once the remote extension host has scanned the
   * extension, which on a loaded machine can be well after the explorer shows; so the palette is
   * reopened until the command appears, within `timeoutMs`.
   */
  async runCommand(title, { timeoutMs = 90_000 } = {}) {
    await this.step(`command-${title}`, async () => {
      const end = Date.now() + timeoutMs;
      const row = this.page.locator(sel.quickInputRow, { hasText: title }).first();
      let input;
      for (;;) {
        input = await this.quickInput("F1");
        await input.fill(`>${title}`);
        try {
          await row.waitFor({ timeout: 5_000 });
          break;
        } catch {
          const listed = (await this.page.locator(sel.quickInputRow).allInnerTexts()).map((t) => t.split("\n")[0]);
          await this.page.keyboard.press("Escape");
          await input.waitFor({ state: "hidden" });
          if (Date.now() > end) {
            throw new Error(`the command palette did not offer "${title}" within ${timeoutMs / 1000} s (a command whose enablement is false is not listed); it listed ${JSON.stringify(listed)}`);
          }
        }
      }
      // The palette matches fuzzily, so the first row must be this command and not a near miss.
      const first = (await this.page.locator(sel.quickInputRow).first().innerText()).split("\n")[0];
      if (!first.includes(title)) throw new Error(`the palette's first row for "${title}" is "${first}"`);
      await this.page.keyboard.press("Enter");
      await input.waitFor({ state: "hidden" });
    });
  }

  async showProblems() {
    if (!(await this.page.locator(".markers-panel").isVisible())) await this.page.keyboard.press("Control+Shift+M");
    await this.page.locator(".markers-panel").waitFor();
  }

  /**
   * Reads the Problems panel: one entry per marker with its message, source, code and position,
   * taken from the row's `.marker-source`, `.marker-code` and `.marker-line` parts (the brackets
   * and parentheses around them are CSS, not text).
   *
   * The extension lints the whole workspace, so the panel lists other files too. With `file`
   * (workspace-relative) the panel's filter is set to that file's glob, and only markers under a
   * file row for that file are returned, which also ignores rows rendered before the filter applied.
   */
  async problems(file) {
    await this.showProblems();
    if (file !== undefined) {
      const filter = this.page.locator(".markers-panel-container .viewpane-filter input, .part.panel .viewpane-filter input").first();
      const glob = `**/${file}`;
      if ((await filter.inputValue()) !== glob) await filter.fill(glob);
    }
    const rows = await this.page.locator(sel.markerRow).evaluateAll((els) => els.map((el) => ({
      text: el.innerText.replace(/\s+/g, " ").trim(),
      source: el.querySelector(".marker-source")?.textContent?.trim(),
      code: el.querySelector(".marker-code")?.textContent?.trim(),
      position: el.querySelector(".marker-line")?.textContent?.trim(),
    })));
    this.lastProblemTexts = rows.map((r) => r.text);
    const wanted = file === undefined ? undefined : { base: path.posix.basename(file), dir: path.posix.basename(path.posix.dirname(file)) };
    const out = [];
    let inFile = wanted === undefined;
    for (const row of rows) {
      const pos = row.position?.match(/Ln (\d+), Col (\d+)/);
      if (!pos) {
        // A file row reads "<name> <folder> <count>".
        inFile = wanted === undefined || (row.text.startsWith(wanted.base) && (wanted.dir === "." || row.text.includes(wanted.dir)));
        continue;
      }
      if (inFile) out.push({ text: row.text, source: row.source, code: row.code, line: Number(pos[1]), column: Number(pos[2]) });
    }
    return out;
  }

  /** Waits until the Problems panel (for `file`, if given) satisfies `predicate`; returns its markers. */
  async waitProblems(what, predicate, { file, timeoutMs = 60_000 } = {}) {
    try {
      return await until(`Problems panel: ${what}`, async () => {
        const list = await this.problems(file);
        return predicate(list) ? list : false;
      }, timeoutMs, 200);
    } catch (e) {
      throw new Error(`${e.message}; the panel showed ${JSON.stringify(this.lastProblemTexts)}`);
    }
  }

  /**
   * Lines (1-based) of the active editor that carry a squiggle of any severity. Monaco renders each
   * visible line's decorations in a `.view-overlays` child and its line number in a
   * `.margin-view-overlays` child at the same `top`, so the two are matched by that offset.
   */
  async squiggleLines() {
    return this.page.evaluate(() => {
      const editor = document.querySelector(".editor-instance .monaco-editor");
      if (!editor) return [];
      const numberAt = new Map();
      for (const div of editor.querySelectorAll(".margin-view-overlays > div")) {
        const n = div.querySelector(".line-numbers");
        if (n) numberAt.set(div.style.top, Number(n.textContent.trim()));
      }
      const lines = new Set();
      for (const div of editor.querySelectorAll(".view-overlays > div")) {
        if (div.querySelector("[class*='squiggly-']") && numberAt.has(div.style.top)) lines.add(numberAt.get(div.style.top));
      }
      return [...lines].sort((a, b) => a - b);
    });
  }

  /** Moves the cursor with Ctrl+G and waits for the status bar to confirm the position. */
  async gotoLine(line, column = 1) {
    await this.page.keyboard.press("Control+1");
    await this.page.locator(sel.focusedEditor).waitFor();
    const input = await this.quickInput("Control+G");
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press("Enter");
    await input.waitFor({ state: "hidden" });
    await this.page.locator(`[id="status.editor.selection"]`, { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** Opens the code action menu at the cursor (Ctrl+.) and returns the titles it lists. */
  async codeActions(expectTitle) {
    const row = this.page.locator(sel.actionRow, { hasText: expectTitle }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press("Control+.");
      try {
        await row.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        await this.shot(`code-actions-missing-${attempt}`);
        const seen = await this.page.locator(sel.actionRow).allInnerTexts();
        await this.page.keyboard.press("Escape");
        // The menu is asked for before the language server may have answered; a second try
        // covers that race, a third failure is a real absence.
        if (attempt >= 3) throw new Error(`no code action "${expectTitle}" at the cursor; the menu listed ${JSON.stringify(seen)}`);
      }
    }
    return this.page.locator(sel.actionRow).allInnerTexts();
  }

  /** Picks a code action by title from the open menu (arrow keys, then Enter). */
  async applyCodeAction(title) {
    const titles = (await this.page.locator(sel.actionRow).allInnerTexts()).map((t) => t.trim());
    const index = titles.findIndex((t) => t.includes(title));
    if (index < 0) throw new Error(`code action "${title}" not in ${JSON.stringify(titles)}`);
    // The first action is focused when the menu opens; the others are reached with ArrowDown,
    // as a person would, and the focused row is checked before Enter.
    for (let i = 0; i < index; i++) await this.page.keyboard.press("ArrowDown");
    const focused = this.page.locator(".action-widget .monaco-list-row.focused");
    await until(`the code action menu to focus "${title}"`, async () => (await focused.first().innerText({ timeout: 1_000 })).includes(title), 5_000);
    await this.page.keyboard.press("Enter");
    await this.page.locator(sel.actionRow).first().waitFor({ state: "hidden" });
  }

  async save(fileName) {
    await this.page.keyboard.press("Control+S");
    await this.page.locator(`.tabs-container .tab.dirty[data-resource-name="${fileName}"]`).waitFor({ state: "detached" });
  }

  /** Text of the editor's visible lines, for assertions about unsaved content. */
  async editorText() {
    return (await this.page.locator(`${sel.editor} .view-lines .view-line`).allInnerTexts()).join("\n").replace(/\u00a0/g, " ");
  }

  /**
   * Shows the Immutably output channel (with the extension's own "Immutably: Show Output") and
   * waits until its lines, narrowed with the Output panel's filter to `text`, show `text`. The
   * filter is how a person finds a line in a long channel; the panel only renders visible lines.
   */
  async waitOutputLine(text, timeoutMs = 120_000) {
    await this.runCommand("Immutably: Show Output");
    const select = this.page.locator(".part.panel select.monaco-select-box").first();
    await until("the Output panel to show the Immutably channel", async () => (await select.evaluate((el) => el.options[el.selectedIndex]?.text)) === "Immutably");
    const filter = this.page.locator(".part.panel .viewpane-filter input").first();
    if ((await filter.inputValue()) !== text) await filter.fill(text);
    const lines = this.page.locator(".part.panel .monaco-editor .view-lines");
    return until(`the Immutably channel to show "${text}"`, async () => {
      const visible = (await lines.first().innerText({ timeout: 2_000 })).replace(/\u00a0/g, " ");
      return visible.includes(text) ? visible : false;
    }, timeoutMs, 500);
  }

  /** Every notification currently shown as a toast or in the notification center. */
  async notifications() {
    return (await this.page.locator(`${sel.toast}, ${sel.notificationsCenter} .notification-list-item`).allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
  }
}
