// The azure-vmss strategy: point the scale set model at the new image, start a rolling upgrade, poll it to the end.
import type { RetireMode } from "../config.ts";
import { rollingUpgradeCancelArgs, rollingUpgradeLatestArgs, rollingUpgradeStartArgs, vmssSetImageArgs } from "../argv/az.ts";
import { commandStep, type CommandStepSpec, type Step } from "../steps.ts";
import type { Promotion, PromotionTarget, Strategy, StrategyContext } from "../types.ts";
import { validated } from "../validate.ts";
import { requiredSetting, targetAttribute, type StrategyDefinition } from "./definition.ts";
import { CancelledError, parseJsonOutput, sleep } from "./poll.ts";

/** Rolling upgrade states; see `az vmss rolling-upgrade get-latest` (runningStatus.code). */
const DONE = new Set(["Completed"]);
const BAD = new Set(["Faulted", "Cancelled"]);

export class AzureVmssStrategy implements Strategy {
  private readonly vmss: string;

  constructor(private readonly ctx: StrategyContext) {
    this.vmss = validated("azureName", "scale set", requiredSetting(ctx, "target"));
  }

  promotion(target: PromotionTarget, _retire: RetireMode): Promotion {
    const { runner, generation } = this.ctx;
    const cloud = generation.cloud;
    const image = target.image.derive(
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/images/sample",
      (value) => validated("azureImageId", "managed image id", value),
    );
    const az = (args: CommandStepSpec["args"]): Step =>
      commandStep(runner, {
        stage: "promote",
        tool: "az",
        args,
        cwd: generation.configDir,
        options: { timeoutMs: 10 * 60_000, quietStdout: true },
        slots: [image],
      });
    return {
      validate: () => void image.get(),
      prepare: [],
      apply: [
        az((read) => vmssSetImageArgs(this.vmss, read(image), cloud)),
        az(() => rollingUpgradeStartArgs(this.vmss, cloud)),
        {
          stage: "promote",
          show: () =>
            `${runner.display("az", rollingUpgradeLatestArgs(this.vmss, cloud))}   (repeated until Completed, Faulted or Cancelled)`,
          run: (signal) => this.waitForUpgrade(signal),
        },
      ],
      replacements: () => [`${cloud.resourceGroup}/${this.vmss}: every instance upgraded to ${image.get()}`],
      isolated: () => [],
      discard: async () => {},
    };
  }

  private async waitForUpgrade(signal: AbortSignal): Promise<void> {
    const { runner, generation } = this.ctx;
    const never = new AbortController().signal;
    const deadline = Date.now() + generation.timeouts.waitMs;
    for (;;) {
      try {
        await sleep(this.ctx.pollIntervalMs, signal);
      } catch (error) {
        if (error instanceof CancelledError) {
          await runner.run("az", rollingUpgradeCancelArgs(this.vmss, generation.cloud), {
            cwd: generation.configDir,
            timeoutMs: 60_000,
            signal: never,
            allowFailure: true,
          });
          throw new CancelledError("cancelled; the rolling upgrade was cancelled");
        }
        throw error;
      }
      const result = await runner.run("az", rollingUpgradeLatestArgs(this.vmss, generation.cloud), {
        cwd: generation.configDir,
        timeoutMs: 60_000,
        signal: never,
        quietStdout: true,
      });
      const status =
        parseJsonOutput<{ runningStatus?: { code?: string } }>(result.stdout, "az vmss rolling-upgrade get-latest").runningStatus?.code ??
        "Unknown";
      this.ctx.log(`rolling upgrade ${status}`);
      if (DONE.has(status)) return;
      if (BAD.has(status)) throw new Error(`the rolling upgrade of ${this.vmss} ended ${status}`);
      if (Date.now() > deadline) {
        await runner.run("az", rollingUpgradeCancelArgs(this.vmss, generation.cloud), {
          cwd: generation.configDir,
          timeoutMs: 60_000,
          signal: never,
          allowFailure: true,
        });
        throw new Error(`the rolling upgrade of ${this.vmss} did not finish within wait_timeout; it was cancelled`);
      }
    }
  }
}

export const azureVmss: StrategyDefinition<"azure-vmss"> = {
  name: "azure-vmss",
  summary: "the scale set's image, then a rolling upgrade, polled to the end",
  attributes: [targetAttribute("the scale set name", "azureName")],
  check({ cloud, retire }) {
    const problems = cloud.resourceGroup
      ? []
      : [{ attribute: "cloud", message: 'strategy "azure-vmss" needs cloud = { resource_group = "..." }' }];
    // A scale set has no way to take an instance out of the set and keep it running on its own.
    if (retire === "isolate")
      problems.push({
        attribute: "retire",
        message: '"isolate" is not supported by strategy "azure-vmss" (a scale set cannot release an instance); expected "destroy"',
      });
    return problems;
  },
  create: (ctx) => new AzureVmssStrategy(ctx),
};
