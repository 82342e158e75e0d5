// pinned-module-source: module sources must name a fixed revision (a tag or commit, or a registry version).
import { addressOf, attr } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";

/**
 * Ref names that are branches by convention: Git's usual ones and Mercurial's (`default` is its main
 * branch, `tip` its newest revision). Any other ref holding no digit (`feature/x`, `release`) reads as a
 * branch too; a ref with a digit (`v1.2.0`) or a commit id is taken as fixed.
 */
const BRANCH_REFS = new Set([
  "main",
  "master",
  "develop",
  "development",
  "dev",
  "trunk",
  "HEAD",
  "head",
  "default",
  "tip",
  "stable",
  "latest",
]);

/** A commit id: 7 to 40 hexadecimal digits (Git's abbreviated and full ids, Mercurial's short and full ones). */
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** A registry address: `namespace/name/provider` or `host/namespace/name/provider`, optionally `//subdir`. */
const REGISTRY_SOURCE =
  /^(?:(?:[^/]+\.[^/]+|localhost(?::\d+)?)\/)?[A-Za-z0-9][-A-Za-z0-9_]*\/[A-Za-z0-9][-A-Za-z0-9_]*\/[A-Za-z0-9][-A-Za-z0-9_]*(?:\/\/.*)?$/;

/** A version-looking part of an object path (`vpc-1.4.2.zip`, `v2.0/`), by which archive sources are pinned. */
const VERSIONED_OBJECT = /(?:^|[/_.-])v?\d+\.\d+(?:\.\d+)?(?:[/_.-]|$)/;

type SourceKind = "vcs" | "bucket" | "registry";

/**
 * How Terraform's installer (go-getter) fetches a module source, or undefined for local paths and
 * sources this rule cannot judge. The forms are those of Terraform's "Module Sources" documentation:
 * forced getters (`git::`, `hg::`, `s3::`, `gcs::`), `git://` URLs, scp-like `user@host:path`, the
 * GitHub and Bitbucket shorthands, S3 and GCS hosts, and registry addresses.
 */
