import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import {
  Bulkhead, CircuitBreakerPolicy, CircuitBreakerPreset, ConnectionPool, FailureAccrual, LocalityFailoverPolicy,
  LocalityLoadBalancing, OutlierDetection,
} from '../../src/resilience';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

function synth(name: string, chart: ReturnType<typeof meshChart>): any[] {
  return batch.add(name, Testing.synth(chart));
}

describe('CircuitBreakerPolicy on Istio', () => {
  test('a preset fills the DestinationRule traffic policy, with consecutive5xxErrors and never consecutiveErrors', () => {
    const c = meshChart();
    new CircuitBreakerPolicy(c, 'reviews-cb', { service: reviewsService(c), preset: CircuitBreakerPreset.STANDARD });
    const out = synth('preset-standard', c);
    const [dr] = ofKind(out, 'DestinationRule');
    expect(dr.spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 10 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 40 },
    });
    expect(JSON.stringify(out)).not.toContain('consecutiveErrors');
    expect(out).toMatchSnapshot();
  });

  test.each([
    ['CONSERVATIVE', CircuitBreakerPreset.CONSERVATIVE, 7, 1000],
    ['AGGRESSIVE', CircuitBreakerPreset.AGGRESSIVE, 3, 50],
  ])('preset %s has its numbers', (name, preset, errors, h2) => {
    const c = meshChart();
    new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), preset });
    const [dr] = ofKind(synth(`preset-${name}`, c), 'DestinationRule');
    expect(dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(errors);
    expect(dr.spec.trafficPolicy.connectionPool.http.http2MaxRequests).toBe(h2);
  });

  test('explicit settings replace the preset part by part; a version gets a subset traffic policy', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'cb', {
      service: reviews, version: 'v3', preset: CircuitBreakerPreset.STANDARD,
      connectionPool: new ConnectionPool({ maxConnections: 5, connectTimeout: Duration.millis(250), tcpKeepalive: { probes: 3, time: Duration.minutes(10), interval: Duration.seconds(75) } }),
    });
    const [dr] = ofKind(synth('per-version', c), 'DestinationRule');
    expect(dr.spec.trafficPolicy).toBeUndefined();
    expect(dr.spec.subsets[2]).toEqual({
      name: 'v3', labels: { version: 'v3' },
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 5, connectTimeout: '250ms', tcpKeepalive: { probes: 3, time: '10m', interval: '1m15s' } } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 40 },
      },
    });
  });

  test('combined with traffic intents, the service still has one VirtualService and one DestinationRule', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    reviews.setDefaultRoute(RouteTo.split({ v1: 90, v3: 10 }));
    reviews.setLoadBalancer(LoadBalancer.LEAST_REQUEST);
    new CircuitBreakerPolicy(c, 'cb', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
    new Bulkhead(c, 'bulkhead', { service: reviews, pools: { v1: new ConnectionPool({ maxConnections: 80 }), v3: new ConnectionPool({ maxConnections: 20 }) } });
    const out = synth('combined', c);
    expect(ofKind(out, 'VirtualService')).toHaveLength(1);
    expect(ofKind(out, 'DestinationRule')).toHaveLength(1);
    const [dr] = ofKind(out, 'DestinationRule');
    expect(dr.spec.trafficPolicy.loadBalancer).toEqual({ simple: 'LEAST_REQUEST' });
    expect(dr.spec.subsets.map((s: any) => s.trafficPolicy?.connectionPool?.tcp?.maxConnections)).toEqual([80, undefined, 20]);
    expect(out).toMatchSnapshot();
  });

  test('rejects a second circuit breaker for the same scope, naming the first', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'first', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
    expect(() => new CircuitBreakerPolicy(c, 'second', { service: reviews, connectionPool: new ConnectionPool({ maxConnections: 1 }) }))
      .toThrow(/test\/second: connectionPool of reviews is already set by test\/first/);
  });

  test('rejects a policy with no setting', () => {
    const c = meshChart();
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c) })).toThrow(/test\/cb: props set no circuit-breaker setting/);
  });

  test('rejects an unknown version', () => {
    const c = meshChart();
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), version: 'v9', preset: CircuitBreakerPreset.STANDARD })).toThrow(/names version "v9", which reviews does not define/);
  });

  test('rejects failure accrual, which is Linkerd\'s', () => {
    const c = meshChart();
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), failureAccrual: new FailureAccrual({ consecutiveFailures: 3 }) }))
      .toThrow(/failureAccrual is Linkerd's circuit breaker and cannot be rendered for istio/);
  });

  test('synth twice gives the same output', () => {
    const c = meshChart();
    new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), preset: CircuitBreakerPreset.AGGRESSIVE });
    expect(Testing.synth(c)).toEqual(Testing.synth(c));
  });
});

