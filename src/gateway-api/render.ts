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
  if (m.port !== undefined) {
    fail(where, 'matches', `contains a port condition (${m}), which the Gateway API cannot express`, 'attach the route to the Service port instead (ParentRef.service(name, { port }))');
  }
  if (m.headers.length > 16 || m.queryParams.length > 16) {
    fail(where, 'matches', `has more than 16 header or query conditions (${m})`, 'split the match');
  }
  const out: Record<string, unknown> = {};
  if (m.path) out.path = { type: PATH_TYPES[m.path.kind], value: m.path.value };
  if (m.method) out.method = m.method;
  if (m.headers.length) out.headers = m.headers.map(([n, s]) => valueMatch(n, s));
  if (m.queryParams.length) out.queryParams = m.queryParams.map(([n, s]) => valueMatch(n, s));
  return out;
}
