import { Duration } from 'cdk8s';
import { renderDuration } from '../core/duration';
import { ErrorSource } from '../core/errors';
import { prefixRegex } from '../core/re2';
import { Match } from '../traffic/match';
import { StringMatch, StringMatchKind } from '../traffic/string-match';
import { istioUriMatches } from './path-semantics';

/** Renders a string match as Istio's `StringMatch` (`{exact}`, `{prefix}` or `{regex}`). */
export function istioStringMatch(m: StringMatch): Record<string, string> {
  return { [m.kind]: m.value };
}

/**
 * Renders a {@link Match} as Istio `HTTPMatchRequest`s (any one selects the route): one, or two
 * for a path prefix, which matches whole segments (see `istioUriMatches`).
 */
export function istioHttpMatches(m: Match): Array<Record<string, unknown>> {
  const rest = istioHttpConditions(m);
  return istioUriMatches(m).map((uri) => (uri ? { uri, ...rest } : rest));
}

/** The conditions of a match other than its path. */
function istioHttpConditions(m: Match): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.httpMethod) out.method = { exact: m.httpMethod };
  if (m.destinationPort) out.port = m.destinationPort;
  const headers = m.headerMatches;
  const queryParams = m.queryParamMatches;
  if (headers.length) out.headers = Object.fromEntries(headers.map((h) => [h.name, istioStringMatch(h.match)]));
  if (queryParams.length) {
    // Istio's queryParams take exact and regex only: a prefix becomes an anchored regex.
    out.queryParams = Object.fromEntries(queryParams.map(({ name, match: s }) => [name, s.kind === StringMatchKind.PREFIX ? { regex: prefixRegex(s.value) } : istioStringMatch(s)]));
  }
  return out;
}

/**
 * The host an Istio route in `fromNamespace` names for a service: its short name in the same
 * namespace (as Istio's samples write it), else its FQDN.
 */
export function istioServiceHost(target: { readonly serviceName: string; readonly namespace: string; readonly host: string }, fromNamespace: string): string {
  return target.namespace === fromNamespace ? target.serviceName : target.host;
}

/** Renders an optional duration. */
export function istioDuration(source: ErrorSource, prop: string, d?: Duration): string | undefined {
  return d === undefined ? undefined : renderDuration(source, prop, d);
}
