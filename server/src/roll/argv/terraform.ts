// Pure argv builders for terraform: init, plan, show, apply and state rm. Unit-tested in test/roll/argv.test.ts.
import { validated } from "../validate.ts";

const COMMON = ["-input=false", "-no-color"];

/** `terraform init` without prompts; run only when the folder has no `.terraform`. */
export function terraformInitArgs(): string[] {
  return ["init", ...COMMON];
}

/** `terraform plan -out=<file>`; the image reaches Terraform through immutably.auto.tfvars.json, never argv. */
export function terraformPlanArgs(planFile: string): string[] {
  return ["plan", ...COMMON, `-out=${planFile}`];
}

/** `terraform show -json <plan>`, read to list the resources the plan replaces. */
export function terraformShowPlanArgs(planFile: string): string[] {
  return ["show", "-json", "-no-color", "--", planFile];
}

/** `terraform apply <plan>`: applying a saved plan applies exactly what was shown and confirmed. */
export function terraformApplyArgs(planFile: string): string[] {
  return ["apply", ...COMMON, "--", planFile];
}

/** `terraform state rm -- <addresses>`: takes resources out of state so that apply leaves them running (isolate). */
export function terraformStateRmArgs(addresses: readonly string[]): string[] {
  return ["state", "rm", "-no-color", "--", ...addresses.map((a) => validated("terraformAddress", "resource address", a))];
}

/** `terraform output -json`, used by the tests and by `generations` to show what Terraform runs. */
export function terraformOutputArgs(): string[] {
  return ["output", "-json", "-no-color"];
}
