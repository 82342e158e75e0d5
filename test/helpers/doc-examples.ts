// Every rule's documented examples, bad and good, with a stable name: the seeds that fuzzing and the differential suite start from.
import { allRules } from "../../server/src/rules/index.ts";

export interface DocExample {
  /** `<rule id>/<bad|good>-<index>/<file name>`, unique across the rules. */
  name: string;
  filename: string;
  code: string;
}

export function ruleDocExamples(): DocExample[] {
  const out: DocExample[] = [];
  for (const rule of allRules) {
    for (const [kind, examples] of [
      ["bad", rule.meta.docs.bad],
      ["good", rule.meta.docs.good],
    ] as const) {
      examples.forEach((example, i) =>
        out.push({ name: `${rule.meta.id}/${kind}-${i}/${example.filename}`, filename: example.filename, code: example.code }),
      );
    }
  }
  return out;
}
