import { Chart, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService, MeshServiceProps } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads } from '../../src/service/service-workloads';
import { CanaryService } from '../../src/patterns/canary-service';
import { RouteTo } from '../../src/traffic/route-action';
import { Match } from '../../src/traffic/match';
import { meshChart } from '../support/charts';
import { Caller } from '../../src/security/caller';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { LocalRateLimit } from '../../src/resilience/local-rate-limit';
import { RateLimit } from '../../src/resilience/rate-limit';
import { LinkerdAccessPolicy } from '../../src/security/linkerd/server';
import { JwtPolicy, JwtTarget } from '../../src/security/jwt-policy';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { MeshWideMtls } from '../../src/security/mesh-wide-mtls';
import { TeamMember, TeamNamespace } from '../../src/security/kubernetes/team-namespace';
import { ObservabilityStack } from '../../src/observability/observability-stack';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { ServiceLevelObjective } from '../../src/observability/slo/service-level-objective';
import { Receiver } from '../../src/observability/alerting/receivers';
import { TracingProvider } from '../../src/observability/telemetry/providers';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { IngressTls } from '../../src/ingress/ingress-tls';
import { Destination } from '../../src/traffic/route-action';
import { CanaryEngine } from '../../src/progressive/canary-engine';

// Names you choose (issue 12): every object the library renders can take a name the user chose,
// and the objects that refer to it follow. One row per object kind and construct: build the
// construct with a chosen name, then find the object by kind and name, and every reference to it.

/** A reference to the chosen name, found in the rendered objects. */
interface Reference {
  readonly what: string;
  readonly values: (objects: any[]) => unknown[];
}

interface Row {
  readonly construct: string;
  readonly prop: string;
  readonly mesh: Mesh;
  readonly kind: string;
  readonly name: string;
  readonly build: (chart: Chart) => void;
  readonly references?: Reference[];
}

function service(chart: Chart, id: string, extra: Partial<MeshServiceProps> = {}): MeshService {
  return new MeshService(chart, id, { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], serviceAccountName: `bookinfo-${id}`, ...extra });
}

function canary(chart: Chart, s: MeshService): void {
  new CanaryService(chart, `${s.node.id}-canary`, { service: s, stableVersion: 'v1', canaryVersion: 'v2', stage: 2 });
}

const of = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

/** Routing objects: the service's routing table and the Services and workloads routes name. */
export const ROUTING_ROWS: Row[] = [
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
      { what: 'the HorizontalPodAutoscaler and its scaleTargetRef', values: (o) => of(o, 'HorizontalPodAutoscaler').filter((h) => h.metadata.name === 'reviews-app-v2').map((h) => h.spec.scaleTargetRef.name) },
    ],
  },
  {
    construct: 'MeshService', prop: 'serviceAccountName', mesh: Mesh.ISTIO, kind: 'ServiceAccount', name: 'reviews-sa',
    build: (c) => new ServiceWorkloads(c, 'workloads', { service: service(c, 'reviews', { serviceAccountName: 'reviews-sa' }), versions: [{ version: 'v1', image: 'r:1' }] }),
    references: [{ what: 'the Deployment\'s pods', values: (o) => of(o, 'Deployment').map((d) => d.spec.template.spec.serviceAccountName) }],
  },
];

/** reviews, with the chosen names, called by productpage (whose names are `callerNames`). */
function authorize(c: Chart, names: MeshServiceProps['names'], callerNames: MeshServiceProps['names'] = {}): void {
  const reviews = service(c, 'reviews', { names });
  const productpage = service(c, 'productpage', { names: callerNames });
  new ServiceAuthorization(c, 'authz').allow({ from: [Caller.service(productpage)], to: reviews });
}

const names = (objects: any[], kind: string) => of(objects, kind).map((o) => o.metadata.name);

