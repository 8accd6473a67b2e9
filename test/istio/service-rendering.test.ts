import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { HttpMethod, Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { Destination, RedirectScheme, RedirectStatus, RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

function synth(name: string, chart: ReturnType<typeof meshChart>): any[] {
  return schemas.add(name, Testing.synth(chart));
}

describe('MeshService rendered for Istio', () => {
  test('a header route and a weighted default become one VirtualService and one DestinationRule', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    reviews.setDefaultRoute(RouteTo.split({ v1: 90, v3: 10 }));
    const out = synth('header-and-split', chart);
    expect(out.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'networking.istio.io/v1 DestinationRule/reviews',
      'networking.istio.io/v1 VirtualService/reviews',
    ]);
    const [vs] = ofKind(out, 'VirtualService');
    expect(vs.metadata.namespace).toBe('bookinfo');
    expect(vs.spec).toEqual({
      hosts: ['reviews'],
      http: [
        { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
        { route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v3' }, weight: 10 }] },
      ],
    });
    const [dr] = ofKind(out, 'DestinationRule');
    expect(dr.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
      { name: 'v3', labels: { version: 'v3' } },
    ]);
    expect(out).toMatchSnapshot();
  });

  test('specific matches come before general ones, whatever the order added, and the catch-all last', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.setDefaultRoute(RouteTo.version('v1'));
    reviews.addRoute({ name: 'by-header', matches: [Match.header('x-beta').exact('1')], to: RouteTo.version('v3') });
    reviews.addRoute({ name: 'by-prefix', matches: [Match.path.prefix('/reviews')], to: RouteTo.version('v2') });
    reviews.addRoute({ name: 'by-exact', matches: [Match.path.exact('/reviews/0')], to: RouteTo.version('v2') });
    reviews.addRoute({ name: 'by-method', matches: [Match.method(HttpMethod.POST)], to: RouteTo.version('v3') });
    const [vs] = ofKind(synth('precedence', chart), 'VirtualService');
    expect(vs.spec.http.map((r: any) => r.name ?? 'default')).toEqual(['by-exact', 'by-prefix', 'by-method', 'by-header', 'default']);
  });

  test('without a default route, unmatched requests reach the whole Service', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    const [vs] = ofKind(synth('implicit-default', chart), 'VirtualService');
    expect(vs.spec.http[1]).toEqual({ route: [{ destination: { host: 'reviews' } }] });
  });

  test('mirroring, timeouts and rewrites', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.setDefaultRoute(RouteTo.version('v1'), { timeout: Duration.seconds(2), mirror: Mirror.to(Destination.version('v2'), 25) });
    reviews.addRoute({ matches: [Match.path.prefix('/legacy')], to: RouteTo.version('v3'), rewrite: { path: '/', authority: 'reviews.internal' } });
    const [vs] = ofKind(synth('mirror-timeout-rewrite', chart), 'VirtualService');
    expect(vs.spec.http[0]).toEqual({
      match: [{ uri: { exact: '/legacy' } }, { uri: { prefix: '/legacy/' } }],
      rewrite: { uriRegexRewrite: { match: '^/legacy/?(.*)$', rewrite: '/\\1' }, authority: 'reviews.internal' },
      route: [{ destination: { host: 'reviews', subset: 'v3' } }],
    });
    expect(vs.spec.http[1]).toEqual({
      mirror: { host: 'reviews', subset: 'v2' },
      mirrorPercentage: { value: 25 },
      route: [{ destination: { host: 'reviews', subset: 'v1' } }],
      timeout: '2s',
    });
  });

  test('redirects and direct responses', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new', scheme: RedirectScheme.HTTPS, statusCode: RedirectStatus.PERMANENT_REDIRECT }) });
    reviews.addRoute({ matches: [Match.path.prefix('/maintenance')], to: RouteTo.directResponse(503, 'down for maintenance') });
    const [vs] = ofKind(synth('redirect-direct-response', chart), 'VirtualService');
    expect(vs.spec.http[0]).toEqual({ match: [{ uri: { exact: '/maintenance' } }, { uri: { prefix: '/maintenance/' } }], directResponse: { status: 503, body: { string: 'down for maintenance' } } });
    expect(vs.spec.http[1]).toEqual({ match: [{ uri: { exact: '/old' } }, { uri: { prefix: '/old/' } }], redirect: { scheme: 'https', uri: '/new', redirectCode: 308 } });
  });

  test('load balancers per service and per version land in the DestinationRule', () => {
    const chart = meshChart();
    const reviews = reviewsService(chart);
    reviews.setLoadBalancer(LoadBalancer.LEAST_REQUEST);
    reviews.setLoadBalancer(LoadBalancer.consistentHash.cookie('session', { ttl: Duration.minutes(30), path: '/' }), { version: 'v2' });
    reviews.setLoadBalancer(LoadBalancer.consistentHash.header('x-user'), { version: 'v3' });
    const [dr] = ofKind(synth('load-balancers', chart), 'DestinationRule');
    expect(dr.spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' } });
    expect(dr.spec.subsets[1].trafficPolicy).toEqual({ loadBalancer: { consistentHash: { httpCookie: { name: 'session', path: '/', ttl: '30m' } } } });
    expect(dr.spec.subsets[2].trafficPolicy).toEqual({ loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } });
    expect(ofKind(Testing.synth(chart), 'VirtualService')).toEqual([]);
  });

  test('routes to another service use its short name in the same namespace and its FQDN elsewhere', () => {
    const chart = meshChart();
    const shop = new MeshService(chart, 'shop', { ports: [ServicePort.http(80)] });
    const orders = new MeshService(chart, 'orders', { ports: [ServicePort.http(8080)], versions: ['v1'] });
    const billing = new MeshService(chart, 'billing', { ports: [ServicePort.http(80)], namespace: 'finance' });
    shop.addRoute({ matches: [Match.path.prefix('/orders')], to: RouteTo.service(orders, { version: 'v1' }) });
    shop.addRoute({ matches: [Match.path.prefix('/billing')], to: RouteTo.service(billing) });
    const [vs] = ofKind(synth('cross-service', chart), 'VirtualService');
    // '/billing' is the longer prefix, so it is evaluated first
    expect(vs.spec.http.map((r: any) => r.route[0].destination)).toEqual([
      { host: 'billing.finance.svc.cluster.local' },
      { host: 'orders', subset: 'v1' },
      { host: 'shop' },
    ]);
  });

  test('a multi-port service needs a destination port (IST0112)', () => {
    const chart = meshChart();
    const api = new MeshService(chart, 'api', { ports: [ServicePort.http(80), ServicePort.grpc(9090)], versions: ['v1'] });
    expect(() => api.setDefaultRoute(RouteTo.version('v1'))).toThrow(/test\/api: port is required: api has ports http\(80\), grpc\(9090\) and an Istio route to it needs a destination port \(IST0112\)/);
    api.setDefaultRoute(RouteTo.version('v1', { port: 9090 }));
    const [vs] = ofKind(synth('multi-port', chart), 'VirtualService');
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'api', subset: 'v1', port: { number: 9090 } });
  });

  test('weights that do not sum to 100 fail with both values and a fix', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.setDefaultRoute(RouteTo.split({ v1: 80, v2: 15 }))).toThrow(/^test\/reviews: weights must sum to 100, got 95 \(v1=80, v2=15\)\. Fix: .*e\.g\. v1=85/);
  });

  test('a weight that is not a whole number fails', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.setDefaultRoute(RouteTo.split({ v1: 50.5, v2: 49.5 }))).toThrow(/weight of v1 must be a whole number .* got 50\.5/);
  });

  test('an unknown version fails', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/x')], to: RouteTo.version('v9') })).toThrow(/names version "v9", which reviews does not define \(known: v1, v2, v3\)/);
  });

  test('a repeated match fails as unreachable (IST0130)', () => {
    const reviews = reviewsService(meshChart());
    reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2') });
    expect(() => reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3') }))
      .toThrow(/repeats the match "header\[end-user\]=exact:jason" .* unreachable \(IST0130\)/);
  });

  test('a route without matches fails and points to setDefaultRoute', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.addRoute({ matches: [], to: RouteTo.version('v2') })).toThrow(/matches must list at least one match\. Fix: .*setDefaultRoute/);
  });

  test('a second default route fails naming both owners', () => {
    const reviews = reviewsService(meshChart());
    reviews.setDefaultRoute(RouteTo.version('v1'));
    expect(() => reviews.setDefaultRoute(RouteTo.version('v2'))).toThrow(/default route of test\/reviews is already set by test\/reviews \(v1=100\)\. Fix: attach one traffic split per service/);
  });

  test('mirroring to a destination that already gets the traffic fails', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v1')) })).toThrow(/mirror sends copies to v1, which already receives the route's live traffic/);
  });

  test('a redirect cannot also time out', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.redirect({ path: '/b' }), timeout: Duration.seconds(1) }))
      .toThrow(/test\/reviews: to is a redirect, which cannot be combined with timeout\. Fix: remove timeout/);
  });

  test('a duplicate route name fails', () => {
    const reviews = reviewsService(meshChart());
    reviews.addRoute({ name: 'r', matches: [Match.path.prefix('/a')], to: RouteTo.version('v2') });
    expect(() => reviews.addRoute({ name: 'r', matches: [Match.path.prefix('/b')], to: RouteTo.version('v2') })).toThrow(/name "r" is already used by another route of reviews/);
  });

  test('a timeout under 1ms fails', () => {
    const reviews = reviewsService(meshChart());
    expect(() => reviews.setDefaultRoute(RouteTo.version('v1'), { timeout: Duration.millis(0.5) })).toThrow(/test\/reviews: timeout must be at least 1ms, got 0.5ms/);
  });

  test('every scenario is valid against the CRD schemas', () => {
    expect(schemas.size).toBeGreaterThan(5);
    expect(schemas.problems()).toEqual([]);
  });
});

test('the mesh defaults to Istio', () => {
  expect(reviewsService(meshChart()).mesh).toBe(Mesh.ISTIO);
});
