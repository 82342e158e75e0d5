// Checks a Terraform plan (`terraform show -json` output) with the plan checks, the configuration and the suppression comments lint uses.
import { compareFindings } from "../linter.ts";
import { computeLineStarts, positionAt, type Range } from "../model.ts";
import { applySuppressions, collectSuppressions } from "../suppress.ts";
import type { Finding, ResolvedConfig } from "../types.ts";
import { PLAN_CHECKS } from "./checks.ts";
import { planModuleOf, readPlanDocument, type PlanDocument } from "./document.ts";
import { ConfigurationLocator, type PlanHost } from "./locate.ts";

export { PLAN_CHECKS, type PlanCheck, type PlanCheckMeta } from "./checks.ts";
export { PlanFormatError, readPlanDocument, type PlanDocument, type ResourceChange } from "./document.ts";
export type { PlanHost } from "./locate.ts";

export interface PlanInput {
  /** `terraform show -json` output. */
  json: string;
  /** The file the user named (a saved plan or its JSON): findings point here when no block is found. */
  planPath: string;
  /** True when `planPath` holds `json` itself, so a finding can point at the address inside it. */
  planIsJson: boolean;
  /** The folder the plan was made in: the root module, where module sources start. */
  rootDir: string;
}

export interface PlanResult {
  document: PlanDocument;
  findings: Finding[];
  /** The texts findings point into, for formatters that quote regions. */
  texts: Map<string, string>;
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 }, startOffset: 0, endOffset: 0 };

/** The range of a change's address in the plan JSON's `resource_changes`, or the start of the file. */
function addressRange(json: string, address: string): Range {
  const from = json.indexOf('"resource_changes"');
  const quoted = JSON.stringify(address);
  const at = from < 0 ? -1 : json.indexOf(quoted, from);
  if (at < 0) return START;
  const lineStarts = computeLineStarts(json);
  return {
    start: positionAt(lineStarts, at),
    end: positionAt(lineStarts, at + quoted.length),
    startOffset: at,
    endOffset: at + quoted.length,
  };
}

/** Runs every enabled plan check over every resource change; throws PlanFormatError when the text is not a plan. */
export function checkPlan(input: PlanInput, config: ResolvedConfig, host: PlanHost): PlanResult {
  const document = readPlanDocument(input.json);
  const locator = new ConfigurationLocator(input.rootDir, document, host);
  const texts = new Map<string, string>();
  if (input.planIsJson) texts.set(input.planPath, input.json);
  const findings: Finding[] = [];
  const suppressionsRead = new Set<string>();
  const suppressions = [];
  for (const change of document.changes) {
    for (const check of PLAN_CHECKS) {
      const setting = config.rules[check.meta.id];
      if (!setting?.enabled) continue;
      const message = check.check(change, planModuleOf(document, change.modulePath), setting.options);
      if (message === undefined) continue;
      const located = locator.find(change.modulePath, change.type, change.name);
      if (located) {
        texts.set(located.file.path, located.file.text);
        if (!suppressionsRead.has(located.file.path)) {
          suppressionsRead.add(located.file.path);
          suppressions.push(...collectSuppressions(located.file));
        }
      }
      findings.push({
        ruleId: check.meta.id,
        severity: setting.severity,
        message,
        path: located ? located.file.path : input.planPath,
        range: located ? located.block.headerRange : input.planIsJson ? addressRange(input.json, change.address) : START,
      });
    }
  }
  return { document, findings: applySuppressions(findings, suppressions).sort(compareFindings), texts };
}
