#!/usr/bin/env bash
# Builds what the real-pods run (bench `pods`) needs to start containers on a machine with no container registry,
# and prints one `name=path` line each:
#
#   redis-rootfs=…/redis-rootfs.tar   a Debian 12 root with redis-server, redis-sentinel, prometheus-redis-exporter and
#                                     a shell, for `docker import` (the Redis image and the exporter sidecar's)
#   redis-version=7.0.15              the Redis version in it
#   exporter-version=1.45.0           the redis_exporter version in it (/usr/bin/prometheus-redis-exporter)
#   pause=…/pause                     a static pod sandbox process (sleeps, reaps children, exits on SIGINT/SIGTERM)
#
# Both are built once and cached outside the checkout, keyed by what they are made from:
#
#   ${REDOUBT_POD_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redoubt/pod-images}
#
# The root comes from `debootstrap --variant=minbase` (about 2 minutes); the pause program is compiled with
# `gcc -static` from the few lines below. Packages come from apt-get, with sudo when not root.
set -euo pipefail

mirror="${REDOUBT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="bookworm"
cache="${REDOUBT_POD_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redoubt/pod-images}"
log() { echo "pod-images: $*" >&2; }

# shellcheck source=packages.sh
. "$(dirname "$0")/packages.sh"

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# The pause program: PID 1 of every pod sandbox. Kubernetes' own is the same idea; this one is ours.
pause="$cache/pause"
if [ ! -x "$pause" ]; then
  install_packages gcc libc6-dev
  cat >"$cache/pause.c" <<'EOF'
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }

int main(void) {
  struct sigaction quit = { .sa_handler = stop }, child = { .sa_handler = reap, .sa_flags = SA_NOCLDSTOP };
  sigaction(SIGINT, &quit, NULL);
  sigaction(SIGTERM, &quit, NULL);
  sigaction(SIGCHLD, &child, NULL);
  for (;;) pause();
}
EOF
  gcc -static -Os -o "$pause.tmp" "$cache/pause.c"
  mv -f "$pause.tmp" "$pause"
fi

# The Redis root. Its uid/gid for "redis" is forced to 999 (the official images' numbers, which the operator's pod
# security context runs as) before the package is installed, so files it owns match.
# Keyed by what goes in, so a root built before a package was added is not taken for the new one.
packages="redis-server redis-sentinel prometheus-redis-exporter"
rootfs_tar="$cache/redis-rootfs-$suite-$(echo "$packages" | sha1sum | cut -c1-8).tar"
if [ ! -f "$rootfs_tar" ]; then
  install_packages debootstrap
  root="$cache/redis-root"
  rm -rf "$root"
  log "debootstrap $suite with $packages (about 2 minutes)"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { log "debootstrap failed; the last lines of $cache/debootstrap.log:"; tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
  chroot "$root" /usr/sbin/groupadd --system --gid 999 redis
  chroot "$root" /usr/sbin/useradd --system --uid 999 --gid 999 --home-dir /var/lib/redis --shell /usr/sbin/nologin redis
  # Package scripts try to start services; a policy that refuses keeps them from doing it in the chroot.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod 0755 "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  printf 'deb %s %s main\n' "$mirror" "$suite" >"$root/etc/apt/sources.list"
  chroot "$root" apt-get update -qq >>"$cache/debootstrap.log" 2>&1
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends $packages \
    >>"$cache/debootstrap.log" 2>&1 || { log "installing Redis in the root failed; see $cache/debootstrap.log"; exit 1; }
  chroot "$root" apt-get clean
  rm -rf "$root/var/lib/apt/lists"/* "$root/usr/sbin/policy-rc.d"
  : >"$root/etc/resolv.conf"
  chroot "$root" redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p' >"$cache/redis-version"
  chroot "$root" dpkg-query -W -f='${Version}' prometheus-redis-exporter | sed 's/[-+].*//' >"$cache/exporter-version"
  tar -C "$root" -cf "$rootfs_tar.tmp" .
  mv -f "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$root"
fi

echo "redis-rootfs=$rootfs_tar"
echo "redis-version=$(cat "$cache/redis-version")"
echo "exporter-version=$(cat "$cache/exporter-version")"
echo "pause=$pause"
