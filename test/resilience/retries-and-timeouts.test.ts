import { Duration, Testing } from 'cdk8s';
import { analyze } from '../../src/analysis/analyze';
import { Mesh } from '../../src/core/mesh';
import { VirtualService } from '../../src/istio/virtual-service';
import { RequestPolicy, RetryCondition, RetryOn, RetryPolicy } from '../../src/resilience';
import { HttpMethod, Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();
const THREE = new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2) });
const TWO = new RetryPolicy({ attempts: 2, retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR) });

function routesOf(objects: any[]): any[] {
  return ofKind(objects, 'VirtualService')[0].spec.http;
}

describe('route retries and timeouts on Istio', () => {
  test('a route carries its retries and timeout', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addRoute({
      name: 'api', matches: [Match.path.prefix('/api')], to: RouteTo.version('v2'), timeout: Duration.seconds(10),
      retries: new RetryPolicy({ attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR, RetryCondition.CONNECT_FAILURE).withStatusCodes(429), retryRemoteLocalities: true, backoff: Duration.millis(100) }),
    });
    const out = batch.add('route-retries', Testing.synth(c));
    expect(routesOf(out)[0]).toEqual({
      name: 'api', match: [{ uri: { exact: '/api' } }, { uri: { prefix: '/api/' } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }], timeout: '10s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,429', retryRemoteLocalities: true, backoff: '100ms' },
    });
    expect(out).toMatchSnapshot();
  });

  test('rejects a retry budget longer than the route timeout, with the numbers', () => {
    const c = meshChart();
    expect(() => reviewsService(c).addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v1'), timeout: Duration.seconds(5), retries: THREE }))
      .toThrow(/test\/reviews: retries need up to 8000ms \(the first try plus 3 retries × 2000ms per try\), longer than the route timeout of 5000ms.*Fix: lower attempts to 1, shorten perTryTimeout to 1250ms, or raise the timeout to at least 8000ms/);
  });

  test('rejects unsafe retries on a route marked non-idempotent', () => {
    const c = meshChart();
    expect(() => reviewsService(c).addRoute({ matches: [Match.method(HttpMethod.POST)], to: RouteTo.version('v1'), idempotent: false, retries: THREE }))
      .toThrow(/retries retry on 5xx,reset,connect-failure,refused-stream, but the route is marked idempotent: false, so a retried request could be processed twice/);
  });

  test('a non-idempotent route may retry connection failures, and otherwise gets retries disabled', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'post', matches: [Match.method(HttpMethod.POST)], to: RouteTo.version('v1'), idempotent: false });
    reviews.addRoute({ name: 'put', matches: [Match.method(HttpMethod.PUT)], to: RouteTo.version('v1'), idempotent: false, retries: new RetryPolicy({ attempts: 2, retryOn: RetryOn.CONNECTION_FAILURES }) });
    const http = routesOf(batch.add('non-idempotent', Testing.synth(c)));
    expect(http[0].retries).toEqual({ attempts: 0 });
    expect(http[1].retries).toEqual({ attempts: 2, retryOn: 'connect-failure,refused-stream' });
  });

  test('rejects retries on a redirect', () => {
    const c = meshChart();
    expect(() => reviewsService(c).addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new' }), retries: THREE }))
      .toThrow(/to is a redirect, which cannot be combined with retries or fault/);
  });

  test('rejects a retries value that is not a RetryPolicy', () => {
    const c = meshChart();
    expect(() => reviewsService(c).addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v1'), retries: { attempts: 3 } as any }))
      .toThrow(/retries must be a RetryPolicy/);
  });
});

