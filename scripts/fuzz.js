#!/usr/bin/env node
// npm run fuzz: the random-app property test with more cases (FUZZ_RUNS, default 2000; FUZZ_SEED to
// replay), saving every rendered app under fuzz-out/, then checking the saved apps the way CI checks
// dist/: `cdk8s-mesh analyze --per-file` and, when ../shared is beside the repository, kube-validate
// (a separate process, with the CRDs' CEL rules, which the in-suite schema validators lack; KUBE_VALIDATE
// names it elsewhere).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'fuzz-out');
const runs = process.env.FUZZ_RUNS || '2000';

function run(cmd, args, env = {}) {
  console.log(`== ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status || 1);
}

fs.rmSync(out, { recursive: true, force: true });
run('npx', ['jest', 'test/property/random-apps', '--silent=false'], { FUZZ_RUNS: runs, FUZZ_OUT: out });
// the CLI from the incremental library build (a no-op after npm run synth), not a whole-repo compile
run('npx', ['tsc', '-b', 'tsconfig.build.json']);
run('node', ['lib/src/cli/main.js', 'analyze', '--per-file', '--quiet', out]);
const kv = process.env.KUBE_VALIDATE || path.join(root, '..', 'shared', 'tools', 'kube-validate', 'kube-validate');
if (fs.existsSync(kv)) run(kv, [out]);
else console.log(`== kube-validate skipped: ${kv} not found`);
