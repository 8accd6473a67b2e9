import fc from 'fast-check';
import { validateDnsLabel, validateHostname, validateServiceName } from '../../src/core/names';

describe('name validation', () => {
  test('accepts DNS labels', () => {
    expect(validateDnsLabel('x', 'name', 'reviews-v1')).toBe('reviews-v1');
  });

  test('rejects a name that is not a DNS label and suggests one', () => {
    expect(() => validateDnsLabel('Chart/svc', 'version', 'V1_beta')).toThrow(/Chart\/svc: version must be a DNS label .* got "V1_beta"\. Fix: use a name such as "v1-beta"/);
  });

  test('Service names must start with a letter', () => {
    expect(() => validateServiceName('Chart/x', 'serviceName', '9lives')).toThrow(/serviceName must be a valid Service name .* got "9lives"/);
  });

  test('host names allow a leading wildcard only when asked', () => {
    expect(validateHostname('x', 'hosts[0]', '*.example.com', { wildcard: true })).toBe('*.example.com');
    expect(() => validateHostname('x', 'host', '*.example.com')).toThrow(/host must be a DNS host name/);
  });

  test('every string either validates or throws a MeshConfigError naming the prop', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        expect(validateDnsLabel('Where', 'prop', s)).toBe(s);
        expect(s).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      } catch (e) {
        expect((e as Error).name).toBe('MeshConfigError');
        expect((e as Error).message).toMatch(/^Where: prop must be a DNS label/);
      }
    }));
  });

  test('suggested names are themselves valid', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (s) => {
      try {
        validateServiceName('W', 'serviceName', s);
      } catch (e) {
        const suggestion = /use a name such as "([^"]*)"/.exec((e as Error).message)![1];
        expect(validateServiceName('W', 'serviceName', suggestion)).toBe(suggestion);
      }
    }));
  });
});

describe('quote', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { quote } = require('../../src/core/errors');
  test('quotes values as JSON', () => {
    expect(quote('a')).toBe('"a"');
    expect(quote({ v1: 80 })).toBe('{"v1":80}');
    expect(quote(undefined)).toBe('undefined');
  });
  test('names a construct by its path instead of serializing it', () => {
    const { Testing, Chart } = require('cdk8s');
    const chart = new Chart(Testing.app(), 'c');
    expect(quote(chart)).toBe('<construct c>');
  });
  test('survives circular values', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(quote(a)).toBe('[object Object]');
  });
});
