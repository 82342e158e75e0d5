// The rule registry (sorted by id) and the presets. Every rule file is listed here once.
import type { Rule } from "../engine/types.ts";
import { amiLookupOwners } from "./ami-lookup-owners.ts";
import { fileReadRefused } from "./file-read-refused.ts";
import { hclSyntax } from "./hcl-syntax.ts";
import { noBootTimeMutation } from "./no-boot-time-mutation.ts";
import { noIgnoreImageChanges } from "./no-ignore-image-changes.ts";
import { noInplaceProvisioner } from "./no-inplace-provisioner.ts";
import { noLaunchTemplateLatest } from "./no-launch-template-latest.ts";
import { noStaticTemplateName } from "./no-static-template-name.ts";
import { noStaticUniqueAttribute } from "./no-static-unique-attribute.ts";
import { packerNoForceDeregister } from "./packer-no-force-deregister.ts";
import { packerPinnedPlugin } from "./packer-pinned-plugin.ts";
import { packerRequireManifest } from "./packer-require-manifest.ts";
import { packerUniqueImageName } from "./packer-unique-image-name.ts";
import { pinnedContainerImage } from "./pinned-container-image.ts";
import { pinnedMachineImage } from "./pinned-machine-image.ts";
import { pinnedModuleSource } from "./pinned-module-source.ts";
import { pinnedProviderVersion } from "./pinned-provider-version.ts";
import { requireCreateBeforeDestroy } from "./require-create-before-destroy.ts";
import { requireInstanceRefresh } from "./require-instance-refresh.ts";
import { requireRollingUpdate } from "./require-rolling-update.ts";
import { requireUserDataReplace } from "./require-user-data-replace.ts";

// One entry per line, in file-name order, so that concurrent additions do not collide; the list is sorted below.
const registered: Rule[] = [
  amiLookupOwners,
  fileReadRefused,
  hclSyntax,
  noBootTimeMutation,
  noIgnoreImageChanges,
  noInplaceProvisioner,
  noLaunchTemplateLatest,
  noStaticTemplateName,
  noStaticUniqueAttribute,
  packerNoForceDeregister,
  packerPinnedPlugin,
  packerRequireManifest,
  packerUniqueImageName,
  pinnedContainerImage,
  pinnedMachineImage,
  pinnedModuleSource,
  pinnedProviderVersion,
  requireCreateBeforeDestroy,
  requireInstanceRefresh,
  requireRollingUpdate,
  requireUserDataReplace,
];

/** All rules, sorted by id; `recommended` holds those whose meta says so (all of them today). */
export const allRules: Rule[] = [...registered].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));

export const presets: Record<string, string[]> = {
  recommended: allRules.filter((r) => r.meta.recommended).map((r) => r.meta.id),
};
