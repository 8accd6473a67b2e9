import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import * as YAML from 'yaml';
import {
  IstioSidecarMetrics, MeshScrapeTargets, PodMonitor, PrometheusRule, Relabel, Rule, ScrapeScheme, ServiceMonitor,
} from '../../src/observability';
import { escapeLabelValue, formatNumber, promDuration, sanitizeLabelName, selector, eq } from '../../src/observability/prometheus/promql';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('PromQL helpers', () => {
  test('durations render in Prometheus notation', () => {
    expect(promDuration('t', 'd', Duration.minutes(5))).toBe('5m');
    expect(promDuration('t', 'd', Duration.days(30))).toBe('30d');
    expect(promDuration('t', 'd', Duration.minutes(90))).toBe('1h30m');
    expect(promDuration('t', 'd', Duration.millis(1500))).toBe('1s500ms');
    expect(() => promDuration('t', 'window', Duration.millis(0))).toThrow(/window must be a whole number of milliseconds of at least 1ms/);
  });

  test('any whole-millisecond duration round-trips through the notation (property)', () => {
    const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
    fc.assert(fc.property(fc.integer({ min: 1, max: 400 * 86_400_000 }), (ms) => {
      const s = promDuration('t', 'd', Duration.millis(ms));
      expect(s).toMatch(/^(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/);
      const total = [...s.matchAll(/(\d+)(ms|d|h|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * units[u], 0);
      expect(total).toBe(ms);
    }));
  });

  test('numbers render without floating-point noise', () => {
    expect(formatNumber(1 - 0.999)).toBe('0.001');
    expect(formatNumber(14.4 * 0.001)).toBe('0.0144');
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999 }), (n) => {
      expect(Number(formatNumber(n / 1000))).toBe(n / 1000);
    }));
  });

  test('label values are escaped and label names sanitized', () => {
    expect(escapeLabelValue('a"b\\c')).toBe('a\\"b\\\\c');
    expect(selector('m', [eq('a', 'x"y')])).toBe('m{a="x\\"y"}');
    expect(sanitizeLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
    expect(sanitizeLabelName('1x')).toBe('_1x');
  });
});

