#!/usr/bin/env bash
# Builds the Kubernetes server binaries the cluster tests run (kube-apiserver and kube-controller-manager by
# default; name others, e.g. kube-scheduler kubelet, as arguments) from Debian 12's source package `kubernetes`
# and prints the directory that holds them.
#
# No registry reachable from the project's machines ships Kubernetes server binaries, but Debian 12 ships the
# full 1.20 tree with its vendored dependencies, which builds offline with Debian's Go. The source is fetched
# with apt at run time (nothing of it is kept in this repository) and the binaries are cached outside the
# checkout, keyed by the package version, so a machine builds them once:
#
#   ${REDOUBT_KUBERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redoubt/kubernetes}/<version>/bin
#
# Two runs never build at once (a lock beside the cache). Packages come from apt-get, with sudo when not root.
# The build takes about 13 minutes on 2 cores and runs under `nice`: the machines are shared.
set -euo pipefail

# The version of Debian 12's source package. It is pinned so every machine builds the same tree and the cache
# key does not move under a developer's feet; override it to try another.
version="${REDOUBT_KUBERNETES_DEB_VERSION:-1.20.5+really1.20.2-1.1+deb12u1}"
mirror="${REDOUBT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${REDOUBT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
cache_root="${REDOUBT_KUBERNETES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redoubt/kubernetes}"

if [ $# -gt 0 ]; then wanted=("$@"); else wanted=(kube-apiserver kube-controller-manager); fi
for binary in "${wanted[@]}"; do
  case "$binary" in
    kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|kube-proxy) ;;
    *) echo "kube-binaries: unknown binary '$binary' (known: kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)" >&2; exit 2 ;;
  esac
done

cache="$cache_root/$version"
bin="$cache/bin"
log() { echo "kube-binaries: $*" >&2; }

missing_binaries() {
  local b
  for b in "${wanted[@]}"; do [ -x "$bin/$b" ] || echo "$b"; done
}

# shellcheck source=packages.sh
. "$(dirname "$0")/packages.sh"

# The cluster runs Debian's etcd beside the binaries, so it is installed even when they are cached; the tests
# drive it with kubectl like users do (Debian's kubernetes-client when no kubectl is installed).
install_packages etcd-server
command -v kubectl >/dev/null 2>&1 || install_packages kubernetes-client
if [ -z "$(missing_binaries)" ]; then echo "$bin"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/$version.lock"
if ! flock -n 9; then
  log "another build holds $cache_root/$version.lock; waiting for it"
  flock 9
fi
# The other build may have made what we need.
missing=($(missing_binaries))
if [ ${#missing[@]} -eq 0 ]; then echo "$bin"; exit 0; fi

install_packages golang-go rsync jq golang-github-modern-go-reflect2-dev make patch xz-utils perl

started=$(date +%s)
work="$cache/build"
src="$work/kubernetes"

# Fetch the source package with an apt configuration of our own (a deb-src list, its own index and cache
# directories), so the host's sources and package lists are left as they were.
if [ ! -f "$src/.redoubt-prepared" ]; then
  rm -rf "$work"
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/download"
  cat >"$work/apt/sources.list" <<EOF
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-updates main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $security_mirror bookworm-security main
EOF
  apt_options=(
    -o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
    -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=$(id -un)"
  )
  log "fetching the source package kubernetes=$version"
  apt-get "${apt_options[@]}" -qq update
  if ! (cd "$work/download" && apt-get "${apt_options[@]}" -qq source --download-only "kubernetes=$version" >&2); then
    log "apt cannot fetch kubernetes=$version; the versions it knows:"
    apt-cache "${apt_options[@]}" showsrc kubernetes 2>/dev/null | sed -n 's/^Version: /  /p' >&2
    log "set REDOUBT_KUBERNETES_DEB_VERSION to one of them"
    exit 1
  fi

  mkdir -p "$src"
  orig=$(ls "$work/download"/kubernetes_*.orig.tar.* | head -1)
  debian=$(ls "$work/download"/kubernetes_*.debian.tar.* | head -1)
  log "unpacking $(basename "$orig")"
  tar -xf "$orig" -C "$src" --strip-components=1
  tar -xf "$debian" -C "$src"
  # The patches Debian applies, in the order of its series file (quilt format: one patch a line, # comments).
  while read -r patch options; do
    case "$patch" in ''|'#'*) continue ;; esac
    patch -d "$src" -s -p1 ${options:-} <"$src/debian/patches/$patch" >&2
  done <"$src/debian/patches/series"

  # The vendored reflect2 1.0.1 crashes under Go 1.18+ when the server encodes maps; Debian's 1.0.2 does not.
  # Its go.mod is left out: the vendor tree is described by vendor/modules.txt alone.
  reflect2="$src/vendor/github.com/modern-go/reflect2"
  rm -rf "$reflect2"
  mkdir -p "$reflect2"
  rsync -a --exclude go.mod --exclude go.sum /usr/share/gocode/src/github.com/modern-go/reflect2/ "$reflect2/"

  # 1.20.2 was released with Go 1.15. Under Go 1.16+ the OpenAPI validator's "a zero value means null" check
  # fires for every empty string, so a CRD's `default: ""` and any object with an empty string are rejected as
  # "must be of type string: null" (kubernetes#99804, fixed upstream by kube-openapi#230): keep `data == nil`.
  zero_check='reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))'
  patched=0
  while IFS= read -r file; do
    perl -0pi -e 's/data == nil \|\| \Q'"$zero_check"'\E/data == nil/g' "$file"
    if grep -qF "$zero_check" "$file"; then
      log "cannot remove the zero-value check from $file: the condition has another shape"; exit 1
    fi
    patched=$((patched + 1))
  done < <(grep -rlF "$zero_check" "$src/vendor/k8s.io/kube-openapi" || true)
  if [ "$patched" -eq 0 ]; then log "the zero-value check was not found in the vendored kube-openapi"; exit 1; fi

  touch "$src/.redoubt-prepared"
fi

# `make` runs the code generators before it compiles (a plain `go build` fails). HOME must be writable (Go's
# caches go there). The version the binaries report (v1.20.2) comes from the tarball itself.
what=()
for b in "${missing[@]}"; do what+=("cmd/$b"); done
log "building ${missing[*]} (about 13 minutes on 2 cores; log in $work/make.log)"
home="$work/home"
mkdir -p "$home"
if ! (cd "$src" && HOME="$home" GOPROXY=off \
      nice -n 19 make WHAT="${what[*]}" >"$work/make.log" 2>&1); then
  log "the build failed; the last lines of $work/make.log:"
  tail -n 40 "$work/make.log" >&2
  exit 1
fi

mkdir -p "$bin"
for b in "${missing[@]}"; do
  built="$src/_output/local/bin/linux/$(go env GOARCH)/$b"
  [ -x "$built" ] || built="$src/_output/bin/$b"
  [ -x "$built" ] || { log "make succeeded but $b is not in $src/_output"; exit 1; }
  install -m 0755 "$built" "$bin/.$b.tmp"
  mv -f "$bin/.$b.tmp" "$bin/$b"
done
log "built ${missing[*]} in $(( $(date +%s) - started )) s into $bin"
echo "$bin"
