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
import { commandStep, Slot, withBefore, type CommandStepSpec, type Step } from "../steps.ts";
import type { Promotion, PromotionTarget, StageName, Strategy, StrategyContext } from "../types.ts";
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

  promotion(target: PromotionTarget, retire: RetireMode): Promotion {
    const { runner, generation } = this.ctx;
    const cloud = generation.cloud;
    const image = target.image.derive("imagezzz", (value) => validated("gceName", "image", value));
    const source = new Slot("<current template>", "sourcezzz");
    const instances = new Slot<string[]>("<each instance>", ["instancezzz"]);
    const template = new Slot("<new template>", "templatezzz");
    const isolating = (): boolean => retire === "isolate" && (!instances.known || instances.get().length > 0);
    const gcloud = (stage: StageName, args: CommandStepSpec["args"], timeoutMs: number, extra: Partial<CommandStepSpec> = {}): Step =>
      commandStep(runner, {
        stage,
        tool: "gcloud",
        args,
        cwd: generation.configDir,
        options: { timeoutMs },
        slots: [image, source, instances, template],
        ...extra,
      });
    const describeTimeout = 5 * 60_000;
    // Cancelling `wait-until` stops waiting; the undo then starts an update back to the old template.
    const updateTimeout = generation.timeouts.waitMs + 60_000;
    return {
      validate: () => void image.get(),
      prepare: [
        gcloud("plan", () => describeManagedGroupArgs(this.mig, cloud), describeTimeout, {
          options: { timeoutMs: describeTimeout, quietStdout: true },
          after: (result) =>
            source.set(
              templateNameFromUrl(parseJsonOutput<{ instanceTemplate?: string }>(result.stdout, "gcloud describe").instanceTemplate ?? ""),
            ),
        }),
        gcloud("plan", () => listManagedInstancesArgs(this.mig, cloud), describeTimeout, {
          options: { timeoutMs: describeTimeout, quietStdout: true },
          after: (result) => {
            instances.set(
              parseJsonOutput<Array<{ instance?: string; name?: string }>>(result.stdout, "gcloud list-instances")
                .map((i) => i.name ?? i.instance ?? "")
                .map((n) => n.slice(n.lastIndexOf("/") + 1))
                .filter(Boolean)
                .map((n) => validated("gceName", "instance", n)),
            );
            template.set(generationTemplateName(generation.name, target.number, this.ctx.now()));
          },
        }),
      ],
      apply: [
        gcloud("promote", (read) => createInstanceTemplateArgs(read(template), read(source), read(image), cloud), updateTimeout),
        withBefore(
          gcloud("promote", (read) => abandonInstancesArgs(this.mig, read(instances), cloud), updateTimeout, { skip: () => !isolating() }),
          () => this.ctx.recordIsolation?.(instances.get()),
        ),
        gcloud("promote", (read) => startUpdateArgs(this.mig, read(template), cloud), updateTimeout),
        gcloud("promote", () => waitUntilStableArgs(this.mig, generation.timeouts.waitMs / 1000, cloud), updateTimeout),
      ],
      replacements: () => {
        const names = instances.get();
        return names.length
          ? names.map(
              (i) =>
                `${this.mig}/${i}: replace with image ${image.get()}${retire === "isolate" ? " (old instance abandoned and kept)" : ""}`,
            )
          : [`${this.mig}: no instances; new ones will use image ${image.get()}`];
      },
      isolated: () => (retire === "isolate" ? instances.get() : []),
      discard: async () => {},
    };
  }
}

export const gcpMig: StrategyDefinition<"gcp-mig"> = {
  name: "gcp-mig",
  summary: "an instance template copied from the group's current one with the new image, a rolling update, wait until stable",
  attributes: [targetAttribute("the managed instance group name", "gceName")],
  check: ({ cloud }) =>
    cloud.project && cloud.zone
      ? []
      : [{ attribute: "cloud", message: 'strategy "gcp-mig" needs cloud = { project = "...", zone = "..." }' }],
  create: (ctx) => new GcpMigStrategy(ctx),
};
