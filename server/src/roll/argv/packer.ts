// Pure argv builders for packer: init and build. Unit-tested in test/roll/argv.test.ts.
import { validated } from "../validate.ts";

/**
 * `packer init` installs the plugins a template's `required_plugins` asks for (Packer 1.7+).
 * `--` ends the options, so even a template path that starts with `-` is read as the template.
 */
export function packerInitArgs(template: string): string[] {
  return ["init", "--", template];
}

/**
 * `packer build -machine-readable` with one `-var name=value` pair per variable. Each pair is a single argv
 * element, so a value with spaces, quotes or `$()` stays one value; names are validated identifiers.
 */
export function packerBuildArgs(template: string, vars: Readonly<Record<string, string>>): string[] {
  const args = ["build", "-machine-readable", "-color=false"];
  for (const [name, value] of Object.entries(vars).sort(([a], [b]) => a.localeCompare(b))) {
    args.push("-var", `${validated("variableName", "packer variable name", name)}=${value}`);
  }
  args.push("--", template);
  return args;
}
