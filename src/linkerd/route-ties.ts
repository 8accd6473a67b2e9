import { Match, NamedValueMatch } from '../traffic/match';
import { StringMatch, StringMatchKind } from '../traffic/string-match';

/**
 * Whether one request can match `a` and `b` equally well in Linkerd's proxy, so that the choice
 * between two HTTPRoutes holding them falls to the routes' creation timestamps and names (the
 * Gateway API's tie-breakers across routes) instead of the order of the rules within one route.
 * `undefined` stands for a rule without matches (every request; the API server defaults it to
 * `PathPrefix /`).
 *
 * linkerd2-proxy (linkerd/http/route) ranks a match by path length (an exact path's length, a
 * prefix's length without trailing slashes, a regex's length of the whole request path; no path
 * counts as the prefix `/`), then the number of header matches, of query matches, then whether it
 * matches the method: the path kind itself does not count. Equal ranks are a tie. The Gateway
 * API's own order (exact before prefix, method before headers) ties only where Linkerd's does, so
 * this answer covers both. It errs on the side of "may tie": two conditions are disjoint only
 * when they are different exact or same-length paths, different methods, or different exact
 * values of one header or query parameter.
 */
export function mayTie(a: Match | undefined, b: Match | undefined): boolean {
  const [x, y] = [rank(a), rank(b)];
  if (x.headers !== y.headers || x.queryParams !== y.queryParams || x.method !== y.method) return false;
  if (x.pathLength !== undefined && y.pathLength !== undefined && x.pathLength !== y.pathLength) return false;
  return !disjoint(a, b);
}

interface Rank {
  /** undefined for a regex path, whose rank is the length of the request's path. */
  readonly pathLength?: number;
  readonly headers: number;
  readonly queryParams: number;
  readonly method: boolean;
}

function rank(m: Match | undefined): Rank {
  const path = staticPath(m?.pathMatch);
  return {
    pathLength: path?.length,
    headers: m?.headerMatches.length ?? 0,
    queryParams: m?.queryParamMatches.length ?? 0,
    method: m?.httpMethod !== undefined,
  };
}

/** The path a match ranks by, as Linkerd's proxy measures it; undefined for a regex. */
function staticPath(p: StringMatch | undefined): string | undefined {
  if (!p) return '/';
  switch (p.kind) {
    case StringMatchKind.EXACT: return p.value;
    case StringMatchKind.PREFIX: return p.value === '/' ? '/' : p.value.replace(/\/+$/, '');
    default: return undefined;
  }
}

/** True when no request can satisfy both matches (as far as can be told without regexes). */
function disjoint(a: Match | undefined, b: Match | undefined): boolean {
  if (!a || !b) return false;
  if (a.httpMethod && b.httpMethod && a.httpMethod !== b.httpMethod) return true;
  // Of the same rank, two static paths select the same requests only when they are the same
  // path: a prefix as long as an exact path selects it only if they are equal.
  const [pa, pb] = [staticPath(a.pathMatch), staticPath(b.pathMatch)];
  if (pa !== undefined && pb !== undefined && pa !== pb) return true;
  return differentExactValue(a.headerMatches, b.headerMatches) || differentExactValue(a.queryParamMatches, b.queryParamMatches);
}

function differentExactValue(a: NamedValueMatch[], b: NamedValueMatch[]): boolean {
  return a.some((x) => b.some((y) => y.name === x.name
    && x.match.kind === StringMatchKind.EXACT && y.match.kind === StringMatchKind.EXACT && x.match.value !== y.match.value));
}
