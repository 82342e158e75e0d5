// Classifies file names into the roles the engine knows (Terraform, Packer, variable files, config).
import path from "node:path";

export type FileRole =
  | "terraform" // .tf, .tf.json, and OpenTofu's .tofu, .tofu.json
  | "terraform-stack" // a Terraform Stacks component configuration: .tfcomponent.hcl
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
  // A Stack's components name the modules it deploys, with a source and version as module calls do
  // (https://developer.hashicorp.com/terraform/language/block/stack/tfcomponent/component). Its
  // deployments (.tfdeploy.hcl) and test files (.tftest.hcl, .tofutest.hcl, .tfmock.hcl) are not
  // read: see the README, "OpenTofu".
  if (base.endsWith(".tfcomponent.hcl")) return "terraform-stack";
  // OpenTofu reads .tofu files as .tf files (https://opentofu.org/docs/language/files/); which of a
  // folder's files a tool loads is decided by `loadedTerraformFiles`.
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

/** The tool whose loading rules a folder's Terraform-language files follow. */
export type TerraformLanguage = "terraform" | "opentofu";
/** `.immutably.hcl`'s `language`: a tool, or `auto` (a folder holding any `.tofu` or `.tofu.json` file is OpenTofu's). */
export type LanguageSetting = TerraformLanguage | "auto";
export const LANGUAGE_SETTINGS: readonly LanguageSetting[] = ["auto", "terraform", "opentofu"];

/** A Terraform-language file name split into its stem, its syntax and whether it is OpenTofu's own. */
function terraformName(base: string): { stem: string; json: boolean; tofu: boolean } | undefined {
  for (const [suffix, json, tofu] of [
    [".tf", false, false],
    [".tf.json", true, false],
    [".tofu", false, true],
    [".tofu.json", true, true],
  ] as const) {
    if (base.endsWith(suffix)) return { stem: base.slice(0, -suffix.length), json, tofu };
  }
  return undefined;
}

/**
 * Whether a Terraform-language file is an override file (`override.tf`, `web_override.tofu.json`...),
 * which both tools load after the others and merge into the blocks it names
 * (https://developer.hashicorp.com/terraform/language/files/override).
 */
export function isOverrideFile(filePath: string): boolean {
  const name = terraformName(path.basename(filePath));
  return name !== undefined && (name.stem === "override" || name.stem.endsWith("_override"));
}

/** A file of a folder the tool does not load, and why (shown on the file instead of findings). */
export interface NotLoaded {
  path: string;
  reason: string;
}

/**
 * Which of one folder's Terraform-language files the tool loads. OpenTofu loads `.tf`, `.tf.json`,
 * `.tofu` and `.tofu.json`, but where `foo.tofu` and `foo.tf` (or `foo.tofu.json` and `foo.tf.json`)
 * are both present only the `.tofu` one (https://opentofu.org/docs/language/files/, "Extension
 * precedence"; override files alike). Terraform never reads `.tofu` files. With `auto`, a folder that
 * holds any `.tofu` file is OpenTofu's; one without is read alike by both tools. Other paths are kept.
 */
export function loadedTerraformFiles(
  paths: readonly string[],
  setting: LanguageSetting,
): { language: TerraformLanguage; loaded: string[]; notLoaded: NotLoaded[] } {
  const names = new Map(paths.map((p) => [p, fileRole(p) === "terraform" ? terraformName(path.basename(p)) : undefined]));
  const language: TerraformLanguage = setting !== "auto" ? setting : [...names.values()].some((n) => n?.tofu) ? "opentofu" : "terraform";
  const tofuFiles = new Set(
    paths.filter((p) => names.get(p)?.tofu).map((p) => path.join(path.dirname(p), path.basename(p).replace(/\.tofu(\.json)?$/, ".tf$1"))),
  );
  const loaded: string[] = [];
  const notLoaded: NotLoaded[] = [];
  for (const p of paths) {
    const name = names.get(p);
    if (name?.tofu && language === "terraform")
      notLoaded.push({ path: p, reason: `Terraform does not read .tofu files (language = "terraform")` });
    else if (name && !name.tofu && language === "opentofu" && tofuFiles.has(p))
      notLoaded.push({ path: p, reason: `OpenTofu reads ${name.stem}${name.json ? ".tofu.json" : ".tofu"} instead of this file` });
    else loaded.push(p);
  }
  return { language, loaded, notLoaded };
}
