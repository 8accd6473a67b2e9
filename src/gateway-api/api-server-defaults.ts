/**
 * The values the API server fills in for fields an HTTPRoute leaves out (the `default`s of the
 * Gateway API CRDs, and of Linkerd's policy.linkerd.io copy). The library renders them itself, so
 * that what Git holds is what the cluster stores and a GitOps tool sees no drift on every sync.
 * Checked against the v1 schemas of httproutes.gateway.networking.k8s.io (v1.6) and
 * httproutes.policy.linkerd.io (v1beta3).
 */

/** `rules[].matches[].path` when a match has no path, and `rules[].matches` when a rule has none. */
export const DEFAULT_PATH_MATCH: Readonly<Record<string, string>> = Object.freeze({ type: 'PathPrefix', value: '/' });

/** `rules[].backendRefs[].weight` when left out. */
export const DEFAULT_BACKEND_WEIGHT = 1;

/** A rendered match with the API server's default path when it has none. */
export function withDefaultPath(match: Record<string, unknown>): Record<string, unknown> {
  return match.path === undefined ? { path: { ...DEFAULT_PATH_MATCH }, ...match } : match;
}

/** A rule's matches as the API server stores them: every match with a path, and one catch-all match for a rule without matches. */
export function defaultedMatches(matches: Record<string, unknown>[] | undefined): Record<string, unknown>[] {
  return matches?.length ? matches.map(withDefaultPath) : [{ path: { ...DEFAULT_PATH_MATCH } }];
}
