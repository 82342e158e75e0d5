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
import type { PreparedPromotion, PromotionTarget, Strategy, StrategyContext } from "../types.ts";
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
  const instances = (group.Instances ?? []).filter((i) => i.InstanceId && i.LifecycleState !== "Terminating").map((i) => validated("instanceId", "instance id", i.InstanceId ?? ""));
  return { launchTemplateId: validated("launchTemplateId", "launch template id", spec.LaunchTemplateId), version: spec.Version ?? "$Default", instances };
}

export class AwsInstanceRefreshStrategy implements Strategy {
  private readonly asg: string;

  constructor(private readonly ctx: StrategyContext) {
    this.asg = validated("asgName", "Auto Scaling group", requiredSetting(ctx, "target"));
  }

  private ami(target: PromotionTarget): string {
    const region = this.ctx.generation.cloud.region;
    return validated("amiId", "AMI", (region && target.regions[region]) || target.image);
  }

  describe(image: string, retire: RetireMode): string[] {
    const r = this.ctx.runner;
    const cloud = this.ctx.generation.cloud;
    // The builders validate every value; display placeholders that pass validation, then name them.
    const sample = (line: string): string => line.replace(/ami-00000000/g, image).replace(/lt-00000000/g, "<launch template of the group>").replace(/i-00000000/g, "<each instance in service>");
    const lines = [r.display("aws", describeAutoScalingGroupArgs(this.asg, cloud)), "ask for confirmation, showing the instances to replace"];
    lines.push(sample(r.display("aws", createLaunchTemplateVersionArgs("lt-00000000", "$Latest", "ami-00000000", `immutably ${this.ctx.generation.name}`, cloud))));
    if (retire === "isolate") {
      lines.push(sample(r.display("aws", detachInstancesArgs(this.asg, ["i-00000000"], cloud))));
      lines.push(sample(r.display("aws", tagIsolatedArgs(["i-00000000"], this.ctx.generation.name, 0, cloud))));
    }
    lines.push(sample(r.display("aws", startInstanceRefreshArgs(this.asg, "lt-00000000", "0", cloud))).replace(/"Version":"0"/, '"Version":"<new version>"'));
    lines.push(r.display("aws", [...describeInstanceRefreshesArgs(this.asg, "00000000-0000-0000-0000-000000000000", cloud)]).replace("00000000-0000-0000-0000-000000000000", "<refresh id>") + "   (repeated until Successful, Failed or Cancelled)");
    return lines;
  }

