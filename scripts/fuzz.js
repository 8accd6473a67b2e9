#!/usr/bin/env node
// npm run fuzz: the random-app property tests with more cases (FUZZ_RUNS, default 2000 single-cluster
// apps and a quarter as many multi-cluster ones; FUZZ_SEED to replay), saving every rendered app (and
// every cluster folder) under fuzz-out/, then checking the saved files the way CI checks dist/:
// `cdk8s-mesh analyze --per-file` and, when ../shared is beside the repository (or a worktree's
// repository), kube-validate (a separate process, with the CRDs' CEL rules, which the in-suite schema
// validators lack; KUBE_VALIDATE names it elsewhere).
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
