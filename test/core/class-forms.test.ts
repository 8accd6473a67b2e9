// The class forms of the free functions and constants (what Python, Java and Go call) answer as the functions.
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  BurnRates, burnRate, ISTIO_DURATION_BUCKETS_MS, LINKERD_LATENCY_BUCKETS_MS, Mesh, MeshDashboards, MeshMetrics, meshOf, meshOverviewDashboard,
  MeshSettings, MeshTarget, IstioVersion, routesWithGatewayApi, serviceDashboard, SRE_WORKBOOK_BURN_RATES, targetOf, CanaryService,
  DEFAULT_CANARY_STAGES, DEFAULT_RATE_LIMIT_HEADERS, DEFAULT_WORKLOAD_RESOURCES, FAILURE_ACCRUAL_ANNOTATIONS, isHttpProtocol,
  ISTIO_EGRESS_GATEWAY_SELECTOR, ISTIO_INGRESS_GATEWAY_SELECTOR, ISTIO_PROTOCOL_PREFIXES, IstioGateway, LINKERD_RETRY_ANNOTATIONS,
  LinkerdAnnotations, linkerdDuration, LocalRateLimit, Protocol, protocolFromPortName, Protocols, WorkloadResourcesDefaults,
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
  });
});

describe('class forms of the constants of the other areas', () => {
  // A static assigned from its constant equals it by definition; what can go wrong is a static that
  // shares the constant's array or object, so that a caller changing the copy changes the library.
  test('the array and map statics are copies: changing one leaves the constant the library uses', () => {
    const copies: [object, unknown][] = [
      [CanaryService.DEFAULT_STAGES, DEFAULT_CANARY_STAGES], [MeshMetrics.ISTIO_DURATION_BUCKETS_MS, ISTIO_DURATION_BUCKETS_MS],
      [MeshMetrics.LINKERD_LATENCY_BUCKETS_MS, LINKERD_LATENCY_BUCKETS_MS], [Protocols.ISTIO_PREFIXES, ISTIO_PROTOCOL_PREFIXES],
      [IstioGateway.INGRESS_GATEWAY_SELECTOR, ISTIO_INGRESS_GATEWAY_SELECTOR], [IstioGateway.EGRESS_GATEWAY_SELECTOR, ISTIO_EGRESS_GATEWAY_SELECTOR],
      [LinkerdAnnotations.RETRY, LINKERD_RETRY_ANNOTATIONS], [LinkerdAnnotations.FAILURE_ACCRUAL, FAILURE_ACCRUAL_ANNOTATIONS],
      [LocalRateLimit.DEFAULT_RESPONSE_HEADERS, DEFAULT_RATE_LIMIT_HEADERS], [WorkloadResourcesDefaults.VALUES, DEFAULT_WORKLOAD_RESOURCES],
    ];
    for (const [copy, constant] of copies) {
      const before = JSON.stringify(constant);
      if (Array.isArray(copy)) copy.push(1); else (copy as any).added = 'x';
      expect(JSON.stringify(constant)).toBe(before);
      if (Array.isArray(copy)) copy.pop(); else delete (copy as any).added;
    }
  });

  test('the function statics answer as the functions', () => {
    expect(LinkerdAnnotations.duration(Duration.millis(1500))).toBe(linkerdDuration(Duration.millis(1500)));
    expect(Protocols.fromPortName('grpc-web-api')).toBe(protocolFromPortName('grpc-web-api'));
    expect(Protocols.isHttp(Protocol.GRPC)).toBe(isHttpProtocol(Protocol.GRPC));
  });
});
