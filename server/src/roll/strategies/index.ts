// The strategy registry: adding a strategy is one file beside these and one line here, as a rule is added.
import type { Strategy, StrategyContext } from "../types.ts";
import { awsInstanceRefresh } from "./aws-instance-refresh.ts";
import { azureVmss } from "./azure-vmss.ts";
import type { StrategyDefinition } from "./definition.ts";
import { gcpMig } from "./gcp-mig.ts";
import { terraform } from "./terraform.ts";

/** Every strategy; the first is the default when a generation block names none. */
export const STRATEGY_DEFINITIONS = [terraform, awsInstanceRefresh, gcpMig, azureVmss] as const;

export type StrategyName = (typeof STRATEGY_DEFINITIONS)[number]["name"];

export const DEFAULT_STRATEGY: StrategyName = STRATEGY_DEFINITIONS[0].name;

export function strategyDefinition(name: StrategyName): StrategyDefinition {
  const found = STRATEGY_DEFINITIONS.find((d) => d.name === name);
  if (!found) throw new Error(`unknown strategy ${name}`);
  return found;
}

export function createStrategy(ctx: StrategyContext): Strategy {
  return strategyDefinition(ctx.generation.strategy).create(ctx);
}