describe('Rule and PrometheusRule', () => {
  test('renders groups of recording and alerting rules', () => {
    const c = meshChart();
    const r = new PrometheusRule(c, 'rules', { labels: { release: 'prom' } });
    r.addGroup('example', {
      interval: Duration.seconds(30),
      rules: [
        Rule.recording({ record: 'job:up:sum', expr: 'sum by (job) (up)' }),
        Rule.alerting({ alert: 'TargetDown', expr: 'up == 0', for: Duration.minutes(5), keepFiringFor: Duration.minutes(1), labels: { severity: 'warning' }, annotations: { summary: '{{ $labels.job }} is down' } }),
      ],
    });
    const [o] = batch.add('rule', Testing.synth(c)) as any[];
    expect(o.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(o.metadata).toEqual({ name: 'rules', namespace: 'bookinfo', labels: { release: 'prom' } });
    expect(o.spec).toEqual({
      groups: [{
        name: 'example',
        interval: '30s',
        rules: [
          { record: 'job:up:sum', expr: 'sum by (job) (up)' },
          { alert: 'TargetDown', expr: 'up == 0', for: '5m', keep_firing_for: '1m', labels: { severity: 'warning' }, annotations: { summary: '{{ $labels.job }} is down' } },
        ],
      }],
    });
    expect(r.toRuleFile()).toEqual({ groups: o.spec.groups });
    // the forms every language keeps whole: JSON and YAML with the rule file's snake_case keys
    expect(r.toRuleFileJson()).toEqual(r.toRuleFile());
    expect(YAML.parse(r.toRuleFileYaml())).toEqual(r.toRuleFile());
    expect(r.toRuleFileYaml()).toContain('keep_firing_for: 1m');
    expect(r.rules.map((x) => x.toRuleFileJson())).toEqual(r.rules.map((x) => x.toRuleFile()));
  });

  test('validation', () => {
    expect(() => Rule.recording({ record: 'bad-name', expr: 'up' })).toThrow(/record must be a Prometheus metric name/);
    expect(() => Rule.alerting({ alert: 'Bad Name', expr: 'up' })).toThrow(/alert must be a name of letters, digits/);
    expect(() => Rule.alerting({ alert: 'A', expr: '  ' })).toThrow(/expr must be a PromQL expression/);
    expect(() => Rule.alerting({ alert: 'A', expr: 'up', labels: { 'bad-label': 'x' } })).toThrow(/labels key must be a Prometheus label name/);
    const r = new PrometheusRule(meshChart(), 'r');
    r.addGroup('g');
    expect(() => r.addGroup('g')).toThrow(/group name "g" is already used/);
    expect(() => r.addRules('missing', Rule.recording({ record: 'a', expr: 'up' }))).toThrow(/group "missing" does not exist/);
    expect(() => r.toRuleFile()).toThrow(/group g has no rules/);
  });

  test('a PrometheusRule without groups fails at synth', () => {
    const c = meshChart();
    new PrometheusRule(c, 'empty');
    expect(() => Testing.synth(c)).toThrow(/has no rule groups/);
  });
});

describe('ServiceMonitor, PodMonitor and the mesh presets', () => {
  test('Istio sidecars, merged metrics: Istio\'s relabelings to the prometheus.io/port address', () => {
    const c = meshChart();
    MeshScrapeTargets.istioSidecars(c, 'sidecars', { namespace: 'monitoring', labels: { release: 'prom' } });
    const [o] = batch.add('istio-merged', Testing.synth(c)) as any[];
    expect(o.kind).toBe('PodMonitor');
    expect(o.metadata).toEqual({ name: 'istio-sidecars', namespace: 'monitoring', labels: { release: 'prom' } });
    expect(o.spec.namespaceSelector).toEqual({ any: true });
    expect(o.spec.selector).toEqual({});
    expect(o.spec.podMetricsEndpoints[0].path).toBe('/stats/prometheus');
    expect(o.spec.podMetricsEndpoints[0].relabelings[0]).toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name'], regex: 'istio-proxy' });
    expect(o).toMatchSnapshot();
  });

  test('Istio sidecars, Envoy metrics: the http-envoy-prom port', () => {
    const c = meshChart();
    MeshScrapeTargets.istioSidecars(c, 'sidecars', { metrics: IstioSidecarMetrics.ENVOY, namespaces: ['bookinfo', 'default'], interval: Duration.seconds(30) });
    const [o] = batch.add('istio-envoy', Testing.synth(c)) as any[];
    expect(o.spec).toEqual({
      selector: {},
      namespaceSelector: { matchNames: ['bookinfo', 'default'] },
      podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '30s' }],
    });
  });

  test('istiod: the http-monitoring port of Services labelled istio=pilot in istio-system', () => {
    const c = meshChart();
    MeshScrapeTargets.istioControlPlane(c, 'istiod', { namespace: 'monitoring' });
    const [o] = batch.add('istiod', Testing.synth(c)) as any[];
    expect(o.kind).toBe('ServiceMonitor');
    expect(o.spec).toEqual({
      selector: { matchLabels: { istio: 'pilot' } },
      namespaceSelector: { matchNames: ['istio-system'] },
      targetLabels: ['app'],
      endpoints: [{ port: 'http-monitoring', path: '/metrics', interval: '15s' }],
    });
  });

  test('Linkerd proxies: the linkerd-admin port, pod labels copied like Linkerd\'s own scrape config', () => {
    const c = meshChart();
    MeshScrapeTargets.linkerdProxies(c, 'proxies', { namespace: 'monitoring' });
    const [o] = batch.add('linkerd', Testing.synth(c)) as any[];
    const ep = o.spec.podMetricsEndpoints[0];
    expect(ep.port).toBe('linkerd-admin');
    expect(ep.path).toBe('/metrics');
    expect(ep.relabelings[0]).toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name', '__meta_kubernetes_pod_label_linkerd_io_control_plane_ns'], regex: 'linkerd-proxy;linkerd' });
    expect(ep.relabelings.at(-1)).toEqual({ action: 'labelmap', regex: '__tmp_pod_label_(.+)' });
    expect(o).toMatchSnapshot();
  });

  test('hand-written monitors', () => {
    const c = meshChart();
    new ServiceMonitor(c, 'app', {
      selector: { app: 'reviews' },
      endpoints: [{ port: 'http-metrics', scheme: ScrapeScheme.HTTPS, interval: Duration.seconds(30), scrapeTimeout: Duration.seconds(10), metricRelabelings: [Relabel.drop(['__name__'], 'go_.*')] }],
    });
    new PodMonitor(c, 'pods', { selector: { app: 'ratings' }, allNamespaces: true, endpoints: [{ port: 'metrics', relabelings: [Relabel.replace({ sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' }), Relabel.labelDrop('tmp_.*')] }] });
    const [sm, pm] = batch.add('custom', Testing.synth(c)) as any[];
    expect(sm.spec.endpoints).toEqual([{ port: 'http-metrics', path: '/metrics', scheme: 'https', interval: '30s', scrapeTimeout: '10s', metricRelabelings: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'go_.*' }] }]);
    expect(pm.spec.selector).toEqual({ matchLabels: { app: 'ratings' } });
    expect(pm.spec.podMetricsEndpoints[0].relabelings).toEqual([
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      { action: 'labeldrop', regex: 'tmp_.*' },
    ]);
  });

  test('validation', () => {
    const c = meshChart();
    expect(() => new ServiceMonitor(c, 'a', { selector: {}, endpoints: [{ port: 'http' }] })).toThrow(/selector must not be empty/);
    expect(() => new ServiceMonitor(c, 'b', { selector: { app: 'x' }, endpoints: [{}] })).toThrow(/endpoints\[0\].port is required/);
    expect(() => new PodMonitor(c, 'c', { endpoints: [] })).toThrow(/endpoints must list at least one endpoint/);
    expect(() => new PodMonitor(c, 'd', { endpoints: [{ path: 'metrics' }] })).toThrow(/path must start with "\/"/);
    expect(() => new PodMonitor(c, 'e', { allNamespaces: true, namespaces: ['a'], endpoints: [{}] })).toThrow(/namespaces cannot be combined with allNamespaces/);
    expect(() => new PodMonitor(c, 'f', { endpoints: [{ interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) }] })).toThrow(/scrapeTimeout \(20s\) is longer than the interval \(10s\)/);
    expect(() => Relabel.keep([], 'x')).toThrow(/sourceLabels must list at least one label/);
    expect(() => Relabel.labelMap('(')).toThrow(/regex is not a valid RE2 expression \(the regex dialect of Prometheus \(Go regexp\)\)/);
    expect(() => Relabel.replace({ sourceLabels: ['a'], targetLabel: 'bad-label' })).toThrow(/targetLabel must be a label name/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
