// immutably/ruleDocumentation: the documentation of one rule or of every rule, for the extension's command.
import type { RuleDocumentation, RuleDocumentationParams } from "../protocol.ts";
import { ruleDocumentation as documentationOf } from "../rule-docs.ts";
import type { ImmutablyServer } from "../server.ts";

export async function ruleDocumentation(
  server: ImmutablyServer,
  params: RuleDocumentationParams | undefined,
): Promise<RuleDocumentation[]> {
  return documentationOf((await server.linterReady).rules, params ?? {});
}
