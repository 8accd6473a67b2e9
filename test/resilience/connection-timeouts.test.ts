import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { MeshConfigError } from '../../src/core/errors';
import { Mesh } from '../../src/core/mesh';
import { DestinationRule } from '../../src/istio/destination-rule';
import { Bulkhead, CircuitBreakerPolicy, CircuitBreakerPreset, ConnectionPool, ConnectionTimeouts, RequestPolicy, RetryPolicy } from '../../src/resilience';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

function destinationRule(objects: any[]): any {
  return ofKind(objects, 'DestinationRule')[0].spec;
}

describe('connect and idle timeouts beside the request timeout (RequestPolicy)', () => {
  test('render into the DestinationRule connection pool, with no VirtualService of their own', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    const p = new RequestPolicy(c, 'reviews-requests', { service: reviews, connectTimeout: Duration.seconds(2), idleTimeout: Duration.minutes(5) });
    const out = batch.add('timeouts-only', Testing.synth(c));
    expect(destinationRule(out).trafficPolicy).toEqual({ connectionPool: { tcp: { connectTimeout: '2s' }, http: { idleTimeout: '5m' } } });
    expect(ofKind(out, 'VirtualService')).toEqual([]);
    expect(p.connectionTimeouts?.connectTimeout?.toSeconds()).toBe(2);
    expect(RequestPolicy.of(reviews)).toBe(p);
    expect(out).toMatchSnapshot();
  });

  test('merge with a circuit breaker\'s limits on the service, in either order: neither drops the other', () => {
    for (const timeoutsFirst of [true, false]) {
      const c = meshChart();
      const reviews = reviewsService(c);
      const timeouts = () => new RequestPolicy(c, 'reviews-requests', { service: reviews, timeout: Duration.seconds(10), connectTimeout: Duration.millis(500) });
      if (timeoutsFirst) timeouts();
      new CircuitBreakerPolicy(c, 'reviews-cb', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
      if (!timeoutsFirst) timeouts();
      const out = batch.add(`merged-${timeoutsFirst}`, Testing.synth(c));
      expect(destinationRule(out).trafficPolicy.connectionPool).toEqual({
        tcp: { maxConnections: 100, connectTimeout: '500ms' },
        http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 10 },
      });
      expect(ofKind(out, 'VirtualService')[0].spec.http[0].timeout).toBe('10s');
    }
  });

  test('a version with its own pool keeps the service\'s timeouts (Istio replaces the pool wholesale), except those it sets itself', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new RequestPolicy(c, 'reviews-requests', { service: reviews, connectTimeout: Duration.seconds(2), idleTimeout: Duration.minutes(5) });
    new Bulkhead(c, 'reviews-bulkhead', { service: reviews, pools: { v2: new ConnectionPool({ maxConnections: 20 }), v3: new ConnectionPool({ maxConnections: 5, connectTimeout: Duration.millis(250) }) } });
    new CircuitBreakerPolicy(c, 'reviews-v1-cb', { service: reviews, version: 'v1', preset: CircuitBreakerPreset.STANDARD, connectionPool: undefined });
    const out = batch.add('subsets', Testing.synth(c));
    const dr = destinationRule(out);
    expect(dr.trafficPolicy.connectionPool).toEqual({ tcp: { connectTimeout: '2s' }, http: { idleTimeout: '5m' } });
    const subset = (name: string) => dr.subsets.find((x: any) => x.name === name).trafficPolicy;
    expect(subset('v2').connectionPool).toEqual({ tcp: { maxConnections: 20, connectTimeout: '2s' }, http: { idleTimeout: '5m' } });
    expect(subset('v3').connectionPool).toEqual({ tcp: { maxConnections: 5, connectTimeout: '250ms' }, http: { idleTimeout: '5m' } });
    expect(subset('v1').connectionPool).toEqual({
      tcp: { maxConnections: 100, connectTimeout: '2s' },
      http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 10, idleTimeout: '5m' },
    });
    expect(out).toMatchSnapshot();
  });

  test('synthesizing twice gives the same output', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new RequestPolicy(c, 'reviews-requests', { service: reviews, idleTimeout: Duration.seconds(90) });
    new Bulkhead(c, 'reviews-bulkhead', { service: reviews, pools: { v2: new ConnectionPool({ maxConnections: 20 }) } });
    expect(Testing.synth(c)).toEqual(Testing.synth(c));
  });

  test('the DestinationRule L2 merges ConnectionTimeouts into its pool too', () => {
    const c = meshChart();
    new DestinationRule(c, 'api', { host: 'api.example.com', trafficPolicy: { connectionPool: new ConnectionPool({ maxConnections: 10 }), connectionTimeouts: new ConnectionTimeouts({ connectTimeout: Duration.seconds(1) }) } });
    const out = batch.add('l2', Testing.synth(c));
    expect(destinationRule(out).trafficPolicy.connectionPool).toEqual({ tcp: { maxConnections: 10, connectTimeout: '1s' } });
  });

  describe('refused', () => {
    test('a timeout set both by the RequestPolicy and by a circuit breaker\'s pool, naming both', () => {
      const c = meshChart();
      const reviews = reviewsService(c);
      new RequestPolicy(c, 'reviews-requests', { service: reviews, connectTimeout: Duration.seconds(2) });
      new CircuitBreakerPolicy(c, 'reviews-cb', { service: reviews, connectionPool: new ConnectionPool({ maxConnections: 10, connectTimeout: Duration.seconds(1) }) });
      expect(() => Testing.synth(c)).toThrow(/test\/reviews: connectTimeout of reviews is set twice, by test\/reviews-requests and by the connection pool of test\/reviews-cb\. Fix: set it in one place/);
    });
    test('the same on the DestinationRule L2', () => {
      const c = meshChart();
      new DestinationRule(c, 'api', { host: 'api.example.com', trafficPolicy: { connectionPool: new ConnectionPool({ idleTimeout: Duration.minutes(1) }), connectionTimeouts: new ConnectionTimeouts({ idleTimeout: Duration.minutes(2) }) } });
      expect(() => Testing.synth(c)).toThrow(/trafficPolicy\.connectionPool\.idleTimeout is set twice: by the connection pool .* and by the connection timeouts/);
    });
    test('on Linkerd, with the reason: no per-service connect timeout, and its idle timeout is a stream limit', () => {
      const c = meshChart(Mesh.LINKERD);
      expect(() => new RequestPolicy(c, 'p', { service: reviewsService(c), idleTimeout: Duration.minutes(5) }))
        .toThrow(/test\/p: idleTimeout cannot be rendered for linkerd: .*timeout\.linkerd\.io\/idle limits how long one request stream may be idle.*Fix: drop connectTimeout and idleTimeout for Linkerd \(set config\.linkerd\.io\/proxy-outbound-connect-timeout on the callers' pods/);
    });
    test('on the Gateway API', () => {
      const c = meshChart(Mesh.GATEWAY_API);
      expect(() => new RequestPolicy(c, 'p', { service: reviewsService(c), timeout: Duration.seconds(5), connectTimeout: Duration.seconds(1) }))
        .toThrow(/test\/p: connectTimeout cannot be rendered for the Gateway API \(GAMMA\): HTTPRoute has request timeouts only/);
    });
    test('a connect timeout under 1 ms', () => {
      const c = meshChart();
      expect(() => new RequestPolicy(c, 'p', { service: reviewsService(c), connectTimeout: Duration.millis(0) })).toThrow(/test\/p: connectTimeout must be at least 1ms, got 0ms/);
    });
    test('a second RequestPolicy, also when the first sets only connection timeouts', () => {
      const c = meshChart();
      const reviews = reviewsService(c);
      new RequestPolicy(c, 'a', { service: reviews, connectTimeout: Duration.seconds(1) });
      expect(() => new RequestPolicy(c, 'b', { service: reviews, retries: new RetryPolicy({ attempts: 2 }) })).toThrow(/test\/b: service reviews already has a RequestPolicy \(test\/a\)/);
    });
    test('ConnectionTimeouts with nothing set', () => expect(() => new ConnectionTimeouts({})).toThrow(/ConnectionTimeouts: props set no timeout/));
  });

  test('property: whole-millisecond timeouts render as Istio durations of the same length; sub-millisecond ones are refused', () => {
    const parse = (d: string) => [...d.matchAll(/(\d+)(h|ms|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as Record<string, number>)[u], 0);
    const rendered: any[] = [];
    fc.assert(fc.property(fc.integer({ min: 1, max: 48 * 3_600_000 }), fc.integer({ min: 1, max: 48 * 3_600_000 }), (connect, idle) => {
      const c = meshChart();
      new RequestPolicy(c, 'p', { service: reviewsService(c), connectTimeout: Duration.millis(connect), idleTimeout: Duration.millis(idle) });
      const objects = Testing.synth(c);
      const pool = destinationRule(objects).trafficPolicy.connectionPool;
      expect(parse(pool.tcp.connectTimeout)).toBe(connect);
      expect(parse(pool.http.idleTimeout)).toBe(idle);
      if (rendered.length < 5) rendered.push(...ofKind(objects, 'DestinationRule'));
    }), { numRuns: 40 });
    batch.add('property', rendered);
    fc.assert(fc.property(fc.double({ min: 0, max: 0.999, noNaN: true }), (ms) => {
      expect(() => new ConnectionTimeouts({ connectTimeout: Duration.millis(ms) })).toThrow(MeshConfigError);
    }), { numRuns: 30 });
  });

  test('all scenarios are schema-valid', () => {
    expect(batch.size).toBeGreaterThanOrEqual(5);
    expect(batch.problems()).toEqual([]);
  });
});
