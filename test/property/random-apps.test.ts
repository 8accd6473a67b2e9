import * as fs from 'fs';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import fc from 'fast-check';
import { analyze } from '../../src/analysis/analyze';
import { Severity } from '../../src/analysis/finding';
import { MeshConfigError } from '../../src/core/errors';
import { SchemaBatch } from '../support/schema';
import { ignoreRuleProblems, waveProblems } from './gitops-checks';
import { buildApp, canaryOf, Plan, plans } from './random-app';
import { fuzzOutSuffix } from './fuzz-out';

// Per case: a bad value ends in a MeshConfigError that names where (the construct path, or the
// factory the value came from), the prop and a fix; a good app either renders output with no
// duplicate object, no analyzer error (as `cdk8s-mesh analyze` would run on the files) and valid
// schemas, or fails with such an error (an intent its mesh cannot express).
// FUZZ_RUNS raises the count (npm run fuzz); FUZZ_OUT saves every rendered app for kube-validate and
// the Istio conformance harness (app-<n>-<mesh>[-user-workloads].yaml).

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const OUT = process.env.FUZZ_OUT;
// `<where>: <prop> ... Fix: ...`: where is a construct path (the app's, or the Argo CD Applications' `applications/...`) or a value type
const CLEAR_ERROR = /^(?:(?:app|applications)(?:\/[\w.-]+)*|[A-Z]\w*(?:\.\w+)*(?:\([^)]*\))?(?:\.\w+)?): \S+.* Fix: \S/s;

/** The messages of an error: each of a validation failure's (cdk8s lists them as `[path] message`), or the error's own. */
function messagesOf(message: string): string[] {
  const listed = /^Validation failed with the following errors:\n([\s\S]*)$/.exec(message);
  return listed ? listed[1].split('\n').filter((l) => l.trim()).map((l) => l.trim().replace(/^\[[^\]]+\] /, '')) : [message];
}

interface Outcome { readonly kind: 'rendered' | 'refused'; readonly objects?: any[]; readonly extra?: string[]; readonly engine?: string; readonly message?: string }

function run(p: Plan): Outcome {
  try {
    const { charts } = buildApp(p);
    const objects = charts.flatMap((c) => Testing.synth(c));
    const [chart] = charts;
    const appObjects = Testing.synth(chart);
    // the Deployments and Services of an app without workloads are the user's
    const extra = [...(p.gitops === 'none' ? [] : waveProblems(appObjects)), ...ignoreRuleProblems(chart, appObjects, p.workloads ? [] : ['Deployment', 'Service'])];
    return { kind: 'rendered', objects, extra, engine: canaryOf(chart)?.engine.kind };
  } catch (e) {
    if (!(e instanceof MeshConfigError)) throw new Error(`not a MeshConfigError: ${(e as Error).stack}`);
    return { kind: 'refused', message: e.message };
  }
}

function identity(o: any): string {
  return `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

const tally = { rendered: 0, refusedGood: 0, refusedBad: 0, splitRoutes: 0, gitops: 0, canaries: {} as Record<string, number> };
const reasons: string[] = [];
const schemas = new SchemaBatch();

beforeAll(() => {
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true); // analysis warnings
  if (OUT) fs.mkdirSync(OUT, { recursive: true });
});
afterAll(() => {
  jest.restoreAllMocks();
  // eslint-disable-next-line no-console
  if (reasons.length) console.log([...new Set(reasons)].map((r) => `${reasons.filter((x) => x === r).length} ${r}`).sort().join('\n'));
  // eslint-disable-next-line no-console
  console.log(`random apps: ${RUNS} cases, ${tally.rendered} rendered (${tally.splitRoutes} on Linkerd with one HTTPRoute per retry policy), ${tally.refusedGood} good apps refused (intents their mesh lacks), ${tally.refusedBad} bad values refused; canaries rendered by engine: ${JSON.stringify(tally.canaries)}, ${tally.gitops} as GitOps environments`);
});

test(`${RUNS} random apps on four meshes: a clear MeshConfigError, or valid output`, () => {
  let n = 0;
  fc.assert(fc.property(plans, (p) => {
    const outcome = run(p);
    if (p.bad) {
      expect({ bad: p.bad, outcome: outcome.kind }).toEqual({ bad: p.bad, outcome: 'refused' });
    }
    if (outcome.kind === 'refused') {
      for (const m of messagesOf(outcome.message!)) expect(m).toMatch(CLEAR_ERROR);
      expect(outcome.message).not.toMatch(/^Analysis of chart/);
      if (p.bad) tally.refusedBad++;
      else {
        tally.refusedGood++;
        if (process.env.FUZZ_DEBUG) reasons.push(`${outcome.message!.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 100)} ${process.env.FUZZ_DEBUG === 'plan' ? JSON.stringify(p) : ''}`);
      }
      return;
    }
    tally.rendered++;
    const objects = outcome.objects!;
    const parents = objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.annotations?.['retry.linkerd.io/limit']).map((o) => JSON.stringify(o.spec.parentRefs));
    if (parents.some((p) => objects.filter((o) => o.kind === 'HTTPRoute' && JSON.stringify(o.spec.parentRefs) === p).length > 1)) tally.splitRoutes++;
    const ids = objects.map(identity);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(analyze(objects, { defaultNamespace: 'default' }).filter((f) => f.severity === Severity.ERROR).map((f) => `${f.code} ${f.resource}: ${f.message}`)).toEqual([]);
    expect(outcome.extra).toEqual([]);
    if (p.gitops === 'environments') tally.gitops++;
    const engine = outcome.engine;
    if (engine) tally.canaries[engine] = (tally.canaries[engine] ?? 0) + 1;
    schemas.add(JSON.stringify(p).slice(0, 100), objects);
    // an app without workloads is mesh configuration for pods deployed elsewhere: the name says so, for
    // the Istio conformance harness's allow-list (Istio reports selectors and subsets matching no Pod of the set)
    if (OUT) fs.writeFileSync(path.join(OUT, `app-${String(n++).padStart(5, '0')}-${p.mesh}${fuzzOutSuffix(objects)}.yaml`), Yaml.stringify(...objects));
  }), { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined });
  // about a quarter renders (canaries on Cilium, Flagger beside route defaults and the like are refused)
  expect(tally.rendered).toBeGreaterThan(RUNS / 8);
  // Linkerd apps whose routes retry differently render one HTTPRoute per retry policy
  if (RUNS >= 300) expect(tally.splitRoutes).toBeGreaterThan(0);
});

test('the rendered apps are valid against the CRD and Kubernetes schemas', () => {
  expect(schemas.problems()).toEqual([]);
});
