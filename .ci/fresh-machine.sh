#!/usr/bin/env bash
# A one-off check that a clean clone passes .ci/run (npm ci, then npm test) on a fresh machine. It is
# not part of npm test: it needs root, private mount and PID namespaces, and about half an hour.
#
# What it does: debootstrap builds a minimal Debian 12 root (variant minbase, plus git) in a work
# folder; the root gets what a CI machine image is assumed to have and npm test cannot install: Node
# 20 with npm (the files of this machine's nodejs package), terraform (/usr/local/bin/terraform;
# Debian has no package for it), the apt sources, /etc/hosts, and the network's CA bundle and system
# npmrc. Nothing else: no packer, aws, chromium, code-server, npm cache or ~/.cache. The committed HEAD of this repository is
# cloned into it, and .ci/run runs in a chroot inside private mount and PID namespaces, with a clean
# environment, as root with no standard input. apt-get inside the chroot installs into the chroot:
# this machine's packages (packer, aws, ...) are neither removed nor hidden, and the mounts and every
# process started inside end with the namespaces.
#
# Usage: .ci/fresh-machine.sh [work-folder]   (as root; default /tmp/immutably-fresh-machine)
#   KEEP=1 keeps the work folder (about 2 GB after the run); otherwise it is removed at the end.
# The log is written to <work-folder>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-/tmp/immutably-fresh-machine}
log="$work.log"
[ "$(id -u)" -eq 0 ] || { echo "error: run as root (debootstrap, chroot and namespaces need it)" >&2; exit 1; }
for tool in unshare chroot apt-get dpkg-deb git; do command -v "$tool" >/dev/null || { echo "error: $tool is missing" >&2; exit 1; }; done
[ ! -e "$work" ] || { echo "error: $work exists; remove it or name another folder" >&2; exit 1; }
mkdir -p "$work"
exec > >(tee "$log") 2>&1
stamp() { date +%s; }
t0=$(stamp)

# debootstrap itself, unpacked from its package rather than installed on this machine.
if command -v debootstrap >/dev/null; then
  debootstrap=(debootstrap)
else
  mkdir -p "$work/debootstrap"
  (cd "$work/debootstrap" && apt-get download -q debootstrap && dpkg-deb -x debootstrap_*.deb .)
  debootstrap=(env "DEBOOTSTRAP_DIR=$work/debootstrap/usr/share/debootstrap" "$work/debootstrap/usr/sbin/debootstrap")
fi
root="$work/root"
echo "== debootstrap bookworm (minbase + git) into $root"
"${debootstrap[@]}" --variant=minbase --include=git bookworm "$root" http://deb.debian.org/debian
t1=$(stamp)

echo "== the machine image: Node and npm, terraform, apt sources, CA bundle, system npmrc"
dpkg -L nodejs | while read -r f; do [ -f "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$root"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/"
install -m 755 /usr/local/bin/terraform "$root/usr/local/bin/terraform"
cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" && rm -f "$root/etc/apt/sources.list"
mkdir -p "$root/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
[ ! -f /etc/npmrc ] || cp /etc/npmrc "$root/etc/npmrc"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# Every installed system has these; debootstrap leaves /etc/hosts out, and without it "localhost" does
# not resolve (the end-to-end harness connects to it).
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"

echo "== clean clone of $(git -C "$repo" rev-parse --short HEAD) ($(git -C "$repo" rev-parse --abbrev-ref HEAD))"
# In /tmp, as a CI workspace is (readable by all): the permission tests run the CLI as nobody when
# they run as root, and nobody cannot reach a checkout under /root (mode 700).
git clone -q "$repo" "$root/tmp/clean-ship"

echo "== .ci/run in the fresh root"
t2=$(stamp)
set +e
unshare --mount --pid --fork --propagation private bash -c '
  set -e
  root=$1
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  exec chroot "$root" /usr/bin/env -i HOME=/root USER=root LANG=C.UTF-8 TERM=dumb CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    bash -c "cd /tmp/clean-ship && bash .ci/run" </dev/null
' fresh-machine "$root"
status=$?
set -e
t3=$(stamp)
echo "== .ci/run exited $status; debootstrap $((t1 - t0)) s, .ci/run $((t3 - t2)) s"
echo "== packages npm test installed in the fresh root: $(chroot "$root" dpkg-query -W -f='${Package} ' packer awscli chromium libkrb5-dev build-essential 2>/dev/null)"
if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
exit "$status"
