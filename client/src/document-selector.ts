// The documents the extension hands to the language server, by language id and by file name.
/**
 * The language ids other extensions give the files immutably lints: HashiCorp's Terraform extension
 * (and this one) `terraform` and `terraform-vars`; the official OpenTofu extension (opentofu/vscode-opentofu,
 * its package.json) `opentofu` for `.tf` and `.tofu` files and `opentofu-vars` for `.tfvars`. Whichever
 * extension wins a file, it is linted.
 */
export const TERRAFORM_LANGUAGE_IDS = ["terraform", "terraform-vars", "opentofu", "opentofu-vars"] as const;

/** The files the server lints; plain JSON is included because a legacy Packer template can have any name. */
export const DOCUMENT_SELECTOR: Array<{ scheme: "file"; language?: string; pattern?: string }> = [
  ...TERRAFORM_LANGUAGE_IDS.map((language) => ({ scheme: "file" as const, language })),
  { scheme: "file", language: "packer" },
  // Claimed by name too: without an extension that registers them, these have no language (or plain JSON).
  { scheme: "file", pattern: "**/*.{tofu,tf.json,tofu.json,tfvars.json,pkr.json,pkrvars.json,tfcomponent.hcl}" },
  { scheme: "file", language: "json" },
  // The configuration has its own language; the pattern keeps it linted if another extension claims the file.
  { scheme: "file", language: "immutably-config" },
  { scheme: "file", pattern: "**/.immutably.hcl" },
];
