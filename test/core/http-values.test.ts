import fc from 'fast-check';
import { MeshConfigError } from '../../src/core/errors';
import { HTTP_LIMITS, validateHttpPath } from '../../src/core/http-values';
import { Match } from '../../src/traffic/match';

// The Gateway API HTTPRoute CRD's CEL rules for Exact and PathPrefix paths, written out as the
// oracle the validator must agree with.
function gatewayApiAcceptsPath(p: string): boolean {
  return p.startsWith('/') && p.length <= 1024 && !p.includes('//') && !p.includes('/./') && !p.includes('/../')
    && !p.includes('%2f') && !p.includes('%2F') && !p.includes('#') && !p.endsWith('/..') && !p.endsWith('/.')
    && /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/.test(p);
}

describe('request paths follow the Gateway API rules on every mesh', () => {
  test.each([
    ['/a%zz', /contains characters a URL path cannot hold unescaped, or an invalid %-escape, got "\/a%zz".*Fix: percent-encode them .*"\/a%25zz"/],
    ['/a b', /contains characters a URL path cannot hold unescaped.*"\/a%20b"/],
    ['/a"b', /contains characters a URL path cannot hold unescaped/],
    ['/a#frag', /contains a fragment \('#'\), which clients never send.*Fix: use "\/a"/],
    ['/a//b', /contains '\/\/'.*Fix: use "\/a\/b"/],
    ['/a/../b', /contains the dot segment '\/\.\.'.*Fix: use "\/a\/b"/],
    ['/a/.', /contains the dot segment '\/\.'/],
    ['/a%2Fb', /contains an encoded '\/' \(%2F\)/],
    [`/${'a'.repeat(1024)}`, /is 1025 characters long, more than the 1024 the Gateway API allows/],
    ['api', /must be an absolute path starting with '\/', got "api".*Fix: use e.g. "\/api"/],
  ])('Match.path.prefix(%j) is refused', (path, message) => {
    expect(() => Match.path.prefix(path)).toThrow(MeshConfigError);
    expect(() => Match.path.prefix(path)).toThrow(message);
    expect(() => Match.path.exact(path)).toThrow(/^Match.path.exact: path /);
  });

  test('valid paths with escapes and sub-delimiters are kept as written', () => {
    for (const p of ['/', '/api/v1', '/a%20b', "/a!$&'()*+,;=:@~._-"]) expect(Match.path.prefix(p).pathMatch?.value).toBe(p);
  });

  test('random strings: accepted exactly when the Gateway API CRD accepts them, and refusals are MeshConfigErrors with a fix', () => {
    const pathish = fc.oneof(
      fc.string({ unit: fc.constantFrom('/', 'a', '.', '%', '2', 'f', 'F', 'z', '#', ' ', '"', '~', '?'), maxLength: 12 }).map((s) => `/${s}`),
      fc.string({ maxLength: 12 }),
      fc.constant(`/${'x'.repeat(1030)}`),
    );
    fc.assert(fc.property(pathish, (p) => {
      let error: unknown;
      try {
        validateHttpPath('T', 'path', p);
      } catch (e) {
        error = e;
      }
      expect(error === undefined).toBe(gatewayApiAcceptsPath(p));
      if (error) {
        expect(error).toBeInstanceOf(MeshConfigError);
        expect((error as Error).message).toMatch(/^T: path .+\. Fix: .+/);
      }
    }), { numRuns: 500 });
  });
});

describe('header and query values', () => {
  test('an empty header value is refused (the Gateway API needs 1 to 4,096 characters)', () => {
    expect(() => Match.header('x-user').exact('')).toThrow(/Match.header\("x-user"\).exact: value must be a non-empty string, got "".*Fix: /);
    expect(() => Match.queryParam('v').exact('')).toThrow(/Match.queryParam\("v"\).exact: value must be a non-empty string/);
  });

  test('an over-long value is refused, also when a prefix renders as a longer regex', () => {
    expect(() => Match.header('x').exact('a'.repeat(HTTP_LIMITS.headerValue + 1))).toThrow(/is 4097 characters long, more than the 4096 the Gateway API allows/);
    expect(() => Match.header('x').prefix('.'.repeat(2100))).toThrow(/renders as a regex of 4203 characters, more than the 4096/);
    expect(() => Match.header('x').regex(`a{1,5}${'b'.repeat(4096)}`)).toThrow(/more than the 4096/);
  });

  test('a header value with a line break is refused', () => {
    expect(() => Match.header('x').exact('a\r\nb')).toThrow(/contains a control character/);
  });

  test.each(['a b', 'a=b', 'a/b', 'ä', '', 'x'.repeat(257)])('query parameter name %j is not an HTTP token', (name) => {
    expect(() => Match.queryParam(name)).toThrow(/Match.queryParam: name must be an HTTP token .*Fix: use e.g. "version"/);
  });

  test('the empty prefix still means "present"', () => {
    expect(Match.header('x-canary').prefix('').headerMatches[0].match.value).toBe('');
  });
});
