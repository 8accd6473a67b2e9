import { analyze } from '../../src/analysis/analyze';
import { Severity } from '../../src/analysis/finding';
import { ANALYZERS } from '../../src/analysis/registry';
import { deployment, destinationRule, healthyReviews, route, service, virtualService } from './fixtures';

describe('analyze', () => {
  test('a consistent set has no findings', () => {
    expect(analyze(healthyReviews())).toEqual([]);
  });

  test('runs every registered analyzer and orders findings by severity, code, resource and message', () => {
    const findings = analyze([
      service('reviews', [{ port: 9080, name: 'web' }]),
      deployment('reviews-v1', { app: 'reviews', version: 'v1' }),
      destinationRule('reviews', 'reviews', { v1: { version: 'v1' }, v2: { version: 'v2' } }),
      virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'reviews', subset: 'v3', weight: 80 }, { host: 'reviews', subset: 'v1', weight: 15 })] }),
      virtualService('reviews-b', { hosts: ['reviews'], http: [route({ host: 'details' })] }),
    ]);
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.resource}`)).toEqual([
      'error IST0101 VirtualService default/reviews',
      'error IST0101 VirtualService default/reviews-b',
      'error IST0109 VirtualService default/reviews',
      'error IST0109 VirtualService default/reviews-b',
      'warning IST0118 Service default/reviews',
      'warning IST0173 DestinationRule default/reviews',
      'warning MESH0001 VirtualService default/reviews',
    ]);
    expect(findings).toMatchSnapshot();
  });

  test('options pass known hosts and a subset of analyzers', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [route({ host: 'ratings' })] });
    expect(analyze([vs]).map((f) => f.severity)).toEqual([Severity.WARNING]);
    expect(analyze([vs], { knownHosts: ['ratings.default.svc.cluster.local'] })).toEqual([]);
    expect(analyze([vs], { knownHosts: ['details.default.svc.cluster.local'] }).map((f) => f.severity)).toEqual([Severity.ERROR]);
    expect(analyze([vs], { analyzers: [] })).toEqual([]);
    expect(analyze([{ ...vs, metadata: { name: 'reviews' } }], { defaultNamespace: 'shop', knownHosts: ['ratings.shop.svc.cluster.local'] })).toEqual([]);
  });

  test('every analyzer has a unique kebab-case name and declares its codes', () => {
    const names = ANALYZERS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    for (const a of ANALYZERS) {
      expect(a.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(a.codes.length).toBeGreaterThan(0);
      a.codes.forEach((c) => expect(c).toMatch(/^(IST|MESH)\d{4}$/));
    }
  });
});
