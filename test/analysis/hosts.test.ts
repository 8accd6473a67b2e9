import fc from 'fast-check';
import { hostCovers, hostsOverlap, isClusterHost, resolveHost, serviceHost } from '../../src/analysis/hosts';
import { labelsMatch, selectorMatches } from '../../src/analysis/selectors';

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join('.')}.com`);

describe('resolveHost', () => {
  test('short names are relative to the namespace; names with a dot and wildcards are kept', () => {
    expect(resolveHost('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveHost('Reviews', 'shop', 'corp.local')).toBe('reviews.shop.svc.corp.local');
    expect(resolveHost('reviews.other.svc.cluster.local', 'shop')).toBe('reviews.other.svc.cluster.local');
    expect(resolveHost('reviews.other', 'shop')).toBe('reviews.other'); // as Istio: not the Service reviews
    expect(resolveHost('*', 'shop')).toBe('*');
    expect(resolveHost('*.example.com', 'shop')).toBe('*.example.com');
  });

  test('property: a short name resolves to the Service host of its namespace, and resolving is idempotent', () => {
    fc.assert(fc.property(label, label, (name, ns) => {
      const fqdn = resolveHost(name, ns);
      expect(fqdn).toBe(serviceHost(name, ns));
      expect(isClusterHost(fqdn)).toBe(true);
      expect(resolveHost(fqdn, 'elsewhere')).toBe(fqdn);
    }));
  });
});

describe('host wildcards', () => {
  test('cover subdomains at any depth but not the bare domain', () => {
    expect(hostCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostCovers('*.example.com', 'a.example.org')).toBe(false);
    expect(hostCovers('*', 'anything.at.all')).toBe(true);
    expect(hostCovers('a.example.com', '*.example.com')).toBe(false);
    expect(hostsOverlap('a.example.com', '*.example.com')).toBe(true);
    expect(hostCovers('*.example.com', '*.a.example.com')).toBe(true);
  });

  test('property: *.<d> covers every <label>.<d>, overlap is symmetric and reflexive', () => {
    fc.assert(fc.property(label, domain, domain, (l, d, other) => {
      expect(hostCovers(`*.${d}`, `${l}.${d}`)).toBe(true);
      expect(hostCovers(`*.${d}`, d)).toBe(false);
      expect(hostsOverlap(`${l}.${d}`, `${l}.${d}`)).toBe(true);
      expect(hostsOverlap(`*.${d}`, `${l}.${other}`)).toBe(hostsOverlap(`${l}.${other}`, `*.${d}`));
      if (!`.${other}`.endsWith(`.${d}`)) expect(hostCovers(`*.${d}`, `${l}.${other}`)).toBe(false);
    }));
  });
});

describe('label selectors', () => {
  const labels = fc.dictionary(label, label, { maxKeys: 5 });

  test('property: a selector made of a subset of the labels matches; one differing value does not', () => {
    fc.assert(fc.property(labels, fc.integer({ min: 0, max: 5 }), label, (have, n, extra) => {
      const subset = Object.fromEntries(Object.entries(have).slice(0, n));
      expect(labelsMatch(subset, have)).toBe(true);
      expect(selectorMatches({ matchLabels: subset }, have)).toBe(true);
      const keys = Object.keys(have);
      if (keys.length > 0) expect(labelsMatch({ ...subset, [keys[0]]: `${have[keys[0]]}-x` }, have)).toBe(false);
      if (!(extra in have)) expect(labelsMatch({ [extra]: 'v' }, have)).toBe(false);
    }));
  });

  test('match expressions', () => {
    const have = { app: 'reviews', version: 'v1' };
    expect(selectorMatches({ matchExpressions: [{ key: 'version', operator: 'In', values: ['v1', 'v2'] }] }, have)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'version', operator: 'NotIn', values: ['v1'] }] }, have)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, have)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, have)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Bogus' }] }, have)).toBe(false);
    expect(labelsMatch(undefined, have)).toBe(true);
  });
});
