// The class forms of the free functions and constants (what Python, Java and Go call) answer as the functions.
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  BurnRates, burnRate, ISTIO_DURATION_BUCKETS_MS, LINKERD_LATENCY_BUCKETS_MS, Mesh, MESH_CONTEXT_KEY, MeshDashboards, MeshMetrics, meshOf, meshOverviewDashboard,
  MeshSettings, MeshTarget, IstioVersion, routesWithGatewayApi, serviceDashboard, SRE_WORKBOOK_BURN_RATES, TARGET_CONTEXT_KEY, targetOf,
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
