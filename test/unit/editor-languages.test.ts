// The extension lints Terraform and OpenTofu files whichever extension gives them their language id, and activates on them.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import picomatch from "picomatch";
import { DOCUMENT_SELECTOR, TERRAFORM_LANGUAGE_IDS } from "../../client/src/document-selector.ts";

interface Manifest {
  activationEvents: string[];
  contributes: { languages: Array<{ id: string; extensions?: string[] }>; snippets: Array<{ language: string; path: string }> };
}
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as Manifest;

/** Whether the selector hands a document with this language id and path to the server, as VS Code matches filters. */
function selected(language: string, filePath: string): boolean {
  return DOCUMENT_SELECTOR.some((filter) => {
    if (filter.scheme !== "file") return false;
    if (filter.language !== undefined && filter.language !== language) return false;
    if (filter.pattern !== undefined && !picomatch(filter.pattern, { dot: true })(filePath)) return false;
    return filter.language !== undefined || filter.pattern !== undefined;
  });
}

describe("editor languages", () => {
  it("lints the files of the official OpenTofu extension's languages (opentofu, opentofu-vars) and HashiCorp's", () => {
    for (const [language, file] of [
      ["opentofu", "/w/main.tf"],
      ["opentofu", "/w/main.tofu"],
      ["opentofu-vars", "/w/terraform.tfvars"],
      ["terraform", "/w/main.tf"],
      ["terraform-vars", "/w/prod.tfvars"],
    ]) {
      assert.ok(selected(language, file), `${language} ${file}`);
    }
  });

  it("lints .tofu and .tofu.json files that no extension gives a language", () => {
    assert.ok(selected("plaintext", "/w/main.tofu"));
    assert.ok(selected("plaintext", "/w/variables.tofu.json"));
    assert.ok(selected("plaintext", "/w/stack/components.tfcomponent.hcl"));
    assert.ok(manifest.activationEvents.includes("workspaceContains:**/*.tfcomponent.hcl"));
    assert.ok(!selected("plaintext", "/w/notes.txt"));
  });

  it("activates on each of those languages and on workspaces holding .tofu files", () => {
    for (const id of TERRAFORM_LANGUAGE_IDS) assert.ok(manifest.activationEvents.includes(`onLanguage:${id}`), id);
    assert.ok(manifest.activationEvents.includes("workspaceContains:**/*.tofu"));
    assert.ok(manifest.activationEvents.includes("workspaceContains:**/*.tofu.json"));
  });

  it("gives .tofu files its grammar and snippets, and the snippets to the opentofu language too", () => {
    assert.ok(manifest.contributes.languages.find((l) => l.id === "terraform")?.extensions?.includes(".tofu"));
    const snippets = (language: string) => manifest.contributes.snippets.find((s) => s.language === language)?.path;
    assert.equal(snippets("opentofu"), snippets("terraform"));
    assert.ok(snippets("terraform"));
  });
});
