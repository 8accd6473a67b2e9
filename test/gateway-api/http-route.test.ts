import { HttpRoute } from '../../src/gateway-api/http-route';
import { ParentRef } from '../../src/gateway-api/parent-ref';
import { Mesh } from '../../src/core/mesh';
import { meshChart } from '../support/charts';

describe('HttpRoute', () => {
  const route = (rewrite: { path?: string; authority?: string }) => {
    const c = meshChart(Mesh.GATEWAY_API);
    return () => new HttpRoute(c, 'r', { parents: [ParentRef.service('reviews')], rules: [{ backends: [{ name: 'reviews-v1', port: 9080 }], rewrite }] });
  };

  test('a rewrite path follows the Gateway API path rules, as every other route path does', () => {
    expect(route({ path: '/v2' })).not.toThrow();
    expect(route({ path: 'v2' })).toThrow(/rules\[0\]\.rewrite\.path/);
    expect(route({ path: '/a//b' })).toThrow(/rules\[0\]\.rewrite\.path.*\/\//);
    expect(route({ path: '/a/../b' })).toThrow(/rules\[0\]\.rewrite\.path/);
  });

  test('a rewrite that rewrites nothing is refused', () => {
    expect(route({})).toThrow(/test\/r: rules\[0\]\.rewrite rewrites nothing/);
  });
});
