// Snippet checks: every snippet in snippets/*.json is well-formed, expands (tab stops replaced by
// their defaults) to HCL that HashiCorp's parser accepts, produces the setting it promises, and
// draws no finding from immutably's own linter.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Compares two parsed HCL values structurally. */
const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What each snippet must produce once expanded and parsed by @cdktf/hcl2json (blocks become
 * arrays, expressions become "${...}" strings). A snippet without an entry here fails, so a new
 * snippet cannot ship without saying what it is for.
 */
const EXPECTATIONS = {
  "terraform.json": {
    "lifecycle create_before_destroy": (hcl) => hcl.lifecycle[0].create_before_destroy === true,
    "aws_autoscaling_group with instance_refresh": (hcl) => {
      const group = hcl.resource.aws_autoscaling_group.app[0];
      const refresh = group.instance_refresh[0];
      return refresh.strategy === "Rolling" && refresh.preferences[0].min_healthy_percentage === 90 && group.lifecycle[0].create_before_destroy === true;
    },
    "instance_refresh block": (hcl) => hcl.instance_refresh[0].strategy === "Rolling" && hcl.instance_refresh[0].preferences[0].min_healthy_percentage === 90,
    "aws_launch_template for instance refresh": (hcl) => {
      const template = hcl.resource.aws_launch_template.app[0];
      return template.name_prefix === "app-" && template.lifecycle[0].create_before_destroy === true;
    },
    "google_compute_instance_template for a MIG": (hcl) => {
      const template = hcl.resource.google_compute_instance_template.app[0];
      return template.name_prefix === "app-" && template.lifecycle[0].create_before_destroy === true;
    },
    "google MIG with PROACTIVE update_policy": (hcl) => {
      const policy = hcl.resource.google_compute_region_instance_group_manager.app[0].update_policy[0];
      return policy.type === "PROACTIVE" && policy.minimal_action === "REPLACE";
    },
    "azurerm VMSS with rolling upgrades": (hcl) => {
      const scaleSet = hcl.resource.azurerm_linux_virtual_machine_scale_set.app[0];
      return scaleSet.upgrade_mode === "Rolling" && scaleSet.rolling_upgrade_policy[0].max_batch_instance_percent === 20 && typeof scaleSet.health_probe_id === "string";
    },
    "terraform_data with triggers_replace": (hcl) => sameJson(hcl.resource.terraform_data.image_version[0].triggers_replace, ["${var.image_id}"]),
    "lifecycle replace_triggered_by": (hcl) => sameJson(hcl.lifecycle[0].replace_triggered_by, ["${terraform_data.image_version}"]) && hcl.lifecycle[0].create_before_destroy === true,
    "aws_instance with user_data_replace_on_change": (hcl) => hcl.resource.aws_instance.app[0].user_data_replace_on_change === true,
  },
  "packer.json": {
    "amazon-ebs source with a timestamped AMI name": (hcl) =>
      hcl.locals[0].timestamp === '${regex_replace(timestamp(), "[- TZ:]", "")}' && hcl.source["amazon-ebs"].ubuntu[0].ami_name === "${var.name}-${local.timestamp}",
    "manifest post-processor": (hcl) => hcl["post-processor"].manifest[0].output === "manifest.json" && hcl["post-processor"].manifest[0].strip_path === true,
    "required_plugins with a pessimistic version": (hcl) => {
      const amazon = hcl.packer[0].required_plugins[0].amazon;
      return amazon.version === "~> 1.3" && amazon.source === "github.com/hashicorp/amazon";
    },
  },
};

/**
 * Expands VS Code snippet syntax the way the editor shows it before the user types anything:
 * `${1:default}` and `${1|a,b|}` become their default (the first choice), `$1`/`${1}` repeat the
 * default given elsewhere for the same number, `$0` vanishes, and `\$`, `\}`, `\\` are literals.
 * Throws on a snippet variable or a bare `$`, because in an HCL snippet that is almost always an
 * interpolation that was meant to be escaped as `\${`.
 */
export function expandSnippet(body) {
  const defaults = new Map();
  const stops = new Set();
  let i = 0;

  const record = (number, text) => {
    stops.add(number);
    if (text === undefined) return;
    if (defaults.has(number) && defaults.get(number) !== text) {
      throw new Error(`tab stop $${number} has two different defaults: "${defaults.get(number)}" and "${text}"`);
    }
    defaults.set(number, text);
  };

  /** Reads text until an unescaped `terminator` (or the end at top level) and returns it expanded. */
  const readUntil = (terminator) => {
    let out = "";
    while (i < body.length) {
      const c = body[i];
      if (terminator && body.startsWith(terminator, i)) {
        i += terminator.length;
        return out;
      }
      if (c === "\\" && "$}\\".includes(body[i + 1] ?? "")) {
        out += body[i + 1];
        i += 2;
      } else if (c === "$") {
        out += readTabStop();
      } else {
        out += c;
        i++;
      }
    }
    if (terminator) throw new Error(`missing "${terminator}" to close a placeholder`);
    return out;
  };

  /** Reads one `$n`, `${n}`, `${n:...}` or `${n|...|}` at `i`; returns a marker resolved after the pass. */
  const readTabStop = () => {
    const simple = /^\$(\d+)/.exec(body.slice(i));
    if (simple) {
      i += simple[0].length;
      record(Number(simple[1]));
      return `\u0000${simple[1]}\u0000`;
    }
    const braced = /^\$\{(\d+)([:|}])/.exec(body.slice(i));
    if (!braced) {
      throw new Error(`unescaped "$" at "${body.slice(i, i + 20)}"; write \\\${ for a literal HCL interpolation`);
    }
    i += braced[0].length;
    const number = Number(braced[1]);
    if (braced[2] === "}") record(number);
    else if (braced[2] === ":") record(number, readUntil("}"));
    else {
      const choices = readUntil("|}").split(",");
      record(number, choices[0]);
    }
    return `\u0000${number}\u0000`;
  };

  const raw = readUntil(null);
  // A default may itself hold a tab stop (`${1:a ${2:b}}`), so markers are resolved until none remain.
  let text = raw;
  while (text.includes("\u0000")) text = text.replace(/\u0000(\d+)\u0000/g, (_, n) => defaults.get(Number(n)) ?? "");
  return { text, stops: [...stops].sort((a, b) => a - b) };
}

