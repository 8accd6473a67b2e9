import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import {
  CircuitBreakerPolicy, ConnectionPool, FailureAccrual, FaultInjection, H2UpgradePolicy, LocalityLoadBalancing,
  OutlierDetection, RateLimit, RetryCondition, RetryOn, RetryPolicy,
} from '../../src/resilience';
import { istioFault, istioRetries } from '../../src/resilience/istio-render';
import { linkerdDuration } from '../../src/resilience/failure-accrual';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { SchemaBatch } from '../support/schema';
import { meshChart, ofKind, reviewsService } from '../support/charts';

const batch = new SchemaBatch();

describe('RetryOn', () => {
  test('renders conditions then sorted, de-duplicated status codes', () => {
    expect(RetryOn.of(RetryCondition.GATEWAY_ERROR, RetryCondition.RESET, RetryCondition.GATEWAY_ERROR).withStatusCodes(503, 429, 503).toString()).toBe('gateway-error,reset,429,503');
    expect(RetryOn.DEFAULT.toString()).toBe('5xx,reset,connect-failure,refused-stream');
    expect(RetryOn.statusCodes(409).toString()).toBe('409');
  });

  test('reads back conditions and codes as copies (codes: the name other languages keep)', () => {
    const r = RetryOn.of(RetryCondition.RESET).withStatusCodes(503, 429);
    expect(r.conditions).toEqual([RetryCondition.RESET]);
    expect(r.codes).toEqual([429, 503]);
    expect(r.statusCodes).toEqual(r.codes);
    r.codes.push(500);
    r.conditions.push(RetryCondition.SERVER_ERROR);
    expect(r.toString()).toBe('reset,429,503');
  });

  test('only connection failures are safe for non-idempotent requests', () => {
    expect(RetryOn.CONNECTION_FAILURES.safeForNonIdempotent).toBe(true);
    expect(RetryOn.of(RetryCondition.CONNECT_FAILURE).withStatusCodes(503).safeForNonIdempotent).toBe(false);
    expect(RetryOn.DEFAULT.safeForNonIdempotent).toBe(false);
  });

  test('rejects an empty condition set', () => {
    expect(() => RetryOn.of()).toThrow(/RetryOn: conditions must name at least one condition or status code/);
  });

  test('rejects an out-of-range status code', () => {
    expect(() => RetryOn.statusCodes(700)).toThrow(/RetryOn: statusCodes must be HTTP status codes from 100 to 599, got 700/);
  });

  test('rejects an unknown condition', () => {
    expect(() => RetryOn.of('sometimes' as RetryCondition)).toThrow(/RetryOn: conditions contains an unknown condition "sometimes"/);
  });
});

describe('RetryPolicy', () => {
  test('renders Istio HTTPRetry with the default conditions', () => {
    const r = new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2), retryRemoteLocalities: true, backoff: Duration.millis(50) });
    expect(istioRetries('t', 'retries', r)).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure,refused-stream', retryRemoteLocalities: true, backoff: '50ms' });
    expect(r.worstCaseMillis).toBe(8000);
  });

  test('DISABLED renders attempts 0 only', () => {
    expect(istioRetries('t', 'retries', RetryPolicy.DISABLED)).toEqual({ attempts: 0, perTryTimeout: undefined, retryOn: undefined, retryRemoteLocalities: undefined, backoff: undefined });
  });

  test('rejects negative attempts', () => {
    expect(() => new RetryPolicy({ attempts: -1 })).toThrow(/RetryPolicy: attempts must be a whole number from 0 to 100, got -1/);
  });

  test('rejects 0 attempts with other retry settings', () => {
    expect(() => new RetryPolicy({ attempts: 0, perTryTimeout: Duration.seconds(1) })).toThrow(/attempts is 0 \(retries disabled\), but other retry settings are given/);
  });

  test('rejects a sub-millisecond per-try timeout', () => {
    expect(() => new RetryPolicy({ attempts: 1, perTryTimeout: Duration.millis(0.5) })).toThrow(/RetryPolicy: perTryTimeout must be at least 1ms/);
  });

  test('property: any valid policy renders a schema-valid route', () => {
    const c = meshChart();
    const svc = reviewsService(c);
    let i = 0;
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 5000 }), fc.subarray(Object.values(RetryCondition), { minLength: 1 }), fc.array(fc.integer({ min: 100, max: 599 }), { maxLength: 3 }),
      (attempts, perTry, conditions, codes) => {
        const retries = attempts === 0 ? RetryPolicy.DISABLED : new RetryPolicy({ attempts, perTryTimeout: Duration.millis(perTry), retryOn: RetryOn.of(...conditions).withStatusCodes(...codes) });
        svc.addRoute({ matches: [Match.header('x-case').exact(String(i++))], to: RouteTo.version('v1'), retries, timeout: Duration.millis(perTry * (attempts + 1)) });
      }), { numRuns: 25 });
    batch.add('retry-policy-property', Testing.synth(c));
  });
});

