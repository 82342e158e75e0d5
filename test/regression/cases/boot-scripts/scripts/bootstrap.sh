#!/bin/bash
set -euo pipefail
# Settings only: the image has everything installed.
echo "ENVIRONMENT=${1:-production}" > /etc/web.env
systemctl enable --now web
