import { Match } from '../traffic/match';
import { RewriteOptions } from '../traffic/route';
import { escapeRe2 } from '../core/re2';
import { StringMatchKind } from '../traffic/string-match';

/**
 * Path prefixes mean whole segments on every mesh, as the Gateway API's `PathPrefix` does:
 * `/api` selects `/api`, `/api/` and `/api/v1`, never `/apiv2`. A VirtualService `prefix` is a
 * plain string prefix (Envoy `prefix`; Istio uses `path_separated_prefix` only for Gateway API
 * routes), so a prefix renders as an exact match on the path plus a prefix match on `path + '/'`.
 * A trailing `/` of the prefix is ignored, as in the Gateway API.
 */
function segmentPrefix(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

/** The Istio `uri` matches that select the same requests as the path condition of `m`. */
export function istioUriMatches(m: Match): Array<Record<string, string> | undefined> {
  const path = m.pathMatch;
  if (!path) return [undefined];
  if (path.kind !== StringMatchKind.PREFIX) return [{ [path.kind]: path.value }];
  const base = segmentPrefix(path.value);
  return base === '' ? [{ prefix: '/' }] : [{ exact: base }, { prefix: `${base}/` }];
}

/**
 * Renders a path rewrite as Istio's `uriRegexRewrite`, never `uri`: `uri` is Envoy's
 * `prefix_rewrite`, which after `prefix: /orders` turns `/orders/42` with `uri: /` into `//42`, and
 * after a match on headers only replaces just the leading `/`. The meaning is the Gateway API's:
 * with only prefix matches the matched prefix is replaced (`ReplacePrefixMatch`, `/` removes it),
 * otherwise the whole path (`ReplaceFullPath`). Envoy matches the pattern against the path
 * without its query string and keeps the query string.
 */
export function istioRewrite(rewrite: RewriteOptions, matches: Match[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { authority: rewrite.authority };
  if (rewrite.path === undefined) return out;
  const prefixes = (matches ?? []).map((m) => (m.pathMatch?.kind === StringMatchKind.PREFIX ? segmentPrefix(m.pathMatch.value) : undefined));
  if (!prefixes.length || prefixes.some((p) => p === undefined)) {
    out.uriRegexRewrite = { match: '^/.*$', rewrite: substitution(rewrite.path) };
    return out;
  }
  // Longest first, so that `/api/v1` wins over `/api` inside the alternation.
  const distinct = [...new Set(prefixes as string[])].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const alternation = distinct.length === 1 ? escapeRe2(distinct[0]) : `(?:${distinct.map(escapeRe2).join('|')})`;
  const replacement = segmentPrefix(rewrite.path);
  out.uriRegexRewrite = replacement === ''
    // Removing the prefix keeps a leading `/`: `/orders/42` → `/42`, `/orders` → `/`.
    ? { match: `^${alternation}/?(.*)$`, rewrite: '/\\1' }
    : { match: `^${alternation}(/.*)?$`, rewrite: `${substitution(replacement)}\\1` };
  return out;
}

/** A literal in an RE2 substitution: only `\` is special. */
function substitution(literal: string): string {
  return literal.replace(/\\/g, '\\\\');
}
