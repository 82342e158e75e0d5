// Generation history: the record format, pure status transitions, rollback and prune selection, and validation (no I/O).
import { builderKind, imageProblem } from "./artifacts.ts";
import { isValid } from "./validate.ts";

/**
 * History is written before each step that changes the infrastructure, so whatever interrupts a run,
 * it says what the infrastructure runs:
 * - `pending`: baked and recorded, not handed to the infrastructure. A `pending` record whose run died is
 *   found by the next command (the roll lock is free) and marked `failed`.
 * - `promoted`: handed to the infrastructure (written just before the apply), not verified: the
 *   infrastructure runs it, or part of it if the apply was interrupted.
 * - `live`: deployed and verified.
 *   At most one generation per name is deployed, `promoted` or `live`.
 * - `previous`: superseded, image kept, can be rolled back to.
 * - `failed`: its roll failed (and was undone where possible), or it was promoted and never verified.
 * - `declined`: baked and recorded, and the user declined the confirmation: nothing was applied and
 *   nothing is wrong with the image. Like `failed`, it is never promoted, and prune deletes it.
 * - `pruned`: image deleted.
 * - `isolated`: its machines are kept out of service for analysis.
 */
export type GenerationStatus = "pending" | "promoted" | "live" | "previous" | "failed" | "declined" | "pruned" | "isolated";
export const STATUSES: readonly GenerationStatus[] = [
  "pending",
  "promoted",
  "live",
  "previous",
  "failed",
  "declined",
  "pruned",
  "isolated",
];

/**
 * The configuration a first roll replaced, as its strategy captured it (for terraform, the image
 * variable's earlier value in the tfvars file, null when it was not set there), so that a first roll
 * whose verify fails can put the fleet back as it was.
 */
export type ReplacedConfig = Record<string, string | null>;

export interface GenerationRecord {
  number: number;
  name: string;
  image: string;
  artifact_id: string;
  builder: string;
  created_at: string;
  git_commit: string;
  status: GenerationStatus;
  /** Per-region images (amazon, digitalocean), so prune can delete every copy. */
  regions?: Record<string, string>;
  /** The Packer run that baked it, from the manifest entry for this very artifact (absent without a manifest post-processor). */
  packer_run_uuid?: string;
  /**
   * For the file builder: which file the bake produced (device, inode, size, modification time, as
   * decimal strings). Prune deletes a file only while it is still that file, so a history edited to name
   * another file (terraform.tfstate, the template) cannot make it delete that one.
   */
  file_identity?: FileIdentity;
  /** When it last passed verify (ISO time): the last verified generation is where recovery goes back to. */
  verified_at?: string;
  /** The generation that was deployed when this one was promoted; recovery's way back. */
  replaces?: number;
  /** The configuration this generation replaced when no generation had been rolled before it. */
  replaced?: ReplacedConfig;
  /** Machines of this generation taken out of service (retire = "isolate") and left running: never orphaned, always listed here. */
  isolated_machines?: string[];
  /** One line on why the status last changed (a failure, a rollback), shown by `generations`. */
  note?: string;
}

export interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtime_ns: string;
}

export interface History {
  generations: GenerationRecord[];
}

export const HISTORY_DIR = ".immutably";
export const HISTORY_FILE = "generations.json";

/** The generations of one name, oldest first. */
export function generationsOf(history: History, name: string): GenerationRecord[] {
  return history.generations.filter((g) => g.name === name).sort((a, b) => a.number - b.number);
}

export function liveOf(history: History, name: string): GenerationRecord | undefined {
  return history.generations.find((g) => g.name === name && g.status === "live");
}

/** The generation the infrastructure runs: `live` (verified) or `promoted` (not verified yet). */
export function deployedOf(history: History, name: string): GenerationRecord | undefined {
  return history.generations.find((g) => g.name === name && (g.status === "live" || g.status === "promoted"));
}

/**
 * The generation to go back to when a promotion fails: the live one, or when the deployed one was never
 * verified, the last verified one (the newest `verified_at`; for records written before that field, the
 * one the deployed generation replaced).
 */
export function lastVerified(history: History, name: string, except?: number): GenerationRecord | undefined {
  const live = liveOf(history, name);
  if (live && live.number !== except) return live;
  const candidates = generationsOf(history, name).filter(
    (g) => g.number !== except && (g.status === "previous" || g.status === "isolated" || g.status === "promoted" || g.status === "live"),
  );
  const verified = candidates
    .filter((g) => g.verified_at)
    .sort((a, b) => (a.verified_at ?? "").localeCompare(b.verified_at ?? "") || a.number - b.number);
  if (verified.length) return verified.at(-1);
  const deployed = deployedOf(history, name);
  return deployed?.replaces !== undefined ? candidates.find((g) => g.number === deployed.replaces && g.status !== "promoted") : undefined;
}

