import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { Mesh } from '../../src/core/mesh';
import {
  AccessLogFilter, AccessLogProvider, CustomTag, istiodHelmValues, IstioMetric, IstiodValues, MetricsProvider, TagOverride, Telemetry,
  TelemetryDirection, TracingProvider,
} from '../../src/observability';
import { meshChart, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const OTEL = TracingProvider.openTelemetry({ service: 'otel-collector.observability.svc.cluster.local' });

function synth(build: (chart: ReturnType<typeof meshChart>) => void, name: string): any[] {
  const chart = meshChart();
  build(chart);
  return batch.add(name, Testing.synth(chart)) as any[];
}

describe('Telemetry', () => {
  test('mesh-wide: root namespace, no selector, tracing with sampling and custom tags', () => {
    const [t] = synth((c) => Telemetry.meshWide(c, 'mesh', {
      tracing: { provider: OTEL, randomSamplingPercentage: 10, customTags: { env: CustomTag.literal('prod'), user: CustomTag.header('X-User-Id', 'anon'), pod: CustomTag.environment('POD_NAME') } },
    }), 'mesh-wide');
    expect(t.apiVersion).toBe('telemetry.istio.io/v1');
    expect(t.metadata).toEqual({ name: 'mesh-default', namespace: 'istio-system' });
    expect(t.spec).toEqual({
      tracing: [{
        providers: [{ name: 'otel-tracing' }],
        randomSamplingPercentage: 10,
        customTags: { env: { literal: { value: 'prod' } }, pod: { environment: { name: 'POD_NAME' } }, user: { header: { name: 'x-user-id', defaultValue: 'anon' } } },
      }],
    });
    expect(t).toMatchSnapshot();
  });

  test('per namespace: no selector in the chart namespace; access logs of errors only', () => {
    const [t] = synth((c) => new Telemetry(c, 'ns-logs', { accessLogging: { providers: [AccessLogProvider.ENVOY], filter: AccessLogFilter.ERRORS } }), 'namespace');
    expect(t.metadata).toEqual({ name: 'ns-logs', namespace: 'bookinfo' });
    expect(t.spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }] });
  });

  test('per workload: a service\'s selector; metric overrides and a reporting interval', () => {
    const [t] = synth((c) => Telemetry.forService(c, 'reviews-telemetry', reviewsService(c), {
      metrics: {
        overrides: [
          { metric: IstioMetric.REQUEST_COUNT, direction: TelemetryDirection.SERVER, tagOverrides: { request_protocol: TagOverride.remove(), team: TagOverride.upsert('"bookinfo"') } },
          { metric: IstioMetric.REQUEST_SIZE, disabled: true },
        ],
        reportingInterval: Duration.seconds(30),
      },
    }), 'workload').filter((o) => o.kind === 'Telemetry');
    expect(t.metadata).toEqual({ name: 'reviews', namespace: 'bookinfo' });
    expect(t.spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      metrics: [{
        providers: [{ name: 'prometheus' }],
        overrides: [
          { match: { metric: 'REQUEST_COUNT', mode: 'SERVER' }, tagOverrides: { request_protocol: { operation: 'REMOVE' }, team: { operation: 'UPSERT', value: '"bookinfo"' } } },
          { match: { metric: 'REQUEST_SIZE' }, disabled: true },
        ],
        reportingInterval: '30s',
      }],
    });
    expect(t).toMatchSnapshot();
  });

  test('client and server entries can differ; disabled access logs', () => {
    const [t] = synth((c) => {
      const tel = new Telemetry(c, 'split', { selector: { app: 'ratings' } });
      tel.addTracing({ direction: TelemetryDirection.CLIENT, randomSamplingPercentage: 1 });
      tel.addTracing({ direction: TelemetryDirection.SERVER, randomSamplingPercentage: 50, disableSpanReporting: true });
      tel.addAccessLogging({ disabled: true });
    }, 'directions');
    expect(t.spec.tracing).toEqual([
      { match: { mode: 'CLIENT' }, randomSamplingPercentage: 1 },
      { match: { mode: 'SERVER' }, randomSamplingPercentage: 50, disableSpanReporting: true },
    ]);
    expect(t.spec.accessLogging).toEqual([{ disabled: true }]);
  });

  test('validation', () => {
    const c = meshChart();
    expect(() => new Telemetry(c, 'a', { tracing: { randomSamplingPercentage: 120 } })).toThrow(/randomSamplingPercentage must be a percentage between 0 and 100, got 120/);
    expect(() => new Telemetry(c, 'b', { selector: {} })).toThrow(/selector must not be empty/);
    expect(() => new Telemetry(c, 'c', { tracing: {}, accessLogging: { disabled: true, filter: AccessLogFilter.ERRORS } })).toThrow(/accessLogging is disabled but also sets providers or a filter/);
    const t = new Telemetry(c, 'd', { tracing: {} });
    expect(() => t.addTracing({ direction: TelemetryDirection.SERVER })).toThrow(/tracing already has an entry for SERVER traffic/);
    expect(() => new Telemetry(c, 'e', { metrics: { overrides: [{ metric: IstioMetric.REQUEST_COUNT }] } })).toThrow(/metrics.overrides\[0\] changes nothing/);
    expect(() => new Telemetry(c, 'f', { metrics: { overrides: [{ tagOverrides: { 'bad-tag': TagOverride.remove() } }] } })).toThrow(/tagOverrides key must be a Prometheus label name/);
    const g = new Telemetry(c, 'g', { metrics: {} });
    expect(() => g.addMetrics({ providers: [MetricsProvider.PROMETHEUS] })).toThrow(/repeat a provider of an earlier metrics entry \(prometheus\)/);
    expect(() => AccessLogFilter.expression('(response.code >= 400')).toThrow(/unbalanced parentheses/);
    expect(() => CustomTag.header('bad header')).toThrow(/must be an HTTP header name/);
    expect(() => CustomTag.environment('1X')).toThrow(/must be an environment variable name/);
    expect(() => TracingProvider.openTelemetry({ service: 'otel', port: 70000 })).toThrow(/port must be a whole number from 1 to 65535/);
  });

  test('nothing configured is a synth-time error', () => {
    const c = meshChart();
    new Telemetry(c, 'empty');
    expect(() => Testing.synth(c)).toThrow(/configures nothing/);
  });

  test('Telemetry is Istio-only', () => {
    expect(() => new Telemetry(meshChart(Mesh.LINKERD), 't', { tracing: {} })).toThrow(/cannot be rendered for linkerd: Telemetry is an Istio resource/);
    expect(() => new Telemetry(meshChart(Mesh.CILIUM), 't', { tracing: {} })).toThrow(/cannot be rendered for cilium/);
  });

  test('sampling percentages render unchanged (property)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (p) => {
      const c = meshChart();
      const t = new Telemetry(c, 't', { tracing: { randomSamplingPercentage: p } });
      expect(t._toKube().tracing![0].randomSamplingPercentage).toBe(p);
    }), { numRuns: 50 });
    fc.assert(fc.property(fc.oneof(fc.double({ min: 100.0001, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: -0.0001, noNaN: true })), (p) => {
      expect(() => new Telemetry(meshChart(), 't', { tracing: { randomSamplingPercentage: p } })).toThrow(/randomSamplingPercentage must be a percentage/);
    }), { numRuns: 50 });
  });

  test('synth is deterministic', () => {
    const build = () => {
      const c = meshChart();
      Telemetry.meshWide(c, 'mesh', { tracing: { provider: OTEL, customTags: { b: CustomTag.literal('2'), a: CustomTag.literal('1') } } });
      return JSON.stringify(Testing.synth(c));
    };
    expect(build()).toEqual(build());
  });
});