describe('RequestPolicy', () => {
  test('applies service-wide defaults to every route without its own; the route\'s own win', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    reviews.addRoute({ name: 'slow', matches: [Match.path.prefix('/report')], to: RouteTo.version('v1'), timeout: Duration.seconds(30), retries: RetryPolicy.DISABLED });
    reviews.setDefaultRoute(RouteTo.split({ v1: 90, v3: 10 }));
    new RequestPolicy(c, 'requests', { service: reviews, retries: THREE, timeout: Duration.seconds(10) });
    const out = batch.add('request-policy', Testing.synth(c));
    expect(ofKind(out, 'VirtualService')).toHaveLength(1);
    const http = routesOf(out);
    expect(http.map((r: any) => [r.name, r.timeout, r.retries])).toEqual([
      ['slow', '30s', { attempts: 0 }],
      ['jason', '10s', { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure,refused-stream' }],
      [undefined, '10s', { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset,connect-failure,refused-stream' }],
    ]);
    expect(out).toMatchSnapshot();
  });

  test('creates the VirtualService for a service without routes', () => {
    const c = meshChart();
    new RequestPolicy(c, 'requests', { service: reviewsService(c), timeout: Duration.seconds(3) });
    expect(routesOf(batch.add('request-policy-alone', Testing.synth(c)))).toEqual([{ route: [{ destination: { host: 'reviews' } }], timeout: '3s' }]);
  });

  test('a route timeout too short for the default retries is rejected when the defaults attach', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    reviews.addRoute({ matches: [Match.path.prefix('/fast')], to: RouteTo.version('v1'), timeout: Duration.seconds(1) });
    expect(() => new RequestPolicy(c, 'requests', { service: reviews, retries: THREE })).toThrow(/retries need up to 8000ms .* \(with the defaults of test\/requests\), longer than the route timeout of 1000ms/);
  });

  test('... and when the route attaches after the defaults', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new RequestPolicy(c, 'requests', { service: reviews, retries: THREE });
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/fast')], to: RouteTo.version('v1'), timeout: Duration.seconds(1) }))
      .toThrow(/retries need up to 8000ms .* \(with the defaults of test\/requests\), longer than the route timeout of 1000ms/);
  });

  test('rejects a policy whose own budget exceeds its timeout', () => {
    const c = meshChart();
    expect(() => new RequestPolicy(c, 'requests', { service: reviewsService(c), retries: THREE, timeout: Duration.seconds(4) })).toThrow(/test\/requests: retries need up to 8000ms/);
  });

  test('rejects an empty policy', () => {
    const c = meshChart();
    expect(() => new RequestPolicy(c, 'requests', { service: reviewsService(c) })).toThrow(/test\/requests: props set no retries and no timeout\. Fix: pass retries, timeout, connectTimeout and\/or idleTimeout/);
  });

  test('rejects a second policy for a service', () => {
    const c = meshChart();
    const reviews = reviewsService(c);
    new RequestPolicy(c, 'a', { service: reviews, timeout: Duration.seconds(1) });
    expect(() => new RequestPolicy(c, 'b', { service: reviews, timeout: Duration.seconds(2) })).toThrow(/test\/b: service reviews already has a RequestPolicy \(test\/a\)/);
  });

  test('on the Gateway API the timeout goes into every rule and retries are rejected', () => {
    const c = meshChart(Mesh.GATEWAY_API);
    const reviews = reviewsService(c);
    reviews.setDefaultRoute(RouteTo.version('v1'));
    new RequestPolicy(c, 'requests', { service: reviews, timeout: Duration.seconds(4) });
    const [route] = ofKind(batch.add('gamma-timeout', Testing.synth(c)), 'HTTPRoute');
    expect(route.spec.rules[0].timeouts).toEqual({ request: '4s' });
    const c2 = meshChart(Mesh.GATEWAY_API);
    expect(() => new RequestPolicy(c2, 'requests', { service: reviewsService(c2), retries: THREE })).toThrow(/retries cannot be rendered for the Gateway API \(GAMMA\)/);
  });
});

describe('retries on Linkerd', () => {
  test('RequestPolicy becomes retry and timeout annotations on the Service', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    new RequestPolicy(c, 'requests', { service: reviews, retries: new RetryPolicy({ attempts: 2, perTryTimeout: Duration.millis(1500), retryOn: RetryOn.of(RetryCondition.GATEWAY_ERROR).withStatusCodes(429) }), timeout: Duration.seconds(5) });
    expect(reviews.serviceAnnotations).toEqual({
      'retry.linkerd.io/http': 'gateway-error,429', 'retry.linkerd.io/limit': '2', 'retry.linkerd.io/timeout': '1500ms', 'timeout.linkerd.io/request': '5s',
    });
  });

  test('uniform route retries become HTTPRoute annotations; timeouts stay in rules', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), retries: THREE });
    reviews.setDefaultRoute(RouteTo.split({ v1: 50, v2: 50 }), { retries: THREE, timeout: Duration.seconds(10) });
    const out = batch.add('linkerd-route-retries', Testing.synth(c));
    const [route] = ofKind(out, 'HTTPRoute');
    expect(route.metadata.annotations).toEqual({ 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '2s' });
    expect(route.spec.rules[1].timeouts).toEqual({ request: '10s' });
    expect(out).toMatchSnapshot();
  });

  test('routes with different retries go into one HTTPRoute per retry policy, all on the Service', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), retries: THREE });
    reviews.addRoute({ name: 'api', matches: [Match.path.prefix('/api')], to: RouteTo.version('v3'), retries: TWO, timeout: Duration.seconds(5) });
    reviews.setDefaultRoute(RouteTo.version('v1'));
    const out = batch.add('linkerd-per-route-retries', Testing.synth(c));
    const routes = ofKind(out, 'HTTPRoute');
    expect(routes.map((r) => [r.metadata.name, r.metadata.annotations, r.spec.rules.map((x: any) => x.backendRefs[0].name)])).toEqual([
      ['reviews', undefined, ['reviews-v1']],
      ['reviews-retries-311c8bfa', { 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '2s' }, ['reviews-v2']],
      ['reviews-retries-b7ad42f4', { 'retry.linkerd.io/http': 'gateway-error', 'retry.linkerd.io/limit': '2' }, ['reviews-v3']],
    ]);
    for (const r of routes) expect(r.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(routes[2].spec.rules[0].timeouts).toEqual({ request: '5s' });
    expect(Testing.synth(c)).toEqual(out);
    expect(analyze(out, { defaultNamespace: 'bookinfo' })).toEqual([]);
    expect(out).toMatchSnapshot();
  });

  test('a route that inherits the RequestPolicy\'s retries stays on the HTTPRoute without annotations', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'api', matches: [Match.path.prefix('/api')], to: RouteTo.version('v3'), retries: TWO });
    reviews.setDefaultRoute(RouteTo.version('v1'));
    new RequestPolicy(c, 'requests', { service: reviews, retries: THREE });
    const routes = ofKind(batch.add('linkerd-per-route-retries-with-defaults', Testing.synth(c)), 'HTTPRoute');
    // the main HTTPRoute moved to its own key when the RequestPolicy came: it is created again, last
    expect(routes.map((r) => [r.metadata.name, r.metadata.annotations, r.spec.rules.length])).toEqual([
      ['reviews-retries-b7ad42f4', { 'retry.linkerd.io/http': 'gateway-error', 'retry.linkerd.io/limit': '2' }, 1],
      ['reviews', undefined, 1],
    ]);
  });

  test('the catch-all rule\'s HTTPRoute keeps the service\'s name when a later default route moves it', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    reviews.setDefaultRoute(RouteTo.version('v1'), { retries: THREE });
    const routes = ofKind(Testing.synth(c), 'HTTPRoute');
    expect(routes.map((r) => [r.metadata.name, r.metadata.annotations?.['retry.linkerd.io/limit'], r.spec.rules.length])).toEqual([
      ['reviews', '3', 1],
      ['reviews-no-retries', undefined, 1],
    ]);
  });

  test('the split HTTPRoutes take a chosen HTTPRoute name as their prefix', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = new MeshService(c, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], names: { httpRoute: 'reviews-routes' } });
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), retries: THREE });
    expect(ofKind(Testing.synth(c), 'HTTPRoute').map((r) => r.metadata.name)).toEqual(['reviews-routes', 'reviews-routes-retries-311c8bfa']);
  });

  test('rejects routes in different HTTPRoutes that one request matches equally well', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), retries: THREE });
    reviews.addRoute({ name: 'beta', matches: [Match.header('x-beta').exact('on')], to: RouteTo.version('v3') });
    expect(() => Testing.synth(c)).toThrow(/test\/reviews: retries cannot be rendered for linkerd: jason \(3 attempts, 2000ms per try, on 5xx,reset,connect-failure,refused-stream\) and beta \(no retries\) retry differently, so they go into different HTTPRoutes .*one request can match both equally well \(header\[end-user\]=exact:jason and header\[x-beta\]=exact:on.*Fix: give the two routes the same retries, or make one match more specific/);
  });

  test('accepts such routes when their matches exclude each other', () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ name: 'jason', matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), retries: THREE });
    reviews.addRoute({ name: 'kim', matches: [Match.header('end-user').exact('kim')], to: RouteTo.version('v3') });
    expect(ofKind(Testing.synth(c), 'HTTPRoute')).toHaveLength(2);
  });

  test('rejects connection-level retry conditions', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => reviewsService(c).setDefaultRoute(RouteTo.version('v1'), { retries: new RetryPolicy({ attempts: 1, retryOn: RetryOn.CONNECTION_FAILURES }) }))
      .toThrow(/retries.retryOn cannot be rendered for linkerd: connect-failure is a connection-level condition/);
  });

  test('rejects retries across localities', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new RequestPolicy(c, 'rp', { service: reviewsService(c), retries: new RetryPolicy({ attempts: 1, retryRemoteLocalities: true }) }))
      .toThrow(/retries.retryRemoteLocalities cannot be rendered for linkerd/);
  });

  test('rejects a backoff', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => new RequestPolicy(c, 'rp', { service: reviewsService(c), retries: new RetryPolicy({ attempts: 1, backoff: Duration.millis(10) }) }))
      .toThrow(/retries.backoff cannot be rendered for linkerd/);
  });
});

