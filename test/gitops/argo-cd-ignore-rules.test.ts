import { Testing } from 'cdk8s';
import { ArgoCdIgnoreRules } from '../../src/gitops/argo-cd-ignore-rules';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryEngine, WorkloadScaleDown } from '../../src/progressive/canary-engine';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { Match } from '../../src/traffic/match';
import { hasJq, inSync } from '../support/argo-cd-ignore';
import { meshChart } from '../support/charts';

const img = 'ghcr.io/acme/reviews:1';

function canary(mesh: Mesh, props: { preview?: boolean; mirrorPercent?: number; scaleDown?: WorkloadScaleDown; engine?: CanaryEngine } = {}) {
  const chart = meshChart(mesh);
  const service = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
  new ServiceWorkloads(chart, 'workloads', { service, versions: [{ version: 'v1', image: img }, { version: 'v2', image: img }] });
  new CanaryService(chart, 'reviews-canary', {
    service, stableVersion: 'v1', canaryVersion: 'v2',
    engine: props.engine ?? CanaryEngine.argoRollouts({ scaleDown: props.scaleDown, mirrorPercent: props.mirrorPercent }),
    ...(props.engine ? { stage: 1 } : {}),
    previewMatch: props.preview ? Match.header('x-canary').exact('true') : undefined,
  });
  return { chart, objects: Testing.synth(chart), rules: ArgoCdIgnoreRules.of(chart) };
}

