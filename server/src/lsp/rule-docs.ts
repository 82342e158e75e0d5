// Rule documentation for the editor: the Markdown page rendered from each rule's metadata.
import type { Rule } from "../engine/index.ts";
import { ruleDocsUrl } from "../host/rule-docs.ts";
import { renderRuleDoc } from "../rules/docs.ts";
import type { RuleDocumentation, RuleDocumentationParams } from "./protocol.ts";

export function ruleDocumentation(rules: Rule[], params: RuleDocumentationParams): RuleDocumentation[] {
  const chosen = params.ruleId === undefined ? rules : rules.filter((r) => r.meta.id === params.ruleId);
  return chosen.map((rule) => ({
    id: rule.meta.id,
    summary: rule.meta.docs.summary,
    markdown: renderRuleDoc(rule),
    url: ruleDocsUrl(rule.meta.id),
  }));
}