  async prepare(target: PromotionTarget, retire: RetireMode, signal: AbortSignal): Promise<PreparedPromotion> {
    const { runner, generation } = this.ctx;
    const cloud = generation.cloud;
    const timeoutMs = 5 * 60_000;
    const ami = this.ami(target);
    const described = await runner.run("aws", describeAutoScalingGroupArgs(this.asg, cloud), { cwd: generation.configDir, timeoutMs, signal, quietStdout: true });
    const group = readGroup(described.stdout, this.asg);
    const description = `immutably ${generation.name} generation ${target.number}`;
    const isolate = retire === "isolate" && group.instances.length > 0;
    const commands = [
      runner.display("aws", createLaunchTemplateVersionArgs(group.launchTemplateId, group.version, ami, description, cloud)),
      ...(isolate ? [runner.display("aws", detachInstancesArgs(this.asg, group.instances, cloud)), runner.display("aws", tagIsolatedArgs(group.instances, generation.name, target.number, cloud))] : []),
      `${runner.display("aws", startInstanceRefreshArgs(this.asg, group.launchTemplateId, "0", cloud)).replace(/"Version":"0"/, '"Version":"<new version>"')}`,
    ];
    return {
      replacements: group.instances.length ? group.instances.map((id) => `${this.asg}/${id}: replace with ${ami}${isolate ? " (old instance detached and kept)" : ""}`) : [`${this.asg}: no instances in service; new ones will use ${ami}`],
      commands,
      discard: async () => {},
      apply: async (applySignal) => {
        const created = await runner.run("aws", createLaunchTemplateVersionArgs(group.launchTemplateId, group.version, ami, description, cloud), { cwd: generation.configDir, timeoutMs, signal: applySignal, quietStdout: true });
        const version = String(parseJsonOutput<{ LaunchTemplateVersion?: { VersionNumber?: number } }>(created.stdout, "aws ec2 create-launch-template-version").LaunchTemplateVersion?.VersionNumber ?? "");
        if (!/^[0-9]+$/.test(version)) throw new Error("aws ec2 create-launch-template-version returned no version number");
        this.ctx.log(`launch template ${group.launchTemplateId} version ${version} uses ${ami}`);
        if (isolate) {
          // Detached without lowering capacity: the group replaces them, and they keep running, tagged, for analysis.
          await runner.run("aws", detachInstancesArgs(this.asg, group.instances, cloud), { cwd: generation.configDir, timeoutMs, signal: applySignal, quietStdout: true });
          await runner.run("aws", tagIsolatedArgs(group.instances, generation.name, target.number, cloud), { cwd: generation.configDir, timeoutMs, signal: applySignal, quietStdout: true });
        }
        const started = await runner.run("aws", startInstanceRefreshArgs(this.asg, group.launchTemplateId, version, cloud), { cwd: generation.configDir, timeoutMs, signal: applySignal, quietStdout: true });
        const refreshId = validated("refreshId", "instance refresh id", parseJsonOutput<{ InstanceRefreshId?: string }>(started.stdout, "aws autoscaling start-instance-refresh").InstanceRefreshId ?? "");
        this.ctx.log(`instance refresh ${refreshId} started on ${this.asg}`);
        await this.waitForRefresh(refreshId, applySignal);
        return { isolated: isolate ? group.instances : [] };
      },
    };
  }

  /** Polls the refresh until it ends; a cancellation cancels the refresh in AWS before giving up. */
  private async waitForRefresh(refreshId: string, signal: AbortSignal): Promise<void> {
    const { runner, generation } = this.ctx;
    const deadline = Date.now() + generation.timeouts.waitMs;
    const never = new AbortController().signal;
    let last = "";
    for (;;) {
      try {
        await sleep(this.ctx.pollIntervalMs, signal);
      } catch (error) {
        if (error instanceof CancelledError) {
          await runner.run("aws", cancelInstanceRefreshArgs(this.asg, generation.cloud), { cwd: generation.configDir, timeoutMs: 60_000, signal: never, quietStdout: true, allowFailure: true });
          throw new CancelledError(`cancelled; instance refresh ${refreshId} was cancelled`);
        }
        throw error;
      }
      const result = await runner.run("aws", describeInstanceRefreshesArgs(this.asg, refreshId, generation.cloud), { cwd: generation.configDir, timeoutMs: 60_000, signal: never, quietStdout: true });
      const refresh = parseJsonOutput<{ InstanceRefreshes?: Array<{ InstanceRefreshId?: string; Status?: string; PercentageComplete?: number; StatusReason?: string }> }>(result.stdout, "aws autoscaling describe-instance-refreshes").InstanceRefreshes?.find(
        (r) => r.InstanceRefreshId === refreshId,
      );
      const status = refresh?.Status ?? "Unknown";
      const line = `instance refresh ${status}${refresh?.PercentageComplete !== undefined ? ` (${refresh.PercentageComplete}%)` : ""}`;
      if (line !== last) this.ctx.log(line);
      last = line;
      if (FINAL_OK.has(status)) return;
      if (FINAL_BAD.has(status)) throw new Error(`instance refresh ${refreshId} ended ${status}${refresh?.StatusReason ? `: ${refresh.StatusReason}` : ""}`);
      if (Date.now() > deadline) {
        await runner.run("aws", cancelInstanceRefreshArgs(this.asg, generation.cloud), { cwd: generation.configDir, timeoutMs: 60_000, signal: never, quietStdout: true, allowFailure: true });
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
