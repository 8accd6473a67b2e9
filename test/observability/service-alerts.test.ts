import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { AlertSeverity, MeshMetrics, ServiceAlerts } from '../../src/observability';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { meshChart, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const REVIEWS = 'destination_service_namespace="bookinfo",destination_service_name="reviews"';
/** reviews' requests where users see them: the callers' proxies, plus the server's for callers without one. */
const userFacing = (metric: string, extra: string, window: string) =>
  `rate(${metric}{reporter="source",${REVIEWS}${extra}}[${window}]) or rate(${metric}{reporter="destination",source_workload="unknown",${REVIEWS}${extra}}[${window}])`;

function rulesOf(objects: any[]): any[] {
  return objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
}

describe('ServiceAlerts', () => {
  test('Istio: golden signals on istio_requests_total and the duration histogram', () => {
    const c = meshChart();
    const a = new ServiceAlerts(c, 'alerts', { service: reviewsService(c), runbookBaseUrl: 'https://runbooks.example.com/mesh/', team: 'bookinfo', ruleLabels: { release: 'prom' } });
    const objects = batch.add('istio', Testing.synth(c)) as any[];
    const rule = objects.find((o) => o.kind === 'PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'reviews-golden-signals', namespace: 'bookinfo', labels: { release: 'prom' } });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['bookinfo.reviews.golden-signals']);
    expect(a.alertNames).toEqual(['MeshServiceHighErrorRatio', 'MeshServiceHighLatency', 'MeshServiceTrafficDrop', 'MeshServiceMetricsAbsent', 'MeshServiceCpuNearLimit', 'MeshServiceMemoryNearLimit', 'MeshServiceRestarting']);
    const [errors, latency] = rulesOf(objects);
    expect(errors).toEqual({
      alert: 'MeshServiceHighErrorRatio',
      expr: `((sum(${userFacing('istio_requests_total', ',response_code=~"5.."', '5m')}) or vector(0)) / sum(${userFacing('istio_requests_total', '', '5m')})) > 0.05`,
      for: '5m',
      labels: { namespace: 'bookinfo', service: 'reviews', severity: 'critical', team: 'bookinfo' },
      annotations: {
        description: 'More than 5% of the requests to reviews.bookinfo failed over the last 5m (istio metrics).',
        runbook_url: 'https://runbooks.example.com/mesh/MeshServiceHighErrorRatio',
        summary: 'reviews.bookinfo: {{ $value | humanizePercentage }} of requests fail',
      },
    });
    expect(latency.expr).toBe(`histogram_quantile(0.99, sum by (le) (${userFacing('istio_request_duration_milliseconds_bucket', '', '5m')})) > 500`);
    const absent = rulesOf(objects).find((r) => r.alert === 'MeshServiceMetricsAbsent');
    expect(absent).toMatchObject({ expr: `absent_over_time(istio_requests_total{${REVIEWS}}[10m])`, for: '5m', labels: { severity: 'warning', service: 'reviews' } });
    expect(rule).toMatchSnapshot();
  });

  test('saturation divides by the limits from kube-state-metrics; restarts use the restart counter', () => {
    const c = meshChart();
    new ServiceAlerts(c, 'alerts', { service: reviewsService(c), podNameRegex: 'reviews-.*', saturation: { cpuPercent: 80 }, restarts: { restarts: 5, window: Duration.hours(1) } });
    const rules = rulesOf(Testing.synth(c));
    const cpu = rules.find((r) => r.alert === 'MeshServiceCpuNearLimit');
    expect(cpu.expr).toContain('kube_pod_container_resource_limits{namespace="bookinfo",pod=~"reviews-.*",resource="cpu"}');
    expect(cpu.expr).toMatch(/rate\(container_cpu_usage_seconds_total\{namespace="bookinfo",pod=~"reviews-\.\*",container!="",container!="POD"\}\[5m\]\)\) \/ on \(namespace, pod, container\)/);
    expect(cpu.expr).toMatch(/> 0\.8$/);
    expect(rules.find((r) => r.alert === 'MeshServiceMemoryNearLimit').expr).toContain('container_memory_working_set_bytes');
    expect(rules.find((r) => r.alert === 'MeshServiceRestarting').expr).toBe('sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{namespace="bookinfo",pod=~"reviews-.*"}[1h])) >= 5');
  });

  test('Linkerd: inbound response_total selected by namespace and pod labels', () => {
    const c = meshChart(Mesh.LINKERD, 'emojivoto');
    const web = new MeshService(c, 'web', { ports: [ServicePort.http(80)], selector: { 'app.kubernetes.io/name': 'web' } });
    const a = new ServiceAlerts(c, 'alerts', { service: web, trafficDrop: { enabled: false }, saturation: { enabled: false }, restarts: { enabled: false } });
    const rules = rulesOf(batch.add('linkerd', Testing.synth(c)) as any[]);
    expect(a.metrics.name).toBe('linkerd');
    expect(rules.map((r) => r.alert)).toEqual(['MeshServiceHighErrorRatio', 'MeshServiceHighLatency', 'MeshServiceMetricsAbsent']);
    expect(rules[2].expr).toBe('absent_over_time(response_total{direction="inbound",namespace="emojivoto",app_kubernetes_io_name="web"}[10m])');
    expect(rules[0].expr).toBe('((sum(rate(response_total{direction="inbound",namespace="emojivoto",app_kubernetes_io_name="web",classification="failure"}[5m])) or vector(0)) / sum(rate(response_total{direction="inbound",namespace="emojivoto",app_kubernetes_io_name="web"}[5m]))) > 0.05');
    expect(rules[1].expr).toContain('response_latency_ms_bucket{direction="inbound"');
  });

  test('GAMMA (Gateway API) uses Istio metrics; Cilium needs an explicit choice', () => {
    const g = meshChart(Mesh.GATEWAY_API);
    expect(new ServiceAlerts(g, 'a', { service: reviewsService(g) }).metrics.name).toBe('istio');
    const c = meshChart(Mesh.CILIUM);
    const svc = reviewsService(c);
    expect(() => new ServiceAlerts(c, 'a', { service: svc })).toThrow(/metrics cannot be derived for cilium/);
    expect(new ServiceAlerts(c, 'b', { service: svc, metrics: MeshMetrics.istio() }).metrics.name).toBe('istio');
  });

  test('severities, durations and thresholds are configurable', () => {
    const c = meshChart();
    new ServiceAlerts(c, 'alerts', {
      service: reviewsService(c),
      errorRatio: { thresholdPercent: 1, severity: AlertSeverity.WARNING, for: Duration.minutes(2), window: Duration.minutes(10) },
      latency: { percentile: 95, threshold: Duration.seconds(1) },
      trafficDrop: { dropPercent: 80, comparedTo: Duration.days(7), minimumRps: 5 },
      alertLabels: { tier: 'backend' },
    });
    const rules = rulesOf(Testing.synth(c));
    expect(rules[0].labels).toEqual({ namespace: 'bookinfo', service: 'reviews', severity: 'warning', tier: 'backend' });
    expect(rules[0].for).toBe('2m');
    expect(rules[0].expr).toMatch(/\[10m\]\)\)\) > 0\.01$/);
    expect(rules[1].expr).toMatch(/^histogram_quantile\(0\.95, .*> 1000$/);
    expect(rules[2].expr).toContain('< 0.2 * sum(rate(');
    expect(rules[2].expr).toContain('[10m] offset 7d)) > 5');
    expect(rules[0].annotations.runbook_url).toBeUndefined();
  });

  test('validation', () => {
    const c = meshChart();
    const svc = reviewsService(c);
    expect(() => new ServiceAlerts(c, 'a', { service: svc, errorRatio: { thresholdPercent: 0 } })).toThrow(/errorRatio.thresholdPercent must be between 0 and 100 \(exclusive\), got 0/);
    expect(() => new ServiceAlerts(c, 'b', { service: svc, latency: { percentile: 100 } })).toThrow(/latency.percentile must be between 0 and 100/);
    expect(() => new ServiceAlerts(c, 'c', { service: svc, runbookBaseUrl: 'runbooks' })).toThrow(/runbookBaseUrl must be an http\(s\) URL/);
    expect(() => new ServiceAlerts(c, 'd', { service: svc, restarts: { restarts: 0 } })).toThrow(/restarts.restarts must be a whole number >= 1/);
    expect(() => new ServiceAlerts(c, 'e', { service: svc, trafficDrop: { minimumRps: -1 } })).toThrow(/trafficDrop.minimumRps must be a number >= 0/);
    expect(() => new ServiceAlerts(c, 'f', { service: svc, alertLabels: { 'a-b': 'x' } })).toThrow(/alertLabels key must be a Prometheus label name/);
    const off = { enabled: false };
    expect(() => new ServiceAlerts(c, 'g', { service: svc, errorRatio: off, latency: off, trafficDrop: off, metricsAbsent: off, saturation: off, restarts: off })).toThrow(/props disable every alert/);
    expect(() => new ServiceAlerts(c, 'h', { service: {} as MeshService })).toThrow(/service must be a MeshService/);
    expect(() => new ServiceAlerts(c, 'i', { service: svc, metricsAbsent: { window: Duration.millis(0) } })).toThrow(/metricsAbsent.window must be a whole number of milliseconds/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
