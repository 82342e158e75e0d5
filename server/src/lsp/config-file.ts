// Completion and hover in `.immutably.hcl` (rule ids, rule options, settings, generation attributes) and completion of rule ids in suppression comments anywhere.
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type Position } from "vscode-languageserver/node";
import { PLAN_CHECKS, type OptionSpec, type Rule } from "../engine/index.ts";
import type { Block, Body, Range } from "../engine/model.ts";
import { parseHcl } from "../engine/parse.ts";
import { GENERATION_ATTRIBUTE_DOCS, VERIFY_ATTRIBUTE_DOCS } from "../roll/config.ts";
import { planDocsUrl, ruleDocsUrl } from "../host/rule-docs.ts";
import { toLspRange } from "./findings-to-lsp.ts";

/** The top-level settings of `.immutably.hcl`, as `parseConfig` reads them. */
const TOP_LEVEL: ReadonlyArray<{ name: string; what: string }> = [
  { name: "ignore_paths", what: "glob patterns (relative to this file) of files immutably does not lint" },
  { name: "max_file_bytes", what: "files larger than this many bytes are reported and skipped" },
  { name: "max_nesting_depth", what: "deeper nesting than this is reported and the file skipped" },
];
const RULE_SETTINGS: ReadonlyArray<{ name: string; what: string }> = [
  { name: "enabled", what: "true or false: whether the rule runs (setting `severity` alone enables it)" },
  { name: "severity", what: '"error", "warning" or "info"' },
];

/**
 * A suppression comment being typed before the cursor: `immutably-ignore: a, b` or
 * `immutably-ignore-file: a`, up to the rule id under the cursor. The grammar itself lives in
 * engine/suppress.ts; this only finds where a rule id is being written.
 */
const SUPPRESSION_BEFORE_CURSOR = /(?:#|\/\/|\/\*).*immutably-ignore(?:-file)?:\s*(?:[a-z0-9-]+\s*,\s*)*([a-z0-9-]*)$/;

/** What completion and hover show of a lint rule or a plan check (one `.immutably.hcl` configures both). */
interface Checkable {
  id: string;
  severity: string;
  recommended: boolean;
  summary: string;
  why: string;
  options: Record<string, OptionSpec>;
  docsUrl: string;
}

/** A cache, not state: the list is a pure function of the rule list, built once instead of on every completion. */
const checkables = new WeakMap<readonly Rule[], Checkable[]>();

/** The rules and the plan checks, as completion and hover show them. */
function checkablesOf(rules: readonly Rule[]): Checkable[] {
  let list = checkables.get(rules);
  if (!list) {
    const ids = new Set(rules.map((r) => r.meta.id));
    list = [
      ...rules.map(({ meta }) => ({
        id: meta.id,
        severity: meta.severity,
        recommended: meta.recommended,
        summary: meta.docs.summary,
        why: meta.docs.why,
        options: meta.options ?? {},
        docsUrl: ruleDocsUrl(meta.id),
      })),
      ...PLAN_CHECKS.filter((c) => !ids.has(c.meta.id)).map(({ meta }) => ({
        id: meta.id,
        severity: meta.severity,
        recommended: meta.recommended,
        summary: meta.summary,
        why: meta.why,
        options: meta.options,
        docsUrl: planDocsUrl(),
      })),
    ];
    checkables.set(rules, list);
  }
  return list;
}

function lineBefore(text: string, position: Position): string {
  const lines = text.split(/\r\n|\r|\n/);
  return (lines[position.line] ?? "").slice(0, position.character);
}

function ruleIdItems(rules: readonly Rule[], detailPrefix = ""): CompletionItem[] {
  return [...checkablesOf(rules)]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => ({
      label: r.id,
      kind: CompletionItemKind.Value,
      detail: `${detailPrefix}${r.summary}`,
      documentation: { kind: MarkupKind.Markdown, value: ruleMarkdown(r) },
    }));
}

/** Rule ids after `immutably-ignore:` in any linted file; undefined when the cursor is not in such a comment. */
export function suppressionCompletions(text: string, position: Position, rules: readonly Rule[]): CompletionItem[] | undefined {
  if (!SUPPRESSION_BEFORE_CURSOR.test(lineBefore(text, position))) return undefined;
  return ruleIdItems(rules);
}

function contains(range: Range, p: Position): boolean {
  const after = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const before = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return after && before;
}

/** The innermost blocks around `p`, outermost first. */
function enclosing(body: Body, p: Position): Block[] {
  const block = body.blocks.find((b) => contains(b.range, p) && !contains(b.headerRange, p));
  return block ? [block, ...enclosing(block.body, p)] : [];
}

