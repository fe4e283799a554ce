#!/usr/bin/env bash
# Builds an image variant into $2 (which must not exist): a copy of the base
# image $1 with extra packages installed from the controller's Debian mirror.
# A separate step, so the base image (the one the engine is tested on, which
# must hold no python3) keeps its cache key. image.ts hashes this file too.
#   build-variant.sh <base> <dest> <mirror> <pkg,pkg,...>
set -euo pipefail
base=$1 dest=$2 mirror=$3 pkgs=$4

cp -a "$base" "$dest"
# The image's apt sees only its local file: repository; reach the mirror for
# the install, then put the image's sources and lists back as they were.
cp -a "$dest/etc/apt/sources.list" "$dest/etc/apt/sources.list.rosey"
cp -a "$dest/var/lib/apt/lists" "$dest/var/lib/apt/lists.rosey"
echo "deb $mirror bookworm main" >"$dest/etc/apt/sources.list"
cp /etc/resolv.conf "$dest/etc/resolv.conf.rosey-build" 2>/dev/null || true
had_resolv=0
[ -e "$dest/etc/resolv.conf" ] && had_resolv=1 && mv "$dest/etc/resolv.conf" "$dest/etc/resolv.conf.orig"
cp /etc/resolv.conf "$dest/etc/resolv.conf"
chroot "$dest" apt-get update -qq -o Acquire::Languages=none
DEBIAN_FRONTEND=noninteractive chroot "$dest" apt-get install -y -qq --no-install-recommends ${pkgs//,/ } >/dev/null
chroot "$dest" apt-get clean
rm -f "$dest/etc/resolv.conf" "$dest/etc/resolv.conf.rosey-build"
[ "$had_resolv" = 1 ] && mv "$dest/etc/resolv.conf.orig" "$dest/etc/resolv.conf"
mv "$dest/etc/apt/sources.list.rosey" "$dest/etc/apt/sources.list"
rm -rf "$dest/var/lib/apt/lists"
mv "$dest/var/lib/apt/lists.rosey" "$dest/var/lib/apt/lists"
