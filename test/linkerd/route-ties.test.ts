import fc from 'fast-check';
import { mayTie } from '../../src/linkerd/route-ties';
import { HttpMethod, Match } from '../../src/traffic/match';
import { StringMatchKind } from '../../src/traffic/string-match';

describe('mayTie: can one request match two rules equally well in Linkerd\'s proxy', () => {
  test.each([
    ['two headers of one name with different exact values', Match.header('end-user').exact('jason'), Match.header('end-user').exact('kim'), false],
    ['two different headers', Match.header('end-user').exact('jason'), Match.header('x-beta').exact('on'), true],
    ['a header and a query parameter', Match.header('x-beta').exact('on'), Match.queryParam('beta').exact('on'), false],
    ['different path lengths', Match.path.prefix('/api'), Match.path.prefix('/api/v2'), false],
    ['same-length different prefixes', Match.path.prefix('/api'), Match.path.prefix('/web'), false],
    ['an exact path and the prefix of the same path (Linkerd ranks by length only)', Match.path.exact('/api'), Match.path.prefix('/api'), true],
    ['a prefix with and without a trailing slash', Match.path.prefix('/api/'), Match.path.prefix('/api'), true],
    ['different methods', Match.method(HttpMethod.GET), Match.method(HttpMethod.POST), false],
    ['a method and no method', Match.method(HttpMethod.GET), undefined, false],
    ['a prefix of / and the catch-all', Match.path.prefix('/'), undefined, true],
    ['a regex path and a same-count exact path', Match.path.regex('/a[0-9]+'), Match.path.exact('/a1'), true],
    ['a header prefix and an exact value of it', Match.header('x-user').prefix('ja'), Match.header('x-user').exact('jason'), true],
  ])('%s', (_name, a, b, expected) => {
    expect(mayTie(a, b)).toBe(expected);
    expect(mayTie(b, a)).toBe(expected);
  });

  // Linkerd's ranking, as linkerd2-proxy's linkerd/http/route computes it, on a small request space:
  // a request that both matches select with equal ranks must be answered "may tie".
  interface Request { path: string; method: HttpMethod; headers: Record<string, string>; query: Record<string, string> }

  function rankOf(m: Match | undefined, r: Request): number[] | undefined {
    if (!m) return [1, 0, 0, 0];
    if (m.httpMethod && m.httpMethod !== r.method) return undefined;
    let pathLength = 1;
    if (m.pathMatch) {
      const v = m.pathMatch.value;
      if (m.pathMatch.kind === StringMatchKind.EXACT) {
        if (v !== r.path) return undefined;
        pathLength = v.length;
      } else if (m.pathMatch.kind === StringMatchKind.PREFIX) {
        if (v !== '/') {
          const prefix = v.replace(/\/+$/, '');
          const trimmed = r.path.replace(/\/+$/, '');
          if (!trimmed.startsWith(prefix)) return undefined;
          const rest = trimmed.slice(prefix.length);
          if (rest !== '' && !rest.startsWith('/')) return undefined;
          pathLength = prefix.length;
        }
      } else {
        if (!new RegExp(`^(?:${v})$`).test(r.path)) return undefined;
        pathLength = r.path.length;
      }
    }
    const value = (s: { kind: StringMatchKind; value: string }, x: string | undefined) => x !== undefined
      && (s.kind === StringMatchKind.EXACT ? x === s.value : s.kind === StringMatchKind.PREFIX ? x.startsWith(s.value) : new RegExp(`^(?:${s.value})$`).test(x));
    if (!m.headerMatches.every((h) => value(h.match, r.headers[h.name]))) return undefined;
    if (!m.queryParamMatches.every((q) => value(q.match, r.query[q.name]))) return undefined;
    return [pathLength, m.headerMatches.length, m.queryParamMatches.length, m.httpMethod ? 1 : 0];
  }

  const path = fc.constantFrom('/', '/a', '/a/', '/a/b', '/ab', '/b', '/a1', '/a22');
  const word = fc.constantFrom('x', 'y', 'xy');
  const part: fc.Arbitrary<Match> = fc.oneof(
    path.map((p) => Match.path.exact(p)),
    path.map((p) => Match.path.prefix(p)),
    fc.constantFrom('/a[0-9]+', '/a.*').map((p) => Match.path.regex(p)),
    fc.constantFrom(HttpMethod.GET, HttpMethod.POST).map((m) => Match.method(m)),
    fc.tuple(fc.constantFrom('h1', 'h2'), word, fc.constantFrom('exact', 'prefix')).map(([n, v, k]) => (k === 'exact' ? Match.header(n).exact(v) : Match.header(n).prefix(v))),
    fc.tuple(fc.constantFrom('q1', 'q2'), word).map(([n, v]) => Match.queryParam(n).exact(v)),
  );
  const match: fc.Arbitrary<Match | undefined> = fc.option(fc.array(part, { minLength: 1, maxLength: 3 }).map((ps) => {
    try {
      return Match.all(...ps);
    } catch {
      return ps[0]; // two conditions on one field
    }
  }), { nil: undefined });
  const request: fc.Arbitrary<Request> = fc.record({
    path,
    method: fc.constantFrom(HttpMethod.GET, HttpMethod.POST),
    headers: fc.record({ h1: word, h2: word }, { requiredKeys: [] }),
    query: fc.record({ q1: word, q2: word }, { requiredKeys: [] }),
  });

  test('never says "no tie" for two matches that one request selects with equal ranks', () => {
    fc.assert(fc.property(match, match, request, (a, b, r) => {
      const [x, y] = [rankOf(a, r), rankOf(b, r)];
      if (x && y && x.join() === y.join()) expect(mayTie(a, b)).toBe(true);
    }), { numRuns: 3000 });
  });
});