describe('ConnectionPool', () => {
  test('reports which sections are set', () => {
    const p = new ConnectionPool({ maxConnections: 10, h2UpgradePolicy: H2UpgradePolicy.UPGRADE });
    expect([p.hasTcp, p.hasHttp]).toEqual([true, true]);
    expect(new ConnectionPool({ idleTimeout: Duration.minutes(5) }).hasTcp).toBe(false);
  });

  test('rejects a zero limit', () => {
    expect(() => new ConnectionPool({ maxConnections: 0 })).toThrow(/ConnectionPool: maxConnections must be a whole number from 1 to 2147483647, got 0/);
  });

  test('rejects a limit beyond int32', () => {
    expect(() => new ConnectionPool({ http2MaxRequests: 2 ** 31 })).toThrow(/http2MaxRequests must be a whole number from 1 to 2147483647, got 2147483648/);
  });

  test('rejects fractional limits', () => {
    expect(() => new ConnectionPool({ http1MaxPendingRequests: 1.5 })).toThrow(/http1MaxPendingRequests must be a whole number/);
  });

  test('rejects an empty pool', () => {
    expect(() => new ConnectionPool({})).toThrow(/ConnectionPool: props set no limit/);
  });

  test('rejects bad keepalive probes', () => {
    expect(() => new ConnectionPool({ tcpKeepalive: { probes: 0 } })).toThrow(/tcpKeepalive.probes must be a whole number from 1 to 1000, got 0/);
  });

  test('rejects an unknown h2 upgrade policy', () => {
    expect(() => new ConnectionPool({ h2UpgradePolicy: 'SOMETIMES' as H2UpgradePolicy })).toThrow(/h2UpgradePolicy is not a known policy, got "SOMETIMES"/);
  });

  test('property: random valid pools render schema-valid DestinationRules; invalid ones throw', () => {
    const counter = fc.option(fc.integer({ min: 1, max: 2_147_483_647 }), { nil: undefined });
    const ms = fc.option(fc.integer({ min: 1, max: 3_600_000 }), { nil: undefined });
    let n = 0;
    fc.assert(fc.property(counter, counter, counter, counter, counter, ms, ms, (a, b, c, d, e, t1, t2) => {
      const props = { maxConnections: a ?? 1, http1MaxPendingRequests: b, http2MaxRequests: c, maxRequestsPerConnection: d, maxRetries: e,
        connectTimeout: t1 === undefined ? undefined : Duration.millis(t1), idleTimeout: t2 === undefined ? undefined : Duration.millis(t2) };
      const chart = meshChart();
      new CircuitBreakerPolicy(chart, 'cb', { service: reviewsService(chart), connectionPool: new ConnectionPool(props) });
      const dr = ofKind(Testing.synth(chart), 'DestinationRule');
      expect(dr[0].spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(props.maxConnections);
      if (n++ < 10) batch.add(`pool-${n}`, dr);
    }), { numRuns: 30 });
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -1e9, max: 0 }), fc.double({ min: 2_147_483_648, max: 1e12, noNaN: true }), fc.double({ min: 0.1, max: 1e6, noInteger: true })), (bad) => {
      expect(() => new ConnectionPool({ maxRetries: bad })).toThrow(/ConnectionPool: maxRetries must be a whole number/);
    }));
  });
});

