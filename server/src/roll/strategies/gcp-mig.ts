// The gcp-mig strategy: an instance template copied from the group's current one with the new image, a rolling update, wait until stable.
import type { RetireMode } from "../config.ts";
import {
  abandonInstancesArgs,
  createInstanceTemplateArgs,
  describeManagedGroupArgs,
  listManagedInstancesArgs,
  startUpdateArgs,
  waitUntilStableArgs,
} from "../argv/gcloud.ts";
import type { PreparedPromotion, PromotionTarget, Strategy, StrategyContext } from "../types.ts";
import { validated } from "../validate.ts";
import { requiredSetting, targetAttribute, type StrategyDefinition } from "./definition.ts";
import { parseJsonOutput } from "./poll.ts";

/** The last path segment of a template URL (`.../global/instanceTemplates/web-7`), validated as a name. */
export function templateNameFromUrl(url: string): string {
  return validated("gceName", "instance template", url.slice(url.lastIndexOf("/") + 1));
}

/**
 * A new template name for a generation: names must be lower-case and unique, and a rollback creates a
 * fresh template for an older image, so the name carries a time suffix.
 */
export function generationTemplateName(generationName: string, number: number, now: Date): string {
  const base = `immutably-${generationName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 40).replace(/-+$/, "");
  return validated("gceName", "instance template", `${base}-${number}-${now.getTime().toString(36)}`);
}

export class GcpMigStrategy implements Strategy {
  private readonly mig: string;

  constructor(private readonly ctx: StrategyContext) {
    this.mig = validated("gceName", "managed instance group", requiredSetting(ctx, "target"));
  }

  describe(image: string, retire: RetireMode): string[] {
    const r = this.ctx.runner;
    const cloud = this.ctx.generation.cloud;
    const sample = (line: string): string => line.replace(/imagezzz/g, image).replace(/templatezzz/g, "<new template>").replace(/sourcezzz/g, "<current template>").replace(/instancezzz/g, "<each instance>");
    const lines = [r.display("gcloud", describeManagedGroupArgs(this.mig, cloud))];
    if (retire === "isolate") lines.push(r.display("gcloud", listManagedInstancesArgs(this.mig, cloud)));
    lines.push("ask for confirmation, showing the instances to replace");
    lines.push(sample(r.display("gcloud", createInstanceTemplateArgs("templatezzz", "sourcezzz", "imagezzz", cloud))));
    if (retire === "isolate") lines.push(sample(r.display("gcloud", abandonInstancesArgs(this.mig, ["instancezzz"], cloud))));
    lines.push(sample(r.display("gcloud", startUpdateArgs(this.mig, "templatezzz", cloud))));
    lines.push(r.display("gcloud", waitUntilStableArgs(this.mig, this.ctx.generation.timeouts.waitMs / 1000, cloud)));
    return lines;
  }

  async prepare(target: PromotionTarget, retire: RetireMode, signal: AbortSignal): Promise<PreparedPromotion> {
    const { runner, generation } = this.ctx;
    const cloud = generation.cloud;
    const timeoutMs = 5 * 60_000;
    const image = validated("gceName", "image", target.image);
    const described = await runner.run("gcloud", describeManagedGroupArgs(this.mig, cloud), { cwd: generation.configDir, timeoutMs, signal, quietStdout: true });
    const source = templateNameFromUrl(parseJsonOutput<{ instanceTemplate?: string }>(described.stdout, "gcloud describe").instanceTemplate ?? "");
    const listed = await runner.run("gcloud", listManagedInstancesArgs(this.mig, cloud), { cwd: generation.configDir, timeoutMs, signal, quietStdout: true });
    const instances = parseJsonOutput<Array<{ instance?: string; name?: string }>>(listed.stdout, "gcloud list-instances")
      .map((i) => i.name ?? i.instance ?? "")
      .map((n) => n.slice(n.lastIndexOf("/") + 1))
      .filter(Boolean)
      .map((n) => validated("gceName", "instance", n));
    const template = generationTemplateName(generation.name, target.number, this.ctx.now());
    const isolate = retire === "isolate" && instances.length > 0;
    const steps: string[][] = [createInstanceTemplateArgs(template, source, image, cloud), ...(isolate ? [abandonInstancesArgs(this.mig, instances, cloud)] : []), startUpdateArgs(this.mig, template, cloud), waitUntilStableArgs(this.mig, generation.timeouts.waitMs / 1000, cloud)];
    return {
      replacements: instances.length ? instances.map((i) => `${this.mig}/${i}: replace with image ${image}${isolate ? " (old instance abandoned and kept)" : ""}`) : [`${this.mig}: no instances; new ones will use image ${image}`],
      commands: steps.map((args) => runner.display("gcloud", args)),
      discard: async () => {},
      apply: async (applySignal) => {
        for (const args of steps) {
          // Cancelling `wait-until` stops waiting; the undo then starts an update back to the old template.
          await runner.run("gcloud", args, { cwd: generation.configDir, timeoutMs: generation.timeouts.waitMs + 60_000, signal: applySignal });
        }
        return { isolated: isolate ? instances : [] };
      },
    };
  }
}

export const gcpMig: StrategyDefinition<"gcp-mig"> = {
  name: "gcp-mig",
  summary: "an instance template copied from the group's current one with the new image, a rolling update, wait until stable",
  attributes: [targetAttribute("the managed instance group name", "gceName")],
  check: ({ cloud }) => (cloud.project && cloud.zone ? [] : [{ attribute: "cloud", message: 'strategy "gcp-mig" needs cloud = { project = "...", zone = "..." }' }]),
  create: (ctx) => new GcpMigStrategy(ctx),
};
