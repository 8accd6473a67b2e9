import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { AbTest, VariantAssignment } from '../../src/patterns/ab-test';
import { BlueGreenService, Color } from '../../src/patterns/blue-green-service';
import { CanaryService } from '../../src/patterns/canary-service';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();
const THREE = new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) });
const PREVIEW = Match.header('x-preview').exact('1');

describe('per-route timeout and retries on the routes a pattern adds', () => {
  test('CanaryService puts them on the preview route and the weighted split (Istio)', () => {
    const c = meshChart();
    new CanaryService(c, 'canary', { service: reviewsService(c), stableVersion: 'v1', canaryVersion: 'v2', stage: 2, previewMatch: PREVIEW, timeout: Duration.seconds(10), retries: THREE });
    const out = schemas.add('canary-route-knobs', Testing.synth(c));
    const http = ofKind(out, 'VirtualService')[0].spec.http;
    expect(http).toHaveLength(2);
    for (const r of http) {
      expect(r.timeout).toBe('10s');
      expect(r.retries).toMatchObject({ attempts: 3, perTryTimeout: '2s' });
    }
    expect(http[1].route.map((d: any) => d.weight)).toEqual([90, 10]);
    expect(out).toMatchSnapshot();
  });

  test('BlueGreenService puts them on the preview route and the active route (Gateway API: timeout in every rule)', () => {
    const c = meshChart(Mesh.GATEWAY_API);
    new BlueGreenService(c, 'bg', { service: reviewsService(c), blueVersion: 'v1', greenVersion: 'v2', active: Color.BLUE, previewMatch: PREVIEW, timeout: Duration.seconds(5) });
    const rules = ofKind(schemas.add('blue-green-route-timeout', Testing.synth(c)), 'HTTPRoute')[0].spec.rules;
    expect(rules.map((r: any) => r.timeouts)).toEqual([{ request: '5s' }, { request: '5s' }]);
  });

  test('AbTest puts them on the assignment routes and the split; Linkerd renders the retries once on the HTTPRoute', () => {
    const c = meshChart(Mesh.LINKERD);
    new AbTest(c, 'ab', { service: reviewsService(c), split: { v1: 50, v2: 50 }, assignments: [VariantAssignment.header('x-group', 'b', 'v2')], timeout: Duration.seconds(10), retries: THREE });
    const out = schemas.add('ab-linkerd-route-knobs', Testing.synth(c));
    const [route] = ofKind(out, 'HTTPRoute');
    expect(route.metadata.annotations).toEqual({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '2s' });
    expect(route.spec.rules.map((r: any) => r.timeouts)).toEqual([{ request: '10s' }, { request: '10s' }]);
    expect(out).toMatchSnapshot();
  });

  test('the pattern\'s settings win over the service\'s RequestPolicy', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new RequestPolicy(c, 'requests', { service: reviews, timeout: Duration.seconds(30) });
    new BlueGreenService(c, 'bg', { service: reviews, blueVersion: 'v1', greenVersion: 'v2', active: Color.GREEN, timeout: Duration.seconds(3), retries: RetryPolicy.DISABLED });
    const [route] = ofKind(Testing.synth(c), 'VirtualService')[0].spec.http;
    expect(route).toMatchObject({ timeout: '3s', retries: { attempts: 0 } });
  });

  test('without them the routes carry none (unchanged output)', () => {
    const c = meshChart();
    new CanaryService(c, 'canary', { service: reviewsService(c), stableVersion: 'v1', canaryVersion: 'v2', stage: 1, previewMatch: PREVIEW });
    for (const r of ofKind(Testing.synth(c), 'VirtualService')[0].spec.http) expect(r).not.toHaveProperty('timeout');
  });

  test('rejects a retry budget longer than the timeout, naming the pattern', () => {
    const c = meshChart();
    expect(() => new CanaryService(c, 'canary', { service: reviewsService(c), stableVersion: 'v1', canaryVersion: 'v2', stage: 1, timeout: Duration.seconds(5), retries: THREE }))
      .toThrow(/test\/canary: retries need up to 8000ms \(the first try plus 3 retries × 2000ms per try\), longer than the route timeout of 5000ms/);
  });

  test('rejects a timeout that is not a Duration', () => {
    const c = meshChart();
    expect(() => new AbTest(c, 'ab', { service: reviewsService(c), split: { v1: 50, v2: 50 }, timeout: '10s' as any })).toThrow(/test\/ab: timeout/);
  });

  test('rejects retries that are not a RetryPolicy', () => {
    const c = meshChart();
    expect(() => new BlueGreenService(c, 'bg', { service: reviewsService(c), blueVersion: 'v1', greenVersion: 'v2', active: Color.BLUE, retries: { attempts: 3 } as any }))
      .toThrow(/test\/bg: retries must be a RetryPolicy/);
  });

  test('rejects on Linkerd a timeout with no single-unit form', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new CanaryService(c, 'canary', { service: reviewsService(c), stableVersion: 'v1', canaryVersion: 'v2', stage: 1, timeout: Duration.millis(1_234_567_891) }))
      .toThrow(/test\/canary: timeout cannot be rendered for linkerd: 1234567891ms has no single-unit form/);
  });

  test('on Linkerd pattern retries that differ from another route\'s go into their own HTTPRoute', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'orders', matches: [Match.path.prefix('/orders')], to: RouteTo.version('v1'), idempotent: false });
    new CanaryService(c, 'canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stage: 1, retries: THREE });
    const routes = ofKind(schemas.add('canary-linkerd-per-route-retries', Testing.synth(c)), 'HTTPRoute');
    expect(routes.map((r) => [r.metadata.name, r.metadata.annotations, r.spec.rules.map((x: any) => x.matches)])).toEqual([
      ['reviews', { 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '2s' }, [[{ path: { type: 'PathPrefix', value: '/' } }]]],
      ['reviews-no-retries', undefined, [[{ path: { type: 'PathPrefix', value: '/orders' } }]]],
    ]);
  });

  test('rejects on the Gateway API retries, which its standard channel cannot express', () => {
    const c = meshChart(Mesh.GATEWAY_API);
    expect(() => new AbTest(c, 'ab', { service: reviewsService(c), split: { v1: 50, v2: 50 }, retries: THREE }))
      .toThrow(/test\/ab: retries cannot be rendered for the Gateway API \(GAMMA\)/);
  });

});

test('every scenario above renders schema-valid objects', () => {
  expect(schemas.size).toBe(4);
  expect(schemas.problems()).toEqual([]);
});
