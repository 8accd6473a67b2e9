import { Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { resilienceSettingsAnalyzer } from '../../src/analysis/checks/resilience-settings';
import { Finding, Severity } from '../../src/analysis/finding';
import { ManifestIndex } from '../../src/analysis/manifest-index';
import { Manifest } from '../../src/analysis/manifest';
import { CircuitBreakerPolicy, CircuitBreakerPreset, FaultInjection, RetryPolicy } from '../../src/resilience';
import { HttpMethod, Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, reviewsService } from '../support/charts';

function run(...manifests: Manifest[]): Finding[] {
  return resilienceSettingsAnalyzer.analyze(new ManifestIndex(manifests));
}

function dr(spec: any): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' }, spec: { host: 'reviews', ...spec } };
}

function vs(http: any[]): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' }, spec: { hosts: ['reviews'], http } };
}

const ROUTE = { route: [{ destination: { host: 'reviews' } }] };

describe('resilience-settings analyzer', () => {
  test('the library\'s own output has no findings', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new CircuitBreakerPolicy(c, 'cb', { service: reviews, preset: CircuitBreakerPreset.AGGRESSIVE });
    reviews.addRoute({ matches: [Match.header('x').exact('1')], to: RouteTo.version('v1'), fault: FaultInjection.abort(503, 50), retries: RetryPolicy.DISABLED });
    expect(run(...Testing.synth(c))).toEqual([]);
  });

  test('MESH0101: connection-pool counters out of range, in subsets and port-level settings too', () => {
    const findings = run(dr({
      trafficPolicy: { connectionPool: { tcp: { maxConnections: -1 } }, portLevelSettings: [{ port: { number: 80 }, connectionPool: { http: { http2MaxRequests: 3_000_000_000 } } }] },
      subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: { http: { maxRetries: 1.5 } } } }],
    }));
    expect(findings.map((f) => [f.code, f.severity, f.message.split(' is ')[0]])).toEqual([
      ['MESH0101', Severity.ERROR, 'trafficPolicy.connectionPool.tcp.maxConnections'],
      ['MESH0101', Severity.ERROR, 'trafficPolicy.portLevelSettings[0].connectionPool.http.http2MaxRequests'],
      ['MESH0101', Severity.ERROR, 'subset v1 trafficPolicy.connectionPool.http.maxRetries'],
    ]);
    expect(findings[0]).toEqual({
      code: 'MESH0101', severity: Severity.ERROR, resource: 'DestinationRule shop/reviews',
      message: 'trafficPolicy.connectionPool.tcp.maxConnections is -1, outside 1..2147483647. Fix: set a positive whole limit such as 100, or remove it for no limit',
    });
  });

  test('MESH0101: outlier-detection percentages out of range', () => {
    expect(run(dr({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 150 } } })).map((f) => f.message))
      .toEqual(['trafficPolicy.outlierDetection.maxEjectionPercent is 150, outside 0..100. Fix: use a whole percentage, e.g. 50']);
  });

  test('MESH0102: the deprecated consecutiveErrors', () => {
    expect(run(dr({ trafficPolicy: { outlierDetection: { consecutiveErrors: 5, interval: '30s' } } }))).toEqual([{
      code: 'MESH0102', severity: Severity.WARNING, resource: 'DestinationRule shop/reviews',
      message: 'trafficPolicy.outlierDetection uses consecutiveErrors, which Istio deprecated. Fix: use consecutive5xxErrors (5), or consecutiveGatewayErrors for 502/503/504 only',
    }]);
  });

  test('MESH0103: fault percentages outside 0-100 and empty faults', () => {
    const findings = run(vs([
      { name: 'a', ...ROUTE, fault: { abort: { httpStatus: 503, percentage: { value: 120 } } } },
      { ...ROUTE, fault: { delay: { fixedDelay: '1s', percent: -1 } } },
      { ...ROUTE, fault: {} },
    ]));
    expect(findings.map((f) => f.message)).toEqual([
      'http[0] (a).fault.abort percentage is 120, outside 0..100. Fix: use a percentage such as 10',
      'http[1].fault.delay percentage is -1, outside 0..100. Fix: use a percentage such as 10',
      'http[2].fault has neither a delay nor an abort. Fix: add fault.delay or fault.abort, or remove the fault',
    ]);
    expect(new Set(findings.map((f) => f.code))).toEqual(new Set(['MESH0103']));
  });

  test('MESH0104: retries with 0 attempts and other settings', () => {
    expect(run(vs([{ ...ROUTE, retries: { attempts: 0, perTryTimeout: '2s', retryOn: '5xx' } }, { ...ROUTE, retries: { attempts: 0 } }]))).toEqual([{
      code: 'MESH0104', severity: Severity.WARNING, resource: 'VirtualService shop/reviews',
      message: 'http[0].retries has attempts 0 (retries off) but also sets perTryTimeout, retryOn, which do nothing. Fix: set attempts to 1 or more, or remove perTryTimeout, retryOn',
    }]);
  });

  test('property: a fault percentage is flagged exactly when it is outside 0-100', () => {
    fc.assert(fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (p) => {
      const flagged = run(vs([{ ...ROUTE, fault: { abort: { httpStatus: 500, percentage: { value: p } } } }])).length > 0;
      expect(flagged).toBe(p < 0 || p > 100);
    }));
  });

  test('property: library-rendered faults and retries are never flagged', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 5 }), (p, attempts) => {
      const c = meshChart();
      reviewsService(c).setDefaultRoute(RouteTo.version('v1'), {
        fault: FaultInjection.delay(Duration.millis(10), p),
        retries: attempts === 0 ? RetryPolicy.DISABLED : new RetryPolicy({ attempts, perTryTimeout: Duration.seconds(1) }),
      });
      expect(run(...Testing.synth(c))).toEqual([]);
    }), { numRuns: 20 });
  });
});

test('MESH0105: retries on a POST-only route on unsafe conditions are a warning', () => {
  const post = { match: [{ method: { exact: 'POST' } }], ...ROUTE };
  const findings = run(vs([
    { ...post, retries: { attempts: 3, retryOn: '5xx,connect-failure' } },
    { ...post, retries: { attempts: 2, retryOn: 'connect-failure,refused-stream' } },
    { ...post, retries: { attempts: 2 } },
    { match: [{ method: { exact: 'GET' } }], ...ROUTE, retries: { attempts: 3, retryOn: '5xx' } },
  ]));
  expect(findings.map((f) => [f.code, f.severity, f.message.split(', which')[0]])).toEqual([
    ['MESH0105', Severity.WARNING, 'http[0] matches only POST/PATCH requests but retries them on 5xx'],
    ['MESH0105', Severity.WARNING, 'http[2] matches only POST/PATCH requests but retries them on (Istio\'s defaults'],
  ]);
});

test('MESH0105: the library never renders retries that trigger it for a route marked non-idempotent', () => {
  const c = meshChart();
  reviewsService(c).addRoute({ matches: [Match.method(HttpMethod.POST)], to: RouteTo.version('v1'), idempotent: false });
  expect(run(...Testing.synth(c))).toEqual([]);
});
