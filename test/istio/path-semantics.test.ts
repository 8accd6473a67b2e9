import fc from 'fast-check';
import { Chart, Testing } from 'cdk8s';
import { Match, MeshService, RouteTo, ServicePort, StranglerFig } from '../../src';
import { meshChart, ofKind } from '../support/charts';
import { forwardedPath } from '../support/envoy-route';

/** The Gateway API's PathPrefix match and ReplacePrefixMatch, from the HTTPRoute reference. */
function gatewayApiPrefix(prefix: string, path: string, replacement?: string): string | undefined {
  const p = prefix.replace(/\/+$/, '');
  if (!(path === p || path.startsWith(`${p}/`) || p === '')) return undefined;
  if (replacement === undefined) return path;
  const rest = path.slice(p.length);
  const r = replacement.replace(/\/+$/, '');
  return r === '' ? (rest === '' ? '/' : rest.replace(/^\/?/, '/')) : r + rest;
}

function vsRoutes(build: (chart: Chart) => void): any[] {
  const chart = meshChart();
  build(chart);
  return ofKind(Testing.synth(chart), 'VirtualService').find((o) => o.metadata.name === 'shop').spec.http;
}

function service(chart: Chart, name: string): MeshService {
  return new MeshService(chart, name, { ports: [ServicePort.http(80)] });
}

function shopRoutes(prefix: string, rewrite?: string, extra?: Match[]): any[] {
  return vsRoutes((chart) => {
    const shop = service(chart, 'shop');
    const orders = service(chart, 'orders');
    shop.addRoute({ name: 'orders', matches: [Match.path.prefix(prefix), ...(extra ?? [])], to: RouteTo.service(orders), rewrite: rewrite === undefined ? undefined : { path: rewrite } });
  });
}

describe('Istio path prefixes and rewrites mean what the Gateway API means', () => {
  test('strangler fig: /orders/42 reaches the new service as /42, never //42', () => {
    const routes = vsRoutes((chart) => {
      const shop = service(chart, 'shop');
      const orders = service(chart, 'orders');
      new StranglerFig(chart, 'fig', { monolith: shop }).migrate('/orders', orders, { rewritePrefix: '/' });
    });
    expect(routes[0].rewrite).toEqual({ uriRegexRewrite: { match: '^/orders/?(.*)$', rewrite: '/\\1' } });
    expect(forwardedPath(routes[0], '/orders/42')).toBe('/42');
    expect(forwardedPath(routes[0], '/orders')).toBe('/');
    expect(forwardedPath(routes[0], '/orders/')).toBe('/');
  });

  test('a prefix selects whole segments: /api is not /apiv2', () => {
    const [route] = shopRoutes('/api');
    expect(route.match).toEqual([{ uri: { exact: '/api' } }, { uri: { prefix: '/api/' } }]);
    expect(forwardedPath(route, '/api')).toBe('/api');
    expect(forwardedPath(route, '/api/v1')).toBe('/api/v1');
    expect(forwardedPath(route, '/apiv2')).toBeUndefined();
  });

  test('a trailing slash of the prefix is ignored, and / still selects everything', () => {
    expect(shopRoutes('/api/')[0].match).toEqual([{ uri: { exact: '/api' } }, { uri: { prefix: '/api/' } }]);
    expect(shopRoutes('/')[0].match).toEqual([{ uri: { prefix: '/' } }]);
  });

  test('a prefix replaced by another keeps the rest of the path', () => {
    const [route] = shopRoutes('/legacy', '/v2');
    expect(forwardedPath(route, '/legacy/items/1')).toBe('/v2/items/1');
    expect(forwardedPath(route, '/legacy')).toBe('/v2');
  });

  test('with a match that is not a prefix, the whole path is replaced', () => {
    const [route] = shopRoutes('/a', '/new', [Match.header('x-canary').exact('1')]);
    expect(route.rewrite).toEqual({ uriRegexRewrite: { match: '^/.*$', rewrite: '/new' } });
    expect(forwardedPath(route, '/x/y')).toBe('/new');
  });

  test('several prefixes on one route: each is replaced, the longest first', () => {
    const routes = vsRoutes((chart) => {
      const shop = service(chart, 'shop');
      shop.addRoute({ matches: [Match.path.prefix('/a'), Match.path.prefix('/a/b')], to: RouteTo.service(shop), rewrite: { path: '/z' } });
    });
    expect(forwardedPath(routes[0], '/a/b/c')).toBe('/z/c');
    expect(forwardedPath(routes[0], '/a/c')).toBe('/z/c');
  });

  test('property: random prefixes, paths and replacements agree with the Gateway API', () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,4}$/);
    const path = fc.array(segment, { maxLength: 4 }).chain((s) => fc.boolean().map((slash) => `/${s.join('/')}${slash && s.length ? '/' : ''}`));
    fc.assert(fc.property(path, path, fc.option(fc.oneof(path, fc.constant('/')), { nil: undefined }), (prefix, request, replacement) => {
      const [route] = shopRoutes(prefix, replacement);
      expect(forwardedPath(route, request)).toBe(gatewayApiPrefix(prefix, request, replacement));
    }), { numRuns: 300 });
  });
});
