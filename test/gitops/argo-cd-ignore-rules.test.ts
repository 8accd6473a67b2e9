import { execFileSync } from 'child_process';
import { Testing } from 'cdk8s';
import { ArgoCdIgnoreDifference, ArgoCdIgnoreRules } from '../../src/gitops/argo-cd-ignore-rules';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine, WorkloadScaleDown } from '../../src/progressive/canary-engine';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { Match } from '../../src/traffic/match';
import { meshChart } from '../support/charts';

const img = 'ghcr.io/acme/reviews:1';

function canary(mesh: Mesh, props: { preview?: boolean; scaleDown?: WorkloadScaleDown; engine?: CanaryEngine } = {}) {
  const chart = meshChart(mesh);
  const service = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
  new ServiceWorkloads(chart, 'workloads', { service, versions: [{ version: 'v1', image: img }, { version: 'v2', image: img }] });
  new CanaryService(chart, 'reviews-canary', {
    service, stableVersion: 'v1', canaryVersion: 'v2',
    engine: props.engine ?? CanaryEngine.argoRollouts({ scaleDown: props.scaleDown }),
    ...(props.engine ? { stage: 1 } : {}),
    previewMatch: props.preview ? Match.header('x-canary').exact('true') : undefined,
  });
  return { chart, objects: Testing.synth(chart), rules: ArgoCdIgnoreRules.of(chart) };
}

const hasJq = (() => { try { execFileSync('jq', ['--version']); return true; } catch { return false; } })();
const group = (o: any): string => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');

/** What Argo CD compares: the object without the fields its ignoreDifferences entries name (argo-cd util/argo/normalizers/diff_normalizer.go). */
function normalize(o: any, entries: ArgoCdIgnoreDifference[]): any {
  let out = JSON.parse(JSON.stringify(o));
  for (const e of entries.filter((x) => x.group === group(o) && x.kind === o.kind && x.name === o.metadata.name && (x.namespace ?? '') === (o.metadata.namespace ?? ''))) {
    for (const p of e.jsonPointers ?? []) {
      const keys = p.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      const parent = keys.slice(0, -1).reduce((n: any, k) => (n === undefined ? undefined : n[k]), out);
      if (parent !== undefined) delete parent[keys[keys.length - 1]];
    }
    for (const q of e.jqPathExpressions ?? []) out = JSON.parse(execFileSync('jq', ['-c', `del(${q})`], { input: JSON.stringify(out) }).toString());
  }
  return removeEmpty(out);
}

