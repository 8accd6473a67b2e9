#!/usr/bin/env node
// npm run fuzz: the random-app property tests with more cases (FUZZ_RUNS, default 2000 single-cluster
// apps and a quarter as many multi-cluster ones; FUZZ_SEED to replay), saving every rendered app (and
// every cluster folder) under fuzz-out/, then checking the saved files the way CI checks dist/:
// `cdk8s-mesh analyze --per-file` and, when ../shared is beside the repository (or a worktree's
// repository), kube-validate (a separate process, with the CRDs' CEL rules, which the in-suite schema
// validators lack; KUBE_VALIDATE names it elsewhere), and Istio's own engine, the conformance harness
// (conformance/istio: istiod's webhook validation, and Istio's analyzers compared with ours per file),
// on the files Istio would run: the Istio and Gateway API (GAMMA) apps and every Istio cluster's
// folder. It is built as .ci/run builds it when Go is on the PATH, else an existing
// conformance/istio/bin/istio-conformance is used, else the step is skipped with a message.
// Any failure (ours, kube-validate's or the harness's) makes the run exit non-zero.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'fuzz-out');
const runs = process.env.FUZZ_RUNS || '2000';
// kinds whose CRD ../shared/crds lacks: kube-validate reports "no schema known" for them, nothing else
const NO_CRD = ['autoscaling.k8s.io/v1 VerticalPodAutoscaler'];

function run(cmd, args, env = {}) {
  console.log(`== ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status || 1);
}

function kubeValidate(kv) {
  console.log(`== ${kv} --json ${out}`);
  // into a file: kube-validate exits before a pipe has taken all of a long report
  const file = path.join(root, 'fuzz-kube-validate.json');
  const fd = fs.openSync(file, 'w');
  const r = spawnSync(kv, ['--json', out], { cwd: root, stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.log(`kube-validate exited with ${r.status} and no report (${file})`);
    process.exit(r.status || 1);
  }
  fs.rmSync(file);
  const noCrd = (e) => NO_CRD.some((k) => e === `no schema known for ${k} (is the apiVersion served?)`);
  const unchecked = report.results.filter((x) => x.errors.length && x.errors.every(noCrd));
  const invalid = report.results.filter((x) => x.errors.length && !x.errors.every(noCrd));
  for (const x of invalid) console.log(`INVALID ${x.file} ${x.apiVersion} ${x.id}\n${x.errors.map((e) => `  - ${e}`).join('\n')}`);
  console.log(`kube-validate: ${report.objects} objects, ${invalid.length} invalid, ${unchecked.length} without a CRD in ../shared/crds (${NO_CRD.join(', ')}); CEL rules: ${report.cel.passed} passed, ${report.cel.failed} failed`);
  if (invalid.length || report.cel.failed) process.exit(1);
}

// The files Istio would run: app-<n>-<mesh>[-user-workloads].yaml with mesh istio or gateway-api
// (GAMMA, which Istio implements) and mc-<n>-istio-<folder>[...].yaml (one cluster's folder, the
// set one istiod reads). Linkerd's and Cilium's are not Istio's to judge: the harness's validation
// reads only *.istio.io objects (none there), and Istio's analyzers on them would judge them as if
// Istio ran them.
const ISTIO_FILE = /^(?:app-\d+-(?:istio|gateway-api)(?:-user-workloads)?|mc-\d+-istio-.+)\.yaml$/;

/** The harness binary, built as .ci/run builds it when Go is on the PATH; undefined (after saying why) when there is none. */
function istioConformanceBinary() {
  const dir = path.join(root, 'conformance', 'istio');
  const bin = path.join(dir, 'bin', 'istio-conformance');
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0) {
    console.log(`== (cd conformance/istio && go build -buildvcs=false -o bin/istio-conformance ./cmd/istio-conformance)`);
    const r = spawnSync('go', ['build', '-buildvcs=false', '-o', 'bin/istio-conformance', './cmd/istio-conformance'], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) {
      console.log('the Istio conformance harness did not build (see above)');
      process.exit(r.status || 1);
    }
    return bin;
  }
  if (fs.existsSync(bin)) return bin;
  console.log('== Istio conformance skipped: no Go on the PATH to build conformance/istio (Go 1.25+, see conformance/istio/README.md) and no conformance/istio/bin/istio-conformance');
  return undefined;
}

/**
 * One harness command on the files: its failures (at most 40 lines, with the count of the rest) and
 * its summary line. True when it passed.
 */
function harness(bin, args, files, summary) {
  console.log(`== ${path.relative(root, bin)} ${args.join(' ')} <${files.length} Istio files of fuzz-out>`);
  // into a file: a long report through a pipe may be cut when the process exits
  const file = path.join(root, 'fuzz-istio-conformance.txt');
  const fd = fs.openSync(file, 'w');
  const r = spawnSync(bin, [...args, ...files], { cwd: root, stdio: ['ignore', fd, 'inherit'] });
  fs.closeSync(fd);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  fs.rmSync(file);
  const failures = lines.filter((l) => l.startsWith('FAIL'));
  for (const l of failures.slice(0, 40)) console.log(l);
  if (failures.length > 40) console.log(`... and ${failures.length - 40} more FAIL lines`);
  const line = lines.find((l) => summary.test(l));
  console.log(line ?? `${args[0]}: no summary (exit ${r.status})`);
  return r.status === 0 && line !== undefined;
}

/** Istio's webhook validation and analyzers (beside ours) on the Istio files of fuzz-out; true when both pass or the harness is unavailable. */
function istioConformance() {
  const bin = istioConformanceBinary();
  if (!bin) return true;
  const all = fs.readdirSync(out).filter((f) => f.endsWith('.yaml')).sort();
  const files = all.filter((f) => ISTIO_FILE.test(f)).map((f) => path.join('fuzz-out', f));
  console.log(`Istio conformance on ${files.length} of ${all.length} files (the Istio and Gateway API apps, the Istio clusters' folders)`);
  if (files.length === 0) return true;
  const validated = harness(bin, ['validate'], files, /^validate: /);
  const analyzed = harness(bin, ['analyze', '--per-file'], files, /^analyze: /);
  return validated && analyzed;
}

fs.rmSync(out, { recursive: true, force: true });
run('npx', ['jest', 'test/property/random-apps', 'test/property/random-multicluster', '--silent=false'], { FUZZ_RUNS: runs, FUZZ_OUT: out });
// the CLI from the incremental library build (a no-op after npm run synth), not a whole-repo compile
run('npx', ['tsc', '-b', 'tsconfig.build.json']);
run('node', ['lib/src/cli/main.js', 'analyze', '--per-file', '--quiet', out]);
const kv = [process.env.KUBE_VALIDATE, path.join(root, '..', 'shared'), path.join(root, '..', '..', 'shared')]
  .filter(Boolean).map((p, i) => (i === 0 && process.env.KUBE_VALIDATE ? p : path.join(p, 'tools', 'kube-validate', 'kube-validate')))
  .find((p) => fs.existsSync(p));
if (kv) kubeValidate(kv);
else console.log('== kube-validate skipped: not found beside the repository (set KUBE_VALIDATE)');
if (!istioConformance()) process.exit(1);
