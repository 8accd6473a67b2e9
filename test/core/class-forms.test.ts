// The class forms of the free functions and constants (what Python, Java and Go call) answer as the functions.
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  BurnRates, burnRate, ISTIO_DURATION_BUCKETS_MS, LINKERD_LATENCY_BUCKETS_MS, Mesh, MESH_CONTEXT_KEY, MeshDashboards, MeshMetrics, meshOf, meshOverviewDashboard,
  MeshSettings, MeshTarget, IstioVersion, routesWithGatewayApi, serviceDashboard, SRE_WORKBOOK_BURN_RATES, TARGET_CONTEXT_KEY, targetOf,
  CanaryService, CiliumNetworkPolicy, CILIUM_NAMESPACE_LABEL, CILIUM_SERVICE_ACCOUNT_LABEL, ConnectionPool, CONNECTION_POOL_MAX, DEFAULT_CANARY_STAGES,
  DEFAULT_RATE_LIMIT_HEADERS, DEFAULT_WORKLOAD_RESOURCES, ExternalService, FAILURE_ACCRUAL_ANNOTATIONS, GATEWAY_API_LIMITS, GATEWAY_MAX_LISTENERS, GatewayApiGateway,
  HttpRoute, isHttpProtocol, ISTIO_EGRESS_GATEWAY_HOST, ISTIO_EGRESS_GATEWAY_SELECTOR, ISTIO_INGRESS_GATEWAY_SELECTOR, ISTIO_PROTOCOL_PREFIXES, IstioGateway,
  LINKERD_RETRY_ANNOTATIONS, LinkerdAnnotations, linkerdDuration, LocalRateLimit, NAMESPACE_NAME_LABEL, NetworkPeer, Protocol, protocolFromPortName, Protocols,
  ReferenceGrant, REFERENCE_GRANT_MAX_ENTRIES, WorkloadResourcesDefaults,
} from '../../src';
import { reviewsService } from '../support/charts';

describe('MeshSettings (class form of useMesh, meshOf, useTarget, targetOf)', () => {
  test('selects the mesh and the target of a scope as the functions do', () => {
    const app = new App();
    MeshSettings.useMesh(app, Mesh.LINKERD, { target: MeshTarget.of({ istio: IstioVersion.V1_28 }) });
    const chart = new Chart(app, 'c');
    expect(MeshSettings.meshOf(chart)).toBe(Mesh.LINKERD);
    expect(meshOf(chart)).toBe(Mesh.LINKERD);
    expect(MeshSettings.targetOf(chart)).toBe(targetOf(chart));
    const other = new App();
    MeshSettings.useTarget(other, MeshTarget.LATEST);
    expect(targetOf(other)).toBe(MeshTarget.LATEST);
    expect(MeshSettings.meshOf(other)).toBe(Mesh.ISTIO);
    expect(MeshSettings.MESH_CONTEXT_KEY).toBe(MESH_CONTEXT_KEY);
    expect(MeshSettings.TARGET_CONTEXT_KEY).toBe(TARGET_CONTEXT_KEY);
    for (const m of Object.values(Mesh)) expect(MeshSettings.routesWithGatewayApi(m)).toBe(routesWithGatewayApi(m));
    expect(() => MeshSettings.useMesh(new App(), 'consul' as Mesh)).toThrow(/mesh is not a known mesh, got "consul"/);
  });
});