describe('OutlierDetection', () => {
  test('rejects the deprecated consecutiveErrors', () => {
    expect(() => new OutlierDetection({ consecutiveErrors: 5 } as any)).toThrow(/consecutiveErrors is deprecated in Istio and not supported. Fix: use consecutive5xxErrors/);
  });

  test('rejects a percentage outside 0-100', () => {
    expect(() => new OutlierDetection({ maxEjectionPercent: 150 })).toThrow(/OutlierDetection: maxEjectionPercent must be a whole percentage from 0 to 100, got 150/);
  });

  test('rejects negative error counts', () => {
    expect(() => new OutlierDetection({ consecutive5xxErrors: -1 })).toThrow(/consecutive5xxErrors must be a whole number of errors/);
  });

  test('rejects a detector that can never eject', () => {
    expect(() => new OutlierDetection({ consecutive5xxErrors: 0 })).toThrow(/consecutive5xxErrors is 0 and no consecutiveGatewayErrors is set/);
  });

  test('property: percentages in range are accepted, others rejected', () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), (p) => {
      if (p >= 0 && p <= 100) expect(new OutlierDetection({ minHealthPercent: p }).minHealthPercent).toBe(p);
      else expect(() => new OutlierDetection({ minHealthPercent: p })).toThrow(/minHealthPercent must be a whole percentage/);
    }));
  });
});

describe('FaultInjection', () => {
  test('renders delay and abort with percentage.value', () => {
    const f = FaultInjection.delay(Duration.seconds(7), 50).withAbort(503, 10.5);
    expect(istioFault('t', 'fault', f)).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 50 } }, abort: { httpStatus: 503, percentage: { value: 10.5 } } });
    expect(f.toString()).toBe('delay 7000ms for 50% and abort 503 for 10.5%');
  });

  test('reads back the injected delay and abort (deprecated TypeScript aliases agree)', () => {
    const f = FaultInjection.abort(503, 10);
    expect(f.injectedAbort).toEqual({ httpStatus: 503, percent: 10 });
    expect(f.injectedDelay).toBeUndefined();
    expect([f.delay, f.abort]).toEqual([f.injectedDelay, f.injectedAbort]);
  });

  test('rejects a fault with neither delay nor abort', () => {
    expect(() => new FaultInjection({})).toThrow(/FaultInjection: props must have a delay and\/or an abort/);
  });

  test('rejects a percentage above 100', () => {
    expect(() => FaultInjection.abort(503, 120)).toThrow(/FaultInjection: abort.percent must be a percentage between 0 and 100, got 120/);
  });

  test('rejects a negative delay percentage', () => {
    expect(() => FaultInjection.delay(Duration.seconds(1), -5)).toThrow(/delay.percent must be a percentage between 0 and 100, got -5/);
  });

  test('rejects an abort status outside 200-599', () => {
    expect(() => FaultInjection.abort(99)).toThrow(/abort.httpStatus must be an HTTP status from 200 to 599, got 99/);
  });

  test('property: percentages outside 0-100 always throw, inside always render', () => {
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (p) => {
      if (p >= 0 && p <= 100) expect(istioFault('t', 'f', FaultInjection.abort(500, p))).toEqual({ delay: undefined, abort: { httpStatus: 500, percentage: { value: p } } });
      else expect(() => FaultInjection.abort(500, p)).toThrow(/must be a percentage between 0 and 100/);
    }));
  });
});

