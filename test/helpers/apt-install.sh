# Sourced by the test set-up scripts (test/setup-tools.sh, test/e2e/setup.sh): installs Debian packages
# with apt-get, or says plainly why it cannot.
#
# It must work on a fresh Debian/Ubuntu machine as root with no standard input (CI), and for a
# developer with password-less sudo. It never prompts: without apt-get, or without root and
# password-less sudo, it names the packages to install by hand and returns 1.

# apt_install <package>...: installs the named packages (the caller has decided they are missing).
apt_install() {
  [ "$#" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: the tests need the packages $* and install them with apt-get, which this machine does not have" >&2
    echo "       (the test set-up supports Debian and Ubuntu). Install the equivalent tools yourself and run the tests again." >&2
    return 1
  fi
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    # -n: sudo must not ask for a password, since there may be nobody to type it.
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "error: the tests need the packages $*, and installing them needs root: run as root, give this user" >&2
      echo "       password-less sudo, or install them first: sudo apt-get install -y $*" >&2
      return 1
    fi
  fi
  # Two test runs on one machine (two checkouts, or the tools and end-to-end set-ups) must not run
  # apt-get at the same time; apt's own lock would make the second one fail at once. The flock
  # serialises this user's runs; DPkg::Lock::Timeout makes apt wait for anyone else's.
  local lock_dir=${XDG_CACHE_HOME:-$HOME/.cache}
  mkdir -p "$lock_dir"
  (
    exec 8>"$lock_dir/immutably-apt.lock"
    if ! flock -n 8; then
      echo "apt: another test set-up is installing packages; waiting for it" >&2
      flock 8
    fi
    echo "apt: installing $*" >&2
    # The package lists may be absent (a fresh image) or stale, so they are refreshed before installing.
    "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q </dev/null >&2 &&
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@" </dev/null >&2
  ) || {
    echo "error: apt-get could not install $* (see its output above)" >&2
    return 1
  }
}
