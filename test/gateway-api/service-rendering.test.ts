import { Duration, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { Destination, RouteTo } from '../../src/traffic/route-action';
import { meshChart, ofKind, reviewsService } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const schemas = new SchemaBatch();

describe.each([Mesh.GATEWAY_API, Mesh.LINKERD, Mesh.CILIUM])('MeshService rendered for %s', (mesh) => {
  test('routes become one HTTPRoute with the Service as parent and per-version backends', () => {
    const chart = meshChart(mesh);
    const reviews = reviewsService(chart);
    reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v2'), timeout: Duration.seconds(3) });
    reviews.setDefaultRoute(RouteTo.split({ v1: 90, v3: 10 }));
    const out = schemas.add(`split-${mesh}`, Testing.synth(chart));
    expect(out.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual(['gateway.networking.k8s.io/v1 HTTPRoute/reviews']);
    expect(out[0].spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'end-user', value: 'jason' }] }],
          backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v2', port: 9080, weight: 1 }],
          timeouts: { request: '3s' },
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            { group: '', kind: 'Service', name: 'reviews-v1', port: 9080, weight: 90 },
            { group: '', kind: 'Service', name: 'reviews-v3', port: 9080, weight: 10 },
          ],
        },
      ],
    });
    expect(out).toMatchSnapshot();
  });

  // Linkerd refuses rewrites (tested below).
  if (mesh !== Mesh.LINKERD) test('a prefix rewrite uses ReplacePrefixMatch', () => {
    const chart = meshChart(mesh);
    const shop = new MeshService(chart, 'shop', { ports: [ServicePort.http(80)] });
    const orders = new MeshService(chart, 'orders', { ports: [ServicePort.http(8080)] });
    shop.addRoute({ matches: [Match.path.prefix('/orders')], to: RouteTo.service(orders), rewrite: { path: '/' } });
    const [route] = ofKind(schemas.add(`rewrite-${mesh}`, Testing.synth(chart)), 'HTTPRoute');
    expect(route.spec.rules[0]).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/orders' } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'orders', port: 8080, weight: 1 }],
    });
  });

  test('a direct response cannot be expressed', () => {
    const reviews = reviewsService(meshChart(mesh));
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/x')], to: RouteTo.directResponse(503) }))
      .toThrow(/test\/reviews: to cannot be rendered for .*: the Gateway API has no direct response\. Fix:/);
  });

  test('a load balancer setting cannot be expressed', () => {
    const reviews = reviewsService(meshChart(mesh));
    expect(() => reviews.setLoadBalancer(LoadBalancer.consistentHash.header('x-user'))).toThrow(/loadBalancer cannot be rendered for .*: the Gateway API has no standard loadBalancer setting/);
  });

  test('an external host cannot be a backend', () => {
    const reviews = reviewsService(meshChart(mesh));
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/x')], to: RouteTo.destination(Destination.host('api.example.com')) }))
      .toThrow(/can only forward to Services, not to the host api.example.com/);
  });
});

test('GAMMA mirrors with a RequestMirror filter', () => {
  const chart = meshChart(Mesh.GATEWAY_API);
  const reviews = reviewsService(chart);
  reviews.setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v2'), 10) });
  const [route] = schemas.add('mirror-gamma', Testing.synth(chart));
  expect(route.spec.rules[0].filters).toEqual([
    { type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: 'reviews-v2', port: 9080 }, percent: 10 } },
  ]);
});

test('Linkerd rejects mirroring', () => {
  const reviews = reviewsService(meshChart(Mesh.LINKERD));
  expect(() => reviews.setDefaultRoute(RouteTo.version('v1'), { mirror: Mirror.to(Destination.version('v2'), 10) }))
    .toThrow(/mirror cannot be rendered for linkerd: Linkerd's proxy does not mirror traffic/);
});

test('GAMMA rejects a port match', () => {
  const reviews = reviewsService(meshChart(Mesh.GATEWAY_API));
  expect(() => reviews.addRoute({ matches: [Match.port(80)], to: RouteTo.version('v1') })).toThrow(/contains a port condition/);
});

test('a backend in another namespace gets a ReferenceGrant there', () => {
  const chart = meshChart(Mesh.GATEWAY_API);
  const shop = new MeshService(chart, 'shop', { ports: [ServicePort.http(80)] });
  const billing = new MeshService(chart, 'billing', { ports: [ServicePort.http(80)], namespace: 'finance', versions: ['v1'] });
  shop.addRoute({ matches: [Match.path.prefix('/b')], to: RouteTo.service(billing) });
  shop.addRoute({ matches: [Match.path.prefix('/b1')], to: RouteTo.service(billing, { version: 'v1' }) });
  const out = schemas.add('reference-grant', Testing.synth(chart));
  expect(ofKind(out, 'HTTPRoute')[0].spec.rules[1].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'billing', namespace: 'finance', port: 80, weight: 1 }]);
  const grants = ofKind(out, 'ReferenceGrant');
  expect(grants.map((g) => [g.metadata.namespace, g.metadata.name, g.spec])).toEqual([[
    'finance', 'shop-from-bookinfo',
    { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'bookinfo' }], to: [{ group: '', kind: 'Service', name: 'billing' }, { group: '', kind: 'Service', name: 'billing-v1' }] },
  ]]);
});

test('every scenario is valid against the CRD schemas', () => {
  expect(schemas.size).toBeGreaterThan(5);
  expect(schemas.problems()).toEqual([]);
});

describe('Linkerd limits found in its policy controller', () => {
  test("a RequestPolicy's timeout, which also lands in the HTTPRoute, needs one unit too", () => {
    const c = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(c);
    reviews.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v1') });
    expect(() => new RequestPolicy(c, 'requests', { service: reviews, timeout: Duration.millis(100_001) }))
      .toThrow(/test\/requests: timeout cannot be rendered for linkerd: 100001ms has no single-unit form/);
  });

  test('a rewrite is refused: the controller rejects the whole HTTPRoute with a URLRewrite filter', () => {
    const reviews = reviewsService(meshChart(Mesh.LINKERD));
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/legacy')], to: RouteTo.version('v1'), rewrite: { path: '/' } }))
      .toThrow(/test\/reviews: rewrite cannot be rendered for linkerd: Linkerd's policy controller rejects an HTTPRoute with a URLRewrite filter, and with it every route of reviews\. Fix: remove the rewrite/);
  });

  test('a timeout renders in one unit (1500ms, never 1s500ms, which Linkerd ignores)', () => {
    const chart = meshChart(Mesh.LINKERD);
    const reviews = reviewsService(chart);
    reviews.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v1'), timeout: Duration.millis(1500) });
    reviews.addRoute({ matches: [Match.path.prefix('/b')], to: RouteTo.version('v1'), timeout: Duration.seconds(90) });
    const [route] = ofKind(schemas.add('linkerd-timeouts', Testing.synth(chart)), 'HTTPRoute');
    expect(route.spec.rules.map((r: any) => r.timeouts?.request)).toEqual(['1500ms', '90s']);
  });

  test('a timeout with no single-unit form fails at once', () => {
    const reviews = reviewsService(meshChart(Mesh.LINKERD));
    expect(() => reviews.addRoute({ matches: [Match.path.prefix('/a')], to: RouteTo.version('v1'), timeout: Duration.millis(100_001) })).toThrow(/timeout cannot be rendered for linkerd: 100001ms has no single-unit form.*Fix: round it to whole seconds, e\.g\. Duration\.seconds\(100\)/);
  });
});
