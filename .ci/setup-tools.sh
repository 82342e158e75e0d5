#!/usr/bin/env bash
# Installs the Debian tools the roll tests drive for real: packer (1.6.6, file builder) and the aws CLI
# (loopback tests). Idempotent: a tool already on PATH is left alone. Terraform is expected at
# /usr/local/bin/terraform (the CI image provides it; it cannot come from apt).
set -euo pipefail
missing=()
command -v packer >/dev/null 2>&1 || missing+=(packer)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
packer version
aws --version
if command -v terraform >/dev/null 2>&1; then terraform version 2>/dev/null | sed -n 1p; else echo "warning: terraform is not on PATH; the roll tests will fail until it is" >&2; fi
