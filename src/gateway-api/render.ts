import { fail } from '../core/errors';
import { prefixRegex } from '../core/re2';
import { Match } from '../traffic/match';
import { StringMatch, StringMatchKind } from '../traffic/string-match';

const PATH_TYPES: Record<StringMatchKind, string> = {
  [StringMatchKind.EXACT]: 'Exact',
  [StringMatchKind.PREFIX]: 'PathPrefix',
  [StringMatchKind.REGEX]: 'RegularExpression',
};

/** Gateway API header and query matches take Exact or RegularExpression: a prefix becomes an anchored regex. */
function valueMatch(name: string, m: StringMatch): Record<string, string> {
  if (m.kind === StringMatchKind.EXACT) return { type: 'Exact', name, value: m.value };
  return { type: 'RegularExpression', name, value: m.kind === StringMatchKind.PREFIX ? prefixRegex(m.value) : m.value };
}

/** Renders a {@link Match} as a Gateway API `HTTPRouteMatch`. */
export function gatewayApiMatch(where: string, m: Match): Record<string, unknown> {
  if (m.destinationPort !== undefined) {
    fail(where, 'matches', `contains a port condition (${m}), which the Gateway API cannot express`, 'attach the route to the Service port instead (ParentRef.service(name, { port }))');
  }
  const headers = m.headerMatches;
  const queryParams = m.queryParamMatches;
  if (headers.length > 16 || queryParams.length > 16) {
    fail(where, 'matches', `has more than 16 header or query conditions (${m})`, 'split the match');
  }
  const out: Record<string, unknown> = {};
  if (m.pathMatch) out.path = { type: PATH_TYPES[m.pathMatch.kind], value: m.pathMatch.value };
  if (m.httpMethod) out.method = m.httpMethod;
  if (headers.length) out.headers = headers.map((h) => valueMatch(h.name, h.match));
  if (queryParams.length) out.queryParams = queryParams.map((q) => valueMatch(q.name, q.match));
  return out;
}
