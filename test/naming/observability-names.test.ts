import { Chart } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService, MeshServiceProps } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { RouteTo } from '../../src/traffic/route-action';
import { Match } from '../../src/traffic/match';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { TeamMember, TeamNamespace } from '../../src/security/kubernetes/team-namespace';
import { ObservabilityStack } from '../../src/observability/observability-stack';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { ServiceLevelObjective } from '../../src/observability/slo/service-level-objective';
import { Receiver } from '../../src/observability/alerting/receivers';
import { TracingProvider } from '../../src/observability/telemetry/providers';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { IngressTls } from '../../src/ingress/ingress-tls';
import { Destination } from '../../src/traffic/route-action';
import { Row, service, of, testRows } from './support';

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
const NAMESPACE_AND_OBSERVABILITY_ROWS: Row[] = [
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

describe('names you choose: namespaces, observability and ingress', () => {
  testRows(NAMESPACE_AND_OBSERVABILITY_ROWS);
});