describe('CircuitBreakerPolicy on Linkerd', () => {
  test('a preset becomes failure-accrual Service annotations', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'cb', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
    expect(reviews.serviceAnnotations).toEqual({
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '5m',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '30s',
    });
    expect(synth('linkerd-preset', c)).toEqual([]);
  });

  test('outlier detection maps consecutive5xxErrors and baseEjectionTime', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'cb', { service: reviews, outlierDetection: new OutlierDetection({ consecutive5xxErrors: 4, baseEjectionTime: Duration.seconds(10) }) });
    expect(reviews.serviceAnnotations['balancer.linkerd.io/failure-accrual-consecutive-max-failures']).toBe('4');
    expect(reviews.serviceAnnotations['balancer.linkerd.io/failure-accrual-consecutive-min-penalty']).toBe('10s');
  });

  test('rejects connection pools', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), connectionPool: new ConnectionPool({ maxConnections: 1 }) }))
      .toThrow(/test\/cb: connectionPool cannot be rendered for linkerd: Linkerd has no connection-pool limits. Fix:/);
  });

  test('rejects outlier-detection fields Linkerd lacks', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), outlierDetection: new OutlierDetection({ interval: Duration.seconds(5) }) }))
      .toThrow(/outlierDetection.interval cannot be rendered for linkerd/);
  });

  test('rejects a per-version circuit breaker', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), version: 'v1', preset: CircuitBreakerPreset.STANDARD }))
      .toThrow(/version cannot be rendered for linkerd: Linkerd configures failure accrual per Service/);
  });

  test('rejects conflicting failure accrual', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'a', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
    expect(() => new CircuitBreakerPolicy(c, 'b', { service: reviews, preset: CircuitBreakerPreset.AGGRESSIVE }))
      .toThrow(/test\/b: annotation balancer.linkerd.io\/failure-accrual-consecutive-max-failures conflicts with "5" set by test\/a/);
  });
});

test('the Gateway API has no circuit breaking', () => {
  const c = meshChart(Mesh.GATEWAY_API);
  expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), preset: CircuitBreakerPreset.STANDARD }))
    .toThrow(/service cannot be rendered for the Gateway API \(GAMMA\): the Gateway API has no circuit breaking/);
});

describe('Bulkhead', () => {
  test('gives each version its own pool', () => {
    const c = meshChart();
    const b = new Bulkhead(c, 'bh', { service: reviewsService(c), pools: { v2: new ConnectionPool({ http2MaxRequests: 10 }), v1: new ConnectionPool({ http2MaxRequests: 90 }) } });
    expect(b.versions).toEqual(['v1', 'v2']);
    const [dr] = ofKind(synth('bulkhead', c), 'DestinationRule');
    expect(dr.spec.subsets.slice(0, 2).map((s: any) => s.trafficPolicy)).toEqual([
      { connectionPool: { http: { http2MaxRequests: 90 } } }, { connectionPool: { http: { http2MaxRequests: 10 } } },
    ]);
  });

  test('rejects an empty set of pools', () => {
    const c = meshChart();
    expect(() => new Bulkhead(c, 'bh', { service: reviewsService(c), pools: {} })).toThrow(/test\/bh: pools must give at least one version a pool/);
  });

  test('rejects Linkerd', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new Bulkhead(c, 'bh', { service: reviewsService(c), pools: { v1: new ConnectionPool({ maxConnections: 1 }) } })).toThrow(/pools cannot be rendered for linkerd/);
  });
});

describe('LocalityFailoverPolicy', () => {
  test('renders localityLbSetting beside the load balancer', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.setLoadBalancer(LoadBalancer.ROUND_ROBIN);
    new CircuitBreakerPolicy(c, 'cb', { service: reviews, outlierDetection: new OutlierDetection({ consecutiveGatewayErrors: 3 }) });
    new LocalityFailoverPolicy(c, 'lf', {
      service: reviews,
      locality: new LocalityLoadBalancing({ failover: [{ from: 'us-east', to: 'us-west' }], failoverPriority: ['topology.istio.io/network'] }),
    });
    const [dr] = ofKind(synth('locality', c), 'DestinationRule');
    expect(dr.spec.trafficPolicy.loadBalancer).toEqual({
      simple: 'ROUND_ROBIN',
      localityLbSetting: { enabled: true, failover: [{ from: 'us-east', to: 'us-west' }], failoverPriority: ['topology.istio.io/network'] },
    });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutiveGatewayErrors: 3 });
  });

  test('a version inherits the service\'s outlier detection', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'cb', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
    new LocalityFailoverPolicy(c, 'lf', { service: reviews, version: 'v2', locality: LocalityLoadBalancing.priority('topology.kubernetes.io/zone') });
    const [dr] = ofKind(synth('locality-version', c), 'DestinationRule');
    expect(dr.spec.subsets[1].trafficPolicy).toEqual({ loadBalancer: { localityLbSetting: { enabled: true, failoverPriority: ['topology.kubernetes.io/zone'] } } });
  });

  test('rejects locality failover without outlier detection', () => {
    const c = meshChart();
    new LocalityFailoverPolicy(c, 'lf', { service: reviewsService(c), locality: LocalityLoadBalancing.failover({ from: 'a', to: 'b' }) });
    expect(() => Testing.synth(c)).toThrow(/test\/reviews: localityLoadBalancing sets locality load balancing without outlier detection/);
  });

  test('rejects Linkerd', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new LocalityFailoverPolicy(c, 'lf', { service: reviewsService(c), locality: LocalityLoadBalancing.failover({ from: 'a', to: 'b' }) })).toThrow(/locality cannot be rendered for linkerd/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(5);
  expect(batch.problems()).toEqual([]);
});
