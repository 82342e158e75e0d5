// What in a boot script mutates the machine: package installs, downloads that are run, clones and configuration management, found command by command.
import { computeLineStarts } from "../engine/model.ts";

export type MutationKind = "packages" | "download" | "clone" | "config-management";

interface Pattern {
  kind: MutationKind;
  regex: RegExp;
}

// Options such as `-y`, `-qq` or `--no-install-recommends` may stand between a package manager and its verb.
// Each option is split off at whitespace in exactly one way, so a long run of options cannot make the match backtrack.
const OPTS = String.raw`(?:\s+-[\w=.:-]*)*`;

/**
 * Commands that change a machine after it booted. `apt-get update` and `apk update` only refresh
 * package lists and are not flagged on their own; for yum, dnf and zypper `update` upgrades packages.
 */
const PATTERNS: Pattern[] = [
  { kind: "packages", regex: new RegExp(String.raw`\b(?:apt-get|apt)${OPTS}\s+(?:install|upgrade|dist-upgrade|full-upgrade)\b`) },
  {
    kind: "packages",
    regex: new RegExp(String.raw`\b(?:yum|dnf|microdnf)${OPTS}\s+(?:install|update|upgrade|groupinstall|localinstall|reinstall)\b`),
  },
  { kind: "packages", regex: new RegExp(String.raw`\bapk${OPTS}\s+(?:add|upgrade)\b`) },
  { kind: "packages", regex: new RegExp(String.raw`\bzypper${OPTS}\s+(?:install|in|update|up|dist-upgrade|dup|patch)\b`) },
  { kind: "packages", regex: new RegExp(String.raw`\b(?:pip3?|python3?\s+-m\s+pip)${OPTS}\s+install\b`) },
  { kind: "packages", regex: new RegExp(String.raw`\bnpm${OPTS}\s+(?:install|i|ci|update)\b`) },
  { kind: "packages", regex: new RegExp(String.raw`\bgem${OPTS}\s+(?:install|update)\b`) },
  // Windows machines get the same treatment through custom_data.
  { kind: "packages", regex: new RegExp(String.raw`\bchoco${OPTS}\s+(?:install|upgrade)\b`) },
  { kind: "download", regex: /\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo(?:\s+-\S+)*\s+)?(?:ba|z|k|da)?sh\b/ },
  { kind: "download", regex: /\b(?:ba)?sh\s+<\(\s*(?:curl|wget)\b[^)]*\)/ },
  { kind: "download", regex: /\b(?:ba)?sh\s+-c\s+["']?\$\(\s*(?:curl|wget)\b[^)]*\)/ },
  { kind: "clone", regex: /\bgit\s+clone\b/ },
  { kind: "config-management", regex: /\b(?:chef-client|chef-solo|ansible-pull|salt-call)\b|\bpuppet\s+(?:apply|agent)\b/ },
];

export const KIND_TEXT: Record<MutationKind, string> = {
  packages: "installs or upgrades packages",
  download: "downloads and runs a script",
  clone: "clones code",
  "config-management": "runs configuration management",
};

/** The longest part of a line that is searched for commands. */
const MAX_LINE = 4096;

/** A file a command downloads: its base name and the command, as written. */
interface Download {
  name: string;
  command: string;
}

/** The base name of a URL's path (`https://x.example/get/install.sh?v=1` -> `install.sh`). */
function urlBaseName(url: string): string | undefined {
  const path = url.replace(/^["']|["']$/g, "").split(/[?#]/)[0];
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name === "" || name.includes("$") ? undefined : name;
}

/** A path's base name, without quotes. */
function baseName(path: string): string {
  const bare = path.replace(/^["']|["']$/g, "");
  return bare.slice(Math.max(bare.lastIndexOf("/"), bare.lastIndexOf("\\")) + 1);
}

/** Splits a line into its commands (at `&&`, `||`, `;` and `|`), each as whitespace-separated words. */
function commandsOf(line: string): string[][] {
  return line
    .split(/&&|\|\||;|\|/)
    .map((c) =>
      c
        .trim()
        .split(/\s+/)
        .filter((w) => w !== ""),
    )
    .filter((c) => c.length > 0);
}

/** Leading words that only run the rest of a command (as another user, with a variable, in the background). */
const PREFIXES = /^(?:sudo|exec|nohup|time|env|[A-Za-z_][A-Za-z0-9_]*=.*)$/;

/** The words of a command without prefixes such as `sudo -E` or `DEBIAN_FRONTEND=noninteractive`. */
function withoutPrefixes(words: string[]): string[] {
  let i = 0;
  while (i < words.length && PREFIXES.test(words[i])) {
    i++;
    while (i < words.length && words[i].startsWith("-")) i++; // sudo's own options
  }
  return words.slice(i);
}

/**
 * The file a command downloads to disk: `curl -O URL` or `curl -fsSLO URL` (the URL's base name),
 * `curl -o FILE URL`, `wget URL` (its base name), `wget -O FILE URL`, PowerShell's
 * `Invoke-WebRequest ... -OutFile FILE`. A download to standard output (`-O-`) is a pipe, matched elsewhere.
 */
function downloadOf(words: string[]): string | undefined {
  const [tool, ...args] = withoutPrefixes(words);
  if (!tool) return undefined;
  const url = args.find((a) => /^["']?(?:https?|ftp):\/\//.test(a));
  const name = baseName(tool).toLowerCase();
  /** The value of an output option: its long form, or a short flag (alone or last in a cluster such as `-fsSLo`). */
  const output = (short: string, long: string): string | undefined => {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === long) return args[i + 1];
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
      const m = new RegExp(`^-[A-Za-z]*${short}(.*)$`).exec(a);
      if (m && !a.startsWith("--")) return m[1] !== "" ? m[1] : args[i + 1];
    }
    return undefined;
  };
  if (name === "curl") {
    const file = output("o", "--output");
    if (file !== undefined) return file === "-" ? undefined : baseName(file);
    if (url && args.some((a) => a === "--remote-name" || /^-[A-Za-z]*O[A-Za-z]*$/.test(a))) return urlBaseName(url);
    return undefined;
  }
  if (name === "wget") {
    const file = output("O", "--output-document");
    if (file !== undefined) return file === "-" ? undefined : baseName(file);
    return url ? urlBaseName(url) : undefined;
  }
  if (/^(?:invoke-webrequest|iwr|invoke-restmethod|irm)$/.test(name)) {
    const i = args.findIndex((a) => /^-OutFile$/i.test(a));
    return i >= 0 && args[i + 1] ? baseName(args[i + 1]) : undefined;
  }
  return undefined;
}

/** Interpreters and installers that run (or install) the file named after them. */
const RUNNERS = /^(?:(?:ba|z|k|da)?sh|source|\.|python3?|perl|ruby|node|powershell|pwsh|msiexec|start-process|&)$/i;

/** Whether a command runs a downloaded file: directly (`./install.sh`), through an interpreter, or installs it as a package. */
function runsFile(words: string[], file: string): boolean {
  const command = withoutPrefixes(words);
  if (command.length === 0) return false;
  const [first, ...rest] = command;
  if (baseName(first) === file && /[/\\]/.test(first)) return true;
  const operands = rest.filter((w) => !w.startsWith("-") && !/^\/[a-z]$/i.test(w));
  if (RUNNERS.test(baseName(first))) return operands.length > 0 && baseName(operands[0]) === file;
  if (/^(?:dpkg|rpm)$/.test(first)) return rest.some((w) => /^-[a-zA-Z]*[iU]/.test(w)) && operands.some((w) => baseName(w) === file);
  return false;
}

/** The first command in a script that mutates the machine: its text, line (0-based) and offsets in the script. */
export interface Mutation {
  kind: MutationKind;
  command: string;
  line: number;
  start: number;
  end: number;
}

/** Finds the first mutating command of a shell script or cloud-init document. */
export function findMutation(script: string): Mutation | undefined {
  const lineStarts = computeLineStarts(script);
  const cloudConfig = /^#cloud-config\b/.test(script.trimStart());
  const lineText = (line: number) =>
    script.slice(lineStarts[line], Math.min(lineStarts[line + 1] ?? script.length, lineStarts[line] + MAX_LINE)).replace(/\r?\n$|\r$/, "");
  // Files downloaded so far, by the line that downloaded them: a later line that runs one is a download and run.
  const downloads: Array<Download & { line: number; start: number }> = [];
  for (let line = 0; line < lineStarts.length; line++) {
    const start = lineStarts[line];
    // Commands fit in a few thousand characters; longer lines are embedded data (base64, certificates), and capping them bounds the matching time.
    const text = lineText(line);
    const trimmed = text.trim();
    // Shell and YAML comments (including `#!` and `#cloud-config`) run nothing.
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    // YAML list items (cloud-init runcmd) hold commands after their dash.
    const commands = commandsOf(
      text
        .replace(/^\s*-\s+/, "")
        .replace(/\s#.*$/, "")
        .replace(/^["']|["']$/g, ""),
    );
    for (const words of commands) {
      const earlier = downloads.find((d) => runsFile(words, d.name));
      if (earlier) {
        const run = words.join(" ");
        return {
          kind: "download",
          command: `${earlier.command} then ${run.length > 40 ? `${run.slice(0, 37)}...` : run}`,
          line: earlier.line,
          start: earlier.start,
          end: earlier.start + earlier.command.length,
        };
      }
      const name = downloadOf(words);
      if (name) {
        // The command as written: from its first word through its last, found in order.
        const at = text.indexOf(words[0]);
        let end = at;
        for (const word of words) end = text.indexOf(word, end) + word.length;
        const command = text.slice(at, end);
        downloads.push({ name, command: command.length > 80 ? `${command.slice(0, 77)}...` : command, line, start: start + at });
      }
    }
    if (cloudConfig) {
      const key = /^(packages:(?!\s*\[\s*\])|package_update:\s*true\b|package_upgrade:\s*true\b)/.exec(text);
      if (key)
        return { kind: "packages", command: `cloud-init ${key[1].replace(/:\s*/, ": ").trim()}`, line, start, end: start + key[0].length };
    }
    for (const { kind, regex } of PATTERNS) {
      const m = regex.exec(text);
      if (!m) continue;
      // Name the command up to the next command separator (a pipe belongs to a download command).
      const rest = text.slice(m.index);
      // A trailing shell comment (` # why`) is not part of the command.
      const stop = kind === "download" ? rest.search(/\s*(?:&&|\|\||;|\s#)/) : rest.search(/\s*(?:&&|\|\|?|;|\s#)/);
      let command = (stop < 0 ? rest : rest.slice(0, stop)).trim().replace(/["',]+$/, "");
      if (command.length > 80) command = `${command.slice(0, 77)}...`;
      return { kind, command, line, start: start + m.index, end: start + m.index + command.length };
    }
  }
  return undefined;
}
