// Where a generation's image is written in its Terraform folder, and what to say there about the live generation: data for the editor's code lens and hover.
import path from "node:path";
import { fileRole } from "../engine/files.ts";
import { varsJsonLayout } from "../engine/hcl/json.ts";
import type { Range } from "../engine/model.ts";
import { parseHcl, parseJson, terraformJsonLayout } from "../engine/parse.ts";
import type { GenerationConfig } from "./config.ts";
import type { GenerationRecord } from "./history.ts";

/** A place in a file that selects a generation's image. */
export interface ImageEntry {
  generation: GenerationConfig;
  /** The `variable "<image_variable>"` header in a configuration file, or the variable's key in a variable file. */
  range: Range;
  kind: "variable" | "value";
}

/**
 * The entries of `file` that select the image of one of `generations`: only the terraform strategy
 * writes its image to a variable (`image_variable`), declared in a configuration file of `terraform_dir`
 * and given a value in its variable files (the roll's own immutably.auto.tfvars.json among them).
 */
export function imageEntries(generations: readonly GenerationConfig[], file: string, text: string): ImageEntry[] {
  const role = fileRole(file);
  if (role !== "terraform" && role !== "terraform-vars") return [];
  const dir = path.dirname(file);
  const out: ImageEntry[] = [];
  for (const generation of generations) {
    const variable = generation.settings.image_variable;
    const folder = generation.settings.terraform_dir;
    if (generation.strategy !== "terraform" || variable === undefined || folder === undefined || path.resolve(folder) !== dir) continue;
    const json = file.endsWith(".json");
    try {
      if (role === "terraform") {
        const parsed = json ? parseJson(file, text, terraformJsonLayout) : parseHcl(file, text);
        for (const block of parsed.body.blocks) {
          if (block.type === "variable" && block.labels[0] === variable)
            out.push({ generation, range: block.headerRange, kind: "variable" });
        }
      } else {
        const parsed = json ? parseJson(file, text, varsJsonLayout) : parseHcl(file, text);
        for (const a of parsed.body.attributes) if (a.name === variable) out.push({ generation, range: a.nameRange, kind: "value" });
      }
    } catch {
      // A file the parser cannot take has no entry to show a lens on.
    }
  }
  return out;
}

/** "3 hours ago", from an ISO time; "just now" under a minute, and for a time in the future (a clock skew). */
export function age(iso: string, now: Date): string {
  const seconds = Math.floor((now.getTime() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds) || seconds < 60) return "just now";
  for (const [unit, size] of [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ] as const) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** The image as a lens shows it: a file image by its name, anything else as recorded. */
function shown(image: string): string {
  return image.startsWith("/") ? path.basename(image) : image;
}

/** The deployed generation: live, or promoted by a run that did not finish and never verified. */
export function deployed(records: readonly GenerationRecord[]): GenerationRecord | undefined {
  return records.find((g) => g.status === "live") ?? records.find((g) => g.status === "promoted");
}

/** The code lens's title: the live generation's number, image and age, and how many images are kept. */
export function liveSummary(generation: GenerationConfig, records: readonly GenerationRecord[], now: Date): string {
  const kept = records.filter((g) => g.status !== "pruned").length;
  const keeping = `${kept} kept (keep = ${generation.keep})`;
  const live = deployed(records);
  if (!live) return `${generation.name}: no live generation yet · ${keeping}`;
  const state = live.status === "live" ? "live" : "deployed, not verified";
  return `${generation.name}: ${state} #${live.number} · ${shown(live.image)} · ${age(live.verified_at ?? live.created_at, now)} · ${keeping}`;
}

/** The hover: every generation, newest first, as a Markdown table. */
export function historyMarkdown(generation: GenerationConfig, records: readonly GenerationRecord[], now: Date): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    `**Generation \`${generation.name}\`** (${generation.strategy}, keep ${generation.keep}, retire ${generation.retire})`,
    "",
  ];
  if (records.length === 0) return [...lines, "No generations yet: Roll New Generation bakes the first one."].join("\n");
  lines.push("| # | status | image | baked | note |", "|---|---|---|---|---|");
  for (const g of [...records].reverse())
    lines.push(`| ${g.number} | ${g.status} | \`${cell(g.image)}\` | ${age(g.created_at, now)} | ${cell(g.note ?? "")} |`);
  return lines.join("\n");
}