describe('Argo Rollouts on Istio', () => {
  const { objects, rules } = canary(Mesh.ISTIO);

  test('one entry per object the engine changes, narrowed by name and namespace; RespectIgnoreDifferences', () => {
    expect(rules.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', name: 'reviews-v2', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/metadata/annotations/rollout.argoproj.io~1workload-generation'] },
      { group: 'networking.istio.io', kind: 'DestinationRule', name: 'reviews', namespace: 'bookinfo', jqPathExpressions: ['.spec.subsets[] | select(.name == "stable" or .name == "canary") | .labels["rollouts-pod-template-hash"]'] },
      // the delegate the Rollout edits, whole: with RespectIgnoreDifferences a sync copies the live
      // /spec/http into what it applies, which is right for a list only the controller writes
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'reviews-rollout', namespace: 'bookinfo', jsonPointers: ['/spec/http'] },
    ]);
    expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
    expect(rules.ownedFields.every((f) => f.reason.length > 0)).toBe(true);
  });

  (hasJq ? test : test.skip)('field by field: what Argo Rollouts changes is ignored, nothing else is', () => {
    const e = rules.ignoreDifferences;
    // setWeight 30: the controller rewrites the weights of route primary, in the delegate
    expect(inSync(objects, e, 'VirtualService', 'reviews-rollout', (vs) => { vs.spec.http.find((r: any) => r.name === 'primary').route.forEach((d: any, i: number) => { d.weight = i === 0 ? 70 : 30; }); })).toBe(true);
    expect(inSync(objects, e, 'VirtualService', 'reviews-rollout', (vs) => { vs.spec.hosts = ['reviews']; })).toBe(false);
    // the service's own VirtualService (the root) is compared whole
    expect(inSync(objects, e, 'VirtualService', 'reviews', (vs) => { vs.spec.http[0].timeout = '1s'; })).toBe(false);
    expect(inSync(objects, e, 'VirtualService', 'reviews', (vs) => { vs.spec.http[0].delegate.name = 'other'; })).toBe(false);
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

  /** The managed routes as Argo Rollouts adds them: first, in managedRoutes order (rollout/trafficrouting/istio/istio.go createHeaderRoute, createMirrorRoute, orderRoutes). */
  const previewRoute = { name: 'canary-preview', match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: 'reviews', subset: 'canary' }, weight: 100 }] };
  const mirrorRoute = (vs: any) => ({
    name: 'canary-mirror', match: [{ uri: { prefix: '/' } }], route: JSON.parse(JSON.stringify(vs.spec.http.find((r: any) => r.name === 'primary').route)),
    mirror: { host: 'reviews', subset: 'canary' }, mirrorPercentage: { value: 20 },
  });

  (hasJq ? test : test.skip)('managed routes (preview, mirror, both) go into the delegate, whose route list is the controller\'s; the root\'s routes stay compared', () => {
    for (const props of [{ preview: true }, { mirrorPercent: 20 }, { preview: true, mirrorPercent: 20 }]) {
      const { objects: out, rules: r } = canary(Mesh.ISTIO, props);
      expect(r.ignoreDifferences.filter((e) => e.kind === 'VirtualService')).toEqual([
        { group: 'networking.istio.io', kind: 'VirtualService', name: 'reviews-rollout', namespace: 'bookinfo', jsonPointers: ['/spec/http'] },
      ]);
      // the DestinationRule, Deployment and Rollout entries are those of the plain rollout
      expect(r.ignoreDifferences.filter((e) => e.kind !== 'VirtualService')).toEqual(rules.ignoreDifferences.filter((e) => e.kind !== 'VirtualService'));
      const added = (vs: any) => [...(props.preview ? [previewRoute] : []), ...(props.mirrorPercent ? [mirrorRoute(vs)] : [])];
      expect(inSync(out, r.ignoreDifferences, 'VirtualService', 'reviews-rollout', (vs) => {
        vs.spec.http.unshift(...added(vs));
        vs.spec.http.find((x: any) => x.name === 'primary').route.forEach((d: any, i: number) => { d.weight = i === 0 ? 60 : 40; });
      })).toBe(true);
      // a managed route added to the root by hand is a real change
      expect(inSync(out, r.ignoreDifferences, 'VirtualService', 'reviews', (vs) => { vs.spec.http.unshift(previewRoute); })).toBe(false);
      expect(inSync(out, r.ignoreDifferences, 'VirtualService', 'reviews', (vs) => { vs.spec.http[0].retries = { attempts: 9 }; })).toBe(false);
    }
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

  (hasJq ? test : test.skip)('a preview match: the header rule the plugin appends is the controller\'s; the other rules stay compared', () => {
    const { objects: out, rules: r } = canary(mesh, { preview: true });
    expect(r.ignoreDifferences.find((e) => e.kind === 'HTTPRoute')).toEqual({
      group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'reviews', namespace: 'bookinfo',
      jsonPointers: ['/metadata/labels/rollouts.argoproj.io~1gatewayapi-canary'],
      jqPathExpressions: [
        '.spec.rules[] | select((.backendRefs // []) | length == 1 and .[0].name == "reviews-canary")',
        '.spec.rules[].backendRefs[] | select(.name == "reviews-stable" or .name == "reviews-canary") | .weight',
      ],
    });
    // as the plugin appends it (pkg/plugin/httproute.go setHTTPHeaderRoute): named from plugin v0.14, unnamed before
    // and wherever the Gateway API CRDs predate rules[].name (v1.4)
    const headerRule = (named: boolean) => ({
      ...(named ? { name: 'canary-preview' } : {}),
      matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }] }],
      backendRefs: [{ group: '', kind: 'Service', name: 'reviews-canary', port: 9080 }],
    });
    const e = r.ignoreDifferences;
    for (const named of [true, false]) {
      expect(inSync(out, e, 'HTTPRoute', 'reviews', (route) => {
        route.spec.rules.push(headerRule(named));
        for (const b of route.spec.rules[0].backendRefs) b.weight = b.name === 'reviews-stable' ? 90 : 10;
        route.metadata.labels = { ...route.metadata.labels, 'rollouts.argoproj.io/gatewayapi-canary': 'in-progress' };
      })).toBe(true);
    }
    expect(inSync(out, e, 'HTTPRoute', 'reviews', (route) => { route.spec.rules.push(headerRule(true)); route.spec.rules[0].timeouts = { request: '1s' }; })).toBe(false);
    // a rule to another backend is not the plugin's
    expect(inSync(out, e, 'HTTPRoute', 'reviews', (route) => { route.spec.rules.push({ ...headerRule(false), backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v2', port: 9080 }] }); })).toBe(false);
    // no rule of ours has the managed rule's shape, so the expression removes nothing from Git's route
    const desired = out.find((o: any) => o.kind === 'HTTPRoute' && o.metadata.name === 'reviews');
    expect(desired.spec.rules.filter((x: any) => x.backendRefs?.length === 1 && x.backendRefs[0].name === 'reviews-canary')).toEqual([]);
  });
});

describe.each([Mesh.ISTIO, Mesh.LINKERD])('Flagger on %s', (mesh) => {
  /** Flagger's workload shape: one Deployment `reviews` running the version being rolled out, which it copies to reviews-primary. */
  function flaggerCanary(autoscaling: boolean) {
    const chart = meshChart(mesh);
    const service = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
    new ServiceWorkloads(chart, 'workloads', { service, versions: [{ version: 'v2', image: img, deploymentName: 'reviews' }], perVersionServices: false, ...(autoscaling ? { autoscaling: {} } : {}) });
    new CanaryService(chart, 'reviews-canary', { service, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.flagger({ deploymentName: 'reviews' }), previewMatch: Match.header('x-canary').exact('true') });
    return { objects: Testing.synth(chart), rules: ArgoCdIgnoreRules.of(chart) };
  }
  const { objects, rules } = flaggerCanary(false);

  test('the target Deployment\'s replicas and the Service\'s whole selector; nothing of the routes, which Flagger generates beside ours', () => {
    expect(rules.ignoreDifferences).toEqual([
      { group: '', kind: 'Service', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/spec/selector'] },
      { group: 'apps', kind: 'Deployment', name: 'reviews', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] },
    ]);
    expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
    // the objects Flagger changes are in the output: the rules are not for objects Argo CD does not apply
    expect(objects.filter((o) => (o.kind === 'Service' || o.kind === 'Deployment') && o.metadata.name === 'reviews').map((o) => o.kind).sort()).toEqual(['Deployment', 'Service']);
  });

  (hasJq ? test : test.skip)('field by field, as Flagger changes them', () => {
    const e = rules.ignoreDifferences;
    // pkg/canary/deployment_controller.go ScaleToZero / ScaleFromZero: a merge patch of spec.replicas only
    expect(inSync(objects, e, 'Deployment', 'reviews', (d) => { d.spec.replicas = 0; })).toBe(true);
    expect(inSync(objects, e, 'Deployment', 'reviews', (d) => { d.spec.template.spec.containers[0].image = 'other:2'; })).toBe(false);
    expect(inSync(objects, e, 'Deployment', 'reviews', (d) => { d.metadata.labels = { ...d.metadata.labels, team: 'x' }; })).toBe(false);
    // pkg/router/kubernetes_default.go reconcileService: the selector becomes {<label>: <value>-primary}, every key of ours replaced
    expect(inSync(objects, e, 'Service', 'reviews', (svc) => { svc.spec.selector = { app: 'reviews-primary' }; })).toBe(true);
    // the ports it sets are the Canary's, which the library renders from the Service's one port: they stay compared
    expect(inSync(objects, e, 'Service', 'reviews', (svc) => { svc.spec.ports[0].port = 8080; })).toBe(false);
    expect(inSync(objects, e, 'Service', 'reviews', (svc) => { svc.metadata.labels = { ...svc.metadata.labels, team: 'x' }; })).toBe(false);
  });

  test('with an HPA on the target, one entry for its replicas, owned by both', () => {
    const auto = flaggerCanary(true).rules;
    expect(auto.ignoreDifferences).toEqual(rules.ignoreDifferences);
    expect(auto.ownedFields.filter((f) => f.kind === 'Deployment').map((f) => f.reason)).toEqual([
      expect.stringMatching(/^HorizontalPodAutoscaler reviews sets the replicas of Deployment reviews/), expect.stringMatching(/^Flagger scales the target Deployment to zero/),
    ]);
  });
});

describe('an HPA owns the replicas of its Deployment', () => {
  const chart = meshChart();
  const service = new MeshService(chart, 'app', { ports: [ServicePort.http(8080)], versions: ['v1', 'v2'] });
  new ServiceWorkloads(chart, 'w', { service, versions: [{ version: 'v1', image: img, autoscaling: {} }, { version: 'v2', image: img }] });
  const rules = ArgoCdIgnoreRules.of(chart);
  const objects = Testing.synth(chart);

  test('one entry, for the scale target only', () => {
    expect(rules.ignoreDifferences).toEqual([{ group: 'apps', kind: 'Deployment', name: 'app-v1', namespace: 'bookinfo', jsonPointers: ['/spec/replicas'] }]);
    expect(rules.ownedFields[0].reason).toMatch(/HorizontalPodAutoscaler app-v1 sets the replicas of Deployment app-v1/);
    expect(rules.syncOptions).toEqual(['RespectIgnoreDifferences=true']);
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name)).toEqual(['app-v1']);
  });

  (hasJq ? test : test.skip)('field by field: the count the HPA writes through the scale subresource, nothing else', () => {
    const e = rules.ignoreDifferences;
    expect(inSync(objects, e, 'Deployment', 'app-v1', (d) => { d.spec.replicas = 7; })).toBe(true);
    expect(inSync(objects, e, 'Deployment', 'app-v1', (d) => { d.spec.template.spec.containers[0].image = 'other:2'; })).toBe(false);
    expect(inSync(objects, e, 'Deployment', 'app-v2', (d) => { d.spec.replicas = 7; })).toBe(false);
    expect(inSync(objects, e, 'HorizontalPodAutoscaler', 'app-v1', (h) => { h.spec.maxReplicas = 50; })).toBe(false);
  });
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
