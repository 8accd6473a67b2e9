#!/usr/bin/env bash
# Puts Argo CD's CRDs (Application, AppProject, ApplicationSet) of one pinned release into a cache
# folder outside the repository and prints that folder. ../shared/crds/argo-cd has no
# ApplicationSet, so CI validates the GitOps output against these (scripts/target-crds.ts reads the
# folder; CDK8S_MESH_ARGO_CD_CRDS overrides it).
#
# Source: the Argo CD Go module at the release, through the Go module proxy: `go mod download`
# checks the zip against the checksum database, and the pinned h1 hash below must match it. Go
# reports that the module needs a newer Go to build; that does not matter, as nothing is built.
# Cached: a second run only checks that the three files are there.
set -euo pipefail

VERSION=v3.6.1
MODULE=github.com/argoproj/argo-cd/v3
SUM='h1:OmhqeKiR3C//awbFrhQqFdtRI+Qiv17j8vqm3UkMj/g='
FILES=(application-crd.yaml appproject-crd.yaml applicationset-crd.yaml)

cache="${CDK8S_MESH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-mesh}/argo-cd-crds/$VERSION"
if [ -f "$cache/.complete" ]; then
  echo "$cache"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "fetch-argo-cd-crds: go not found (needed to download $MODULE@$VERSION)" >&2; exit 1; }
command -v unzip >/dev/null 2>&1 || { echo "fetch-argo-cd-crds: unzip not found" >&2; exit 1; }

# Outside any module, so that the repository's go.mod files play no part.
json="$(cd "$(mktemp -d)" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION" 2>/dev/null || true)"
field() { printf '%s\n' "$json" | sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" | head -1; }
zip="$(field Zip)"
sum="$(field Sum)"
if [ -z "$zip" ] || [ ! -f "$zip" ]; then
  echo "fetch-argo-cd-crds: go mod download did not produce the zip of $MODULE@$VERSION:" >&2
  printf '%s\n' "$json" >&2
  exit 1
fi
if [ "$sum" != "$SUM" ]; then
  echo "fetch-argo-cd-crds: $MODULE@$VERSION has hash $sum, expected $SUM" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/argo-cd-crds-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
prefix="$MODULE@$VERSION/manifests/crds"
unzip -q -o "$zip" "${FILES[@]/#/$prefix/}" -d "$tmp"
mkdir -p "$cache"
for f in "${FILES[@]}"; do cp "$tmp/$prefix/$f" "$cache/$f"; done
printf '%s %s\n' "$MODULE@$VERSION" "$SUM" > "$cache/.complete"
echo "$cache"
