import { unreachableRoutesAnalyzer } from '../../../src/analysis/checks/unreachable-routes';
import { Severity } from '../../../src/analysis/finding';
import { healthyReviews, route, virtualService } from '../fixtures';
import { run } from './helpers';

const jason = { headers: { 'end-user': { exact: 'jason' } } };
const rule = (match: any[] | undefined, subset: string) => ({ ...(match ? { match } : {}), ...route({ host: 'reviews', subset }) });

describe('IST0130/IST0131 unreachable rules and ineffective matches', () => {
  test('a rule after a catch-all is never used', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [rule(undefined, 'v1'), rule([jason], 'v2')] });
    expect(run(unreachableRoutesAnalyzer, [vs])).toEqual([{
      code: 'IST0130', severity: Severity.WARNING, resource: 'VirtualService default/reviews',
      message: 'http[1] is never used: http[0] before it matches every request. Fix: move the catch-all rule last, or give it a match',
    }]);
  });

  test('a rule whose matches all repeat earlier ones is never used, and each repeated match is ineffective (as Istio reports both); names and key order do not matter', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [
      rule([{ name: 'a', uri: { prefix: '/api' }, headers: { x: { exact: '1' } } }], 'v1'),
      rule([{ headers: { x: { exact: '1' } }, uri: { prefix: '/api' } }], 'v2'),
      rule(undefined, 'v1'),
    ] });
    expect(run(unreachableRoutesAnalyzer, [vs]).map((f) => `${f.code} ${f.message.split(/:|,/)[0]}`)).toEqual(['IST0131 http[1].match[0] repeats http[0].match[0]', 'IST0130 http[1] is never used']);
  });

  test('one repeated match among others is ineffective', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [rule([jason], 'v2'), rule([{ uri: { prefix: '/v3' } }, jason], 'v3'), rule(undefined, 'v1')] });
    expect(run(unreachableRoutesAnalyzer, [vs])).toEqual([expect.objectContaining({
      code: 'IST0131', message: 'http[1].match[1] repeats http[0].match[0], which matches first, so it never applies here. Fix: remove the match or change it',
    })]);
  });

  test('distinct matches before a final catch-all raise nothing (tcp rules too)', () => {
    expect(run(unreachableRoutesAnalyzer, healthyReviews())).toEqual([]);
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [rule([jason], 'v2'), rule([{ headers: { 'end-user': { exact: 'kim' } } }], 'v3'), rule(undefined, 'v1')] });
    expect(run(unreachableRoutesAnalyzer, [vs])).toEqual([]);
    const tcp = virtualService('db', { hosts: ['db'], tcp: [route({ host: 'db' }), { match: [{ port: 5432 }], ...route({ host: 'db' }) }] });
    expect(run(unreachableRoutesAnalyzer, [tcp]).map((f) => f.message.split(':')[0])).toEqual(['tcp[1] is never used']);
  });

  test('a repeated match inside one rule is ineffective', () => {
    const vs = virtualService('reviews', { hosts: ['reviews'], http: [rule([jason, { ...jason, name: 'again' }], 'v2'), rule(undefined, 'v1')] });
    expect(run(unreachableRoutesAnalyzer, [vs]).map((f) => `${f.code} ${f.message.split(',')[0]}`)).toEqual(['IST0131 http[0].match[1] repeats http[0].match[0]']);
  });

  test('a prefix match covered by an earlier, shorter prefix with looser conditions is ineffective', () => {
    const prefix = (p: string, extra: any = {}) => ({ uri: { prefix: p }, ...extra });
    const get = { method: { exact: 'GET' } };
    const vs = virtualService('api', { hosts: ['api'], http: [
      rule([prefix('/api/v1/prod', get)], 'v1'),
      rule([prefix('/api/v1/product', get), prefix('/api/v1/products', { method: { exact: 'POST' } })], 'v2'),
      rule([prefix('/api/v1/product', { ...get, headers: { 'x-beta': { exact: '1' } } })], 'v3'),
      rule(undefined, 'v1'),
    ] });
    expect(run(unreachableRoutesAnalyzer, [vs]).map((f) => `${f.code} ${f.message.split(':')[0]}`)).toEqual([
      'IST0131 http[1].match[0] (prefix /api/v1/product) never applies',
      'IST0131 http[2].match[0] (prefix /api/v1/product) never applies',
    ]);
    // a longer prefix first, a stricter earlier match, or an exact URI is fine
    const fine = virtualService('api', { hosts: ['api'], http: [
      rule([prefix('/api/v1/products')], 'v1'), rule([prefix('/api/v1', get)], 'v2'), rule([prefix('/api/v1/x')], 'v3'),
      rule([prefix('/api/v2', { headers: { 'x-beta': { exact: '1' } } })], 'v1'), rule([prefix('/api/v2/y')], 'v2'),
      rule([{ uri: { exact: '/api/v1/z' } }], 'v2'), rule(undefined, 'v1'),
    ] });
    expect(run(unreachableRoutesAnalyzer, [fine])).toEqual([]);
  });
});
