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