function sourceKind(source: string): SourceKind | undefined {
  // Local paths are part of the same configuration and are versioned with it.
  if (/^\.\.?[/\\]/.test(source)) return undefined;
  const forced = /^([a-z0-9]+)::/.exec(source)?.[1];
  if (forced === "git" || forced === "hg") return "vcs";
  if (forced === "s3" || forced === "gcs") return "bucket";
  if (forced) return undefined;
  if (source.startsWith("git://") || /^[\w.-]+@[\w.-]+:/.test(source) || /^(?:github\.com|bitbucket\.org)\//.test(source)) return "vcs";
  if (/^[^/?]+\.amazonaws\.com\//.test(source) || source.startsWith("www.googleapis.com/storage/")) return "bucket";
  if (REGISTRY_SOURCE.test(source)) return "registry";
  // Plain HTTP(S) URLs and anything else: an archive URL may well be versioned, and Terraform's own checks cover the rest.
  return undefined;
}

/** The query parameters of a go-getter address (`...?ref=v1.2.0&depth=1`). */
function queryOf(source: string): URLSearchParams {
  const q = source.indexOf("?");
  return new URLSearchParams(q < 0 ? "" : source.slice(q + 1));
}

/** Whether a ref names something that moves: a branch, or a name with neither a version nor a commit id in it. */
function movingRef(ref: string): boolean {
  if (ref.startsWith("refs/heads/")) return true;
  if (ref.startsWith("refs/tags/") || COMMIT.test(ref)) return false;
  return BRANCH_REFS.has(ref) || !/\d/.test(ref);
}

/** What is wrong with a source and what to do, or undefined when it is pinned. */
function problemWith(source: string, hasVersion: boolean): { problem: string; advice: string } | undefined {
  const kind = sourceKind(source);
  if (kind === undefined) return undefined;
  if (kind === "registry") {
    // Any version constraint is accepted: a range is still a deliberate choice.
    if (hasVersion) return undefined;
    return {
      problem: "comes from the module registry without a version: each terraform init may install a newer release",
      advice: 'Add version = "<the release you tested>"',
    };
  }
  const query = queryOf(source);
  if (kind === "bucket") {
    // Bucket objects have no ref; an object version id or a versioned object name pins them.
    const path = source.split("?")[0];
    if (query.has("version") || query.has("ref") || VERSIONED_OBJECT.test(path.slice(path.indexOf("/")))) return undefined;
    return {
      problem: "names a bucket object without a version: whatever is uploaded under that name next is what terraform init fetches",
      advice: "Put a version in the object's name or add ?version=<object version id>",
    };
  }
  // Mercurial sources take `rev` as well as `ref`.
  const ref = query.get("ref") ?? query.get("rev");
  const advice = "Add ?ref=<a tag or commit>";
  if (ref === null || ref === "")
    return { problem: "has no ref: each terraform init fetches whatever the default branch holds at that moment", advice };
  if (movingRef(ref)) {
    const what =
      BRANCH_REFS.has(ref) || ref.startsWith("refs/heads/")
        ? `the branch "${ref}"`
        : `"${ref}", which looks like a branch (no version or commit id in it)`;
    return {
      problem: `pins ${what}: a branch moves, so each terraform init may fetch different code`,
      advice: "Point ref at a tag or commit instead",
    };
  }
  return undefined;
}

export const pinnedModuleSource: Rule = {
  meta: {
    id: "pinned-module-source",
    severity: "warning",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform"],
    docs: {
      summary:
        "Module sources from git, Mercurial, GitHub, Bitbucket, S3 or GCS must name a tag or commit (`?ref=`), and registry modules a `version`.",
      why:
        "An immutable generation is only reproducible if everything that builds it is fixed. A module fetched from a branch (no `ref`, or `ref=main`) or from the registry " +
        "without a `version` is whatever was published last when `terraform init` ran: two runs of the same configuration can build different infrastructure, " +
        "and rolling back to an old commit does not bring back the old module. Terraform's lock file pins providers, not modules, so the source itself has to. " +
        "Local paths (`./`, `../`) are versioned with the configuration and are fine. Every source form of Terraform's installer is read: " +
        "`git::` (over HTTPS, SSH or `user@host:path`), `git://` URLs, scp-like `git@host:path`, the GitHub and Bitbucket shorthands, " +
        "`hg::` (with `ref` or `rev`), `s3::` and `*.amazonaws.com` objects, `gcs::` and `www.googleapis.com/storage` objects, and " +
        "registry addresses with or without a host. A source or version given through a variable (its default or a tfvars file) or a " +
        "local, as OpenTofu allows, is judged by its value. A ref is taken as moving when it is a branch by convention (`main`, " +
        "`master`, `develop`, `trunk`, `HEAD`, Mercurial's `default` and `tip`, `refs/heads/...`) or holds neither a digit nor a commit " +
        "id (`feature/new-vpc`); a ref with a version (`v1.2.0`) or a commit id is fixed.",
      reportedAt: "the `source` attribute of the module call (or Terraform Stacks component)",
      opentofu:
        "Terraform takes only a literal `source` and `version`; OpenTofu evaluates variables and locals in them before `tofu init` " +
        "(early evaluation), so the rule judges a source or version given through a variable's default, `terraform.tfvars`, " +
        "`*.auto.tfvars` or a local by the value it gives. A value set only on the command line (`-var`) is not known, and the " +
        "call is not judged. The `component` blocks of Terraform Stacks (`.tfcomponent.hcl`) are checked like module calls; " +
        "`stack` blocks, whose sources are private-registry component configurations, are not.",
      bad: [
        {
          filename: "main.tf",
          code: 'module "network" {\n  source = "git::https://example.com/infra/network.git//modules/vpc"\n\n  cidr_block = "10.0.0.0/16"\n}\n',
        },
        {
          filename: "main.tf",
          code: 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n\n  cidr = "10.0.0.0/16"\n}\n',
        },
        {
          filename: "components.tfcomponent.hcl",
          code: 'component "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n\n  inputs = {\n    cidr = "10.0.0.0/16"\n  }\n}\n',
        },
      ],
      good: [
        {
          filename: "main.tf",
          code: 'module "network" {\n  source = "git::https://example.com/infra/network.git//modules/vpc?ref=v1.4.2"\n\n  cidr_block = "10.0.0.0/16"\n}\n',
        },
        {
          filename: "main.tf",
          code: 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n\n  cidr = "10.0.0.0/16"\n}\n',
        },
      ],
      fixSafety: "There is no automatic fix: only you know which tag, commit or release is the one you tested.",
    },
    options: {},
  },
  check(context) {
    // A Stack's components name the modules they deploy with the same source and version as a module call.
    for (const type of ["module", "component"]) {
      for (const { block, file } of context.checkBlocks(type)) {
        const source = attr(block.body, "source");
        if (!source) continue;
        // Terraform takes a literal source; OpenTofu also takes variables and locals known before init.
        const resolved = context.resolve(source.expr, file);
        if (typeof resolved?.value !== "string") continue;
        const version = attr(block.body, "version");
        const versionValue = version ? context.resolve(version.expr, file)?.value : undefined;
        // A version that resolves to null or "" is no version; one that cannot be resolved is trusted.
        const hasVersion = version !== undefined && versionValue !== null && versionValue !== "";
        const found = problemWith(resolved.value, hasVersion);
        if (!found) continue;
        context.report({
          file,
          range: source.range,
          message: `${addressOf(block)} source "${resolved.value}" ${found.problem}. ${found.advice}.`,
          related: resolved.origin ? [resolved.origin] : undefined,
        });
      }
    }
  },
};