export function findGeneration(history: History, name: string, number: number): GenerationRecord | undefined {
  return history.generations.find((g) => g.name === name && g.number === number);
}

/** Returns a copy with one record replaced through `change`. */
function update(history: History, name: string, number: number, change: (g: GenerationRecord) => GenerationRecord): History {
  let found = false;
  const generations = history.generations.map((g) => {
    if (g.name !== name || g.number !== number) return g;
    found = true;
    return change(g);
  });
  if (!found) throw new Error(`generation ${name} #${number} is not in the history`);
  return { generations };
}

/** Adds a freshly baked generation as `pending`, numbered after the highest number of its name. */
export function recordBaked(history: History, record: Omit<GenerationRecord, "number" | "status">): { history: History; number: number } {
  const number = generationsOf(history, record.name).reduce((max, g) => Math.max(max, g.number), 0) + 1;
  const entry: GenerationRecord = { number, ...record, status: "pending" };
  return { history: { generations: [...history.generations, entry] }, number };
}

/**
 * Records that `number` is being handed to the infrastructure, before the apply starts. The generation
 * deployed until now stops being deployed: a verified one becomes `previous`; one that was never
 * verified (promoted by a run that did not finish) becomes `failed`. Only a generation with an image
 * that was not found bad can be promoted.
 */
export function markPromoted(
  history: History,
  name: string,
  number: number,
  fields: { note?: string; replaced?: ReplacedConfig } = {},
): History {
  const target = findGeneration(history, name, number);
  if (!target) throw new Error(`generation ${name} #${number} is not in the history`);
  if (!["pending", "previous", "isolated", "promoted", "live"].includes(target.status))
    throw new Error(`generation ${name} #${number} is ${target.status} and cannot be promoted`);
  let next = history;
  let replaces = target.replaces;
  for (const g of history.generations) {
    if (g.name !== name || g.number === number) continue;
    if (g.status === "live") {
      replaces = g.number;
      next = update(next, name, g.number, (r) => ({ ...r, status: "previous", note: undefined }));
    } else if (g.status === "promoted") {
      next = update(next, name, g.number, (r) => ({
        ...r,
        status: "failed",
        note: `promoted by a run that did not finish and never verified; replaced by #${number}`,
      }));
    }
  }
  return update(next, name, number, (r) => ({
    ...r,
    status: "promoted",
    replaces,
    note: fields.note,
    ...(fields.replaced ? { replaced: fields.replaced } : {}),
  }));
}

/**
 * Records that the deployed generation `number` passed verify: it is `live`. With `retired: "isolated"`,
 * the generation it replaced keeps its machines out of service: it becomes `isolated`, listing them.
 */
export function markVerified(
  history: History,
  name: string,
  number: number,
  options: { at: string; retired?: "previous" | "isolated"; machines?: string[]; note?: string },
): History {
  const target = findGeneration(history, name, number);
  if (!target) throw new Error(`generation ${name} #${number} is not in the history`);
  if (target.status !== "promoted" && target.status !== "live")
    throw new Error(`generation ${name} #${number} is ${target.status}, not deployed; it cannot be verified`);
  let next = update(history, name, number, (r) => ({ ...r, status: "live", verified_at: options.at, note: options.note }));
  const replaced = target.replaces === undefined ? undefined : findGeneration(next, name, target.replaces);
  if (options.retired === "isolated" && replaced && replaced.status === "previous") {
    next = update(next, name, replaced.number, (r) => ({
      ...r,
      status: "isolated",
      note: `machines isolated when #${number} went live`,
      ...(options.machines?.length ? { isolated_machines: options.machines } : {}),
    }));
  }
  return next;
}

/**
 * Promotes and verifies at once: a generation recorded as it goes live (tests, a history written by
 * hand). A roll records each step with `markPromoted` and `markVerified` instead.
 */
export function markLive(
  history: History,
  name: string,
  number: number,
  retired: "previous" | "isolated" = "previous",
  note?: string,
  at = new Date().toISOString(),
): History {
  const target = findGeneration(history, name, number);
  if (target && !["pending", "previous", "isolated", "promoted", "live"].includes(target.status))
    throw new Error(`generation ${name} #${number} is ${target.status} and cannot become live`);
  return markVerified(markPromoted(history, name, number), name, number, { at, retired, note });
}

