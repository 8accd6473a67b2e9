import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { createApp } from '../../examples/bookinfo/main';
import { ArgoCdIgnoreRules } from '../../src/gitops/argo-cd-ignore-rules';
import { hasJq, inSync } from '../support/argo-cd-ignore';

// The ignore rules of the progressive-delivery examples (examples/bookinfo/progressive-delivery.ts
// and progressive-delivery-flagger.ts), entry by entry, and what each lets through: the changes each
// controller makes at runtime are in sync, a hand edit beside them is not. The charts are taken from
// the whole bookinfo app, whose other charts declare the hosts they route to.
const app = createApp(fs.mkdtempSync(path.join(os.tmpdir(), 'ignore-rules-examples-')));
const chart = (id: string): Chart => app.node.findChild(id) as Chart;
const example = (id: string) => ({ rules: ArgoCdIgnoreRules.of(chart(id)), objects: Testing.synth(chart(id)) });

const WORKLOAD_GENERATION = '/metadata/annotations/rollout.argoproj.io~1workload-generation';
const rolloutsIstio = example('reviews-canary-argo-rollouts');
const rolloutsLinkerd = example('reviews-canary-argo-rollouts-linkerd');
const flaggerIstio = example('reviews-canary-flagger');
const flaggerLinkerd = example('reviews-canary-flagger-linkerd');

describe('Argo Rollouts on Istio (preview header, 20% mirror first)', () => {
  const { rules, objects } = rolloutsIstio;
  const ns = 'default';

  test('the entries', () => {
    expect(rules.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'reviews-v2', namespace: ns, jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'reviews', namespace: ns, jsonPointers: [WORKLOAD_GENERATION] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'reviews', namespace: ns, jqPathExpressions: ['.spec.subsets[] | select(.name == "stable" or .name == "canary") | .labels["rollouts-pod-template-hash"]'] },
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'reviews-rollout', namespace: ns, jsonPointers: ['/spec/http'] },
    ]);
    expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
  });

  (hasJq ? test : test.skip)('field by field', () => {
    const e = rules.ignoreDifferences;
    const vs = objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'reviews');
    const delegate = objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'reviews-rollout');
    // the service's own route (jason → v3) is rendered in the root, in front of the delegation to the split route
    expect(vs.spec.http.map((r: any) => r.name ?? r.route[0].destination.subset)).toEqual(['v3', 'rollout']);
    expect(delegate.spec.http.map((r: any) => r.name)).toEqual(['primary']);
    const managed = (v: any) => {
      const primary = v.spec.http.find((r: any) => r.name === 'primary');
      primary.route.forEach((d: any, i: number) => { d.weight = i === 0 ? 80 : 20; });
      v.spec.http.unshift(
        { name: 'canary-preview', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'reviews', subset: 'canary' }, weight: 100 }] },
        { name: 'canary-mirror', match: [{ uri: { prefix: '/' } }], route: JSON.parse(JSON.stringify(primary.route)), mirror: { host: 'reviews', subset: 'canary' }, mirrorPercentage: { value: 20 } },
      );
    };
    expect(inSync(objects, e, 'VirtualService', 'reviews-rollout', managed)).toBe(true);
    // the root is compared whole: a hand edit of the own route, or a managed route put there
    expect(inSync(objects, e, 'VirtualService', 'reviews', (v) => { v.spec.http[0].route[0].destination.subset = 'v1'; })).toBe(false);
    expect(inSync(objects, e, 'VirtualService', 'reviews', (v) => { v.spec.http.unshift({ name: 'canary-preview', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'reviews', subset: 'canary' }, weight: 100 }] }); })).toBe(false);
    expect(inSync(objects, e, 'DestinationRule', 'reviews', (dr) => { for (const s of dr.spec.subsets.filter((x: any) => x.name === 'stable' || x.name === 'canary')) s.labels['rollouts-pod-template-hash'] = 'abc'; })).toBe(true);
    expect(inSync(objects, e, 'DestinationRule', 'reviews', (dr) => { dr.spec.subsets.find((x: any) => x.name === 'v3').labels['rollouts-pod-template-hash'] = 'abc'; })).toBe(false);
    // the Deployment the Rollout runs (workloadRef) is the bookinfo application chart's, applied by the same Application
    const deployments = app.charts.flatMap((c) => Testing.synth(c)).filter((o) => o.kind === 'Deployment' && o.metadata.namespace === ns);
    expect(inSync(deployments, e, 'Deployment', 'reviews-v2', (d) => { d.spec.replicas = 0; })).toBe(true);
    expect(inSync(deployments, e, 'Deployment', 'reviews-v2', (d) => { d.spec.template.spec.containers[0].image = 'other:2'; })).toBe(false);
    expect(inSync(deployments, e, 'Deployment', 'reviews-v1', (d) => { d.spec.replicas = 0; })).toBe(false);
    expect(inSync(objects, e, 'Rollout', 'reviews', (r) => { r.metadata.annotations = { ...r.metadata.annotations, 'rollout.argoproj.io/workload-generation': '4' }; })).toBe(true);
    expect(inSync(objects, e, 'Rollout', 'reviews', (r) => { r.spec.replicas = 5; })).toBe(false);
  });
});

