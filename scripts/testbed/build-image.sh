#!/usr/bin/env bash
# Builds the testbed's base root filesystem into $1 (which must not exist).
# Called by image.ts, which caches the result under a hash of this file and
# the package list, so editing this script rebuilds the image.
#   build-image.sh <dest> <mirror> <pkg,pkg,...> <extra-deb,...>
set -euo pipefail
dest=$1 mirror=$2 pkgs=$3 extra=$4

debootstrap --variant=minbase --include="$pkgs" bookworm "$dest" "$mirror"

# Rosey must work on hosts with only sshd and a POSIX shell.
if [ -e "$dest/usr/bin/python3" ]; then
  echo "build-image: python3 was pulled into the image; drop the package that needs it" >&2
  exit 1
fi

# Hosts have no internet: apt sees only a local file: repository holding a few
# packages (fetched here with the controller's apt) for the apt module's tests.
repo=/srv/rosey-repo
mkdir -p "$dest$repo"
(cd "$dest$repo" && apt-get download ${extra//,/ } >/dev/null)
: >"$dest$repo/Packages"
for deb in "$dest$repo"/*.deb; do
  {
    dpkg-deb -f "$deb"
    echo "Filename: ./$(basename "$deb")"
    echo "Size: $(stat -c %s "$deb")"
    echo "SHA256: $(sha256sum "$deb" | cut -d' ' -f1)"
    echo
  } >>"$dest$repo/Packages"
done
echo "deb [trusted=yes] file:$repo ./" >"$dest/etc/apt/sources.list"
chroot "$dest" apt-get update -qq -o Acquire::Languages=none
chroot "$dest" apt-get clean

# The roles enable these; a fresh host runs neither.
systemctl --root="$dest" disable prometheus.service prometheus-alertmanager.service >/dev/null 2>&1 || true
# No host keys or machine id shared between hosts: each host gets its own at creation.
rm -f "$dest"/etc/ssh/ssh_host_*
: >"$dest/etc/machine-id"
rm -f "$dest/var/lib/dbus/machine-id"

# The non-root user for become tests: passwordless sudo.
chroot "$dest" useradd --create-home --shell /bin/bash deploy
echo 'deploy ALL=(ALL) NOPASSWD:ALL' >"$dest/etc/sudoers.d/deploy"
chmod 0440 "$dest/etc/sudoers.d/deploy"
install -d -m 0700 "$dest/root/.ssh"
install -d -m 0700 -o "$(chroot "$dest" id -u deploy)" -g "$(chroot "$dest" id -g deploy)" "$dest/home/deploy/.ssh"

# Fast, quiet boots: nothing waits for a network that is configured from outside.
systemctl --root="$dest" mask systemd-networkd-wait-online.service getty@tty1.service >/dev/null 2>&1 || true
echo 'UseDNS no' >"$dest/etc/ssh/sshd_config.d/rosey-testbed.conf"
