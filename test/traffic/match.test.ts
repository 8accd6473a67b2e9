import fc from 'fast-check';
import { gatewayApiMatch } from '../../src/gateway-api/render';
import { istioHttpMatches } from '../../src/istio/render';
import { HttpMethod, Match } from '../../src/traffic/match';

describe('Match', () => {
  test('reads back its conditions under names that other languages keep (deprecated TypeScript aliases agree)', () => {
    const m = Match.path.prefix('/api').and(Match.method(HttpMethod.POST)).and(Match.port(8080))
      .and(Match.header('X-Team').exact('pay')).and(Match.queryParam('v').regex('[0-9]+'));
    expect(m.httpMethod).toBe(HttpMethod.POST);
    expect(m.destinationPort).toBe(8080);
    expect(m.headerMatches.map((h) => [h.name, String(h.match)])).toEqual([['x-team', 'exact:pay']]);
    expect(m.queryParamMatches.map((q) => [q.name, String(q.match)])).toEqual([['v', 'regex:[0-9]+']]);
    expect([m.path, m.method, m.port]).toEqual([m.pathMatch, m.httpMethod, m.destinationPort]);
    expect(String(m.pathMatch)).toBe('prefix:/api');
    expect(m.headers).toEqual(m.headerMatches.map((h) => [h.name, h.match]));
    expect(m.queryParams).toEqual(m.queryParamMatches.map((q) => [q.name, q.match]));
    m.headerMatches.pop();
    expect(m.headerMatches).toHaveLength(1);
  });

  test('a header condition renders for Istio and the Gateway API', () => {
    const m = Match.header('End-User').exact('jason');
    expect(istioHttpMatches(m)).toEqual([{ headers: { 'end-user': { exact: 'jason' } } }]);
    expect(gatewayApiMatch('t', m)).toEqual({ headers: [{ type: 'Exact', name: 'end-user', value: 'jason' }] });
  });

  test('path, method and query conditions combine with and()', () => {
    const m = Match.path.prefix('/api').and(Match.method(HttpMethod.GET)).and(Match.queryParam('v').exact('2'));
    expect(istioHttpMatches(m)).toEqual([
      { uri: { exact: '/api' }, method: { exact: 'GET' }, queryParams: { v: { exact: '2' } } },
      { uri: { prefix: '/api/' }, method: { exact: 'GET' }, queryParams: { v: { exact: '2' } } },
    ]);
    expect(gatewayApiMatch('t', m)).toEqual({
      path: { type: 'PathPrefix', value: '/api' }, method: 'GET', queryParams: [{ type: 'Exact', name: 'v', value: '2' }],
    });
  });

  test('prefix matches on headers and query parameters become anchored regexes where the API has no prefix', () => {
    expect(istioHttpMatches(Match.queryParam('user').prefix('a.b'))).toEqual([{ queryParams: { user: { regex: '^a\\.b.*' } } }]);
    expect(gatewayApiMatch('t', Match.header('x-team').prefix('pay'))).toEqual({ headers: [{ type: 'RegularExpression', name: 'x-team', value: '^pay.*' }] });
  });

  test('regex paths render as RegularExpression', () => {
    expect(gatewayApiMatch('t', Match.path.regex('/v[0-9]+/.*'))).toEqual({ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } });
  });

  test('a port condition is Istio-only', () => {
    expect(istioHttpMatches(Match.port(80))).toEqual([{ port: 80 }]);
    expect(() => gatewayApiMatch('Chart/route', Match.port(80))).toThrow(/Chart\/route: matches contains a port condition \(port=80\), which the Gateway API cannot express/);
  });

  test('rejects an invalid regex', () => {
    expect(() => Match.header('x').regex('(unclosed')).toThrow(/Match.header\("x"\).regex: pattern is not a valid RE2 expression \(the regex dialect of Envoy\): "\(unclosed"/);
  });

  test('rejects look-around, which RE2 lacks', () => {
    expect(() => Match.path.regex('/a(?=b)')).toThrow(/uses look-around, which RE2 \(the regex dialect of Envoy\) does not support/);
  });

  test('rejects back-references', () => {
    expect(() => Match.header('x').regex('(a)\\1')).toThrow(/uses a back-reference/);
  });

  test('rejects a bad header name', () => {
    expect(() => Match.header('end user')).toThrow(/Match.header: name must be an HTTP token .*got "end user"/);
  });

  test('rejects a relative path', () => {
    expect(() => Match.path.prefix('api')).toThrow(/Match.path.prefix: path must be an absolute path starting with '\/'.*Fix: use e.g. "\/api"/);
  });

  test('rejects an unknown method', () => {
    expect(() => Match.method('FETCH' as HttpMethod)).toThrow(/Match.method: method is not an HTTP method, got "FETCH"/);
  });

  test('rejects a bad query parameter name', () => {
    expect(() => Match.queryParam('a=b')).toThrow(/Match.queryParam: name must be an HTTP token .*got "a=b"/);
  });

  test('rejects a port out of range', () => {
    expect(() => Match.port(70000)).toThrow(/Match.port: port must be a port number from 1 to 65535, got 70000/);
  });

  test('two conditions on one header conflict', () => {
    expect(() => Match.header('x').exact('1').and(Match.header('X').exact('2'))).toThrow(/header "x" is matched twice/);
  });

  test('two paths conflict', () => {
    expect(() => Match.all(Match.path.exact('/a'), Match.path.prefix('/b'))).toThrow(/path is matched twice/);
  });

  test('precedence follows the Gateway API order', () => {
    const ordered = [Match.path.exact('/a'), Match.path.prefix('/api/v1'), Match.path.prefix('/api'), Match.method(HttpMethod.GET), Match.header('a').exact('1')];
    const compare = (a: number[], b: number[]): number => a.map((x, i) => x - b[i]).find((d) => d !== 0) ?? 0;
    const keys = ordered.map((m) => m.precedence());
    for (let i = 1; i < keys.length; i++) expect(compare(keys[i - 1], keys[i])).toBeGreaterThan(0);
  });

  test('any header name and value renders in both dialects with the value intact', () => {
    const token = fc.stringMatching(/^[a-zA-Z0-9-]{1,20}$/);
    const value = fc.string({ minLength: 1, maxLength: 64 }).filter((v) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(v));
    fc.assert(fc.property(token, value, (name, value) => {
      const m = Match.header(name).exact(value);
      expect(istioHttpMatches(m)).toEqual([{ headers: { [name.toLowerCase()]: { exact: value } } }]);
      expect(gatewayApiMatch('t', m)).toEqual({ headers: [{ type: 'Exact', name: name.toLowerCase(), value }] });
    }));
  });

  test('a literal prefix turned into a regex matches exactly the strings with that prefix', () => {
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (prefix, rest) => {
      const rendered = (gatewayApiMatch('t', Match.header('x').prefix(prefix)) as any).headers[0].value as string;
      expect(new RegExp(rendered, 's').test(prefix + rest)).toBe(true);
    }));
  });
});
