import { destinationSubsetAnalyzer } from '../../../src/analysis/checks/destination-subset';
import { Severity } from '../../../src/analysis/finding';
import { destinationRule, healthyReviews, route, virtualService } from '../fixtures';
import { run } from './helpers';

describe('IST0101 subset not defined', () => {
  test('a route to a subset no DestinationRule defines is an error naming the defined subsets', () => {
    const findings = run(destinationSubsetAnalyzer, [
      destinationRule('reviews', 'reviews', { v1: { version: 'v1' }, v2: { version: 'v2' } }),
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v3' })] }),
    ]);
    expect(findings).toEqual([{
      code: 'IST0101', severity: Severity.ERROR, resource: 'VirtualService default/reviews',
      message: 'http[0].route[0] routes to subset "v3" of reviews.default.svc.cluster.local, which DestinationRule default/reviews does not define (defined: v1, v2). Fix: add subset "v3" to the DestinationRule or route to a defined subset',
    }]);
  });

  test('a subset with no DestinationRule for the host is an error when the set holds DestinationRules', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v1' })] });
    const findings = run(destinationSubsetAnalyzer, [destinationRule('ratings', 'ratings', { v1: { version: 'v1' } }), vs]);
    expect(findings.map((f) => [f.severity, f.message])).toEqual([[Severity.ERROR, expect.stringMatching(/subset "v1" of reviews.default.svc.cluster.local, but no DestinationRule for that host is in the set, so no subset is defined\. Fix/)]]);
  });

  test('only a warning when the set holds no DestinationRule at all, as for unknown hosts and gateways', () => {
    const findings = run(destinationSubsetAnalyzer, [virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v1' })] })]);
    expect(findings.map((f) => [f.severity, f.message])).toEqual([[Severity.WARNING, expect.stringMatching(/a warning because the set holds no DestinationRule: they may be deployed separately/)]]);
  });

  test('mirror subsets are checked too', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [{ ...route({ host: 'reviews', subset: 'v1' }), mirror: { host: 'reviews', subset: 'v9' } }] });
    const findings = run(destinationSubsetAnalyzer, [destinationRule('reviews', 'reviews', { v1: { version: 'v1' } }), vs]);
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/^http\[0\]\.mirror routes to subset "v9"/)]);
  });

  test('short and fully qualified names of one host meet; a DestinationRule in another namespace is resolved there', () => {
    expect(run(destinationSubsetAnalyzer, [
      destinationRule('reviews', 'reviews.shop.svc.cluster.local', { v1: { version: 'v1' } }, 'mesh-config'),
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v1' })] }, 'shop'),
    ])).toEqual([]);
    expect(run(destinationSubsetAnalyzer, [
      destinationRule('reviews', 'reviews', { v1: { version: 'v1' } }, 'other'),
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v1' })] }, 'shop'),
    ])).toHaveLength(1);
  });

  test('consistent routing raises nothing', () => {
    expect(run(destinationSubsetAnalyzer, healthyReviews())).toEqual([]);
  });
});
