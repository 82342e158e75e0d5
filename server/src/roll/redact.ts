// Secret redaction for every line the roll logs, every command it displays and every value it records in history.

/** What replaces a secret in logs and history. */
export const REDACTED = "[REDACTED]";

/**
 * Variable names that look like they hold a secret. Over-redacting a harmless value costs little;
 * printing a password into a CI log costs a rotation, so the match is deliberately broad.
 */
const SECRET_NAME = /pass(word|wd|phrase)?|secret|token|(^|[_-])key($|[_-])|api_?key|private|credential|pwd|auth/i;

/** Whether a variable or setting name looks like it holds a secret (`db_password`, `api_token`, `ssh_key`). */
export function looksSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Patterns for credentials whose shape is recognisable without knowing the value:
 * - AWS access key ids: `AKIA` (long-term) and `ASIA` (temporary) followed by 16 upper-case letters or digits.
 * - AWS secret keys and session tokens next to their usual names (env vars, config files, JSON from STS).
 * - A standalone 40-character secret-key shape: mixed case, digits and `/` or `+`. A git SHA is lower-case hex,
 *   so it never matches.
 * - STS session tokens, which start with a few well-known base64 prefixes.
 */
const PATTERNS: Array<[RegExp, (match: string, ...groups: string[]) => string, "shape" | "heuristic"]> = [
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, () => REDACTED, "shape"],
  [
    /((?:aws_secret_access_key|secret_access_key|secretaccesskey|aws_session_token|session_token|sessiontoken|x-amz-security-token)["']?\s*[=:]\s*["']?)([A-Za-z0-9/+=]{16,})/gi,
    (_m, prefix) => `${prefix}${REDACTED}`,
    "shape",
  ],
  [/(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])(?=[A-Za-z0-9]*[/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, () => REDACTED, "heuristic"],
  [/\b(?:FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{20,}/g, () => REDACTED, "shape"],
];

/** Redacts known secret values and recognisable credential shapes. Values are added as they become known. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be printed (shorter than 4 characters is ignored: it would redact noise). */
  addSecret(value: string | undefined): void {
    if (value !== undefined && value.length >= 4) this.secrets.add(value);
  }

  /** Registers the credential values from an environment (AWS keys and tokens, cloud tokens). */
  addSecretsFromEnv(env: NodeJS.ProcessEnv): void {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) continue;
      if (/^(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|DIGITALOCEAN_ACCESS_TOKEN|DIGITALOCEAN_TOKEN|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|CLOUDSDK_AUTH_ACCESS_TOKEN|GOOGLE_OAUTH_ACCESS_TOKEN)$/.test(name)) {
        this.addSecret(value);
      } else if (/^(PKR_VAR_|TF_VAR_)/.test(name) && looksSecretName(name.slice(8))) {
        this.addSecret(value);
      }
    }
  }

  /**
   * Returns `text` with every known secret and credential shape replaced. `heuristics: false` skips the
   * standalone 40-character secret-key shape, which could match inside a long file path; history uses it
   * so that a recorded image path is never mangled.
   */
  redact(text: string, options: { heuristics?: boolean } = {}): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    for (const [pattern, replace, kind] of PATTERNS) {
      if (kind === "heuristic" && options.heuristics === false) continue;
      out = out.replace(pattern, replace);
    }
    return out;
  }

  /**
   * Renders an argv for display, quoting each element as a POSIX shell would so that a reader can tell the
   * arguments apart (the runner never uses a shell), with `-var name=value` values redacted when the name
   * looks secret.
   */
  renderCommand(file: string, args: readonly string[]): string {
    const shown: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const previous = i > 0 ? args[i - 1] : "";
      if ((previous === "-var" || previous === "--var") && arg.includes("=")) {
        const name = arg.slice(0, arg.indexOf("="));
        shown.push(looksSecretName(name) ? `${name}=${REDACTED}` : arg);
      } else {
        shown.push(arg);
      }
    }
    return [file, ...shown].map((a) => shellQuote(this.redact(a))).join(" ");
  }
}

/** Quotes one argument the way a POSIX shell would read it back, for display only. */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`).replace(/\n/g, "'$'\\n''")}'`;
}

/** Redacts every string inside a JSON-like value (used before history is written). */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === "string") return redactor.redact(value, { heuristics: false }) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redactor)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, redactor);
    return out as T;
  }
  return value;
}
