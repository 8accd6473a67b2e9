import fc from 'fast-check';
import { routeWeightsAnalyzer } from '../../../src/analysis/checks/route-weights';
import { Severity } from '../../../src/analysis/finding';
import { route, virtualService } from '../fixtures';
import { run } from './helpers';

describe('MESH0001 route weights', () => {
  test('weights summing to 95 are a warning listing them', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v1', weight: 80 }, { host: 'reviews', subset: 'v2', weight: 15 })] });
    expect(run(routeWeightsAnalyzer, [vs])).toEqual([{
      code: 'MESH0001', severity: Severity.WARNING, resource: 'VirtualService default/reviews',
      message: 'http[0] weights sum to 95, not 100 (reviews/v1=80, reviews/v2=15); Istio normalizes them, so the split differs from the numbers written. Fix: make the weights add up to 100',
    }]);
  });

  test('unset weights count as 0; tcp routes are checked; a single destination is not', () => {
    const vs = virtualService('db', { hosts: ['db'], tcp: [route({ host: 'db', subset: 'a', weight: 50 }, { host: 'db', subset: 'b' })], http: [route({ host: 'db', weight: 30 })] });
    expect(run(routeWeightsAnalyzer, [vs]).map((f) => f.message.split(';')[0])).toEqual(['tcp[0] weights sum to 50, not 100 (db/a=50, db/b=unset)']);
  });

  test('property: a split is reported exactly when its weights do not sum to 100', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 5 }), (weights) => {
      const vs = virtualService('s', { hosts: ['s'], http: [route(...weights.map((w, i) => ({ host: 's', subset: `v${i}`, weight: w })))] });
      const total = weights.reduce((a, b) => a + b, 0);
      expect(run(routeWeightsAnalyzer, [vs])).toHaveLength(total === 100 ? 0 : 1);
    }));
  });
});
