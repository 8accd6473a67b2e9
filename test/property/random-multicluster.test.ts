import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { Yaml } from 'cdk8s';
import { analyze } from '../../src/analysis/analyze';
import { Severity } from '../../src/analysis/finding';
import { MeshConfigError } from '../../src/core/errors';
import { SchemaBatch } from '../support/schema';
import { fuzzOutSuffix } from './fuzz-out';
import { mcPlans, readFolders, synthPlan } from './random-multicluster';

// Per case: a bad value ends in a MeshConfigError naming where, the prop and a fix; a good plan
// either writes every cluster's folder (and the Argo CD objects) with no duplicate object, no
// analyzer error per folder (as `cdk8s-mesh analyze --per-file` runs on them), valid schemas, no
// Secret, and in every calling cluster a Service of each global service it calls; or fails with such
// an error. FUZZ_RUNS raises the count (a quarter of it: each case writes files); FUZZ_OUT saves
// every folder as one file (mc-<n>-<mesh>-<folder>[-user-workloads].yaml), a cluster's set for
// the Istio conformance harness.

const RUNS = Math.max(20, Math.round(Number(process.env.FUZZ_RUNS ?? 0) / 4));
const OUT = process.env.FUZZ_OUT;
// `<where>: <prop> ... Fix: ...`, where is a construct path, a value type or a named value (`MeshCluster "east"`)
const CLEAR_ERROR = /^(?:[\w.-]+(?:\/[\w.-]+)*|[A-Z]\w*(?:\.\w+)*(?:\([^)]*\))?(?: "[^"]*")?): \S+.* Fix: \S/s;

function messagesOf(message: string): string[] {
  const listed = /^Validation failed with the following errors:\n([\s\S]*)$/.exec(message);
  return listed ? listed[1].split('\n').filter((l) => l.trim()).map((l) => l.trim().replace(/^\[[^\]]+\] /, '')) : [message];
}

const identity = (o: any) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const tally = { rendered: 0, refusedGood: 0, refusedBad: 0, gitops: 0, byMesh: {} as Record<string, number> };
const reasons: string[] = [];
const schemas = new SchemaBatch();
let tmp: string;

beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'random-mc-'));
  if (OUT) fs.mkdirSync(OUT, { recursive: true });
});
afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
  // eslint-disable-next-line no-console
  if (reasons.length) console.log([...new Set(reasons)].map((r) => `${reasons.filter((x) => x === r).length} ${r}`).sort().join('\n'));
  // eslint-disable-next-line no-console
  console.log(`random multi-cluster apps: ${RUNS} cases, ${tally.rendered} rendered (${JSON.stringify(tally.byMesh)}, ${tally.gitops} as GitOps environments), ${tally.refusedGood} good plans refused, ${tally.refusedBad} bad values refused`);
});

/** The problems of one folder's objects (empty when none). */
function folderProblems(folder: string, objects: any[]): string[] {
  const ids = objects.map(identity);
  const problems = ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `${folder}: ${id} twice`);
  problems.push(...analyze(objects, { defaultNamespace: 'default' }).filter((f) => f.severity === Severity.ERROR).map((f) => `${folder}: ${f.code} ${f.resource}: ${f.message}`));
  problems.push(...objects.filter((o) => o.kind === 'Secret').map((o) => `${folder}: Secret ${o.metadata?.name} in the output`));
  return problems;
}

test(`${RUNS} random multi-cluster apps on Istio, Linkerd and Cilium: a clear MeshConfigError, or valid output per cluster`, () => {
  let n = 0;
  fc.assert(fc.property(mcPlans, (p) => {
    const dir = path.join(tmp, String(n++));
    let message: string | undefined;
    try {
      synthPlan(p, dir);
    } catch (e) {
      if (!(e instanceof MeshConfigError)) throw new Error(`not a MeshConfigError: ${(e as Error).stack}`);
      message = e.message;
    }
    if (p.bad) expect({ bad: p.bad, refused: message !== undefined }).toEqual({ bad: p.bad, refused: true });
    if (message !== undefined) {
      for (const m of messagesOf(message)) expect(m).toMatch(CLEAR_ERROR);
      if (p.bad) tally.refusedBad++;
      else {
        tally.refusedGood++;
        if (process.env.FUZZ_DEBUG) reasons.push(message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 140));
      }
      return;
    }
    tally.rendered++;
    tally.byMesh[p.mesh] = (tally.byMesh[p.mesh] ?? 0) + 1;
    if (p.gitops) tally.gitops++;
    const folders = readFolders(dir);
    expect(folders.size).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [folder, objects] of folders) {
      problems.push(...folderProblems(folder, objects));
      schemas.add(`${JSON.stringify(p).slice(0, 80)} ${folder}`, objects);
      if (OUT) fs.writeFileSync(path.join(OUT, `mc-${String(n).padStart(5, '0')}-${p.mesh}-${folder.replace(/[/\\.]/g, '-') || 'root'}${fuzzOutSuffix(objects)}.yaml`), Yaml.stringify(...objects));
    }
    expect(problems).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  }), { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined });
  expect(tally.rendered).toBeGreaterThan(RUNS / 20);
});

test('the rendered multi-cluster apps are valid against the CRD and Kubernetes schemas', () => {
  expect(schemas.problems()).toEqual([]);
});
