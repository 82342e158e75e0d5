// Secret redaction for every line the roll logs, every command it displays and every value it records in history.

/** What replaces a secret in logs and history. */
export const REDACTED = "[REDACTED]";

/**
 * Names that look like they hold a secret, in any case style (`DB_PASSWORD`, `dbPassword`, `db-password`,
 * `TF_TOKEN_app_terraform_io`, `sshKey`). Over-redacting a harmless value costs little; printing a
 * password into a CI log costs a rotation, so the match is deliberately broad: these fragments anywhere
 * in the name...
 */
const SECRET_FRAGMENTS =
  /pass(word|wd|phrase)|secret|token|credential|api_?key|private_?key|access_?key|auth_?key|session_?key|client_?key|signing_?key/i;
/** ...and these as whole words of it (so `sshKey` and `DB_PASS` count, `keyboard`, `monkey` and `author` do not). */
const SECRET_WORDS = new Set([
  "key",
  "keys",
  "pass",
  "pwd",
  "auth",
  "private",
  "sig",
  "signature",
  "cookie",
  "creds",
  "cred",
  "bearer",
  "jwt",
  "otp",
  "apikey",
]);

/** The words of a name, whatever its case style: `TF_TOKEN_app`, `sshKey`, `HTTPAuthHeader`, `my-api-key`. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a variable, setting or query parameter name looks like it holds a secret (`db_password`, `GITHUB_TOKEN`, `sshKey`). */
export function looksSecretName(name: string): boolean {
  return SECRET_FRAGMENTS.test(name) || wordsOf(name).some((w) => SECRET_WORDS.has(w));
}

/**
 * Environment variables whose names look secret but whose values are not: the working folder, and
 * names that end in a word saying the value is a path or an address (the file or socket holding a
 * secret, not the secret). Registering such a value would redact every path that contains it.
 */
function harmlessEnvName(name: string): boolean {
  if (/^(OLD)?PWD$/i.test(name)) return true;
  const last = wordsOf(name).at(-1) ?? "";
  return ["file", "path", "dir", "sock", "socket", "home", "url", "uri", "endpoint", "addr", "command", "cmd", "program"].includes(last);
}

/** Query parameters that carry credentials without a secret-looking name (OAuth codes, signed URLs). */
const SECRET_QUERY_NAMES = new Set([
  "code",
  "sig",
  "sv",
  "se",
  "st",
  "x-amz-credential",
  "x-amz-security-token",
  "x-goog-credential",
  "x-goog-signature",
]);

/**
 * Patterns for credentials whose shape is recognisable without knowing the value:
 * - URL credentials: the user information before `@` (`https://user:password@host`).
 * - Query parameters whose name looks secret (`?token=`, `&sig=`, `&X-Amz-Signature=`, `api_key=`).
 * - `Authorization: Bearer <token>` and `Basic <base64>`.
 * - Tokens with a documented prefix: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`),
 *   GitLab (`glpat-` and its siblings), Slack (`xoxb-`, `xoxp-`, ...), HashiCorp Vault (`hvs.`, `hvb.`,
 *   `hvr.`), HCP Terraform (`….atlasv1.…`), npm (`npm_`), DigitalOcean (`dop_v1_`, `doo_v1_`,
 *   `dor_v1_`), Google (`AIza`, `ya29.`), Stripe (`sk_live_`, ...).
 * - AWS access key ids: `AKIA` (long-term) and `ASIA` (temporary) followed by 16 upper-case letters or digits.
 * - AWS secret keys and session tokens next to their usual names (env vars, config files, JSON from STS).
 * - A standalone 40-character secret-key shape: mixed case, digits and `/` or `+`. A git SHA is lower-case hex,
 *   so it never matches.
 * - STS session tokens, which start with a few well-known base64 prefixes.
 */
