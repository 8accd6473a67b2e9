import { httpRouteBackendsAnalyzer } from '../../../src/analysis/checks/http-route-backends';
import { Severity } from '../../../src/analysis/finding';
import { httpRoute, service } from '../fixtures';
import { run } from './helpers';

describe('MESH0002 HTTPRoute Service references', () => {
  const reviews = service('reviews', [{ port: 9080, name: 'http' }]);
  const v1 = service('reviews-v1', [{ port: 9080, name: 'http' }], { app: 'reviews', version: 'v1' });

  test('a backendRef to a Service not in the set is a warning', () => {
    const findings = run(httpRouteBackendsAnalyzer, [reviews, v1, httpRoute('reviews', 'reviews', [{ name: 'reviews-v1', weight: 90 }, { name: 'reviews-v2', weight: 10 }])]);
    expect(findings).toEqual([{
      code: 'MESH0002', severity: Severity.WARNING, resource: 'HTTPRoute default/reviews',
      message: 'rules[0].backendRefs[1] names Service default/reviews-v2, which is not in the set. Fix: correct the name, add the Service, or declare it known (--known-host reviews-v2.default.svc.cluster.local)',
    }]);
  });

  test('a Service parent and a wrong port are checked too', () => {
    const findings = run(httpRouteBackendsAnalyzer, [v1, httpRoute('reviews', 'reviews', [{ name: 'reviews-v1', port: 8080 }])]);
    expect(findings.map((f) => f.message.split('.')[0])).toEqual(['parentRefs[0] names Service default/reviews, which is not in the set', 'rules[0]']);
    expect(findings[1].message).toMatch(/names port 8080 of Service default\/reviews-v1, which exposes 9080/);
  });

  test('nothing is reported without Services or known hosts, or when the backends exist', () => {
    const route = httpRoute('reviews', 'reviews', [{ name: 'reviews-v1' }]);
    expect(run(httpRouteBackendsAnalyzer, [route])).toEqual([]);
    expect(run(httpRouteBackendsAnalyzer, [reviews, v1, route])).toEqual([]);
    expect(run(httpRouteBackendsAnalyzer, [route], { knownHosts: ['reviews.default.svc.cluster.local', 'reviews-v1.default.svc.cluster.local'] })).toEqual([]);
  });

  test('the Services a Flagger Canary of the set creates at runtime (<service>-primary, -canary) exist', () => {
    const route = httpRoute('reviews-routes', 'reviews', [{ name: 'reviews-canary' }]);
    const canary = (spec: Record<string, unknown>) => ({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'reviews', namespace: 'default' }, spec });
    expect(run(httpRouteBackendsAnalyzer, [reviews, route]).map((f) => f.message)).toEqual([expect.stringMatching(/names Service default\/reviews-canary, which is not in the set/)]);
    expect(run(httpRouteBackendsAnalyzer, [reviews, route, canary({ targetRef: { name: 'reviews-v2' }, service: { name: 'reviews', port: 9080 } })])).toEqual([]);
    // without service.name, the target's name (GetServiceNames)
    expect(run(httpRouteBackendsAnalyzer, [reviews, route, canary({ targetRef: { name: 'reviews' }, service: { port: 9080 } })])).toEqual([]);
  });
});
