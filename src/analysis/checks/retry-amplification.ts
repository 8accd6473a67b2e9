import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { parsePrincipal } from '../principals';
import { findingAbout } from '../report';
import { labelsMatch } from '../selectors';
import { isMeshBound } from '../virtual-service-routes';

/** Conditions under which the request never reached the application: retrying them adds no load inside. */
const NOT_AMPLIFYING = new Set(['connect-failure', 'refused-stream', 'reset-before-request']);
const MAX_DEPTH = 12;

/** A hop of the call graph: a call to `host`, retried `attempts` times by the route that carries it. */
interface Hop {
  readonly host: string;
  readonly attempts: number;
  /** The VirtualService whose route sets the retries (when it does). */
  readonly vs?: Manifest;
}

/**
 * The retries of a route that can resend a request the callee (and its own callees) already
 * processed; 0 when it sets none (Istio's default retries only connection failures and gRPC
 * `unavailable`/`cancelled`) or only retries connection failures.
 */
function amplifyingAttempts(route: any): number {
  const r = route?.retries;
  if (!r || typeof r.attempts !== 'number' || r.attempts <= 0) return 0;
  if (typeof r.retryOn !== 'string' || r.retryOn.trim() === '') return r.attempts;
  const conditions = r.retryOn.split(',').map((c: string) => c.trim()).filter((c: string) => c !== '');
  return conditions.every((c: string) => NOT_AMPLIFYING.has(c)) ? 0 : r.attempts;
}

function httpRoutes(vs: Manifest): any[] {
  return Array.isArray(vs.spec?.http) ? vs.spec.http : [];
}

function routeHosts(index: ManifestIndex, vs: Manifest, route: any): string[] {
  const ns = index.namespaceOf(vs);
  return (Array.isArray(route?.route) ? route.route : [])
    .map((d: any) => d?.destination?.host)
    .filter((h: unknown): h is string => typeof h === 'string')
    .map((h: string) => index.resolve(h, ns));
}

/** The caller hosts of each Service, from the principals of the ALLOW AuthorizationPolicies on its pods. */
function callersFromAuthorization(index: ManifestIndex): Map<string, Set<string>> {
  const callers = new Map<string, Set<string>>();
  const services = index.services().filter((s) => s.selector);
  for (const ap of index.ofKind('security.istio.io', 'AuthorizationPolicy')) {
    if ((ap.spec?.action ?? 'ALLOW') !== 'ALLOW') continue;
    const ns = index.namespaceOf(ap);
    const selector = ap.spec?.selector?.matchLabels;
    const callees = services.filter((s) => s.namespace === ns
      && index.workloadsMatching(ns, s.selector!).some((w) => labelsMatch(selector, w.podLabels)));
    const rules: any[] = Array.isArray(ap.spec?.rules) ? ap.spec.rules : [];
    const principals = rules.flatMap((r) => (Array.isArray(r?.from) ? r.from : []))
      .flatMap((f: any) => (Array.isArray(f?.source?.principals) ? f.source.principals : []));
    for (const p of principals) {
      const id = parsePrincipal(p);
      if (!id) continue;
      const { namespace: callerNs, serviceAccount: sa } = id;
      const pods = index.workloads(callerNs).filter((w) => w.serviceAccountName === sa);
      const callerServices = index.services().filter((s) => s.namespace === callerNs && s.selector
        && pods.some((w) => labelsMatch(s.selector, w.podLabels)));
      for (const callee of callees) {
        for (const caller of callerServices) {
          if (caller.host === callee.host) continue;
          const set = callers.get(callee.host) ?? new Set<string>();
          set.add(caller.host);
          callers.set(callee.host, set);
        }
      }
    }
  }
  return callers;
}

/** Each host's sidecar-side retries: the most attempts of the mesh-bound VirtualService routes to it. */
function meshHops(index: ManifestIndex): Map<string, Hop> {
  const hops = new Map<string, Hop>();
  for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
    if (!isMeshBound(vs)) continue;
    for (const route of httpRoutes(vs)) {
      const attempts = amplifyingAttempts(route);
      for (const host of routeHosts(index, vs, route)) {
        const known = hops.get(host);
        if (!known || attempts > known.attempts) hops.set(host, { host, attempts, vs: attempts > 0 ? vs : undefined });
      }
    }
  }
  return hops;
}

