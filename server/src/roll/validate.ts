// Validation of every value from configuration or tool output that ends up in a command line: names, ids, durations.

/** A value that failed validation; `expected` says what would have been accepted. */
export class InvalidValueError extends Error {
  constructor(
    readonly what: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${what} ${JSON.stringify(value)} is not valid: expected ${expected}`);
    this.name = "InvalidValueError";
  }
}

/**
 * One rule per kind of value. Each pattern starts with a letter or digit, so that no accepted value can be
 * read as an option by the tool, and none admits whitespace, quotes or shell metacharacters.
 */
export const PATTERNS = {
  /** A generation name (`generation "web"`): also used in file names, so no slashes. */
  generationName: {
    re: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
    expected: "letters, digits, `_`, `.` or `-`, starting with a letter or digit, at most 63 characters",
  },
  /** A Terraform or Packer variable name. */
  variableName: {
    re: /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/,
    expected: "a Terraform/Packer identifier (letters, digits, `_`, `-`, not starting with a digit or `-`)",
  },
  /** An AWS region, GCP region/zone or Azure location. */
  region: { re: /^[a-z][a-z0-9-]{1,40}[0-9a-z]$/, expected: "a region or zone name such as eu-west-1 or europe-west1-b" },
  /** An AWS CLI profile name. */
  profile: { re: /^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$/, expected: "a profile name (letters, digits, `_`, `.`, `@`, `+`, `-`)" },
  /** An AWS AMI id. */
  amiId: { re: /^ami-[0-9a-f]{8,17}$/, expected: "an AMI id such as ami-0123456789abcdef0" },
  /** An EBS snapshot id. */
  snapshotId: { re: /^snap-[0-9a-f]{8,17}$/, expected: "a snapshot id such as snap-0123456789abcdef0" },
  /** An EC2 instance id. */
  instanceId: { re: /^i-[0-9a-f]{8,17}$/, expected: "an instance id such as i-0123456789abcdef0" },
  /** A launch template id. */
  launchTemplateId: { re: /^lt-[0-9a-f]{8,17}$/, expected: "a launch template id such as lt-0123456789abcdef0" },
  /** An Auto Scaling group name: AWS allows almost anything, we allow what real names use. */
  asgName: {
    re: /^[A-Za-z0-9][A-Za-z0-9_.:/@+-]{0,254}$/,
    expected: "an Auto Scaling group name (letters, digits, `_`, `.`, `:`, `/`, `@`, `+`, `-`, starting with a letter or digit)",
  },
  /** An instance refresh id (a UUID). */
  refreshId: { re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, expected: "an instance refresh id (a UUID)" },
  /** A GCE resource name (image, instance template, managed instance group, instance). */
  gceName: {
    re: /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/,
    expected: "a Compute Engine name: lower-case letters, digits and `-`, starting with a letter, at most 63 characters",
  },
  /** A GCP project id. */
  gcpProject: { re: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, expected: "a GCP project id (6 to 30 lower-case letters, digits or `-`)" },
  /** An Azure resource group name. */
  azureResourceGroup: {
    re: /^[A-Za-z0-9][A-Za-z0-9_.()-]{0,88}[A-Za-z0-9_()-]$|^[A-Za-z0-9]$/,
    expected: "an Azure resource group name (letters, digits, `_`, `.`, `(`, `)`, `-`, starting with a letter or digit)",
  },
  /** An Azure resource name (scale set). */
  azureName: {
    re: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    expected: "an Azure resource name (letters, digits, `_`, `.`, `-`, starting with a letter or digit)",
  },
  /** An Azure subscription id (a GUID) or name. */
  azureSubscription: { re: /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/, expected: "an Azure subscription id or name" },
  /** An Azure managed image resource id. */
  azureImageId: {
    re: /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[A-Za-z0-9_.()-]{1,90}\/providers\/Microsoft\.Compute\/(images|galleries\/[A-Za-z0-9_.-]+\/images\/[A-Za-z0-9_.-]+\/versions)\/[A-Za-z0-9_.-]{1,80}$/,
    expected: "an Azure managed image id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/images/<name>)",
  },
  /** A DigitalOcean snapshot/image id (numeric). */
  digitaloceanImageId: { re: /^[0-9]{1,20}$/, expected: "a DigitalOcean image id (digits)" },
  /** A DigitalOcean region slug. */
  digitaloceanRegion: { re: /^[a-z]{3}[0-9]$/, expected: "a DigitalOcean region slug such as nyc3" },
  /** A Terraform resource address as printed in a plan (module path, type, name, index key). */
  terraformAddress: { re: /^[A-Za-z_][^\r\n\0]*$/, expected: "a Terraform resource address (starting with a letter or `_`, on one line)" },
} as const;

export type PatternName = keyof typeof PATTERNS;

/** Returns `value` when it matches the named pattern, else throws an InvalidValueError naming `what`. */
export function validated(kind: PatternName, what: string, value: string): string {
  const { re, expected } = PATTERNS[kind];
  if (!re.test(value)) throw new InvalidValueError(what, value, expected);
  return value;
}

/** Whether `value` matches the named pattern. */
export function isValid(kind: PatternName, value: string): boolean {
  return PATTERNS[kind].re.test(value);
}

/** Parses a duration such as `90s`, `5m`, `1h30m` or `500ms` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
    matched = re.lastIndex;
  }
  if (text.length === 0 || matched !== text.length) return undefined;
  return Math.round(total);
}
