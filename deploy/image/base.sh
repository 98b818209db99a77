#!/usr/bin/env bash
# Makes localhost/debian:bookworm-min, a Debian 12 base image, from Debian's own packages
# (debootstrap --variant=minbase, from the machine's apt mirror), once: an existing image is
# reused. For machines that reach Debian's mirror but no container registry. Prints the name.
set -euo pipefail
NAME=localhost/debian:bookworm-min
export CONTAINERS_CONF=${CONTAINERS_CONF:-$(cd "$(dirname "$0")" && pwd)/containers.conf}
if podman image exists "$NAME"; then echo "$NAME"; exit 0; fi
MIRROR=$( (grep -h -o -E 'https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true) \
  | grep -v snapshot | head -n 1 || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOTFS=$(mktemp -d /var/tmp/ducklake-base.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT
echo "base: debootstrap bookworm from $MIRROR" >&2
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >/dev/null
# Keep the image small: no package lists or caches.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*
tar -C "$ROOTFS" -c . | podman import --quiet --change 'CMD ["/bin/bash"]' - "$NAME" >/dev/null
echo "$NAME"
