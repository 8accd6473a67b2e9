import { ApiObject, App, Duration, Lazy, Testing } from 'cdk8s';
import { describeValue, fail, MeshConfigError, quote } from '../../src/core/errors';
import { ServiceAlerts } from '../../src/observability/alerting/service-alerts';
import { ServiceLevelIndicator } from '../../src/observability/slo/service-level-indicator';
import { ServiceLevelObjective } from '../../src/observability/slo/service-level-objective';
import { MtlsMode } from '../../src/security/mtls';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { Mesh } from '../../src/core/mesh';
import { CircuitBreakerPolicy } from '../../src/resilience/circuit-breaker-policy';
import { OutlierDetection } from '../../src/resilience/outlier-detection';
import { meshChart, reviewsService } from '../support/charts';

// Unclear errors: what the user wrote is quoted as written, and a bad value fails with a
// MeshConfigError naming the construct and the prop, never with an exception from inside cdk8s.

describe('bad values are described as written', () => {
  test('NaN and Infinity are quoted as such, not as JSON\'s null', () => {
    expect([NaN, Infinity, -Infinity].map(quote)).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(describeValue(NaN)).toBe('NaN');
  });

  test('a NaN percentage names the construct and the prop', () => {
    const c = meshChart();
    expect(() => new ServiceAlerts(c, 'alerts', { service: reviewsService(c), errorRatio: { thresholdPercent: NaN } }))
      .toThrow(/test\/alerts: errorRatio.thresholdPercent .*got NaN\b/);
  });
});

describe('durations of NaN or Infinity fail as MeshConfigErrors, not as cdk8s\'s "cannot be converted"', () => {
  const nan = Duration.seconds(NaN);
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['an alert window', () => { const c = meshChart(); new ServiceAlerts(c, 'alerts', { service: reviewsService(c), errorRatio: { window: nan } }); },
      /^test\/alerts: errorRatio.window must be a finite duration, got NaN milliseconds\. Fix: /],
    ['a latency threshold', () => { const c = meshChart(); new ServiceAlerts(c, 'alerts', { service: reviewsService(c), latency: { threshold: Duration.minutes(Infinity) } }); },
      /^test\/alerts: latency.threshold must be a finite duration, got Infinity milliseconds/],
    ['an SLI threshold', () => ServiceLevelIndicator.latency(nan), /^ServiceLevelIndicator.latency: threshold must be a finite duration/],
    ['an SLO window', () => { const c = meshChart(); new ServiceLevelObjective(c, 'slo', { service: reviewsService(c), objectivePercent: 99, window: nan }); },
      /^test\/slo: window must be a finite duration/],
  ];
  test.each(cases)('%s', (_, build, message) => {
    expect(build).toThrow(MeshConfigError);
    expect(build).toThrow(message);
  });
});

describe('documented calls work with only the props they document', () => {
  test('addException({ selector, mode }) names the exception after the selector', () => {
    const c = meshChart();
    const ns = new StrictMtlsNamespace(c, 'ns');
    ns.addException({ selector: { app: 'legacy' }, mode: MtlsMode.PERMISSIVE });
    const pa = Testing.synth(c).filter((o) => o.kind === 'PeerAuthentication' && o.metadata.name !== 'default');
    expect(pa.map((o) => [o.metadata.name, o.spec])).toEqual([['legacy', { selector: { matchLabels: { app: 'legacy' } }, mtls: { mode: 'PERMISSIVE' } }]]);
  });
});

describe('errors raised while objects are serialized', () => {
  function chartWithFailingRender() {
    const c = meshChart();
    reviewsService(c); // a library construct: the chart is synthesized through the library's hook
    new ApiObject(c, 'late', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' },
      data: Lazy.any({ produce: () => fail('test/late', 'data', 'cannot be rendered', 'fix the data') }),
    });
    return c;
  }

  test('keep the MeshConfigError class and message that cdk8s wraps into "Failed serializing construct"', () => {
    const c = chartWithFailingRender();
    expect(() => Testing.synth(c)).toThrow(MeshConfigError);
    expect(() => Testing.synth(c)).toThrow(/^test\/late: data cannot be rendered\. Fix: fix the data$/);
    expect(() => c.node.root instanceof App && (c.node.root as App).synthYaml()).toThrow(MeshConfigError);
  });
});

describe('value objects the library builds on the user\'s behalf', () => {
  test('an OutlierDetection turned into Linkerd failure accrual names the construct and the prop, not only FailureAccrual', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), outlierDetection: new OutlierDetection({ consecutive5xxErrors: 2_000_000 }) }))
      .toThrow(/^test\/cb: outlierDetection \(as Linkerd failure accrual\): FailureAccrual: consecutiveFailures must be a whole number from 1 to 1000000, got 2000000\. Fix: /);
  });

  test('a baseEjectionTime over a minute becomes the penalty range instead of a minPenalty > maxPenalty error', () => {
    const c = meshChart(Mesh.LINKERD);
    const cb = new CircuitBreakerPolicy(c, 'cb', { service: reviewsService(c), outlierDetection: new OutlierDetection({ consecutive5xxErrors: 5, baseEjectionTime: Duration.minutes(2) }) });
    expect(cb.failureAccrual!.toAnnotations()).toMatchObject({
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '2m',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '2m',
    });
  });
});
