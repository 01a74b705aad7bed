# Sourced by the test installers (install.sh, ../package/installArm64.sh): ensure_apt_packages installs the
# Debian packages named that are not installed yet, as root or through sudo, waiting for and retrying a
# held apt lock (unattended upgrades, a parallel job). Needs log() from the caller.
ensure_apt_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  apt_retry() {
    local i
    for i in 1 2 3 4 5 6; do
      if $SUDO apt-get -o DPkg::Lock::Timeout=120 "$@"; then return 0; fi
      log "apt-get $1 failed (attempt $i), retrying in $((i * 10)) s"
      sleep $((i * 10))
    done
    return 1
  }
  log "apt-get install ${missing[*]}"
  apt_retry update -qq
  apt_retry install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
