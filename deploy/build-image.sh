#!/usr/bin/env bash
# Builds localhost/ducklake:<version> from deploy/Containerfile with podman, without a registry.
# Usage: deploy/build-image.sh [--base IMAGE] [--jobs N]
#   --base IMAGE: the Debian 12 base for both stages. Default: the Containerfile's pinned
#     debian:12 slim image if podman already has it, else localhost/debian:bookworm-min, made once
#     from Debian's packages with debootstrap (deploy/image/base.sh).
# Installs podman, runc and debootstrap when missing (apt-get; root). Prints the image name last.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=
JOBS=${JOBS:-2}
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    *) echo "usage: $0 [--base IMAGE] [--jobs N]" >&2; exit 2 ;;
  esac
done
export CONTAINERS_CONF=$PWD/deploy/image/containers.conf

need=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "build-image: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

VERSION=$(sed -n 's/.*kDuckLakeVersion = "\(.*\)";/\1/p' src/include/common/version.hpp)
[ -n "$VERSION" ] || { echo "build-image: no version in src/include/common/version.hpp" >&2; exit 1; }
REVISION=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

if [ -z "$BASE" ]; then
  pinned=$(sed -n 's/^ARG BASE=//p' deploy/Containerfile)
  if podman image exists "$pinned"; then BASE=$pinned; else BASE=$(deploy/image/base.sh); fi
fi

# The npm registry is reached through whatever CA the host's npm trusts (a proxy's, on CI).
CA_ARGS=()
CAFILE=$(npm config get cafile 2>/dev/null || true)
if [ -n "$CAFILE" ] && [ "$CAFILE" != null ] && [ -f "$CAFILE" ]; then
  CA_ARGS=(-v "$CAFILE:/run/host-ca.crt:ro" --build-arg npm_config_cafile=/run/host-ca.crt)
fi

IMAGE=localhost/ducklake:$VERSION
echo "build-image: $IMAGE from $BASE (revision $REVISION)" >&2
# Docker format: OCI image configs have no place for HEALTHCHECK.
podman build --quiet --format docker -f deploy/Containerfile --build-arg BASE="$BASE" --build-arg VERSION="$VERSION" \
  --build-arg REVISION="$REVISION" --build-arg JOBS="$JOBS" "${CA_ARGS[@]}" -t "$IMAGE" . >&2
echo "$IMAGE"