/** A file the linter must flag, so that "no findings" for the snippets is known to mean something. */
const LINT_CANARY = 'resource "aws_instance" "canary" {\n  ami = "ami-0123456789abcdef0"\n}\n';

/**
 * Lints the expanded snippets with the built CLI (`npm test` builds before this stage). A snippet
 * that the linter flags would teach users the very mistakes immutably exists to catch.
 */
function lintExpansions(expansions, cliPath, check) {
  if (!fs.existsSync(cliPath)) {
    check("immutably lint of the snippets", false, `${cliPath} is missing; run "npm run build" first`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "immutably-snippets-"));
  try {
    expansions.forEach(({ fileName, text }) => fs.writeFileSync(path.join(dir, fileName), text));
    fs.writeFileSync(path.join(dir, "canary.tf"), LINT_CANARY);
    const run = spawnSync(process.execPath, [cliPath, "lint", "--format", "json", dir], { encoding: "utf8", timeout: 60_000 });
    let report;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      check("immutably lint of the snippets", false, `no JSON report (exit ${run.status}): ${run.stderr || run.stdout}`);
      return;
    }
    const findingsIn = (fileName) => report.findings.filter((finding) => path.basename(finding.path) === fileName);
    check("immutably lint flags the canary", findingsIn("canary.tf").some((f) => f.ruleId === "require-create-before-destroy"), "the linter did not flag a file it must flag, so its silence on the snippets proves nothing");
    for (const { label, fileName } of expansions) {
      const findings = findingsIn(fileName).map((f) => `${f.ruleId} at ${f.line}:${f.column}: ${f.message}`);
      const skipped = (report.skipped ?? []).filter((entry) => JSON.stringify(entry).includes(fileName));
      check(label, findings.length === 0 && skipped.length === 0, `immutably lint reports ${findings.join("; ") || `it skipped: ${JSON.stringify(skipped)}`}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every check on every snippet file under `dir` and returns counts and a printable log. */
export async function checkSnippets(dir, parseHcl, cliPath) {
  const log = [];
  let passed = 0;
  let failed = 0;
  const check = (label, ok, why) => {
    if (ok) passed++;
    else {
      failed++;
      log.push(`  FAIL ${label}: ${why}`);
    }
  };

  const expansions = [];
  for (const file of Object.keys(EXPECTATIONS)) {
    const snippetsPath = path.join(dir, file);
    if (!fs.existsSync(snippetsPath)) {
      check(file, false, "file is missing");
      continue;
    }
    const snippets = JSON.parse(fs.readFileSync(snippetsPath, "utf8"));
    const expected = EXPECTATIONS[file];
    for (const name of Object.keys(expected)) check(`${file} "${name}"`, name in snippets, "expected snippet is missing");

    for (const [name, snippet] of Object.entries(snippets)) {
      const label = `${file} "${name}"`;
      const prefixes = [snippet.prefix].flat();
      check(label, prefixes.length > 0 && prefixes.every((p) => typeof p === "string" && /^[a-z][a-z0-9_-]*$/.test(p)), "needs one or more lower-case prefixes");
      check(label, typeof snippet.description === "string" && snippet.description.length >= 20, "needs a description of what it is for");

      let expansion;
      try {
        expansion = expandSnippet([snippet.body].flat().join("\n"));
      } catch (error) {
        check(label, false, `cannot expand: ${error.message}`);
        continue;
      }
      // Tab stops are what makes a snippet more than pasted text: it needs at least one, and the
      // numbered ones must run 1, 2, 3... so that Tab visits every field.
      const numbered = expansion.stops.filter((n) => n > 0);
      check(label, expansion.stops.length > 0 && numbered.every((n, k) => n === k + 1), `needs tab stops numbered 1, 2, 3... without gaps; found [${expansion.stops.join(", ")}]`);

      let parsed;
      try {
        parsed = await parseHcl(`${name}.hcl`, expansion.text);
        check(label, true);
        const extension = file === "packer.json" ? ".pkr.hcl" : ".tf";
        expansions.push({ label, fileName: `${path.basename(file, ".json")}-${expansions.length}${extension}`, text: expansion.text });
      } catch (error) {
        check(label, false, `expanded body is not valid HCL: ${String(error.message ?? error).trim()}\n${expansion.text}`);
        continue;
      }
      const expectation = expected[name];
      if (!expectation) {
        check(label, false, "has no expectation in test/grammar/snippets.mjs");
        continue;
      }
      let holds = false;
      try {
        holds = expectation(parsed) === true;
      } catch {
        holds = false;
      }
      check(label, holds, `expanded body does not produce the promised setting; parsed as ${JSON.stringify(parsed)}`);
    }
    log.push(`  ${Object.keys(snippets).length} snippets in ${file}`);
  }
  lintExpansions(expansions, cliPath, check);
  log.push(`  ${expansions.length} expanded snippets linted with immutably`);
  return { passed, failed, log };
}
