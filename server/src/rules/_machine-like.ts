// The machine-like resource types (replaceable compute) and, per type, the attributes a new generation changes only by replacement.

/** What a machine-like type is replaced for: attribute paths (`metadata.startup-script` is a key of the `metadata` map) and why. */
export interface MachineLikeType {
  /** Attributes that carry the image, the boot script or what the machine is launched from. */
  replacementOnly: readonly string[];
  /** Why these attributes, and why the others (sizes, tags, labels) are left out. */
  note: string;
}

/** Instance templates hold the image in their disks; every change makes a new template. */
const GOOGLE_TEMPLATE: MachineLikeType = {
  replacementOnly: ["disk", "metadata_startup_script", "metadata.startup-script", "metadata.user-data"],
  note: "The template's disks hold the source image.",
};

/** Azure virtual machines, Linux and Windows alike. */
const AZURE_VM: MachineLikeType = {
  replacementOnly: ["source_image_id", "source_image_reference", "custom_data", "user_data"],
  note: "The provider updates `user_data` in place.",
};

/**
 * The one table of machine-like types. `require-create-before-destroy` flags these types when they are
 * destroyed before their replacement exists, and `immutably plan` reads a plan's in-place updates of
 * them against `replacementOnly`. Sizes (`instance_type`, `machine_type`, `size`, `server_type`), tags
 * and labels change in place by design and are left out everywhere.
 */
export const MACHINE_LIKE_TYPES: Readonly<Record<string, MachineLikeType>> = {
  aws_instance: {
    replacementOnly: ["ami", "user_data", "user_data_base64", "launch_template"],
    note: "The AWS provider updates `user_data` in place (stop, change, start) unless `user_data_replace_on_change` is set.",
  },
  // A launch template is never a running machine: an update adds a version, and the group's instance
  // refresh replaces the machines. Only its replacement order matters, which the destroy-first check reads.
  aws_launch_template: {
    replacementOnly: [],
    note: "An update adds a template version and changes no running machine; only a destroy-first replacement is a finding.",
  },
  aws_launch_configuration: {
    replacementOnly: ["image_id", "user_data", "user_data_base64"],
    note: "Launch configurations cannot be updated, so an in-place update of these is only reported if a provider allowed one.",
  },
  google_compute_instance: {
    replacementOnly: ["boot_disk", "metadata_startup_script", "metadata.startup-script", "metadata.user-data"],
    note: "The provider changes `metadata` in place: a new `startup-script` or `user-data` key there reruns on a machine that keeps running.",
  },
  google_compute_instance_template: GOOGLE_TEMPLATE,
  google_compute_region_instance_template: GOOGLE_TEMPLATE,
  azurerm_linux_virtual_machine: AZURE_VM,
  azurerm_windows_virtual_machine: AZURE_VM,
  digitalocean_droplet: {
    replacementOnly: ["image", "user_data"],
    note: "The provider rebuilds a droplet in place when its `image` changes: same droplet, new disk.",
  },
  hcloud_server: {
    replacementOnly: ["image", "user_data"],
    note: "The provider rebuilds a server in place when its `image` changes.",
  },
};

/** The machine-like types, in table order: the default of every option that lists them. */
export const DEFAULT_MACHINE_LIKE: string[] = Object.keys(MACHINE_LIKE_TYPES);

/** Attributes never counted for a type a configuration declares machine-like without listing its attributes. */
export const NEVER_REPLACEMENT_ONLY: ReadonlySet<string> = new Set(["tags", "tags_all", "labels"]);
