/**
 * What Envoy does with a request path on an Istio VirtualService HTTP route (sidecar semantics:
 * `prefix` is a plain string prefix, `rewrite.uri` is `prefix_rewrite`, `uriRegexRewrite` is
 * `regex_rewrite`, i.e. RE2 GlobalReplace on the path without its query string). A test oracle,
 * written from Envoy's route documentation and Istio's route translation.
 */
type Uri = { exact?: string; prefix?: string; regex?: string };
export interface IstioRouteLike {
  readonly match?: Array<{ uri?: Uri }>;
  readonly rewrite?: { uri?: string; uriRegexRewrite?: { match: string; rewrite: string } };
}

function uriMatches(uri: Uri | undefined, path: string): boolean {
  if (!uri) return true;
  if (uri.exact !== undefined) return path === uri.exact;
  if (uri.prefix !== undefined) return path.startsWith(uri.prefix);
  return new RegExp(`^(?:${uri.regex})$`).test(path);
}

/** The first match of the route that selects `path`, or undefined if the route does not. */
export function matchOf(route: IstioRouteLike, path: string): { uri?: Uri } | undefined {
  if (!route.match?.length) return {};
  return route.match.find((m) => uriMatches(m.uri, path));
}

/** The path the upstream receives, or undefined if the route does not select `path`. */
export function forwardedPath(route: IstioRouteLike, path: string): string | undefined {
  const m = matchOf(route, path);
  if (!m) return undefined;
  const rw = route.rewrite;
  if (rw?.uriRegexRewrite) {
    // RE2 substitution: \N is a group, \\ a backslash. JavaScript: $N, and $ must be doubled.
    const replacement = rw.uriRegexRewrite.rewrite.replace(/\$/g, '$$$$').replace(/\\(\d|\\)/g, (_, g) => (g === '\\' ? '\\' : `$${g}`));
    return path.replace(new RegExp(rw.uriRegexRewrite.match, 'g'), replacement);
  }
  if (rw?.uri) {
    // prefix_rewrite replaces the matched prefix, or the whole path after an exact or regex match.
    const matched = m.uri?.prefix ?? (m.uri ? path : '/');
    return rw.uri + path.slice(matched.length);
  }
  return path;
}