/** Policies and security: the objects rendered for a service's callers, limits and tokens, and a namespace's baseline. */
export const POLICY_ROWS: Row[] = [
  {
    construct: 'MeshService', prop: 'names.authorizationPolicy', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'reviews-allow',
    build: (c) => authorize(c, { authorizationPolicy: 'reviews-allow' }),
  },
  {
    construct: 'MeshService', prop: 'names.ingressNetworkPolicy', mesh: Mesh.ISTIO, kind: 'NetworkPolicy', name: 'reviews-callers',
    build: (c) => authorize(c, { ingressNetworkPolicy: 'reviews-callers' }),
  },
  {
    construct: 'MeshService', prop: 'names.egressNetworkPolicy', mesh: Mesh.LINKERD, kind: 'NetworkPolicy', name: 'productpage-out',
    build: (c) => authorize(c, {}, { egressNetworkPolicy: 'productpage-out' }),
  },
  {
    construct: 'MeshService', prop: 'names.ciliumNetworkPolicy', mesh: Mesh.CILIUM, kind: 'CiliumNetworkPolicy', name: 'reviews-l7',
    build: (c) => authorize(c, { ciliumNetworkPolicy: 'reviews-l7' }),
  },
  {
    construct: 'MeshService', prop: 'names.linkerdServers', mesh: Mesh.LINKERD, kind: 'Server', name: 'reviews-server',
    build: (c) => authorize(c, { linkerdServers: { http: 'reviews-server' } }),
    references: [
      { what: 'the AuthorizationPolicy targetRef', values: (o) => of(o, 'AuthorizationPolicy').map((p) => p.spec.targetRef.name) },
      { what: 'the per-rule objects <server>-<rule>', values: (o) => [...names(o, 'AuthorizationPolicy'), ...names(o, 'MeshTLSAuthentication')].map((n) => n.replace(/-from-productpage$/, '')) },
    ],
  },
  {
    construct: 'LocalRateLimit', prop: 'name', mesh: Mesh.ISTIO, kind: 'EnvoyFilter', name: 'reviews-limit',
    build: (c) => new LocalRateLimit(c, 'limit', { service: service(c, 'reviews'), limit: RateLimit.perSecond(10), name: 'reviews-limit' }),
  },
  {
    construct: 'LocalRateLimit', prop: 'name', mesh: Mesh.LINKERD, kind: 'HTTPLocalRateLimitPolicy', name: 'reviews-limit',
    build: (c) => new LocalRateLimit(c, 'limit', { service: service(c, 'reviews'), limit: RateLimit.perSecond(10), name: 'reviews-limit', serverAccessPolicy: LinkerdAccessPolicy.DENY }),
  },
  {
    construct: 'MeshService', prop: 'names.linkerdServers (LocalRateLimit)', mesh: Mesh.LINKERD, kind: 'Server', name: 'reviews-server',
    build: (c) => new LocalRateLimit(c, 'limit', {
      service: service(c, 'reviews', { names: { linkerdServers: { http: 'reviews-server' } } }), limit: RateLimit.perSecond(10), serverAccessPolicy: LinkerdAccessPolicy.DENY,
    }),
    references: [{ what: 'the rate limit targetRef', values: (o) => of(o, 'HTTPLocalRateLimitPolicy').map((p) => p.spec.targetRef.name) }],
  },
  {
    construct: 'JwtPolicy', prop: 'names.requestAuthentication', mesh: Mesh.ISTIO, kind: 'RequestAuthentication', name: 'reviews-issuers',
    build: (c) => new JwtPolicy(c, 'jwt', { target: JwtTarget.service(service(c, 'reviews')), jwtRules: [{ issuer: 'https://auth.example.com' }], names: { requestAuthentication: 'reviews-issuers' } }),
  },
  {
    construct: 'JwtPolicy', prop: 'names.authorizationPolicy', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'reviews-token',
    build: (c) => new JwtPolicy(c, 'jwt', { target: JwtTarget.service(service(c, 'reviews')), jwtRules: [{ issuer: 'https://auth.example.com' }], names: { authorizationPolicy: 'reviews-token' } }),
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'name', mesh: Mesh.ISTIO, kind: 'Namespace', name: 'shop-prod',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { name: 'shop-prod' }),
    references: [{ what: 'the namespace of its policies', values: (o) => of(o, 'PeerAuthentication').map((p) => p.metadata.namespace) }],
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'names.peerAuthentication', mesh: Mesh.ISTIO, kind: 'PeerAuthentication', name: 'shop-mtls',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { names: { peerAuthentication: 'shop-mtls' } }),
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'names.allowNothing', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'shop-deny',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { names: { allowNothing: 'shop-deny' } }),
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'names.defaultDeny', mesh: Mesh.LINKERD, kind: 'NetworkPolicy', name: 'shop-baseline',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { names: { defaultDeny: 'shop-baseline' } }),
  },
  {
    construct: 'MeshWideMtls', prop: 'names.peerAuthentication', mesh: Mesh.ISTIO, kind: 'PeerAuthentication', name: 'mesh-mtls',
    build: (c) => new MeshWideMtls(c, 'mtls', { names: { peerAuthentication: 'mesh-mtls' } }),
  },
  {
    construct: 'MeshWideMtls', prop: 'names.allowNothing', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'mesh-deny',
    build: (c) => new MeshWideMtls(c, 'mtls', { denyByDefault: true, names: { allowNothing: 'mesh-deny' } }),
  },
];