describe('Argo Rollouts on Linkerd (Gateway API plugin, preview header)', () => {
  const { rules, objects } = rolloutsLinkerd;
  const ns = 'bookinfo-linkerd';

  test('the entries', () => {
    expect(rules.ignoreDifferences).toEqual([
      { group: '', kind: 'Service', name: 'reviews-canary', namespace: ns, jsonPointers: ['/spec/selector/rollouts-pod-template-hash'] },
      { group: '', kind: 'Service', name: 'reviews-stable', namespace: ns, jsonPointers: ['/spec/selector/rollouts-pod-template-hash'] },
      { group: 'apps', kind: 'Deployment', name: 'reviews-v2', namespace: ns, jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'reviews', namespace: ns, jsonPointers: [WORKLOAD_GENERATION] },
      {
        group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'reviews', namespace: ns,
        jsonPointers: ['/metadata/labels/rollouts.argoproj.io~1gatewayapi-canary'],
        jqPathExpressions: [
          '.spec.rules[] | select((.backendRefs // []) | length == 1 and .[0].name == "reviews-canary")',
          '.spec.rules[].backendRefs[] | select(.name == "reviews-stable" or .name == "reviews-canary") | .weight',
        ],
      },
    ]);
  });

  (hasJq ? test : test.skip)('field by field', () => {
    const e = rules.ignoreDifferences;
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'reviews');
    const split = route.spec.rules.findIndex((r: any) => r.backendRefs.some((b: any) => b.name === 'reviews-canary'));
    const own = route.spec.rules.findIndex((r: any) => r.backendRefs.some((b: any) => b.name === 'reviews-v3'));
    expect([split >= 0, own >= 0]).toEqual([true, true]);
    const managed = (r: any) => {
      for (const b of r.spec.rules[split].backendRefs) b.weight = b.name === 'reviews-stable' ? 80 : 20;
      r.spec.rules.push({ name: 'canary-preview', matches: [{ headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] }], backendRefs: [{ group: '', kind: 'Service', name: 'reviews-canary', port: 9080 }] });
      r.metadata.labels = { ...r.metadata.labels, 'rollouts.argoproj.io/gatewayapi-canary': 'in-progress' };
    };
    expect(inSync(objects, e, 'HTTPRoute', 'reviews', managed)).toBe(true);
    expect(inSync(objects, e, 'HTTPRoute', 'reviews', (r) => { managed(r); r.spec.rules[own].backendRefs[0].name = 'reviews-v1'; })).toBe(false);
    expect(inSync(objects, e, 'Service', 'reviews-canary', (s) => { s.spec.selector['rollouts-pod-template-hash'] = 'abc'; })).toBe(true);
    expect(inSync(objects, e, 'Service', 'reviews-canary', (s) => { s.spec.ports[0].port = 1; })).toBe(false);
  });
});

describe.each([
  ['Istio', flaggerIstio, 'bookinfo-flagger', 'VirtualService', 'reviews-root'],
  ['Linkerd', flaggerLinkerd, 'bookinfo-flagger-linkerd', 'HTTPRoute', 'reviews-routes'],
])('Flagger on %s', (_mesh, { rules, objects }, ns, routeKind, routeName) => {
  test('the entries: the target Deployment\'s replicas (Flagger and the HPA) and the Service\'s selector', () => {
    expect(rules.ignoreDifferences).toEqual([
      { group: '', kind: 'Service', name: 'reviews', namespace: ns, jsonPointers: ['/spec/selector'] },
      { group: 'apps', kind: 'Deployment', name: 'reviews', namespace: ns, jsonPointers: ['/spec/replicas'] },
    ]);
    expect(rules.ownedFields.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^HorizontalPodAutoscaler reviews sets the replicas/), expect.stringMatching(/^Flagger scales the target Deployment to zero/), expect.stringMatching(/^Flagger points the Service reviews/),
    ]);
  });

  (hasJq ? test : test.skip)('field by field; the service\'s own route object stays compared', () => {
    const e = rules.ignoreDifferences;
    expect(inSync(objects, e, 'Deployment', 'reviews', (d) => { d.spec.replicas = 0; })).toBe(true);
    expect(inSync(objects, e, 'Service', 'reviews', (s) => { s.spec.selector = { app: 'reviews-primary' }; })).toBe(true);
    expect(inSync(objects, e, 'Service', 'reviews', (s) => { s.spec.ports[0].name = 'other'; })).toBe(false);
    expect(inSync(objects, e, routeKind, routeName, (r) => { r.metadata.labels = { ...r.metadata.labels, edited: 'by-hand' }; })).toBe(false);
    expect(inSync(objects, e, 'Canary', 'reviews', (c) => { c.spec.analysis.threshold = 99; })).toBe(false);
  });
});
