// Classifies file names into the roles the engine knows (Terraform, Packer, variable files, config).
import path from "node:path";

export type FileRole =
  | "terraform" // .tf, .tf.json, and OpenTofu's .tofu, .tofu.json
  | "terraform-vars" // .tfvars, .tfvars.json
  | "packer" // .pkr.hcl, .pkr.json
  | "packer-vars" // .pkrvars.hcl, .pkrvars.json
  | "json-candidate" // any other .json: a legacy Packer template when its top level has `builders`
  | "config" // .immutably.hcl
  | "other";

export function fileRole(filePath: string): FileRole {
  const base = path.basename(filePath);
  if (base === ".immutably.hcl") return "config";
  if (base.endsWith(".pkrvars.hcl") || base.endsWith(".pkrvars.json")) return "packer-vars";
  if (base.endsWith(".pkr.hcl") || base.endsWith(".pkr.json")) return "packer";
  // OpenTofu reads .tofu files as .tf files (https://opentofu.org/docs/language/files/). Where a
  // folder has both x.tf and x.tofu, OpenTofu reads only x.tofu and Terraform only x.tf; both are
  // linted, since the folder serves both tools.
  if (base.endsWith(".tf") || base.endsWith(".tf.json") || base.endsWith(".tofu") || base.endsWith(".tofu.json")) return "terraform";
  if (base.endsWith(".tfvars") || base.endsWith(".tfvars.json")) return "terraform-vars";
  if (base.endsWith(".json")) return "json-candidate";
  return "other";
}

/** True when a JSON text is a legacy Packer template: a top-level object with a `builders` array. */
export function looksLikeLegacyPacker(text: string): boolean {
  // A cheap textual pre-check avoids parsing every package.json and tsconfig.json in a repository.
  if (!text.includes('"builders"')) return false;
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    return typeof value === "object" && value !== null && Array.isArray((value as Record<string, unknown>).builders);
  } catch {
    return false;
  }
}

/**
 * The order in which Terraform applies variable files: terraform.tfvars, terraform.tfvars.json,
 * then *.auto.tfvars and *.auto.tfvars.json in lexical order (later wins). Packer: *.auto.pkrvars.hcl.
 * Other .tfvars files are only used with -var-file and are not applied automatically.
 */
export function autoVarFileRank(filePath: string): number | undefined {
  const base = path.basename(filePath);
  if (base === "terraform.tfvars") return 0;
  if (base === "terraform.tfvars.json") return 1;
  if (/\.auto\.tfvars(\.json)?$/.test(base) || /\.auto\.pkrvars\.(hcl|json)$/.test(base)) return 2;
  return undefined;
}

/**
 * Items grouped by folder, in the order met. Rules look within a folder (a folder's files are its
 * modules), so a folder is the unit the engine lints, the CLI hands to a worker and the cache keeps.
 */
export function byFolder<T>(items: T[], dirOf: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const dir = dirOf(item);
    const list = map.get(dir);
    if (list) list.push(item);
    else map.set(dir, [item]);
  }
  return map;
}