function team(c: Chart, names: object, extra: object = {}): TeamNamespace {
  return new TeamNamespace(c, 'payments', { members: [TeamMember.group('team-payments')], readers: [TeamMember.group('auditors')], quota: { pods: 10 }, names, ...extra });
}

function stack(c: Chart, names: object = {}, serviceNames: MeshServiceProps['names'] = {}): void {
  new ObservabilityStack(c, 'obs', {
    services: [service(c, 'reviews', { names: serviceNames })],
    tracing: { provider: TracingProvider.zipkin({ service: 'zipkin.istio-system.svc.cluster.local' }) },
    alertRouting: { defaultReceiver: Receiver.none('null') },
    names,
  });
}

function ingress(c: Chart, extra: object): void {
  const reviews = new MeshService(c, 'reviews', { namespace: 'backend', ports: [ServicePort.http(9080)], versions: ['v1'] });
  new IngressGateway(c, 'edge', { gatewayClassName: 'istio', hosts: ['shop.example.com'], tls: IngressTls.simple('shop-cert'), httpsRedirect: true, ...extra })
    .addRoute({ matches: [Match.path.prefix('/')], to: RouteTo.destination(Destination.service(reviews, { version: 'v1' })) });
}

/** Namespaces, observability and ingress: a team's namespace, the monitoring of services, the edge. */
export const NAMESPACE_AND_OBSERVABILITY_ROWS: Row[] = [
  {
    construct: 'TeamNamespace', prop: 'names.resourceQuota', mesh: Mesh.ISTIO, kind: 'ResourceQuota', name: 'payments-limits',
    build: (c) => team(c, { resourceQuota: 'payments-limits' }),
  },
  {
    construct: 'TeamNamespace', prop: 'names.limitRange', mesh: Mesh.ISTIO, kind: 'LimitRange', name: 'payments-container-defaults',
    build: (c) => team(c, { limitRange: 'payments-container-defaults' }),
  },
  {
    construct: 'TeamNamespace', prop: 'names.editorRole', mesh: Mesh.ISTIO, kind: 'Role', name: 'payments-edit',
    build: (c) => team(c, { editorRole: 'payments-edit' }),
    references: [{ what: 'the RoleBinding and its roleRef', values: (o) => of(o, 'RoleBinding').filter((b) => b.metadata.name === 'payments-edit').map((b) => b.roleRef.name) }],
  },
  {
    construct: 'TeamNamespace', prop: 'names.readerRole', mesh: Mesh.ISTIO, kind: 'Role', name: 'payments-view',
    build: (c) => team(c, { readerRole: 'payments-view' }),
    references: [{ what: 'the RoleBinding and its roleRef', values: (o) => of(o, 'RoleBinding').filter((b) => b.metadata.name === 'payments-view').map((b) => b.roleRef.name) }],
  },
  {
    construct: 'TeamNamespace', prop: 'names.protectionPolicy', mesh: Mesh.ISTIO, kind: 'ValidatingAdmissionPolicy', name: 'payments-guard',
    build: (c) => team(c, { protectionPolicy: 'payments-guard' }),
    references: [{ what: 'the binding and its policyName', values: (o) => of(o, 'ValidatingAdmissionPolicyBinding').filter((b) => b.metadata.name === 'payments-guard').map((b) => b.spec.policyName) }],
  },
  {
    construct: 'TeamNamespace', prop: 'namespace.names.peerAuthentication', mesh: Mesh.ISTIO, kind: 'PeerAuthentication', name: 'payments-mtls',
    build: (c) => team(c, {}, { namespace: { names: { peerAuthentication: 'payments-mtls' } } }),
  },
  ...(['server', 'metricsRoute', 'probesRoute', 'scrapers', 'probes'] as const).map((prop): Row => ({
    construct: 'StrictMtlsNamespace', prop: `names.scrapeAdmission.${prop}`, mesh: Mesh.LINKERD,
    kind: { server: 'Server', metricsRoute: 'HTTPRoute', probesRoute: 'HTTPRoute', scrapers: 'NetworkAuthentication', probes: 'NetworkAuthentication' }[prop],
    name: `scrape-${prop.toLowerCase()}`,
    build: (c) => {
      new StrictMtlsNamespace(c, 'bookinfo', { names: { scrapeAdmission: { [prop]: `scrape-${prop.toLowerCase()}` } } });
      new ObservabilityStack(c, 'obs', { services: [service(c, 'reviews')] });
    },
    references: prop === 'server' ? [{ what: 'the routes\' parentRefs', values: (o) => of(o, 'HTTPRoute').flatMap((r) => r.spec.parentRefs.map((p: any) => p.name)) }]
      : prop === 'metricsRoute' || prop === 'probesRoute' ? [{ what: 'the policies\' targetRefs', values: (o) => of(o, 'AuthorizationPolicy').map((p) => p.spec.targetRef.name) }]
        : [{ what: 'the policy and its authentication ref', values: (o) => of(o, 'AuthorizationPolicy').filter((p) => p.metadata.name === `scrape-${prop}`).flatMap((p) => p.spec.requiredAuthenticationRefs.map((r: any) => r.name)) }],
  })),
  {
    construct: 'MeshService', prop: 'names.alertRule (ServiceAlerts)', mesh: Mesh.ISTIO, kind: 'PrometheusRule', name: 'reviews-alerts',
    build: (c) => new ServiceAlerts(c, 'alerts', { service: service(c, 'reviews', { names: { alertRule: 'reviews-alerts' } }) }),
  },
  {
    construct: 'MeshService', prop: 'names.alertRule (ObservabilityStack)', mesh: Mesh.ISTIO, kind: 'PrometheusRule', name: 'reviews-alerts',
    build: (c) => stack(c, {}, { alertRule: 'reviews-alerts' }),
  },
  {
    construct: 'MeshService', prop: 'names.dashboard', mesh: Mesh.ISTIO, kind: 'ConfigMap', name: 'reviews-dashboard',
    build: (c) => stack(c, {}, { dashboard: 'reviews-dashboard' }),
  },
  {
    construct: 'ServiceLevelObjective', prop: 'ruleName', mesh: Mesh.ISTIO, kind: 'PrometheusRule', name: 'reviews-availability-rules',
    build: (c) => new ServiceLevelObjective(c, 'slo', { service: service(c, 'reviews'), objectivePercent: 99.9, ruleName: 'reviews-availability-rules' }),
  },
  ...([
    ['telemetry', 'Telemetry', Mesh.ISTIO], ['istioSidecarsMonitor', 'PodMonitor', Mesh.ISTIO], ['istiodMonitor', 'ServiceMonitor', Mesh.ISTIO],
    ['linkerdProxiesMonitor', 'PodMonitor', Mesh.LINKERD], ['overviewDashboard', 'ConfigMap', Mesh.ISTIO], ['alertRouting', 'AlertmanagerConfig', Mesh.ISTIO],
  ] as const).map(([prop, kind, mesh]): Row => ({
    construct: 'ObservabilityStack', prop: `names.${prop}`, mesh, kind, name: `obs-${prop.toLowerCase()}`,
    build: (c) => (mesh === Mesh.LINKERD
      ? new ObservabilityStack(c, 'obs', { services: [service(c, 'reviews')], names: { [prop]: `obs-${prop.toLowerCase()}` } })
      : stack(c, { [prop]: `obs-${prop.toLowerCase()}` })),
  })),
  {
    construct: 'IngressGateway', prop: 'redirectRouteName', mesh: Mesh.GATEWAY_API, kind: 'HTTPRoute', name: 'shop-to-https',
    build: (c) => ingress(c, { redirectRouteName: 'shop-to-https' }),
  },
  {
    construct: 'IngressGateway', prop: 'referenceGrantName', mesh: Mesh.GATEWAY_API, kind: 'ReferenceGrant', name: 'edge-may-route',
    build: (c) => ingress(c, { referenceGrantName: 'edge-may-route' }),
  },
  {
    construct: 'IngressGateway', prop: 'gatewayName', mesh: Mesh.GATEWAY_API, kind: 'Gateway', name: 'shop-edge',
    build: (c) => ingress(c, { gatewayName: 'shop-edge' }),
    references: [{ what: 'the routes\' parentRefs', values: (o) => of(o, 'HTTPRoute').flatMap((r) => r.spec.parentRefs.map((p: any) => p.name)) }],
  },
];