describe('LocalityLoadBalancing', () => {
  test('keeps failover rules and priorities', () => {
    const l = LocalityLoadBalancing.failover({ from: 'us-east', to: 'us-west' });
    expect(l.failoverRules).toEqual([{ from: 'us-east', to: 'us-west' }]);
    expect(l.failover).toEqual(l.failoverRules);
    l.failoverRules.pop();
    expect(l.failoverRules).toHaveLength(1);
    expect(LocalityLoadBalancing.priority('topology.kubernetes.io/region').failoverPriority).toEqual(['topology.kubernetes.io/region']);
  });

  test('rejects failing a region over to itself', () => {
    expect(() => LocalityLoadBalancing.failover({ from: 'eu', to: 'eu' })).toThrow(/failover\[0\] fails eu over to itself/);
  });

  test('rejects a repeated source region', () => {
    expect(() => LocalityLoadBalancing.failover({ from: 'eu', to: 'us' }, { from: 'eu', to: 'ap' })).toThrow(/failover\[1\].from repeats region "eu"/);
  });

  test('rejects empty settings', () => {
    expect(() => new LocalityLoadBalancing({})).toThrow(/set neither failover nor failoverPriority/);
  });

  test('rejects a bad label', () => {
    expect(() => LocalityLoadBalancing.priority('not a label')).toThrow(/failoverPriority\[0\] must be a label key/);
  });

  test('rejects failover rules beside a locality label in failoverPriority (Istio refuses them), keeps other labels beside them', () => {
    const failover = [{ from: 'eu', to: 'us' }];
    expect(() => new LocalityLoadBalancing({ failover, failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] }))
      .toThrow(/failoverPriority lists the locality label "topology.kubernetes.io\/region" beside failover rules, which Istio refuses/);
    expect(() => new LocalityLoadBalancing({ failover, failoverPriority: ['topology.kubernetes.io/zone=eu-1a'] })).toThrow(/locality label "topology.kubernetes.io\/zone=eu-1a"/);
    expect(new LocalityLoadBalancing({ failover, failoverPriority: ['topology.istio.io/network', 'topology.istio.io/cluster'] }).failoverPriority)
      .toEqual(['topology.istio.io/network', 'topology.istio.io/cluster']);
  });
});

describe('FailureAccrual', () => {
  test('renders Linkerd annotations', () => {
    expect(new FailureAccrual({ consecutiveFailures: 7, minPenalty: Duration.seconds(2), maxPenalty: Duration.minutes(1), jitterRatio: 0.5 }).toAnnotations()).toEqual({
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '7',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '2s',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '1m',
      'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio': '0.5',
    });
  });

  test('rejects zero failures', () => {
    expect(() => new FailureAccrual({ consecutiveFailures: 0 })).toThrow(/FailureAccrual: consecutiveFailures must be a whole number from 1/);
  });

  test('rejects a min penalty above the max', () => {
    expect(() => new FailureAccrual({ consecutiveFailures: 1, minPenalty: Duration.minutes(2) })).toThrow(/minPenalty \(120000ms\) is longer than maxPenalty \(60000ms, the default\)/);
  });

  test('rejects a jitter ratio above 100', () => {
    expect(() => new FailureAccrual({ consecutiveFailures: 1, jitterRatio: 101 })).toThrow(/jitterRatio must be a number from 0 to 100, got 101/);
  });

  test('property: Linkerd durations use one unit and round-trip', () => {
    const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (ms) => {
      const m = /^(\d+)(ms|s|m|h)$/.exec(linkerdDuration(Duration.millis(ms)))!;
      expect(Number(m[1]) * units[m[2]]).toBe(ms);
    }));
  });
});

describe('RateLimit', () => {
  test('converts to whole requests per second where possible', () => {
    expect(RateLimit.perSecond(100).requestsPerSecond).toBe(100);
    expect(RateLimit.perMinute(600).requestsPerSecond).toBe(10);
    expect(RateLimit.perMinute(100).requestsPerSecond).toBeUndefined();
  });

  test('rejects zero requests', () => {
    expect(() => RateLimit.perSecond(0)).toThrow(/RateLimit: requests must be a whole number from 1/);
  });

  test('rejects a period under 50ms', () => {
    expect(() => RateLimit.of(1, Duration.millis(10))).toThrow(/RateLimit: per must be at least 50ms/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
