// The aws-instance-refresh strategy: a launch template version with the new AMI, then an instance refresh of the group, polled to the end.
import type { RetireMode } from "../config.ts";
import {
  cancelInstanceRefreshArgs,
  createLaunchTemplateVersionArgs,
  describeAutoScalingGroupArgs,
  describeInstanceRefreshesArgs,
  detachInstancesArgs,
  startInstanceRefreshArgs,
  tagIsolatedArgs,
} from "../argv/aws.ts";
import { commandStep, Slot, withBefore, withPlaceholders, type CommandStepSpec, type Step } from "../steps.ts";
import type { Promotion, PromotionTarget, StageName, Strategy, StrategyContext } from "../types.ts";
import { validated } from "../validate.ts";
import { requiredSetting, targetAttribute, type StrategyDefinition } from "./definition.ts";
import { CancelledError, parseJsonOutput, sleep } from "./poll.ts";

interface LaunchTemplateSpec {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  Version?: string;
}
interface GroupDescription {
  AutoScalingGroups?: Array<{
    AutoScalingGroupName?: string;
    LaunchTemplate?: LaunchTemplateSpec;
    MixedInstancesPolicy?: { LaunchTemplate?: { LaunchTemplateSpecification?: LaunchTemplateSpec } };
    Instances?: Array<{ InstanceId?: string; LifecycleState?: string }>;
  }>;
}

/** Instance refresh states after which polling stops; see the DescribeInstanceRefreshes API reference. */
const FINAL_OK = new Set(["Successful"]);
const FINAL_BAD = new Set(["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed", "Baked"]);

/** The launch template and in-service instances of a group, from `describe-auto-scaling-groups` output. */
export function readGroup(stdout: string, asg: string): { launchTemplateId: string; version: string; instances: string[] } {
  const data = parseJsonOutput<GroupDescription>(stdout, "aws autoscaling describe-auto-scaling-groups");
  const group = data.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === asg);
  if (!group) throw new Error(`Auto Scaling group ${asg} was not found`);
  const spec = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  if (!spec?.LaunchTemplateId) throw new Error(`Auto Scaling group ${asg} does not use a launch template; an instance refresh needs one`);
  const instances = (group.Instances ?? [])
    .filter((i) => i.InstanceId && i.LifecycleState !== "Terminating")
    .map((i) => validated("instanceId", "instance id", i.InstanceId ?? ""));
  return {
    launchTemplateId: validated("launchTemplateId", "launch template id", spec.LaunchTemplateId),
    version: spec.Version ?? "$Default",
    instances,
  };
}

export class AwsInstanceRefreshStrategy implements Strategy {
  private readonly asg: string;

  constructor(private readonly ctx: StrategyContext) {
    this.asg = validated("asgName", "Auto Scaling group", requiredSetting(ctx, "target"));
  }