describe('observability class forms', () => {
  test('MeshDashboards builds the dashboards serviceDashboard and meshOverviewDashboard build', () => {
    const chart = Testing.chart();
    const reviews = reviewsService(chart);
    expect(MeshDashboards.forService(reviews, { showErrorBudget: true }).toJson()).toEqual(serviceDashboard(reviews, { showErrorBudget: true }).toJson());
    expect(MeshDashboards.meshOverview({ metrics: MeshMetrics.linkerd() }).toJson()).toEqual(meshOverviewDashboard({ metrics: MeshMetrics.linkerd() }).toJson());
  });

  test('BurnRates and the MeshMetrics bucket constants equal the functions and constants', () => {
    expect(BurnRates.sreWorkbook()).toEqual([...SRE_WORKBOOK_BURN_RATES]);
    expect(BurnRates.rate(SRE_WORKBOOK_BURN_RATES[0], Duration.days(30))).toBe(burnRate(SRE_WORKBOOK_BURN_RATES[0], Duration.days(30)));
    expect(BurnRates.rate(SRE_WORKBOOK_BURN_RATES[0], Duration.days(30))).toBeCloseTo(14.4);
    expect(MeshMetrics.ISTIO_DURATION_BUCKETS_MS).toEqual([...ISTIO_DURATION_BUCKETS_MS]);
    expect(MeshMetrics.LINKERD_LATENCY_BUCKETS_MS).toEqual([...LINKERD_LATENCY_BUCKETS_MS]);
  });
});

describe('class forms of the constants of the other areas', () => {
  test('each static equals its constant, and the copies cannot change the constants', () => {
    expect(CiliumNetworkPolicy.NAMESPACE_LABEL).toBe(CILIUM_NAMESPACE_LABEL);
    expect(CiliumNetworkPolicy.SERVICE_ACCOUNT_LABEL).toBe(CILIUM_SERVICE_ACCOUNT_LABEL);
    expect(ConnectionPool.MAX).toBe(CONNECTION_POOL_MAX);
    expect(LocalRateLimit.DEFAULT_RESPONSE_HEADERS).toEqual(DEFAULT_RATE_LIMIT_HEADERS);
    expect(GatewayApiGateway.MAX_LISTENERS).toBe(GATEWAY_MAX_LISTENERS);
    expect([HttpRoute.MAX_RULES, HttpRoute.MAX_BACKEND_REFS, HttpRoute.MAX_MATCHES]).toEqual([GATEWAY_API_LIMITS.rules, GATEWAY_API_LIMITS.backendRefs, GATEWAY_API_LIMITS.matches]);
    expect(ExternalService.ISTIO_EGRESS_GATEWAY_HOST).toBe(ISTIO_EGRESS_GATEWAY_HOST);
    expect(IstioGateway.INGRESS_GATEWAY_SELECTOR).toEqual(ISTIO_INGRESS_GATEWAY_SELECTOR);
    expect(IstioGateway.EGRESS_GATEWAY_SELECTOR).toEqual(ISTIO_EGRESS_GATEWAY_SELECTOR);
    expect(NetworkPeer.NAMESPACE_NAME_LABEL).toBe(NAMESPACE_NAME_LABEL);
    expect(ReferenceGrant.MAX_ENTRIES).toBe(REFERENCE_GRANT_MAX_ENTRIES);
    expect(CanaryService.DEFAULT_STAGES).toEqual([...DEFAULT_CANARY_STAGES]);
    expect(LinkerdAnnotations.RETRY).toEqual(LINKERD_RETRY_ANNOTATIONS);
    expect(LinkerdAnnotations.FAILURE_ACCRUAL).toEqual(FAILURE_ACCRUAL_ANNOTATIONS);
    expect(LinkerdAnnotations.duration(Duration.millis(1500))).toBe(linkerdDuration(Duration.millis(1500)));
    expect(WorkloadResourcesDefaults.VALUES).toEqual(DEFAULT_WORKLOAD_RESOURCES);
    expect(Protocols.ISTIO_PREFIXES).toEqual([...ISTIO_PROTOCOL_PREFIXES]);
    expect(Protocols.fromPortName('grpc-web-api')).toBe(protocolFromPortName('grpc-web-api'));
    expect(Protocols.isHttp(Protocol.GRPC)).toBe(isHttpProtocol(Protocol.GRPC));
    CanaryService.DEFAULT_STAGES.push(1);
    expect(DEFAULT_CANARY_STAGES).toEqual([5, 10, 30, 50, 100]);
  });
});
