# Sourced by the cluster scripts: install_packages NAME... installs the Debian packages that are missing (apt-get,
# with sudo when not root) and says so through the script's own `log`.
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
install_packages() {
  local p need=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  log "installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}
