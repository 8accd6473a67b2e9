#!/usr/bin/env bash
# npm run docs:bindings: the API reference in Python, Java and Go (jsii-docgen, from the .jsii and
# the jsii-rosetta translations that npm run package:bindings extracted) into dist-jsii/docs/, and a
# check that each documents the README's first service in its own language.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20  # jsii warns on every run under Node 20

[ -f .jsii.tabl.json ] || { echo "no .jsii.tabl.json: run npm run package:bindings first" >&2; exit 1; }
rm -rf dist-jsii/docs && mkdir -p dist-jsii/docs
npx jsii-docgen --readme -l python -l java -l go -o dist-jsii/docs/API.md

failed=0
expect() {  # file, text the file must contain
  if grep -qF -- "$2" "dist-jsii/docs/$1"; then echo "docs: $1 has $2"; else echo "docs: $1 lacks $2" >&2; failed=1; fi
}
expect API.python.md 'service_account_name="bookinfo-reviews"'
expect API.python.md 'cdk8s_mesh.MeshService('
expect API.java.md '.serviceAccountName("bookinfo-reviews")'
expect API.java.md 'MeshService.Builder.create('
expect API.go.md 'ServiceAccountName: jsii.String("bookinfo-reviews")'
expect API.go.md 'cdk8smesh.NewMeshService('
ls -l dist-jsii/docs
if [ "$failed" = 1 ]; then echo "docs: 0 passed, 1 failed"; exit 1; fi
echo "docs: 1 passed, 0 failed"
