#!/usr/bin/env bash
# The Python, Java and Go bindings' tests (npm run test:bindings), after `npm run jsii` and
# `npm run package:bindings`. Each example program in bindings/typescript is written in every
# language; the TypeScript programs run first, into bindings/out/typescript, and each language's
# suite (pytest, JUnit through Maven, go test) runs its programs and compares their YAML with that
# byte for byte. Needs Python 3.10+, JDK 17 + Maven, Go 1.25+; not part of `npm test`.
#   bindings/run-tests.sh [python|java|go]...   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20  # jsii still runs on Node 20, with a banner
languages=("${@:-python java go}")
read -r -a languages <<<"${languages[*]}"
OUT="$PWD/bindings/out"
PROGRAMS=(first-service resilience security observability environments)

for dir in dist-jsii/python dist-jsii/java dist-jsii/go; do
  [ -d "$dir" ] || { echo "no $dir: run npm run jsii && npm run package:bindings first" >&2; exit 1; }
done

echo "== the packed tarball holds the .jsii assembly (npm pack --dry-run)"
node -e '
  const files = JSON.parse(require("child_process").execSync("npm pack --dry-run --json --ignore-scripts", { encoding: "utf8" }))[0].files.map((f) => f.path);
  const missing = [".jsii", "lib/src/index.js", "lib/src/index.d.ts"].filter((f) => !files.includes(f));
  if (missing.length) { console.error(`npm pack would leave out ${missing.join(", ")}`); console.log("0 passed, 1 failed"); process.exit(1); }
  console.log("package: 1 passed, 0 failed");'

echo "== TypeScript: the reference output (bindings/out/typescript)"
rm -rf "$OUT" && mkdir -p "$OUT"
npx tsc -b tsconfig.build.json
for p in "${PROGRAMS[@]}"; do
  CDK8S_OUTDIR="$OUT/typescript/$p" node "lib/bindings/typescript/$p.js" 2>"$OUT/typescript-$p.log"
done

for language in "${languages[@]}"; do
  case "$language" in
    python)
      echo "== Python: pytest (bindings/python) on dist-jsii/python's wheel"
      venv="$OUT/venv"
      python3 -m venv "$venv"
      "$venv/bin/pip" install --quiet --disable-pip-version-check -r bindings/python/requirements.txt dist-jsii/python/*.whl
      (cd bindings/python && BINDINGS_OUT="$OUT" "$venv/bin/python" -m pytest -q -p no:cacheprovider test_bindings.py)
      ;;
    java)
      echo "== Java: JUnit through Maven (bindings/java) on dist-jsii/java's jar"
      # dist-jsii/java is rebuilt on every package:bindings with the same version: drop Maven's copy
      rm -rf "${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}/org/cdk8smesh"
      version="$(node -p 'require("./package.json").version')"
      (cd bindings/java && mvn -B -ntp ${MAVEN_LOCAL_REPOSITORY:+-Dmaven.repo.local="$MAVEN_LOCAL_REPOSITORY"} test -Dcdk8smesh.version="$version" -Dbindings.out="$OUT")
      ;;
    go)
      echo "== Go: go test (bindings/go) on dist-jsii/go's module"
      (cd bindings/go && BINDINGS_OUT="$OUT" go test -count=1 ./...)
      ;;
    *) echo "unknown language: $language (python, java or go)" >&2; exit 2 ;;
  esac
done