/** Marks a generation `failed` with the reason; a live generation is never marked failed by this path. */
export function markFailed(history: History, name: string, number: number, reason: string): History {
  return update(history, name, number, (r) => {
    if (r.status === "live") throw new Error(`generation ${name} #${number} is live; roll back first`);
    return { ...r, status: "failed", note: reason };
  });
}

/** Marks a freshly baked generation `declined`: the user did not confirm its promotion, so nothing was applied. */
export function markDeclined(history: History, name: string, number: number, note: string): History {
  return update(history, name, number, (r) => {
    if (r.status !== "pending") throw new Error(`generation ${name} #${number} is ${r.status}; only a pending generation can be declined`);
    return { ...r, status: "declined", note };
  });
}

/** Records machines of a generation taken out of service (retire = "isolate"), before they are: they stay listed whatever happens to the roll. */
export function recordIsolated(history: History, name: string, number: number, machines: readonly string[], by: number): History {
  return update(history, name, number, (r) => ({
    ...r,
    isolated_machines: [...new Set([...(r.isolated_machines ?? []), ...machines])],
    note: `machines taken out of service while #${by} was promoted`,
  }));
}

/** Takes a generation that was promoted out of service again without judging its image: back to `previous` (a rollback to it that failed). */
export function markWithdrawn(history: History, name: string, number: number, note: string): History {
  return update(history, name, number, (r) => {
    if (r.status === "live") throw new Error(`generation ${name} #${number} is live; roll back first`);
    return { ...r, status: "previous", note };
  });
}

/** Marks a generation's image deleted; refuses the deployed one. */
export function markPruned(history: History, name: string, number: number): History {
  return update(history, name, number, (r) => {
    if (r.status === "live" || r.status === "promoted") throw new Error(`generation ${name} #${number} is ${r.status} and is never pruned`);
    return { ...r, status: "pruned" };
  });
}

/** Sets or clears the note of one generation without changing its status. */
export function setNote(history: History, name: string, number: number, note: string | undefined): History {
  return update(history, name, number, (r) => ({ ...r, note }));
}

/** Generations left `pending` by a run that died (called only while holding the roll lock). */
export function strandedPending(history: History, name: string): GenerationRecord[] {
  return generationsOf(history, name).filter((g) => g.status === "pending");
}

/**
 * The generation `rollback` returns to. `--to N`: a `previous` or `isolated` generation, or the `promoted`
 * one the infrastructure runs (verifying it makes it live). Otherwise: when a generation is live, the
 * newest `previous` older than it, else the newest `previous`; when the deployed one was never verified
 * (its run was interrupted), the last verified generation.
 */
export function rollbackTarget(history: History, name: string, to?: number): GenerationRecord {
  const all = generationsOf(history, name);
  if (to !== undefined) {
    const g = all.find((r) => r.number === to);
    if (!g)
      throw new Error(
        `generation ${name} #${to} does not exist (known: ${all.map((r) => `#${r.number} ${r.status}`).join(", ") || "none"})`,
      );
    if (g.status === "live") throw new Error(`generation ${name} #${to} is already live`);
    if (g.status !== "previous" && g.status !== "isolated" && g.status !== "promoted")
      throw new Error(
        `generation ${name} #${to} is ${g.status}; only a previous or isolated generation can be rolled back to, or the promoted one the infrastructure runs`,
      );
    return g;
  }
  const live = liveOf(history, name);
  const deployed = deployedOf(history, name);
  if (deployed && !live) {
    const verified = lastVerified(history, name);
    if (verified) return verified;
  }
  const previous = all.filter((g) => g.status === "previous").reverse();
  const older = live ? previous.find((g) => g.number < live.number) : undefined;
  const target = older ?? previous[0];
  if (!target) throw new Error(`generation ${name} has no previous generation to roll back to`);
  return target;
}

/** Every image a record names: the image and each per-region copy. */
export function imagesOf(record: GenerationRecord): string[] {
  return [...new Set([record.image, ...Object.values(record.regions ?? {})])];
}

/** The other records, of any name, that still hold one of this record's images (not pruned). */
export function sharingImage(history: History, record: GenerationRecord): GenerationRecord[] {
  const mine = new Set(imagesOf(record));
  return history.generations.filter(
    (g) => !(g.name === record.name && g.number === record.number) && g.status !== "pruned" && imagesOf(g).some((i) => mine.has(i)),
  );
}

/**
 * The generations whose images prune deletes: beyond the newest `keep` that still have an image, never the
 * live one, never one still `pending`.
 */
