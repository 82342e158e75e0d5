// Picks the promotion strategy a generation block names.
import type { Strategy, StrategyContext } from "../types.ts";
import { AwsInstanceRefreshStrategy } from "./aws-instance-refresh.ts";
import { AzureVmssStrategy } from "./azure-vmss.ts";
import { GcpMigStrategy } from "./gcp-mig.ts";
import { TerraformStrategy } from "./terraform.ts";

export function createStrategy(ctx: StrategyContext): Strategy {
  switch (ctx.generation.strategy) {
    case "terraform":
      return new TerraformStrategy(ctx);
    case "aws-instance-refresh":
      return new AwsInstanceRefreshStrategy(ctx);
    case "gcp-mig":
      return new GcpMigStrategy(ctx);
    case "azure-vmss":
      return new AzureVmssStrategy(ctx);
  }
}