function describe(hop: Hop, index: ManifestIndex): string {
  const name = hop.host.split('.')[0];
  return hop.attempts > 0 ? `${name} (${hop.attempts} retries, ${index.idOf(hop.vs!)})` : name;
}

/**
 * MESH0106 (warning): retries at more than one hop of a call chain. Each retrying hop multiplies
 * the requests the hops behind it see: with retries at hops of k1, k2, ... attempts, one request at
 * the edge can become (k1+1) × (k2+1) × ... requests at the innermost service, just when it is
 * failing. The call graph is what the set shows: an ingress VirtualService (bound to a gateway)
 * calls its destinations, and a Service calls the Services whose ALLOW AuthorizationPolicies name
 * its pods' service account as a principal. Calls not declared there are not seen.
 */
export const retryAmplificationAnalyzer: IAnalyzer = {
  name: 'retry-amplification',
  codes: ['MESH0106'],
  analyze(index: ManifestIndex): Finding[] {
    const hops = meshHops(index);
    const callers = callersFromAuthorization(index);
    const callees = new Map<string, Set<string>>();
    for (const [callee, set] of callers) for (const caller of set) callees.set(caller, (callees.get(caller) ?? new Set()).add(callee));
    const hopTo = (host: string): Hop => hops.get(host) ?? { host, attempts: 0 };

    // Chains start at an ingress route or at a Service nobody in the set calls.
    const starts: Array<{ from?: string; first: Hop }> = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      if (isMeshBound(vs)) continue;
      for (const route of httpRoutes(vs)) {
        const attempts = amplifyingAttempts(route);
        for (const host of routeHosts(index, vs, route)) starts.push({ from: `ingress (${index.idOf(vs)})`, first: { host, attempts, vs: attempts > 0 ? vs : undefined } });
      }
    }
    for (const host of callees.keys()) if (!callers.has(host)) starts.push({ first: hopTo(host) });

    const chains: Array<{ label: string; path: Hop[] }> = [];
    const walk = (label: string, path: Hop[]) => {
      const last = path[path.length - 1];
      const next = [...(callees.get(last.host) ?? [])].filter((h) => !path.some((p) => p.host === h));
      if (next.length === 0 || path.length >= MAX_DEPTH) {
        if (path.filter((h) => h.attempts > 0).length >= 2) chains.push({ label, path });
        return;
      }
      for (const h of [...next].sort()) walk(label, [...path, hopTo(h)]);
    };
    for (const s of starts) walk(s.from ?? '', s.from ? [s.first] : [{ host: s.first.host, attempts: 0 }]);

    // One finding per innermost retrying route: the chain through it with the largest factor.
    const worst = new Map<string, { factor: number; text: string; vs: Manifest }>();
    for (const { label, path } of chains) {
      const retrying = path.filter((h) => h.attempts > 0);
      const innermost = retrying[retrying.length - 1];
      const end = path.indexOf(innermost);
      const factor = retrying.reduce((n, h) => n * (h.attempts + 1), 1);
      const text = [label, ...path.slice(0, end + 1).map((h) => describe(h, index))].filter((t) => t !== '').join(' → ');
      const key = `${index.idOf(innermost.vs!)}|${innermost.host}`;
      const known = worst.get(key);
      if (!known || factor > known.factor || (factor === known.factor && text < known.text)) worst.set(key, { factor, text, vs: innermost.vs! });
    }
    return [...worst.values()].map(({ factor, text, vs }) => findingAbout(index, vs, 'MESH0106', Severity.WARNING,
      `retries at several hops of the call chain ${text} multiply: one request can become up to ${factor} requests at the last of them. `
      + 'Fix: retry at one hop (usually the caller closest to the user) and set retries.attempts to 0, or retryOn to connect-failure,refused-stream, at the others'));
  },
};
