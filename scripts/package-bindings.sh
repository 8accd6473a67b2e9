#!/usr/bin/env bash
# npm run package:bindings: the Python wheel, the Java jar and the Go module of cdk8s-mesh, built by
# jsii-pacmak from the .jsii assembly (npm run jsii) into dist-jsii/{python,java,go}.
#
# PyPI serves cdk8s and cdk8s-plus-27 at our npm versions, but Maven Central has no cdk8s newer
# than 2.70.47 and no cdk8s-plus-27, and the Go module proxy serves neither. So their Java and Go
# bindings are generated here too, by the same jsii-pacmak from the .jsii in their npm packages,
# once per version (cached in $BINDINGS_CACHE), and placed beside ours: dist-jsii/java is a Maven
# repository, dist-jsii/go holds the modules that bindings/go/go.mod replaces.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20  # jsii still runs on Node 20, with a banner

if [ ! -f .jsii ]; then
  echo "no .jsii assembly: run npm run jsii first" >&2
  exit 1
fi

version() { node -p "require('./node_modules/$1/package.json').version"; }
M2="${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}"
CACHE="${BINDINGS_CACHE:-$HOME/.cache/cdk8s-mesh/bindings}"
DEPS="$CACHE/cdk8s-$(version cdk8s)_cdk8s-plus-27-$(version cdk8s-plus-27)_jsii-pacmak-$(version jsii-pacmak)"

if [ ! -f "$DEPS/complete" ]; then
  echo "== Java and Go bindings of cdk8s and cdk8s-plus-27 (once per version, into $DEPS)"
  rm -rf "$DEPS"
  # No javadoc for these: they are only compiled against. Maven reads -D flags in MAVEN_OPTS.
  MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.javadoc.skip=true" npx jsii-pacmak --targets java go --no-npmignore \
    --maven-local-repository="$M2" -o "$DEPS" node_modules/cdk8s node_modules/cdk8s-plus-27
  touch "$DEPS/complete"
fi

rm -rf dist-jsii
mkdir -p dist-jsii/java dist-jsii/go
cp -r "$DEPS/java/." dist-jsii/java/
cp -r "$DEPS/go/." dist-jsii/go/

echo "== jsii-rosetta: the README's and the doc comments' TypeScript examples in Python, Java and Go (each must compile)"
rm -f .jsii.tabl.json
node scripts/rosetta-fixture.js   # rosetta/default.ts-fixture: what the @example fragments assume
npx jsii-rosetta extract .jsii
node scripts/check-rosetta-tablet.js .jsii.tabl.json

echo "== cdk8s-mesh: python, java, go"
node scripts/check-go-receivers.js .jsii
npx jsii-pacmak --no-npmignore --maven-local-repository="$M2" --rosetta-tablet=.jsii.tabl.json
ls dist-jsii/python dist-jsii/go
find dist-jsii/java/org/cdk8smesh -name '*.jar'
