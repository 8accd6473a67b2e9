import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Duration, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { createApp } from '../../examples/observability/main';
import { Mesh } from '../../src/core/mesh';
import { ObservabilityStack, Receiver, ServiceLevelIndicator, TracingProvider } from '../../src/observability';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { meshChart, reviewsService } from '../support/charts';
import { KUBELET, linkerdInbound } from '../support/linkerd-inbound';
import { SchemaBatch } from '../support/schema';
import { hasPromtool } from './promtool/scenario';

const batch = new SchemaBatch();

function kinds(objects: any[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
}

describe('ObservabilityStack', () => {
  test('Istio: Telemetry, sidecar and istiod monitors, alerts, SLOs, dashboards and routing per namespace', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    const ratings = new MeshService(c, 'ratings', { namespace: 'ratings', ports: [ServicePort.http(9080)] });
    const stack = new ObservabilityStack(c, 'obs', {
      services: [reviews, ratings],
      tracing: { provider: TracingProvider.openTelemetry({ service: 'otel-collector.observability.svc.cluster.local' }), randomSamplingPercentage: 5 },
      objectives: [{ service: reviews, objectivePercent: 99.9 }, { service: reviews, objectivePercent: 99, indicator: ServiceLevelIndicator.latency(Duration.millis(500)) }],
      alerts: { team: 'bookinfo', runbookBaseUrl: 'https://runbooks.example.com' },
      alertRouting: { defaultReceiver: Receiver.slack('mesh', { apiUrl: { secretName: 'slack', key: 'url' } }) },
    });
    const objects = batch.add('istio', Testing.synth(c)) as any[];
    expect(kinds(objects.filter((o) => !['DestinationRule', 'VirtualService'].includes(o.kind)))).toEqual({
      Telemetry: 1, PodMonitor: 1, ServiceMonitor: 1, PrometheusRule: 4, ConfigMap: 3, AlertmanagerConfig: 2,
    });
    expect(stack.objectives.map((s) => s.sloName)).toEqual(['reviews-availability', 'reviews-latency']);
    expect(stack.alertRouting.map((r) => r.config.namespace)).toEqual(['bookinfo', 'ratings']);
    expect(stack.monitors.map((m) => m.namespace)).toEqual(['monitoring', 'monitoring']);
    const sloRule = objects.find((o) => o.metadata.name === 'reviews-availability-slo');
    expect(sloRule.spec.groups[0].rules.find((r: any) => r.alert).labels.team).toBe('bookinfo');
    const reviewsDash = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboard-mesh-bookinfo-reviews');
    expect(JSON.parse(Object.values(reviewsDash.data)[0] as string).panels.at(-1).title).toBe('SLO error budget remaining');
    expect(objects.filter((o) => o.kind !== 'DestinationRule').map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toMatchSnapshot();
  });

  test('Linkerd: the proxy PodMonitor and Linkerd metrics; no Telemetry', () => {
    const c = meshChart(Mesh.LINKERD, 'emojivoto');
    const web = new MeshService(c, 'web', { ports: [ServicePort.http(80)] });
    const stack = new ObservabilityStack(c, 'obs', { services: [web] });
    const objects = batch.add('linkerd', Testing.synth(c)) as any[];
    expect(stack.metrics.name).toBe('linkerd');
    expect(stack.telemetry).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'PodMonitor').map((o) => o.metadata.name)).toEqual(['linkerd-proxies']);
    expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
    expect(() => new ObservabilityStack(c, 'obs2', { services: [web], tracing: { randomSamplingPercentage: 1 } })).toThrow(/tracing cannot be rendered for linkerd/);
  });

  test('scrape monitors and the overview dashboard can be left to another stack', () => {
    const c = meshChart();
    const stack = new ObservabilityStack(c, 'obs', { services: [reviewsService(c)], scrapeTargets: false, overviewDashboard: false });
    expect(stack.monitors).toEqual([]);
    expect(stack.dashboards.map((d) => d.name)).toEqual(['grafana-dashboard-mesh-bookinfo-reviews']);
    expect(kinds(Testing.synth(c)).PodMonitor).toBeUndefined();
  });

  test('monitors and rules carry the kube-prometheus-stack release label its default selectors select', () => {
    const labelsOf = (props: Partial<ConstructorParameters<typeof ObservabilityStack>[2]>) => {
      const c = meshChart();
      new ObservabilityStack(c, 'obs', { services: [reviewsService(c)], ...props });
      const out = Testing.synth(c);
      return out.filter((o) => ['PodMonitor', 'ServiceMonitor', 'PrometheusRule'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name} ${JSON.stringify(o.metadata.labels ?? {})}`);
    };
    expect(labelsOf({})).toEqual([
      'PodMonitor/istio-sidecars {"release":"kube-prometheus-stack"}',
      'ServiceMonitor/istiod {"release":"kube-prometheus-stack"}',
      'PrometheusRule/reviews-golden-signals {"release":"kube-prometheus-stack"}',
    ]);
    expect(labelsOf({ prometheusRelease: 'prom', ruleLabels: { team: 'a' } })).toContain('PrometheusRule/reviews-golden-signals {"release":"prom","team":"a"}');
    expect(labelsOf({ prometheusRelease: '' })).toContain('PodMonitor/istio-sidecars {}');
    const c = meshChart();
    expect(() => new ObservabilityStack(c, 'bad', { services: [reviewsService(c)], prometheusRelease: 'no spaces' }))
      .toThrow(/bad: prometheusRelease must be a label value .*got "no spaces".*Fix: pass your kube-prometheus-stack Helm release name/);
  });

  test.each([[Mesh.ISTIO, [15020, 15090]], [Mesh.LINKERD, [4191]]])('%s: a deny-by-default namespace admits the stack\'s Prometheus to the proxies\' metrics ports, in either order', (mesh, ports) => {
    const ingressOf = (stackFirst: boolean) => {
      const c = meshChart(mesh as Mesh);
      const svc = reviewsService(c);
      const stack = () => new ObservabilityStack(c, 'obs', { services: [svc] });
      if (stackFirst) stack();
      new StrictMtlsNamespace(c, 'bookinfo', { cni: true });
      new StrictMtlsNamespace(c, 'other', { cni: true });
      if (!stackFirst) stack();
      const policies = Testing.synth(c).filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny');
      return Object.fromEntries(policies.map((p) => [p.metadata.namespace, p.spec.ingress]));
    };
    const admitted = [{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: (ports as number[]).map((port) => ({ port, protocol: 'TCP' })),
    }];
    expect(ingressOf(true)).toEqual({ bookinfo: admitted, other: undefined });
    expect(ingressOf(false)).toEqual({ bookinfo: admitted, other: undefined });
  });

  test('Linkerd, default-inbound-policy deny: the admin port is authorized for the stack\'s Prometheus (/metrics) and the kubelet (/live, /ready), as linkerd viz allow-scrapes does, in either order', () => {
    const synth = (stackFirst: boolean, networkPolicies: boolean) => {
      const c = meshChart(Mesh.LINKERD);
      const svc = reviewsService(c);
      const stack = () => new ObservabilityStack(c, 'obs', { services: [svc] });
      if (stackFirst) stack();
      new StrictMtlsNamespace(c, 'bookinfo', { cni: true, networkPolicies });
      new StrictMtlsNamespace(c, 'other', { cni: true });
      if (!stackFirst) stack();
      return Testing.synth(c);
    };
    const prometheus = { serviceAccount: 'prometheus', namespace: 'monitoring' };
    for (const stackFirst of [true, false]) {
      const out = synth(stackFirst, true);
      expect(out.filter((o) => o.metadata.namespace === 'other' && o.apiVersion.startsWith('policy.linkerd.io'))).toEqual([]);
      expect(out.find((o) => o.kind === 'Server').spec).toEqual({
        podSelector: { matchLabels: { 'linkerd.io/control-plane-ns': 'linkerd' } }, port: 'linkerd-admin', proxyProtocol: 'HTTP/1', accessPolicy: 'deny',
      });
      expect(linkerdInbound(out, 'proxy-admin', prometheus, 'GET', '/metrics')).toBe('allow');
      expect(linkerdInbound(out, 'proxy-admin', KUBELET, 'GET', '/ready')).toBe('allow');
      expect(linkerdInbound(out, 'proxy-admin', KUBELET, 'GET', '/live')).toBe('allow');
      expect(linkerdInbound(out, 'proxy-admin', prometheus, 'GET', '/shutdown')).toBe('no-route');
      // a Prometheus outside the mesh passes: the default-deny NetworkPolicy admits only its pods to 4191
      expect(out.find((o) => o.kind === 'NetworkAuthentication' && o.metadata.name === 'prometheus-scrape').spec.networks).toEqual([{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }]);
    }
    // without NetworkPolicies only the identity of Prometheus' namespace is admitted
    const out = synth(false, false);
    expect(linkerdInbound(out, 'proxy-admin', prometheus, 'GET', '/metrics')).toBe('allow');
    expect(linkerdInbound(out, 'proxy-admin', KUBELET, 'GET', '/metrics')).toBe('deny');
    expect(linkerdInbound(out, 'proxy-admin', { serviceAccount: 'reviews', namespace: 'bookinfo' }, 'GET', '/metrics')).toBe('deny');
    expect(linkerdInbound(out, 'proxy-admin', KUBELET, 'GET', '/ready')).toBe('allow');
  });

  test('validation', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    const other = new MeshService(meshChart(), 'other', { ports: [ServicePort.http(80)] });
    expect(() => new ObservabilityStack(c, 'a', { services: [] })).toThrow(/services must list at least one MeshService/);
    expect(() => new ObservabilityStack(c, 'b', { services: [reviews, reviews] })).toThrow(/services\[1\] repeats bookinfo\/reviews/);
    expect(() => new ObservabilityStack(c, 'c', { services: [reviews], objectives: [{ service: other, objectivePercent: 99 }] })).toThrow(/objectives\[0\].service is other, which is not one of the stack's services/);
    expect(() => new ObservabilityStack(c, 'd', { services: [reviews], objectives: [{ service: reviews, objectivePercent: 99 }, { service: reviews, objectivePercent: 99.9 }] }))
      .toThrow(/objectives\[1\].name repeats the SLO name "reviews-availability"/);
  });
});

describe('examples/observability', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-example-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = createApp(outdir);
  const objects = app.charts.flatMap((ch) => ch.toJson());
  batch.add('example', objects);

  test('has what the issue asks for', () => {
    const telemetry = objects.filter((o) => o.kind === 'Telemetry');
    expect(telemetry.some((t) => t.spec.tracing?.some((x: any) => x.randomSamplingPercentage === 10))).toBe(true);
    const rules = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: any) => g.rules));
    expect(rules.some((r: any) => r.alert && r.expr.includes('istio_requests_total'))).toBe(true);
    expect(rules.some((r: any) => r.record)).toBe(true);
    expect(rules.some((r: any) => r.alert === 'ErrorBudgetBurn')).toBe(true);
    expect(objects.some((o) => o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor')).toBe(true);
    const dashboards = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(dashboards.length).toBeGreaterThan(0);
    for (const d of dashboards) expect(JSON.parse(Object.values(d.data)[0] as string).panels.length).toBeGreaterThan(0);
    expect(objects.some((o) => o.kind === 'AlertmanagerConfig')).toBe(true);
  });

  (hasPromtool ? test : test.skip)('every rule group of the example passes promtool check rules', () => {
    const files = objects.filter((o) => o.kind === 'PrometheusRule').map((o) => {
      const f = path.join(outdir, `${o.metadata.namespace}-${o.metadata.name}.rules.yaml`);
      fs.writeFileSync(f, YAML.stringify({ groups: o.spec.groups }));
      return f;
    });
    expect(files.length).toBeGreaterThanOrEqual(8);
    const r = spawnSync('promtool', ['check', 'rules', ...files], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
