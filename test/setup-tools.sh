#!/usr/bin/env bash
# Installs the tools the tests drive for real, so that `npm test` works on a fresh machine: packer
# (the Packer rule tests validate every fixed template with it; the roll tests bake with its file
# builder) and the aws CLI (the roll's loopback tests). The first stage of `npm test` runs it.
#
# Idempotent: a tool already on PATH is used as it is, whatever installed it, and a second run only
# checks (well under a second). Missing tools come from Debian (packages packer and awscli) through
# test/helpers/apt-install.sh, which works as root with no standard input and fails with a clear
# message without apt-get or root. Terraform cannot come from Debian (HashiCorp's licence keeps it
# out), so it is checked, not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=helpers/apt-install.sh
source test/helpers/apt-install.sh

missing=()
command -v packer >/dev/null 2>&1 || missing+=(packer)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
apt_install "${missing[@]}"

ok=1
for tool in packer aws; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is still not on PATH after installing it" >&2; ok=0; }
done
if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH. The roll tests run it for real, and Debian has no package for it:" >&2
  echo "       install it from https://developer.hashicorp.com/terraform/install (any 1.x) and run the tests again." >&2
  ok=0
fi
[ "$ok" = 1 ] || exit 1
echo "tools: $(command -v packer) ($(packer version 2>/dev/null | sed -n 1p)), $(command -v aws), $(command -v terraform) ($(terraform version 2>/dev/null | sed -n 1p))"
