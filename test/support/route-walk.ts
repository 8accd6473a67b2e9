/**
 * Which rule a mesh picks for a request, as test oracles for a rollout walked step by step.
 *
 * - GAMMA / Linkerd: every HTTPRoute of one Service parent competes; the best match wins, ranked
 *   as linkerd2-proxy does (linkerd/http/route: path length, then the number of header, query and
 *   method conditions); ties go to the earlier route (the policy controller sorts them by creation
 *   time, then name), then to the earlier rule.
 * - Istio: the first VirtualService route with a matching `match` (or none) wins.
 */
export interface TestRequest {
  readonly path: string;
  readonly headers?: Record<string, string>;
}

interface Rank { path: number; headers: number; query: number; method: number }

function valueMatches(m: { type?: string; value: string }, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return (m.type ?? 'Exact') === 'Exact' ? actual === m.value : new RegExp(`^(?:${m.value})$`).test(actual);
}

function gammaRank(match: any, req: TestRequest): Rank | undefined {
  const p = match?.path ?? { type: 'PathPrefix', value: '/' };
  let path: number;
  if (p.type === 'Exact') {
    if (req.path !== p.value) return undefined;
    path = p.value.length;
  } else if (p.type === 'PathPrefix') {
    const prefix = p.value === '/' ? '/' : p.value.replace(/\/+$/, '');
    const rest = req.path.replace(/\/+$/, '').slice(prefix.length);
    if (p.value !== '/' && (!req.path.startsWith(prefix) || (rest !== '' && !rest.startsWith('/')))) return undefined;
    path = prefix.length;
  } else {
    if (!new RegExp(`^(?:${p.value})$`).test(req.path)) return undefined;
    path = req.path.length;
  }
  const headers = match?.headers ?? [];
  if (!headers.every((h: any) => valueMatches(h, req.headers?.[h.name.toLowerCase()]))) return undefined;
  if (match?.queryParams?.length || match?.method) return undefined; // requests here carry neither
  return { path, headers: headers.length, query: 0, method: 0 };
}

const greater = (a: Rank, b: Rank) => a.path - b.path || a.headers - b.headers || a.query - b.query || a.method - b.method;

/** The rule that serves `req` among HTTPRoutes listed oldest first, and the route holding it. */
export function gammaPick(routes: any[], req: TestRequest): { route: string; rule: any } | undefined {
  let best: { rank: Rank; route: string; rule: any } | undefined;
  for (const route of routes) {
    for (const rule of route.spec.rules ?? []) {
      const ranks = (rule.matches?.length ? rule.matches : [undefined]).map((m: any) => gammaRank(m, req)).filter((r: Rank | undefined): r is Rank => r !== undefined);
      if (!ranks.length) continue;
      const rank = ranks.reduce((a: Rank, b: Rank) => (greater(b, a) > 0 ? b : a));
      if (!best || greater(rank, best.rank) > 0) best = { rank, route: route.metadata.name, rule };
    }
  }
  return best && { route: best.route, rule: best.rule };
}

/** The backends of a rule as `name=weight` (weight 1 when unset). */
export function backendsOf(rule: any): string[] {
  return (rule?.backendRefs ?? []).map((b: any) => `${b.name}=${b.weight ?? 1}`);
}

function istioMatches(m: any, req: TestRequest): boolean {
  const uri = m.uri;
  if (uri?.exact !== undefined && req.path !== uri.exact) return false;
  if (uri?.prefix !== undefined && !req.path.startsWith(uri.prefix)) return false;
  return Object.entries(m.headers ?? {}).every(([name, v]: [string, any]) => {
    const actual = req.headers?.[name];
    if (actual === undefined) return false;
    if (v.exact !== undefined) return actual === v.exact;
    if (v.prefix !== undefined) return actual.startsWith(v.prefix);
    return new RegExp(`^(?:${v.regex})$`).test(actual);
  });
}

/** The first route of a VirtualService's `http` list that selects `req`. */
export function istioPick(http: any[], req: TestRequest): any {
  return http.find((r) => !r.match?.length || r.match.some((m: any) => istioMatches(m, req)));
}

/** The destinations of an Istio route as `subset=weight`. */
export function destinationsOf(route: any): string[] {
  return (route?.route ?? []).map((d: any) => `${d.destination.subset ?? d.destination.host}=${d.weight ?? 100}`);
}
