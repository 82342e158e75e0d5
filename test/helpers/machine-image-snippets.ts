// Terraform texts shared by the pinned-machine-image tests: the variables its fix adds, and aws_ami look-ups.

/** The variable the fix adds for a droplet's image. */
export const doVar = (resource: string) =>
  `\nvariable "${resource}_image" {\n  type        = string\n  description = "Snapshot ID of the image baked for digitalocean_droplet.${resource}; set by the roll."\n}\n`;
/** The variable the fix adds for an AWS resource's AMI. */
export const awsVar = (type: string, resource: string) =>
  `\nvariable "${resource}_image" {\n  type        = string\n  description = "AMI ID of the image baked for ${type}.${resource}; set by the roll."\n}\n`;
/** The variable the fix adds for a GCP resource's image. */
export const gcpVar = (type: string, resource: string) =>
  `\nvariable "${resource}_image" {\n  type        = string\n  description = "Self link of the image baked for ${type}.${resource}; set by the roll."\n}\n`;

/** data.aws_ami.ubuntu (Canonical's owner ID) with `extra` lines at its top. */
export const ubuntuLookup = (extra: string) => `data "aws_ami" "ubuntu" {\n${extra}  owners      = ["099720109477"]\n}\n\n`;

/** An aws_ami look-up with most_recent = true, named `name`, with `extra` lines at its top. */
export const latestLookup = (name: string, extra = "") =>
  `data "aws_ami" "${name}" {\n${extra}  most_recent = true\n  owners      = ["amazon"]\n  name_regex  = "^al2023-ami-2023.*-x86_64"\n}\n\n`;