export function checkRow(row: Row): void {
  const chart = meshChart(row.mesh);
  row.build(chart);
  const objects = Testing.synth(chart);
  const named = objects.filter((o) => o.kind === row.kind && o.metadata.name === row.name);
  expect(named).toHaveLength(1);
  for (const ref of row.references ?? []) {
    const values = ref.values(objects);
    expect({ what: ref.what, found: values.includes(row.name) }).toEqual({ what: ref.what, found: true });
  }
}

describe('names you choose: routing objects', () => {
  test.each(ROUTING_ROWS.map((r) => [`${r.construct} ${r.prop} → ${r.kind} on ${r.mesh}`, r] as const))('%s', (_, row) => checkRow(row));

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

describe('names you choose: policies and security', () => {
  test.each(POLICY_ROWS.map((r) => [`${r.construct} ${r.prop} → ${r.kind} on ${r.mesh}`, r] as const))('%s', (_, row) => checkRow(row));

  test('a caller named by string cannot take its chosen egress name, and the synth says how to fix it', () => {
    const c = meshChart();
    const reviews = service(c, 'reviews');
    new ServiceAuthorization(c, 'authz').allow({ from: [Caller.serviceNamed('productpage')], to: reviews });
    service(c, 'productpage', { names: { egressNetworkPolicy: 'productpage-out' } });
    expect(() => Testing.synth(c)).toThrow(/test\/authz: from productpage names the caller by name \(Caller.serviceNamed\), so its egress NetworkPolicy is productpage-egress, not the name its MeshService chose \(names.egressNetworkPolicy: productpage-out\). Fix: pass the MeshService with Caller.service/);
  });

  test('Server names are keyed by port name', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => service(c, 'reviews', { names: { linkerdServers: { grpc: 'x' } } })).toThrow(/test\/reviews: names.linkerdServers.grpc names no port of reviews \(ports: http\)/);
  });
});