const PATTERNS: Array<[RegExp, (match: string, ...groups: string[]) => string, "shape" | "heuristic"]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, (_m, scheme) => `${scheme}${REDACTED}@`, "shape"],
  [
    /([?&;])([^=&#\s"'<>?]+)=([^&#\s"'<>]+)/g,
    (m, sep, name, _value) => (looksSecretName(name) || SECRET_QUERY_NAMES.has(name.toLowerCase()) ? `${sep}${name}=${REDACTED}` : m),
    "shape",
  ],
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, (_m, kind, space) => `${kind}${space}${REDACTED}`, "shape"],
  [
    /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|gl(?:pat|dt|rt|ptt|cbt|ft|imt|soat|oas)-[A-Za-z0-9_-]{20,}|xox[abposrce]-[A-Za-z0-9-]{10,}|hv[sbr]\.[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{40,}|npm_[A-Za-z0-9]{36}|do[por]_v1_[a-f0-9]{64}|AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,})/g,
    () => REDACTED,
    "shape",
  ],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, () => REDACTED, "shape"],
  [
    /((?:aws_secret_access_key|secret_access_key|secretaccesskey|aws_session_token|session_token|sessiontoken|x-amz-security-token)["']?\s*[=:]\s*["']?)([A-Za-z0-9/+=]{16,})/gi,
    (_m, prefix) => `${prefix}${REDACTED}`,
    "shape",
  ],
  [
    /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])(?=[A-Za-z0-9]*[/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    () => REDACTED,
    "heuristic",
  ],
  [/\b(?:FwoGZXIvYXdzE|IQoJb3JpZ2luX2Vj|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{20,}/g, () => REDACTED, "shape"],
];

/** Redacts known secret values and recognisable credential shapes. Values are added as they become known. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be printed (shorter than 4 characters is ignored: it would redact noise). */
  addSecret(value: string | undefined): void {
    if (value !== undefined && value.length >= 4) this.secrets.add(value);
  }

  /**
   * Registers the values of every environment variable whose name looks secret (`GITHUB_TOKEN`,
   * `TF_TOKEN_app_terraform_io`, `VAULT_TOKEN`, `HCP_CLIENT_SECRET`, `sshKey`, `PKR_VAR_db_password`),
   * and the usual cloud credentials by name. Values shorter than 6 characters and booleans are left out:
   * redacting every "true" or "1" in the output would hide more than it protects.
   */
  addSecretsFromEnv(env: NodeJS.ProcessEnv): void {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || value.length < 6 || /^(true|false|yes|no|null|none)$/i.test(value)) continue;
      if (
        /^(AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|DIGITALOCEAN_ACCESS_TOKEN|DIGITALOCEAN_TOKEN|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|CLOUDSDK_AUTH_ACCESS_TOKEN|GOOGLE_OAUTH_ACCESS_TOKEN)$/.test(
          name,
        ) ||
        (looksSecretName(name) && !harmlessEnvName(name))
      ) {
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

/**
 * Quotes one argument so that pasting the displayed command into a shell passes exactly this argument
 * (the runner itself never uses a shell). Plain words stay bare; anything else is single-quoted, which
 * leaves every shell metacharacter inert; an argument with a control character (a newline would end the
 * pasted command) is written in ANSI-C quoting, `$'a\nb'`, which bash, zsh and ksh read back exactly. A
 * leading `=` or `~` is quoted too (zsh and the shells expand them at the start of a word).
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/.test(arg)) return arg;
  const control = (ch: string): boolean => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f;
  if (![...arg].some(control)) return `'${arg.replace(/'/g, () => "'\\''")}'`;
  const escaped = [...arg]
    .map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch === "\\") return "\\\\";
      if (ch === "'") return "\\'";
      if (ch === "\n") return "\\n";
      if (ch === "\r") return "\\r";
      if (ch === "\t") return "\\t";
      if (control(ch)) return `\\x${code.toString(16).padStart(2, "0")}`;
      return ch;
    })
    .join("");
  return `$'${escaped}'`;
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
