# Module calls in every source form Terraform's installer accepts, as root modules write them.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws" # ok: pinned-module-source
  version = "5.8.1"
}

module "vpc_latest" {
  source = "terraform-aws-modules/vpc/aws" # expect: pinned-module-source
}

module "network" {
  source = "git::https://github.com/acme/terraform-network.git//modules/vpc?ref=v2.3.1" # ok: pinned-module-source
}

module "network_main" {
  source = "git::https://github.com/acme/terraform-network.git?ref=main" # expect: pinned-module-source
}

module "dns" {
  source = "git@github.com:acme/terraform-dns.git" # expect: pinned-module-source
}

module "dns_commit" {
  source = "git@github.com:acme/terraform-dns.git?ref=8f3c2a1b9d4e" # ok: pinned-module-source
}

module "firewall" {
  source = "github.com/acme/terraform-firewall?ref=release" # expect: pinned-module-source
}

module "legacy" {
  source = "hg::https://hg.example.com/terraform-legacy?ref=default" # expect: pinned-module-source
}

module "artifacts" {
  source = "s3::https://s3-eu-west-1.amazonaws.com/acme-modules/vpc-1.4.2.zip" # ok: pinned-module-source
}

module "artifacts_latest" {
  source = "gcs::https://www.googleapis.com/storage/v1/acme-modules/vpc.zip" # expect: pinned-module-source
}

module "git_protocol" {
  source = "git://git.example.com/terraform-cache.git" # expect: pinned-module-source
}

module "local" {
  source = "./modules/app" # ok: pinned-module-source
}

module "from_variable" {
  source  = var.platform_source # expect: pinned-module-source
  version = var.platform_version
}

variable "platform_source" {
  type    = string
  default = "app.terraform.io/acme/platform/aws"
}

variable "platform_version" {
  type    = string
  default = null
}