describe('tracing providers and istiod Helm values', () => {
  test('OpenTelemetry and Zipkin providers render meshConfig.extensionProviders', () => {
    const zipkin = TracingProvider.zipkin({ service: 'jaeger-collector.observability.svc.cluster.local' });
    const als = AccessLogProvider.openTelemetry({ service: 'otel-collector.observability.svc.cluster.local' });
    const values = istiodHelmValues([OTEL, zipkin, als, AccessLogProvider.ENVOY, TracingProvider.named('existing'), OTEL]);
    expect(values).toEqual({
      meshConfig: {
        extensionProviders: [
          { name: 'otel-tracing', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } },
          { name: 'zipkin', zipkin: { service: 'jaeger-collector.observability.svc.cluster.local', port: 9411 } },
          { name: 'otel-als', envoyOtelAls: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } },
        ],
      },
    });
    expect(YAML.stringify(values)).toMatchSnapshot();
  });

  test('IstiodValues.extensionProviders (the class form for every language) returns the same JSON', () => {
    const zipkin = TracingProvider.zipkin({ service: 'jaeger-collector.observability.svc.cluster.local' });
    expect(IstiodValues.extensionProviders([OTEL, zipkin])).toEqual(istiodHelmValues([OTEL, zipkin]));
    expect(() => IstiodValues.extensionProviders([OTEL, TracingProvider.openTelemetry({ service: 'other.observability.svc.cluster.local' })])).toThrow(/differently from an earlier provider/);
  });

  test('two different providers with one name are rejected', () => {
    const other = TracingProvider.openTelemetry({ service: 'other.observability.svc.cluster.local' });
    expect(() => istiodHelmValues([OTEL, other])).toThrow(/defines "otel-tracing" differently from an earlier provider/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
