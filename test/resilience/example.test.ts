import * as fs from 'fs';
import { createApp } from '../../examples/resilience/main';
import { ExampleApp } from '../support/example-app';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const example = new ExampleApp('resilience', createApp);
const { app, outdir, charts } = example;
const get = (chartName: string, kind: string, name: string): any => example.get(chartName, kind, name);

describe('examples/resilience', () => {
  test('synthesizes with the synth-time analysis passing', () => {
    app.synth();
    expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort()).toEqual([
      'chaos-ratings-abort-istio.k8s.yaml', 'chaos-ratings-delay-istio.k8s.yaml', 'chaos-ratings-flaky-istio.k8s.yaml',
      'locality-failover-istio.k8s.yaml', 'rate-limit-istio.k8s.yaml', 'reviews-resilience-istio.k8s.yaml', 'reviews-resilience-linkerd.k8s.yaml',
    ]);
  });

  test('each Istio chart has one VirtualService and one DestinationRule per host', () => {
    for (const [name, objects] of charts) {
      for (const kind of ['VirtualService', 'DestinationRule']) {
        const hosts = objects.filter((o) => o.kind === kind).map((o) => (kind === 'VirtualService' ? o.spec.hosts.join(',') : o.spec.host));
        expect({ name, kind, hosts: [...new Set(hosts)].length }).toEqual({ name, kind, hosts: hosts.length });
      }
    }
  });

  test('reviews on Istio: circuit breaker, v3 override, bulkheads, retries and timeouts merged with the traffic intents', () => {
    const dr = get('reviews-resilience-istio', 'DestinationRule', 'reviews');
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 40 });
    expect(dr.spec.subsets.map((s: any) => s.trafficPolicy.connectionPool.tcp.maxConnections)).toEqual([80, 20, 50]);
    // the RequestPolicy's connect and idle timeouts reach every pool: the service's and each version's own (which replaces it in Istio), unless it sets them
    expect(dr.spec.trafficPolicy.connectionPool).toMatchObject({ tcp: { maxConnections: 100, connectTimeout: '2s' }, http: { idleTimeout: '5m' } });
    expect(dr.spec.subsets.map((s: any) => [s.trafficPolicy.connectionPool.tcp.connectTimeout, s.trafficPolicy.connectionPool.http.idleTimeout])).toEqual([['2s', '5m'], ['500ms', '5m'], ['2s', '5m']]);
    const http = get('reviews-resilience-istio', 'VirtualService', 'reviews').spec.http;
    expect(http.map((r: any) => [r.name, r.timeout, r.retries.attempts])).toEqual([
      ['bulk-export', '30s', 2], ['post-review', '10s', 0], ['jason', '10s', 3], [undefined, '10s', 3],
    ]);
  });

  test('the chaos charts inject faults for the test user only', () => {
    const delay = get('chaos-ratings-delay-istio', 'VirtualService', 'ratings').spec.http;
    expect(delay[0].match).toEqual([{ headers: { 'end-user': { exact: 'jason' } } }]);
    expect(delay[0].fault).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 100 } } });
    expect(delay[1].fault).toBeUndefined();
    expect(get('chaos-ratings-abort-istio', 'VirtualService', 'ratings').spec.http[0].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 100 } } });
  });

  test('rate limits: an Istio EnvoyFilter and a Linkerd HTTPLocalRateLimitPolicy', () => {
    const ef = get('rate-limit-istio', 'EnvoyFilter', 'productpage-local-ratelimit');
    expect(ef.spec.configPatches[0].patch.value.typed_config.value.token_bucket).toEqual({ max_tokens: 50, tokens_per_fill: 10, fill_interval: '1s' });
    const rl = get('reviews-resilience-linkerd', 'HTTPLocalRateLimitPolicy', 'reviews-local-ratelimit');
    expect(rl.spec.targetRef).toEqual({ group: 'policy.linkerd.io', kind: 'Server', name: 'reviews-http' });
    expect(get('reviews-resilience-linkerd', 'Server', 'reviews-http').spec.port).toBe(9080);
  });

  test('Linkerd: failure accrual and retries on the Service, retries on the HTTPRoute', () => {
    expect(get('reviews-resilience-linkerd', 'Service', 'reviews').metadata.annotations).toEqual({
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '5m',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '30s',
      'retry.linkerd.io/http': 'gateway-error,429',
      'retry.linkerd.io/limit': '3',
      'retry.linkerd.io/timeout': '2s',
      'timeout.linkerd.io/request': '10s',
    });
    expect(get('reviews-resilience-linkerd', 'HTTPRoute', 'reviews').metadata.annotations).toEqual({
      'retry.linkerd.io/http': 'gateway-error,429', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '2s',
    });
    const own = get('reviews-resilience-linkerd', 'HTTPRoute', 'reviews-retries-66ca022c');
    expect(own.metadata.annotations).toEqual({ 'retry.linkerd.io/http': 'gateway-error', 'retry.linkerd.io/limit': '1' });
    expect(own.spec.parentRefs).toEqual(get('reviews-resilience-linkerd', 'HTTPRoute', 'reviews').spec.parentRefs);
    expect(own.spec.rules.map((r: any) => r.matches)).toEqual([[{ path: { type: 'PathPrefix', value: '/reviews' } }]]);
  });

  test('snapshot', () => {
    expect(Object.fromEntries(charts)).toMatchSnapshot();
  });

  test('every chart is schema-valid', () => {
    for (const [name, objects] of charts) batch.add(name, objects);
    expect(batch.problems()).toEqual([]);
  });
});
