import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { MeshConfigError } from '../../src/core/errors';
import { Mesh } from '../../src/core/mesh';
import { CanaryService } from '../../src/patterns/canary-service';
import { CanaryAnalysis } from '../../src/progressive/canary-analysis';
import { CanaryEngine } from '../../src/progressive/canary-engine';
import { CanaryQueries } from '../../src/progressive/canary-queries';
import { meshChart, ofKind, reviewsService } from '../support/charts';

describe('CanaryAnalysis', () => {
  test('any valid analysis renders its thresholds and timing into the AnalysisTemplate', () => {
    const percent = fc.double({ min: 0.5, max: 99.9, noNaN: true }).map((p) => Math.round(p * 10) / 10);
    fc.assert(fc.property(percent, percent, fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 30, max: 600 }), fc.integer({ min: 2, max: 10 }), fc.nat(), fc.integer({ min: 1, max: 1000 }),
      (success, percentile, latencyMs, seconds, measurements, limitPick, minRequests) => {
        const failureLimit = limitPick % measurements;
        const chart = meshChart();
        new CanaryService(chart, 'c', {
          service: reviewsService(chart), stableVersion: 'v1', canaryVersion: 'v2', engine: CanaryEngine.argoRollouts(),
          analysis: CanaryAnalysis.of({ successRatePercent: success, latencyPercentile: percentile, latencyThreshold: Duration.millis(latencyMs), interval: Duration.seconds(seconds), measurementsPerStage: measurements, failureLimit, minRequests }),
        });
        const [template] = ofKind(Testing.synth(chart), 'AnalysisTemplate');
        const [s, l] = template.spec.metrics;
        expect(Number(/>= (.*)$/.exec(s.successCondition)![1])).toBeCloseTo(success / 100, 10);
        expect(Number(/<= (.*)$/.exec(l.successCondition)![1])).toBe(latencyMs);
        expect(l.provider.prometheus.query).toContain(`histogram_quantile(${Number((percentile / 100).toPrecision(12))}, `);
        for (const m of [s, l]) {
          expect(m).toMatchObject({ interval: `${seconds}s`, count: measurements, failureLimit });
          expect(m.provider.prometheus.query).toContain(`>= ${minRequests}))`);
        }
      }), { numRuns: 25 });
  });

  test('a percentage outside (0, 100) is always a MeshConfigError naming the prop', () => {
    const bad = fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 100, noNaN: true }), fc.constant(NaN));
    fc.assert(fc.property(bad, (p) => {
      expect(() => CanaryAnalysis.of({ successRatePercent: p })).toThrow(MeshConfigError);
      expect(() => CanaryAnalysis.of({ latencyPercentile: p })).toThrow(/CanaryAnalysis: latencyPercentile must be strictly between 0 and 100/);
    }), { numRuns: 50 });
  });
});

describe('CanaryQueries', () => {
  const queries = (mesh = Mesh.ISTIO) => CanaryQueries.of(reviewsService(meshChart(mesh)), 'v2');

  test('without a no-traffic result the query is a scalar (NaN without traffic); with one it falls back to that value', () => {
    expect(queries().successRate('1m')).toMatch(/^scalar\(\(1 - .*\) and on\(\) \(sum\(increase\(.*\[1m\]\)\) >= 1\)\)$/);
    expect(queries().successRate('{{ interval }}', { noTrafficResult: 1, minRequests: 50 })).toMatch(/^\(\(1 - .*\[\{\{ interval \}\}\].* >= 50\)\) or on\(\) vector\(1\)$/);
    expect(queries(Mesh.LINKERD).latency(0.95, '2m', { noTrafficResult: 0 })).toMatch(/^\(\(histogram_quantile\(0\.95, sum by \(le\) \(rate\(response_latency_ms_bucket\{direction="inbound",namespace="bookinfo",app="reviews",version="v2"\}\[2m\]\)\)\)\) and on\(\) .* or on\(\) vector\(0\)$/);
  });

  test('the request count reads increases of the canary\'s request series: on Linkerd the callers\' route-backend counter for the version\'s Service, and the pods\' inbound series of callers without a proxy', () => {
    expect(queries(Mesh.LINKERD).requestCount('1m')).toBe('sum(increase(outbound_http_route_backend_response_statuses_total{backend_kind="Service",backend_namespace="bookinfo",backend_name="reviews-v2"}[1m])'
      + ' or increase(response_total{direction="inbound",namespace="bookinfo",app="reviews",version="v2",tls!="true"}[1m]))');
  });

  test('on Linkerd a failure is a 5xx or an error of the callers\' proxies (no endpoint, timeouts), or a failure of a caller without a proxy', () => {
    const rate = queries(Mesh.LINKERD).successRate('1m');
    expect(rate).toContain('rate(outbound_http_route_backend_response_statuses_total{backend_kind="Service",backend_namespace="bookinfo",backend_name="reviews-v2",error!=""}[1m])');
    expect(rate).toContain('rate(outbound_http_route_backend_response_statuses_total{backend_kind="Service",backend_namespace="bookinfo",backend_name="reviews-v2",error="",http_status=~"5.."}[1m])');
    expect(rate).toContain('rate(response_total{direction="inbound",namespace="bookinfo",app="reviews",version="v2",tls!="true",classification="failure"}[1m])');
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a quantile of 99', () => queries().latency(99, '1m'), /CanaryQueries.latency: quantile must be between 0 and 1 \(exclusive\), got 99/],
    ['minRequests 0', () => queries().successRate('1m', { minRequests: 0 }), /CanaryQueries: minRequests must be a whole number >= 1, got 0/],
    ['an infinite no-traffic result', () => queries().successRate('1m', { noTrafficResult: Infinity }), /noTrafficResult must be a finite number, got Infinity/],
    ['an unknown version', () => CanaryQueries.of(reviewsService(meshChart()), 'v9'), /canaryVersion names version "v9", which reviews does not define/],
    ['Cilium, whose proxies export no request metrics', () => queries(Mesh.CILIUM), /metrics cannot be derived for cilium/],
  ])('%s is refused', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