export function pruneCandidates(history: History, name: string, keep: number): GenerationRecord[] {
  const withImage = generationsOf(history, name)
    .filter((g) => g.status !== "pruned")
    .reverse();
  return withImage.slice(keep).filter((g) => g.status !== "live" && g.status !== "promoted" && g.status !== "pending");
}

/**
 * Checks a history file: every field's shape, each image against its builder (an AMI id, a GCE name,
 * an absolute file path, ...), the file identity, and the one-live-per-name invariant. A history is a
 * file in the repository: anything it names may reach a command line or a file deletion.
 */
export function validateHistory(data: unknown): string[] {
  const problems: string[] = [];
  if (data === null || typeof data !== "object" || !Array.isArray((data as { generations?: unknown }).generations))
    return ["expected an object with a generations list"];
  const live = new Map<string, number>();
  const deployed = new Map<string, number>();
  const numbers = new Set<string>();
  for (const [i, raw] of (data as { generations: unknown[] }).generations.entries()) {
    if (raw === null || typeof raw !== "object") {
      problems.push(`generations[${i}] is not an object`);
      continue;
    }
    const g = raw as Record<string, unknown>;
    for (const key of ["name", "image", "artifact_id", "builder", "created_at", "git_commit", "status"]) {
      if (typeof g[key] !== "string") problems.push(`generations[${i}].${key} is not a string`);
    }
    for (const key of ["packer_run_uuid", "note"])
      if (g[key] !== undefined && typeof g[key] !== "string") problems.push(`generations[${i}].${key} is not a string`);
    if (typeof g.name === "string" && !isValid("generationName", g.name))
      problems.push(`generations[${i}].name is not a valid generation name`);
    if (typeof g.number !== "number" || !Number.isInteger(g.number) || g.number < 1)
      problems.push(`generations[${i}].number is not a positive whole number`);
    if (typeof g.status === "string" && !(STATUSES as readonly string[]).includes(g.status))
      problems.push(`generations[${i}].status "${g.status}" is unknown`);
    if (typeof g.builder === "string" && typeof g.image === "string") {
      const kind = builderKind(g.builder);
      const problem = kind ? imageProblem(kind, g.image, g.regions) : `builder ${JSON.stringify(g.builder)} is not one the roll records`;
      if (problem) problems.push(`generations[${i}]: ${problem}`);
    }
    if (g.file_identity !== undefined) {
      const id = g.file_identity as Record<string, unknown> | null;
      if (
        id === null ||
        typeof id !== "object" ||
        !["dev", "ino", "size", "mtime_ns"].every((k) => typeof id[k] === "string" && /^[0-9]+$/.test(id[k]))
      )
        problems.push(`generations[${i}].file_identity is not { dev, ino, size, mtime_ns } as decimal strings`);
    }
    const key = `${String(g.name)}#${String(g.number)}`;
    if (numbers.has(key)) problems.push(`generation ${key} appears twice`);
    numbers.add(key);
    if (g.verified_at !== undefined && (typeof g.verified_at !== "string" || Number.isNaN(Date.parse(g.verified_at))))
      problems.push(`generations[${i}].verified_at is not a time`);
    if (g.replaces !== undefined && (typeof g.replaces !== "number" || !Number.isInteger(g.replaces) || g.replaces < 1))
      problems.push(`generations[${i}].replaces is not a generation number`);
    if (
      g.replaced !== undefined &&
      (g.replaced === null ||
        typeof g.replaced !== "object" ||
        Array.isArray(g.replaced) ||
        !Object.values(g.replaced).every((v) => v === null || typeof v === "string"))
    )
      problems.push(`generations[${i}].replaced is not an object of strings`);
    if (
      g.isolated_machines !== undefined &&
      (!Array.isArray(g.isolated_machines) || !g.isolated_machines.every((m) => typeof m === "string"))
    )
      problems.push(`generations[${i}].isolated_machines is not a list of strings`);
    if (g.status === "live") live.set(String(g.name), (live.get(String(g.name)) ?? 0) + 1);
    if (g.status === "live" || g.status === "promoted") deployed.set(String(g.name), (deployed.get(String(g.name)) ?? 0) + 1);
  }
  for (const [name, count] of live) if (count > 1) problems.push(`generation ${name} has ${count} live generations; expected at most one`);
  for (const [name, count] of deployed)
    if (count > 1 && (live.get(name) ?? 0) <= 1)
      problems.push(`generation ${name} has ${count} deployed (live or promoted) generations; expected at most one`);
  return problems;
}

/** A history file could not be read or is not a valid history. */
export class HistoryError extends Error {
  override name = "HistoryError";
}