/** Argo CD drops the objects and lists a normalization leaves empty (removeEmptyObjects). */
function removeEmpty(o: any): any {
  if (Array.isArray(o)) return o.map(removeEmpty).filter((x) => !(isObject(x) && Object.keys(x).length === 0));
  if (!isObject(o)) return o;
  const out: any = {};
  for (const [k, v] of Object.entries(o)) {
    const c = removeEmpty(v);
    if ((isObject(c) || Array.isArray(c)) && Object.keys(c).length === 0) continue;
    out[k] = c;
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True if Argo CD would see the live object (the desired one changed by `change`) as in sync. */
function inSync(objects: any[], entries: ArgoCdIgnoreDifference[], kind: string, name: string, change: (o: any) => void): boolean {
  const desired = objects.find((o) => o.kind === kind && o.metadata.name === name);
  expect(desired).toBeDefined();
  const live = JSON.parse(JSON.stringify(desired));
  change(live);
  return JSON.stringify(normalize(live, entries)) === JSON.stringify(normalize(desired, entries));
}

describe('Argo Rollouts on Istio', () => {
  const { objects, rules } = canary(Mesh.ISTIO);

  test('one entry per object the engine changes, narrowed by name and namespace; RespectIgnoreDifferences', () => {
    expect(rules.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'reviews-v2', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/metadata/annotations/rollout.argoproj.io~1workload-generation'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'reviews', namespace: 'bookinfo', jqPathExpressions: ['.spec.subsets[] | select(.name == "stable" or .name == "canary") | .labels["rollouts-pod-template-hash"]'] },
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'reviews', namespace: 'bookinfo', jqPathExpressions: ['.spec.http[] | select(.name == "primary") | .route[].weight'] },
    ]);
    expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
    expect(rules.ownedFields.every((f) => f.reason.length > 0)).toBe(true);
  });

  (hasJq ? test : test.skip)('field by field: what Argo Rollouts changes is ignored, nothing else is', () => {
    const e = rules.ignoreDifferences;
    // setWeight 30: the controller rewrites the weights of route primary
    expect(inSync(objects, e, 'VirtualService', 'reviews', (vs) => { vs.spec.http.find((r: any) => r.name === 'primary').route.forEach((d: any, i: number) => { d.weight = i === 0 ? 70 : 30; }); })).toBe(true);
    expect(inSync(objects, e, 'VirtualService', 'reviews', (vs) => { vs.spec.http[0].timeout = '1s'; })).toBe(false);
    expect(inSync(objects, e, 'VirtualService', 'reviews', (vs) => { vs.spec.http[0].route[0].destination.subset = 'v1'; })).toBe(false);
    // the controller labels the subsets with the ReplicaSets' hashes
    expect(inSync(objects, e, 'DestinationRule', 'reviews', (dr) => { for (const s of dr.spec.subsets) s.labels = { ...s.labels, 'rollouts-pod-template-hash': 'abc' }; })).toBe(true);
    expect(inSync(objects, e, 'DestinationRule', 'reviews', (dr) => { dr.spec.trafficPolicy = { tls: { mode: 'DISABLE' } }; })).toBe(false);
    // the subsets' own labels stay compared: a subset selecting other pods is a real change
    expect(inSync(objects, e, 'DestinationRule', 'reviews', (dr) => { dr.spec.subsets[0].labels = { app: 'other' }; })).toBe(false);
    // scaleDown: progressively scales the Deployment the Rollout takes its template from
    expect(inSync(objects, e, 'Deployment', 'reviews-v2', (d) => { d.spec.replicas = 0; })).toBe(true);
    expect(inSync(objects, e, 'Deployment', 'reviews-v2', (d) => { d.spec.template.spec.containers[0].image = 'other:2'; })).toBe(false);
    expect(inSync(objects, e, 'Deployment', 'reviews-v1', (d) => { d.spec.replicas = 0; })).toBe(false);
    // the controller records the referenced Deployment's generation on the Rollout
    expect(inSync(objects, e, 'Rollout', 'reviews', (r) => { r.metadata.annotations = { ...r.metadata.annotations, 'rollout.argoproj.io/workload-generation': '3' }; })).toBe(true);
    expect(inSync(objects, e, 'Rollout', 'reviews', (r) => { r.spec.replicas = 5; })).toBe(false);
  });

  test('scaleDown NEVER: the Deployment is not ignored', () => {
    expect(canary(Mesh.ISTIO, { scaleDown: WorkloadScaleDown.NEVER }).rules.ignoreDifferences.map((e) => e.kind)).toEqual(['Rollout', 'DestinationRule', 'VirtualService']);
  });

  (hasJq ? test : test.skip)('a preview match: the managed route is added and removed, so the routes are the controller\'s', () => {
    const { objects: out, rules: r } = canary(Mesh.ISTIO, { preview: true });
    expect(r.ignoreDifferences.find((e) => e.kind === 'VirtualService')).toEqual({ group: 'networking.istio.io', kind: 'VirtualService', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/spec/http'] });
    expect(inSync(out, r.ignoreDifferences, 'VirtualService', 'reviews', (vs) => { vs.spec.http.unshift({ name: 'canary-preview', route: [{ destination: { host: 'reviews', subset: 'canary' } }] }); })).toBe(true);
    expect(inSync(out, r.ignoreDifferences, 'VirtualService', 'reviews', (vs) => { vs.spec.hosts = ['other']; })).toBe(false);
  });
});

describe.each([Mesh.GATEWAY_API, Mesh.LINKERD])('Argo Rollouts on %s (Gateway API plugin)', (mesh) => {
  const { objects, rules } = canary(mesh);

  test('the HTTPRoute weights and label, the stable and canary Services\' selectors, the Deployment', () => {
    expect(rules.ignoreDifferences.map((e) => [e.group, e.kind, e.name, e.jsonPointers, e.jqPathExpressions])).toEqual([
      ['', 'Service', 'reviews-canary', ['/spec/selector/rollouts-pod-template-hash'], undefined],
      ['', 'Service', 'reviews-stable', ['/spec/selector/rollouts-pod-template-hash'], undefined],
      ['apps', 'Deployment', 'reviews-v2', ['/spec/replicas'], undefined],
      ['argoproj.io', 'Rollout', 'reviews', ['/metadata/annotations/rollout.argoproj.io~1workload-generation'], undefined],
      ['gateway.networking.k8s.io', 'HTTPRoute', 'reviews', ['/metadata/labels/rollouts.argoproj.io~1gatewayapi-canary'],
        ['.spec.rules[].backendRefs[] | select(.name == "reviews-stable" or .name == "reviews-canary") | .weight']],
    ]);
    expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
  });

  (hasJq ? test : test.skip)('field by field', () => {
    const e = rules.ignoreDifferences;
    expect(inSync(objects, e, 'HTTPRoute', 'reviews', (r) => {
      for (const b of r.spec.rules.flatMap((x: any) => x.backendRefs ?? [])) b.weight = b.name === 'reviews-stable' ? 70 : 30;
      r.metadata.labels = { ...r.metadata.labels, 'rollouts.argoproj.io/gatewayapi-canary': 'in-progress' };
    })).toBe(true);
    expect(inSync(objects, e, 'HTTPRoute', 'reviews', (r) => { r.spec.rules[0].backendRefs[0].port = 8080; })).toBe(false);
    expect(inSync(objects, e, 'Service', 'reviews-stable', (s) => { s.spec.selector['rollouts-pod-template-hash'] = 'abc'; })).toBe(true);
    expect(inSync(objects, e, 'Service', 'reviews-stable', (s) => { s.spec.selector.app = 'other'; })).toBe(false);
    expect(inSync(objects, e, 'Service', 'reviews', (s) => { s.spec.selector['rollouts-pod-template-hash'] = 'abc'; })).toBe(false);
  });
});

test('an HPA owns the replicas of its Deployment', () => {
  const chart = meshChart();
  const service = new MeshService(chart, 'app', { ports: [ServicePort.http(8080)], versions: ['v1'] });
  new ServiceWorkloads(chart, 'w', { service, versions: [{ version: 'v1', image: img }], autoscaling: {} });
  const rules = ArgoCdIgnoreRules.of(chart);
  expect(rules.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'app-v1', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] }]);
  expect(rules.ownedFields[0].reason).toMatch(/HorizontalPodAutoscaler app-v1 sets the replicas of Deployment app-v1/);
  expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
});

test('nothing owned at runtime: no entries and no sync options', () => {
  const rules = canary(Mesh.ISTIO, { engine: CanaryEngine.staticStage() }).rules;
  expect(rules.ignoreDifferences).toEqual([]);
  expect(rules.syncOptions).toEqual([]);
});

test('only the objects below the scope', () => {
  const chart = meshChart();
  const service = new MeshService(chart, 'app', { ports: [ServicePort.http(8080)], versions: ['v1'] });
  const w = new ServiceWorkloads(chart, 'w', { service, versions: [{ version: 'v1', image: img }], autoscaling: {} });
  expect(ArgoCdIgnoreRules.of(service).ignoreDifferences).toEqual([]);
  expect(ArgoCdIgnoreRules.of(w).ignoreDifferences).toHaveLength(1);
});

test('snapshot: Argo Rollouts on Istio with a preview match', () => {
  const { rules } = canary(Mesh.ISTIO, { preview: true });
  expect({ ignoreDifferences: rules.ignoreDifferences, syncOptions: rules.syncOptions, reasons: rules.ownedFields.map((f) => f.reason) }).toMatchSnapshot();
});
