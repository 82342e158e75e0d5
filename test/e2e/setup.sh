#!/usr/bin/env bash
# Installs everything the end-to-end tests need and prints where it is.
#
# Idempotent and cached outside the repository, under
# ${IMMUTABLY_E2E_CACHE:-~/.cache/immutably-e2e}/<versions-key>, so a second run only checks.
# It runs as root on a clean Debian machine with no standard input, as CI does (apt-get goes through
# test/helpers/apt-install.sh, shared with test/setup-tools.sh).
#
# Why each piece is here:
# - VS Code desktop cannot be downloaded on these machines, so the real editor is code-server from
#   the npm registry. code-server 4.139.1 needs Node 24, which the npm package `node@24` ships.
# - code-server builds native modules (kerberos, spdlog, ...) with node-gyp. The machine's npm is
#   set to build against Node 20's headers (nodedir=/usr), so the build is pointed at Node 24's
#   headers, laid out the way node-gyp expects them (<dir>/include/node/*.h and <dir>/common.gypi).
# - Debian's chromium is the browser (no test tool may download its own), libkrb5-dev is needed by
#   code-server's kerberos module, packer is needed by the roll scenario.
# - playwright-core drives chromium; it is installed here, beside code-server, so that the harness
#   does not depend on the project's own node_modules being complete.
#
# Output: all progress goes to stderr; the last line on stdout is the path of a JSON file that
# names the installed pieces (read by test/e2e/run.mjs).
set -euo pipefail

# Keep the real stdout for the final answer and send everything else to stderr.
exec 3>&1 1>&2

CS_VERSION=4.139.1
NODE_SPEC=node@24
PW_VERSION=1.65.1
KEY="code-server-${CS_VERSION}_node-24_playwright-${PW_VERSION}"
CACHE_ROOT=${IMMUTABLY_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/immutably-e2e}
PREFIX=$CACHE_ROOT/$KEY

NODE24_DIR=$PREFIX/node24
NODE24=$NODE24_DIR/node_modules/.bin/node
HEADERS=$PREFIX/node24-headers
CS_DIR=$PREFIX/code-server
CS_PKG=$CS_DIR/node_modules/code-server
TOOLS=$PREFIX/tools

# Run under `npm test`, this script inherits the outer npm's npm_config_user_agent ("... node/v20 ...").
# The nested installs would take it as their own configuration, and code-server's postinstall reads
# the Node version from it, so it refused Node 24 while running under Node 24.
unset npm_config_user_agent

started=$(date +%s%3N)
log() { echo "[e2e setup +$(( ($(date +%s%3N) - started) / 1000 ))s] $*"; }

mkdir -p "$PREFIX"
# Several checkouts (or engineers) may run the tests at the same time; installing into the same
# cache folder concurrently would corrupt it, so the whole setup holds one lock.
exec 9>"$CACHE_ROOT/setup.lock"
if ! flock -n 9; then
  log "another setup is running; waiting for its lock"
  flock 9
fi

# ---- 1. Debian packages ----------------------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev packer build-essential python3 curl; do
  # `dpkg -s` alone is not enough: a removed package left in "rc" state still exits 0.
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  # shellcheck source=../helpers/apt-install.sh
  source "$(dirname "$0")/../helpers/apt-install.sh"
  apt_install "${missing[@]}"
else
  log "apt: chromium libkrb5-dev packer build-essential python3 curl already installed"
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium is missing after apt"; exit 1; }
command -v packer >/dev/null || { log "packer is missing after apt"; exit 1; }

# ---- 2. Node 24 --------------------------------------------------------------------------------
if ! { [ -x "$NODE24" ] && "$NODE24" --version | grep -q '^v24\.'; }; then
  log "installing $NODE_SPEC into $NODE24_DIR"
  rm -rf "$NODE24_DIR"; mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund "$NODE_SPEC" </dev/null)
fi
NODE24_BIN=$(dirname "$(readlink -f "$NODE24")")
log "node: $("$NODE24" --version) at $NODE24"

# ---- 3. Node 24 headers for node-gyp ----------------------------------------------------------
if [ ! -f "$HEADERS/include/node/node_api.h" ] || [ ! -f "$HEADERS/common.gypi" ]; then
  include=$(find "$NODE24_DIR/node_modules" -path '*/include/node/node_api.h' | head -1)
  [ -n "$include" ] || { log "no Node 24 headers under $NODE24_DIR"; exit 1; }
  include=$(dirname "$include")
  rm -rf "$HEADERS"; mkdir -p "$HEADERS/include"
  cp -r "$include" "$HEADERS/include/node"
  cp "$include/common.gypi" "$include/config.gypi" "$HEADERS/"
  log "Node 24 headers laid out in $HEADERS"
fi

# ---- 4. code-server -------------------------------------------------------------------------------
code_server_complete() {
  [ -f "$CS_PKG/out/node/entry.js" ] &&
  [ -f "$CS_PKG/lib/vscode/node_modules/kerberos/build/Release/kerberos.node" ] &&
  [ -d "$CS_PKG/lib/vscode/node_modules/@vscode/spdlog/build/Release" ]
}
if ! code_server_complete; then
  log "installing code-server@$CS_VERSION into $CS_DIR"
  # Always into a clean folder: npm install over a half-built code-server fails in its
  # postinstall ("cross-env: Permission denied").
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && npm init -y >/dev/null &&
   PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$HEADERS" \
     npm install --no-audit --no-fund "code-server@$CS_VERSION" </dev/null)
  code_server_complete || { log "code-server install is incomplete"; exit 1; }
fi
# The version comes from package.json: running `code-server --version` would write a default
# config file into the real HOME.
log "code-server: $("$NODE24" -p "require('$CS_PKG/package.json').version") in $CS_PKG"

# ---- 5. playwright-core ---------------------------------------------------------------------------
if [ ! -f "$TOOLS/node_modules/playwright-core/package.json" ] ||
   [ "$("$NODE24" -p "require('$TOOLS/node_modules/playwright-core/package.json').version")" != "$PW_VERSION" ]; then
  log "installing playwright-core@$PW_VERSION into $TOOLS"
  rm -rf "$TOOLS"; mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm init -y >/dev/null && npm install --no-audit --no-fund "playwright-core@$PW_VERSION" </dev/null)
fi

# ---- 6. Tell the harness where everything is ----------------------------------------------------
"$NODE24" -e '
  const [file, node, entry, pw, packer] = process.argv.slice(1);
  require("fs").writeFileSync(file, JSON.stringify({
    node24: node,
    codeServerEntry: entry,
    playwrightCore: pw,
    chromium: "/usr/bin/chromium",
    packer,
  }, null, 2) + "\n");
' "$PREFIX/paths.json" "$NODE24" "$CS_PKG/out/node/entry.js" "$TOOLS/node_modules/playwright-core/index.mjs" "$(command -v packer)"
log "ready in $(( $(date +%s%3N) - started )) ms"
echo "$PREFIX/paths.json" >&3
