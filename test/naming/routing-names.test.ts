import { Chart, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { CanaryService } from '../../src/patterns/canary-service';
import { RouteTo } from '../../src/traffic/route-action';
import { Match } from '../../src/traffic/match';
import { meshChart } from '../support/charts';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { Row, service, canary, of, testRows } from './support';

/** Routing objects: the service's routing table and the Services and workloads routes name. */
const ROUTING_ROWS: Row[] = [
  {
    construct: 'MeshService', prop: 'names.virtualService', mesh: Mesh.ISTIO, kind: 'VirtualService', name: 'reviews-routes',
    build: (c) => canary(c, service(c, 'reviews', { names: { virtualService: 'reviews-routes' } })),
  },
  {
    construct: 'MeshService', prop: 'names.destinationRule', mesh: Mesh.ISTIO, kind: 'DestinationRule', name: 'reviews-subsets',
    build: (c) => canary(c, service(c, 'reviews', { names: { destinationRule: 'reviews-subsets' } })),
  },
  {
    construct: 'MeshService', prop: 'names.httpRoute', mesh: Mesh.GATEWAY_API, kind: 'HTTPRoute', name: 'reviews-split',
    build: (c) => canary(c, service(c, 'reviews', { names: { httpRoute: 'reviews-split' } })),
  },
  {
    construct: 'MeshService', prop: 'names.httpRoute', mesh: Mesh.LINKERD, kind: 'HTTPRoute', name: 'reviews-split',
    build: (c) => canary(c, service(c, 'reviews', { names: { httpRoute: 'reviews-split' } })),
  },
  {
    construct: 'MeshService', prop: 'names.referenceGrant', mesh: Mesh.GATEWAY_API, kind: 'ReferenceGrant', name: 'shop-may-call',
    build: (c) => {
      const ratings = new MeshService(c, 'ratings', { namespace: 'backend', ports: [ServicePort.http(9080)] });
      service(c, 'reviews', { names: { referenceGrant: 'shop-may-call' } }).addRoute({ matches: [Match.path.prefix('/ratings')], to: RouteTo.service(ratings) });
    },
  },
  {
    construct: 'MeshService', prop: 'serviceName', mesh: Mesh.LINKERD, kind: 'Service', name: 'reviews-legacy',
    build: (c) => canary(c, service(c, 'reviews', { serviceName: 'reviews-legacy', renderServices: true })),
    references: [{ what: 'the HTTPRoute parent', values: (o) => of(o, 'HTTPRoute').flatMap((r) => r.spec.parentRefs.map((p: any) => p.name)) }],
  },
  {
    construct: 'MeshService.addVersion', prop: 'serviceName', mesh: Mesh.LINKERD, kind: 'Service', name: 'reviews-blue',
    build: (c) => {
      const s = service(c, 'reviews', { versions: ['v1'], renderServices: true });
      s.addVersion('v2', { serviceName: 'reviews-blue' });
      canary(c, s);
      new ServiceWorkloads(c, 'workloads', { service: s, versions: [{ version: 'v1', image: 'r:1' }, { version: 'v2', image: 'r:2' }] });
    },
    references: [{ what: 'the canary backend', values: (o) => of(o, 'HTTPRoute').flatMap((r) => r.spec.rules.flatMap((x: any) => x.backendRefs.map((b: any) => b.name))) }],
  },
  {
    construct: 'ServiceWorkloads', prop: 'versions[0].deploymentName', mesh: Mesh.ISTIO, kind: 'Deployment', name: 'reviews-app-v1',
    build: (c) => {
      const s = service(c, 'reviews');
      new ServiceWorkloads(c, 'workloads', { service: s, versions: [{ version: 'v1', image: 'r:1', deploymentName: 'reviews-app-v1' }, { version: 'v2', image: 'r:2' }] });
    },
  },
  {
    construct: 'ServiceWorkloads', prop: 'versions[1].deploymentName (Argo Rollouts)', mesh: Mesh.ISTIO, kind: 'Deployment', name: 'reviews-app-v2',
    build: (c) => {
      const s = service(c, 'reviews');
      new ServiceWorkloads(c, 'workloads', { service: s, autoscaling: {}, versions: [{ version: 'v1', image: 'r:1' }, { version: 'v2', image: 'r:2', deploymentName: 'reviews-app-v2' }] });
      new CanaryService(c, 'reviews-canary', { service: s, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts() });
    },
    references: [
      { what: 'the Rollout workloadRef', values: (o) => of(o, 'Rollout').map((r) => r.spec.workloadRef.name) },
      // the Deployment's HPA scales the Rollout that runs its pods, and keeps the Deployment's name
      { what: 'the HorizontalPodAutoscaler scaling the Rollout', values: (o) => of(o, 'HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.kind === 'Rollout').map((h) => h.metadata.name) },
    ],
  },
  {
    construct: 'CanaryEngine.argoRollouts', prop: 'rolloutName', mesh: Mesh.ISTIO, kind: 'Rollout', name: 'reviews-rollout',
    build: (c) => new CanaryService(c, 'reviews-canary', { service: service(c, 'reviews'), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts({ rolloutName: 'reviews-rollout' }) }),
  },
  {
    construct: 'CanaryEngine.argoRollouts', prop: 'analysisTemplateName', mesh: Mesh.ISTIO, kind: 'AnalysisTemplate', name: 'reviews-analysis',
    build: (c) => new CanaryService(c, 'reviews-canary', { service: service(c, 'reviews'), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts({ analysisTemplateName: 'reviews-analysis' }) }),
    references: [{ what: 'the Rollout\'s analysis steps', values: (o) => of(o, 'Rollout').flatMap((r) => r.spec.strategy.canary.steps.filter((x: any) => x.analysis).map((x: any) => x.analysis.templates[0].templateName)) }],
  },
  {
    construct: 'MeshService', prop: 'serviceAccountName', mesh: Mesh.ISTIO, kind: 'ServiceAccount', name: 'reviews-sa',
    build: (c) => new ServiceWorkloads(c, 'workloads', { service: service(c, 'reviews', { serviceAccountName: 'reviews-sa' }), versions: [{ version: 'v1', image: 'r:1' }] }),
    references: [{ what: 'the Deployment\'s pods', values: (o) => of(o, 'Deployment').map((d) => d.spec.template.spec.serviceAccountName) }],
  },
];

describe('names you choose: routing objects', () => {
  testRows(ROUTING_ROWS);

  test('per-version Services renamed: the HTTPRoute backends and the ReferenceGrant name them, and no default name is left', () => {
    const c = meshChart(Mesh.GATEWAY_API);
    const ratings = new MeshService(c, 'ratings', { namespace: 'backend', ports: [ServicePort.http(9080)] });
    ratings.addVersion('v1', { serviceName: 'ratings-stable' });
    service(c, 'reviews', { names: { httpRoute: 'reviews-split', referenceGrant: 'reviews-grant' } })
      .addRoute({ matches: [Match.path.prefix('/ratings')], to: RouteTo.service(ratings, { version: 'v1' }) });
    const objects = Testing.synth(c);
    const route = of(objects, 'HTTPRoute')[0];
    expect(route.metadata.name).toBe('reviews-split');
    expect(route.spec.rules[0].backendRefs.map((b: any) => b.name)).toEqual(['ratings-stable']);
    const grant = of(objects, 'ReferenceGrant')[0];
    expect(grant.metadata).toEqual({ name: 'reviews-grant', namespace: 'backend' });
    expect(grant.spec.to).toEqual([{ group: '', kind: 'Service', name: 'ratings-stable' }]);
  });

  test('a chosen name its kind refuses fails when the construct is created, naming the construct, the prop and a fix', () => {
    const c = meshChart();
    expect(() => service(c, 'reviews', { names: { virtualService: 'Reviews_Routes' } }))
      .toThrow(/^test\/reviews: names.virtualService names a VirtualService, whose name must be a DNS subdomain .*got "Reviews_Routes". Fix: use a name such as "reviews-routes", or leave names.virtualService unset for the default "reviews"$/);
    expect(() => service(c, 'ratings', { versions: [] }).addVersion('v1', { serviceName: '1-ratings' }))
      .toThrow(/test\/ratings: version v1 serviceName names a Service, whose name must be an RFC 1035 label .*got "1-ratings"/);
    const s = service(c, 'details');
    expect(() => new ServiceWorkloads(c, 'w', { service: s, versions: [{ version: 'v1', image: 'd:1', deploymentName: 'x'.repeat(254) }] }))
      .toThrow(/test\/w: versions\[0\].deploymentName names a Deployment, whose name must be a DNS subdomain/);
  });

  test('a Deployment name chosen after a Rollout referred to the default fails at once, naming both constructs', () => {
    const c = meshChart();
    const s = service(c, 'reviews');
    new CanaryService(c, 'reviews-canary', { service: s, stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts() });
    expect(() => new ServiceWorkloads(c, 'workloads', { service: s, versions: [{ version: 'v1', image: 'r:1' }, { version: 'v2', image: 'r:2', deploymentName: 'reviews-app-v2' }] }))
      .toThrow(/^test\/workloads: versions\[1\].deploymentName is "reviews-app-v2", but test\/reviews-canary already refers to the Deployment of reviews version v2 as "reviews-v2". Fix: create test\/workloads before test\/reviews-canary/);
  });

  test('the defaults are unchanged when no name is chosen', () => {
    const c = meshChart();
    const s = service(c, 'reviews');
    canary(c, s);
    expect(s.names).toEqual({
      virtualService: 'reviews', destinationRule: 'reviews', httpRoute: 'reviews', referenceGrant: 'reviews-from-bookinfo', authorizationPolicy: 'reviews',
      ciliumNetworkPolicy: 'reviews', ingressNetworkPolicy: 'reviews-ingress', egressNetworkPolicy: 'reviews-egress', linkerdServers: { http: 'reviews-http' },
      alertRule: 'reviews-golden-signals', dashboard: 'grafana-dashboard-mesh-bookinfo-reviews',
    });
    expect(Testing.synth(c).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['DestinationRule/reviews', 'VirtualService/reviews']);
  });
});

describe('names you choose: pods of a renamed Deployment', () => {
  const workloads = (c: Chart, s: MeshService) => new ServiceWorkloads(c, 'workloads', { service: s, versions: [{ version: 'v1', image: 'r:1', deploymentName: 'legacy-reviews-v1' }] });
  const podRegexes = (objects: any[]) => JSON.stringify(of(objects, 'PrometheusRule')).match(/pod=~\\"[^\\]*/g);

  test('the alerts\' container metrics select the pods of a Deployment named by ServiceWorkloads', () => {
    const c = meshChart();
    const s = service(c, 'reviews', { versions: ['v1'] });
    workloads(c, s);
    new ServiceAlerts(c, 'alerts', { service: s });
    expect(new Set(podRegexes(Testing.synth(c)))).toEqual(new Set(['pod=~\\"(reviews|legacy-reviews-v1)(-.+)?-[a-z0-9]+-[a-z0-9]{5}']));
  });

  test('alerts created before the Deployment was renamed fail the synth with the regex to pass', () => {
    const c = meshChart();
    const s = service(c, 'reviews', { versions: ['v1'] });
    new ServiceAlerts(c, 'alerts', { service: s });
    workloads(c, s);
    expect(() => Testing.synth(c)).toThrow(/test\/alerts: podNameRegex defaults to "reviews\(-\.\+\)\?-\[a-z0-9\]\+-\[a-z0-9\]\{5\}", which misses the pods of the Deployment legacy-reviews-v1 .*Fix: create the ServiceWorkloads before test\/alerts, or pass podNameRegex: "\(reviews\|legacy-reviews-v1\)/);
  });

  test('Deployments named <service>-... keep the default regex', () => {
    const c = meshChart();
    const s = service(c, 'reviews', { versions: ['v1'] });
    new ServiceAlerts(c, 'alerts', { service: s });
    new ServiceWorkloads(c, 'workloads', { service: s, versions: [{ version: 'v1', image: 'r:1', deploymentName: 'reviews-app-v1' }] });
    expect(new Set(podRegexes(Testing.synth(c)))).toEqual(new Set(['pod=~\\"reviews(-.+)?-[a-z0-9]+-[a-z0-9]{5}']));
  });
});