test('the Gateway API rejects route retries', () => {
  const c = meshChart(Mesh.GATEWAY_API);
  expect(() => reviewsService(c).setDefaultRoute(RouteTo.version('v1'), { retries: THREE })).toThrow(/retries cannot be rendered for the Gateway API \(GAMMA\): HTTPRoute retries are not in the Gateway API's standard channel/);
});

test('every scenario is schema-valid', () => {
  expect(batch.problems()).toEqual([]);
});

test('Linkerd: a non-idempotent route cannot opt out of service-wide retries', () => {
  const c = meshChart(Mesh.LINKERD);
  const reviews = reviewsService(c);
  reviews.addRoute({ name: 'post', matches: [Match.method(HttpMethod.POST)], to: RouteTo.version('v1'), idempotent: false });
  new RequestPolicy(c, 'rp', { service: reviews, retries: new RetryPolicy({ attempts: 2 }) });
  expect(() => Testing.synth(c)).toThrow(/post has no retries, but test\/rp gives reviews retries \(2 attempts, on 5xx,reset,connect-failure,refused-stream\) as Service annotations.*a route marked idempotent: false cannot opt out/);
});

test('the VirtualService L2 checks the retry budget of routes added directly', () => {
  const c = meshChart();
  expect(() => new VirtualService(c, 'vs', { hosts: ['api.example.com'], http: [{ destinations: [{ host: 'api.example.com' }], timeout: Duration.seconds(1), retries: THREE }] }))
    .toThrow(/test\/vs: retries need up to 8000ms .* \(http\[0\]\), longer than the route timeout of 1000ms/);
});
