// pinned-module-source: module sources must name a fixed revision (a tag or commit, or a registry version).
import { attr, literalValue } from "../engine/model.ts";
import type { Rule } from "../engine/types.ts";

/** Refs that name a branch, which moves; anything else (a tag, a commit) is taken as fixed. */
const BRANCH_REFS = new Set(["main", "master", "develop", "trunk", "HEAD"]);

/** A registry address: `namespace/name/provider` or `host/namespace/name/provider`, optionally `//subdir`. */
const REGISTRY_SOURCE = /^(?:(?:[^/]+\.[^/]+|localhost(?::\d+)?)\/)?[A-Za-z0-9][-A-Za-z0-9_]*\/[A-Za-z0-9][-A-Za-z0-9_]*\/[A-Za-z0-9][-A-Za-z0-9_]*(?:\/\/.*)?$/;

/** A version-looking part of an object path (`vpc-1.4.2.zip`, `v2.0/`), by which archive sources are pinned. */
const VERSIONED_OBJECT = /(?:^|[/_.-])v?\d+\.\d+(?:\.\d+)?(?:[/_.-]|$)/;

type SourceKind = "vcs" | "bucket" | "registry";

/** How Terraform fetches a module source, or undefined for local paths and sources this rule cannot judge. */
function sourceKind(source: string): SourceKind | undefined {
  // Local paths are part of the same configuration and are versioned with it.
  if (source.startsWith("./") || source.startsWith("../") || source.startsWith(".\\") || source.startsWith("..\\")) return undefined;
  const forced = /^([a-z0-9]+)::/.exec(source)?.[1];
  if (forced === "git" || forced === "hg") return "vcs";
  if (forced === "s3" || forced === "gcs") return "bucket";
  if (forced) return undefined;
  if (source.startsWith("git@") || source.startsWith("github.com/") || source.startsWith("bitbucket.org/")) return "vcs";
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

/** What is wrong with a source, or undefined when it is pinned. */
function problemWith(source: string, hasVersion: boolean): string | undefined {
  const kind = sourceKind(source);
  if (kind === undefined) return undefined;
  if (kind === "registry") {
    // Any version constraint is accepted: the issue asks for a version, and a range is still a deliberate choice.
    return hasVersion ? undefined : "comes from the module registry without a version: each terraform init may install a newer release";
  }
  const query = queryOf(source);
  if (kind === "bucket") {
    // Bucket objects have no ref; an object version id or a versioned object name pins them.
    const path = source.split("?")[0];
    if (query.has("version") || query.has("ref") || VERSIONED_OBJECT.test(path.slice(path.indexOf("/")))) return undefined;
    return "names a bucket object without a version: whatever is uploaded under that name next is what terraform init fetches";
  }
  // Mercurial sources take `rev` as well as `ref`.
  const ref = query.get("ref") ?? query.get("rev");
  if (ref === null || ref === "") return "has no ref: each terraform init fetches whatever the default branch holds at that moment";
  if (BRANCH_REFS.has(ref)) return `pins the branch "${ref}", which moves: each terraform init may fetch different code`;
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
      summary: "Module sources from git, Mercurial, GitHub, Bitbucket, S3 or GCS must name a tag or commit (`?ref=`), and registry modules a `version`.",
      why:
        "An immutable generation is only reproducible if everything that builds it is fixed. A module fetched from a branch (no `ref`, or `ref=main`) or from the registry " +
        "without a `version` is whatever was published last when `terraform init` ran: two runs of the same configuration can build different infrastructure, " +
        "and rolling back to an old commit does not bring back the old module. Terraform's lock file pins providers, not modules, so the source itself has to. " +
        "Local paths (`./`, `../`) are versioned with the configuration and are fine.",
      reportedAt: "the module's `source` attribute",
      bad: [
        {
          filename: "main.tf",
          code: 'module "network" {\n  source = "git::https://example.com/infra/network.git//modules/vpc"\n\n  cidr_block = "10.0.0.0/16"\n}\n',
        },
        {
          filename: "main.tf",
          code: 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n\n  cidr = "10.0.0.0/16"\n}\n',
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
    for (const { block, file } of context.topBlocks("module")) {
      const source = attr(block.body, "source");
      if (!source) continue;
      // Terraform requires a literal source; anything else is its own error, not this rule's.
      const value = literalValue(source.expr);
      if (typeof value !== "string") continue;
      const problem = problemWith(value, attr(block.body, "version") !== undefined);
      if (!problem) continue;
      context.report({ file, range: source.range, message: `module "${block.labels[0] ?? ""}" source "${value}" ${problem}.` });
    }
  },
};