function attributeItems(docs: ReadonlyArray<{ name: string; what: string }>, present: Body | undefined): CompletionItem[] {
  const used = new Set(present?.attributes.map((a) => a.name));
  return docs
    .filter((d) => !used.has(d.name))
    .map((d) => ({ label: d.name, kind: CompletionItemKind.Property, detail: d.what, insertText: `${d.name} = ` }));
}

/** Completion in `.immutably.hcl`: rule ids in `rule "…"`, a rule's settings and options, generation and verify attributes, top-level settings. */
export function configCompletions(filePath: string, text: string, position: Position, rules: readonly Rule[]): CompletionItem[] {
  const suppression = suppressionCompletions(text, position, rules);
  if (suppression) return suppression;
  const before = lineBefore(text, position);
  if (/^\s*rule\s+"[a-z0-9-]*$/.test(before)) return ruleIdItems(rules);
  // A line that already has `name =` is a value being written, which is not completed.
  if (before.includes("=")) return [];
  const file = parseHcl(filePath, text);
  const blocks = enclosing(file.body, position);
  const inner = blocks.at(-1);
  if (!inner) {
    return [
      ...attributeItems(TOP_LEVEL, file.body),
      {
        label: "rule",
        kind: CompletionItemKind.Keyword,
        detail: "settings of one rule: enabled, severity and its options",
        insertText: 'rule "',
      },
      {
        label: "generation",
        kind: CompletionItemKind.Keyword,
        detail: "a generation the roll bakes and promotes",
        insertText: 'generation "',
      },
    ];
  }
  if (inner.type === "rule" && blocks.length === 1) {
    return attributeItems(ruleSettingDocs(checkablesOf(rules).find((r) => r.id === inner.labels[0])), inner.body);
  }
  if (inner.type === "generation" && blocks.length === 1) {
    const verify = inner.body.blocks.some((b) => b.type === "verify")
      ? []
      : [
          {
            label: "verify",
            kind: CompletionItemKind.Keyword,
            detail: "how the new generation is checked: command or http, and timeout",
            insertText: "verify {",
          },
        ];
    return [...attributeItems(GENERATION_ATTRIBUTE_DOCS, inner.body), ...verify];
  }
  if (inner.type === "verify" && blocks.length === 2 && blocks[0].type === "generation")
    return attributeItems(VERIFY_ATTRIBUTE_DOCS, inner.body);
  return [];
}

/** A rule block's settings and the rule's own options, with what each is. */
function ruleSettingDocs(rule: Checkable | undefined): Array<{ name: string; what: string }> {
  return [
    ...RULE_SETTINGS,
    ...Object.entries(rule?.options ?? {}).map(([name, spec]) => ({
      name,
      what: `${spec.description} (${spec.type}, default ${JSON.stringify(spec.default)})`,
    })),
  ];
}

function ruleMarkdown(rule: Checkable): string {
  return [
    `**${rule.id}** (${rule.severity}${rule.recommended ? ", recommended" : ""})`,
    "",
    rule.summary,
    "",
    rule.why,
    "",
    `[Documentation](${rule.docsUrl})`,
  ].join("\n");
}

/** Hover in `.immutably.hcl`: a rule id (its summary and why), a rule option, a setting or a generation attribute (what it is). */
export function configHover(filePath: string, text: string, position: Position, rules: readonly Rule[]): Hover | null {
  const file = parseHcl(filePath, text);
  const blocks = enclosing(file.body, position);
  const header = [...file.body.blocks].find((b) => contains(b.headerRange, position));
  if (header?.type === "rule") {
    const rule = checkablesOf(rules).find((r) => r.id === header.labels[0]);
    return rule ? { contents: { kind: MarkupKind.Markdown, value: ruleMarkdown(rule) }, range: toLspRange(header.headerRange) } : null;
  }
  const inner = blocks.at(-1);
  const body = inner ? inner.body : file.body;
  const attribute = body.attributes.find((a) => contains(a.nameRange, position));
  if (!attribute) return null;
  let docs: ReadonlyArray<{ name: string; what: string }> = [];
  if (!inner) docs = TOP_LEVEL;
  else if (inner.type === "rule" && blocks.length === 1) {
    docs = ruleSettingDocs(checkablesOf(rules).find((r) => r.id === inner.labels[0]));
  } else if (inner.type === "generation" && blocks.length === 1) docs = GENERATION_ATTRIBUTE_DOCS;
  else if (inner.type === "verify" && blocks.length === 2) docs = VERIFY_ATTRIBUTE_DOCS;
  const found = docs.find((d) => d.name === attribute.name);
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: `**${attribute.name}**: ${found.what}` }, range: toLspRange(attribute.nameRange) };
}