  promotion(target: PromotionTarget, retire: RetireMode): Promotion {
    const { runner, generation } = this.ctx;
    const cloud = generation.cloud;
    const timeoutMs = 5 * 60_000;
    // The AMI of the configured region when the bake copied the image to several.
    const ami = target.image.derive("ami-00000000", (image) => {
      const region = cloud.region;
      return validated("amiId", "AMI", (region && target.regions.get()[region]) || image);
    });
    const launchTemplate = new Slot("<launch template of the group>", "lt-00000000");
    const sourceVersion = new Slot("<the group's launch template version>", "$Latest");
    const instances = new Slot<string[]>("<each instance in service>", ["i-0123abcd"]);
    const version = new Slot("<new version>", "9000000009");
    const refreshId = new Slot("<refresh id>", "00000000-0000-0000-0000-000000000000");
    const description = `immutably ${generation.name} generation ${target.number}`;
    const isolating = (): boolean => retire === "isolate" && (!instances.known || instances.get().length > 0);
    const aws = (stage: StageName, args: CommandStepSpec["args"], extra: Partial<CommandStepSpec> = {}): Step =>
      commandStep(runner, {
        stage,
        tool: "aws",
        args,
        cwd: generation.configDir,
        options: { timeoutMs, quietStdout: true },
        slots: [ami, launchTemplate, sourceVersion, instances, version, refreshId],
        ...extra,
      });
    return {
      validate: () => void ami.get(),
      prepare: [
        aws("plan", () => describeAutoScalingGroupArgs(this.asg, cloud), {
          after: (result) => {
            const group = readGroup(result.stdout, this.asg);
            launchTemplate.set(group.launchTemplateId);
            sourceVersion.set(group.version);
            instances.set(group.instances);
          },
        }),
      ],
      apply: [
        aws(
          "promote",
          (read) => createLaunchTemplateVersionArgs(read(launchTemplate), read(sourceVersion), read(ami), description, cloud),
          {
            after: (result) => {
              const created = String(
                parseJsonOutput<{ LaunchTemplateVersion?: { VersionNumber?: number } }>(
                  result.stdout,
                  "aws ec2 create-launch-template-version",
                ).LaunchTemplateVersion?.VersionNumber ?? "",
              );
              if (!/^[0-9]+$/.test(created)) throw new Error("aws ec2 create-launch-template-version returned no version number");
              version.set(created);
              this.ctx.log(`launch template ${launchTemplate.get()} version ${created} uses ${ami.get()}`);
            },
          },
        ),
        // Detached without lowering capacity: the group replaces them, and they keep running, tagged, for analysis.
        withBefore(
          aws("promote", (read) => detachInstancesArgs(this.asg, read(instances), cloud), { skip: () => !isolating() }),
          () => this.ctx.recordIsolation?.(instances.get()),
        ),
        aws("promote", (read) => tagIsolatedArgs(read(instances), generation.name, target.number, cloud), { skip: () => !isolating() }),
        aws("promote", (read) => startInstanceRefreshArgs(this.asg, read(launchTemplate), read(version), cloud), {
          after: (result) => {
            refreshId.set(
              validated(
                "refreshId",
                "instance refresh id",
                parseJsonOutput<{ InstanceRefreshId?: string }>(result.stdout, "aws autoscaling start-instance-refresh")
                  .InstanceRefreshId ?? "",
              ),
            );
            this.ctx.log(`instance refresh ${refreshId.get()} started on ${this.asg}`);
          },
        }),
        {
          stage: "promote",
          show: () =>
            `${withPlaceholders(runner.display("aws", describeInstanceRefreshesArgs(this.asg, refreshId.peek(), cloud)), [refreshId])}   (repeated until Successful, Failed or Cancelled)`,
          run: (signal) => this.waitForRefresh(refreshId.get(), signal),
        },
      ],
      replacements: () => {
        const ids = instances.get();
        return ids.length
          ? ids.map(
              (id) => `${this.asg}/${id}: replace with ${ami.get()}${retire === "isolate" ? " (old instance detached and kept)" : ""}`,
            )
          : [`${this.asg}: no instances in service; new ones will use ${ami.get()}`];
      },
      isolated: () => (retire === "isolate" ? instances.get() : []),
      discard: async () => {},
    };
  }

  /** Polls the refresh until it ends; a cancellation cancels the refresh in AWS before giving up. */
  private async waitForRefresh(refreshId: string, signal: AbortSignal): Promise<void> {
    const { runner, generation } = this.ctx;
    const deadline = Date.now() + generation.timeouts.waitMs;
    const never = new AbortController().signal;
    // Cancelling the refresh must run even when the roll itself was cancelled, hence its own signal.
    const cancelRefresh = () =>
      runner.run("aws", cancelInstanceRefreshArgs(this.asg, generation.cloud), {
        cwd: generation.configDir,
        timeoutMs: 60_000,
        signal: never,
        quietStdout: true,
        allowFailure: true,
      });
    let last = "";
    for (;;) {
      try {
        await sleep(this.ctx.pollIntervalMs, signal);
      } catch (error) {
        if (error instanceof CancelledError) {
          await cancelRefresh();
          throw new CancelledError(`cancelled; instance refresh ${refreshId} was cancelled`);
        }
        throw error;
      }
      const result = await runner.run("aws", describeInstanceRefreshesArgs(this.asg, refreshId, generation.cloud), {
        cwd: generation.configDir,
        timeoutMs: 60_000,
        signal: never,
        quietStdout: true,
      });
      const refresh = parseJsonOutput<{
        InstanceRefreshes?: Array<{ InstanceRefreshId?: string; Status?: string; PercentageComplete?: number; StatusReason?: string }>;
      }>(result.stdout, "aws autoscaling describe-instance-refreshes").InstanceRefreshes?.find((r) => r.InstanceRefreshId === refreshId);
      const status = refresh?.Status ?? "Unknown";
      const line = `instance refresh ${status}${refresh?.PercentageComplete !== undefined ? ` (${refresh.PercentageComplete}%)` : ""}`;
      if (line !== last) this.ctx.log(line);
      last = line;
      if (FINAL_OK.has(status)) return;
      if (FINAL_BAD.has(status))
        throw new Error(`instance refresh ${refreshId} ended ${status}${refresh?.StatusReason ? `: ${refresh.StatusReason}` : ""}`);
      if (Date.now() > deadline) {
        await cancelRefresh();
        throw new Error(`instance refresh ${refreshId} did not finish within wait_timeout; it was cancelled`);
      }
    }
  }
}

export const awsInstanceRefresh: StrategyDefinition<"aws-instance-refresh"> = {
  name: "aws-instance-refresh",
  summary: "a launch template version with the new AMI, then an instance refresh of the Auto Scaling group, polled to the end",
  attributes: [targetAttribute("the Auto Scaling group name", "asgName")],
  check: () => [],
  create: (ctx) => new AwsInstanceRefreshStrategy(ctx),
};