describe('names you choose: namespaces, observability and ingress', () => {
  test.each(NAMESPACE_AND_OBSERVABILITY_ROWS.map((r) => [`${r.construct} ${r.prop} → ${r.kind} on ${r.mesh}`, r] as const))('%s', (_, row) => checkRow(row));
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

describe('names you choose: collisions', () => {
  test('two services choosing one VirtualService name fail the synth, naming both constructs', () => {
    const c = meshChart();
    canary(c, service(c, 'reviews', { names: { virtualService: 'routes' } }));
    canary(c, service(c, 'ratings', { names: { virtualService: 'routes' } }));
    expect(() => Testing.synth(c)).toThrow(/test\/ratings\/VirtualService: writes VirtualService bookinfo\/routes \(networking.istio.io\/v1\), which test\/reviews\/VirtualService also writes \(chart test\).*Fix: .*give one of the objects another name \(the construct's name or names prop\)/);
  });

  test('two constructs of different kinds choosing one NetworkPolicy name fail the synth, naming both', () => {
    const c = meshChart();
    new StrictMtlsNamespace(c, 'ns', { name: 'bookinfo', names: { defaultDeny: 'baseline' } });
    authorize(c, { ingressNetworkPolicy: 'baseline' });
    expect(() => Testing.synth(c)).toThrow(/test\/authz\/bookinfo-reviews\/IngressNetworkPolicy: writes NetworkPolicy bookinfo\/baseline \(networking.k8s.io\/v1\), which test\/ns\/DefaultDeny also writes/);
  });

  test('a chosen name equal to another service\'s default collides too', () => {
    const c = meshChart();
    canary(c, service(c, 'reviews'));
    canary(c, service(c, 'ratings', { names: { destinationRule: 'reviews' } }));
    expect(() => Testing.synth(c)).toThrow(/test\/ratings\/DestinationRule: writes DestinationRule bookinfo\/reviews .*which test\/reviews\/DestinationRule also writes/);
  });
});
