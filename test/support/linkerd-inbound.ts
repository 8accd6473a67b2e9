/**
 * What Linkerd's inbound proxy decides for one request on a Server with HTTPRoutes, from the
 * synthesized objects: the one route whose match is the most specific (Gateway API precedence:
 * exact path, longest prefix, then a method match) selects the request, and only the
 * AuthorizationPolicies targeting that route are checked. No route: 404. A test oracle.
 */
export type Decision = 'allow' | 'deny' | 'no-route';

function matchScore(m: any, method: string, path: string): number[] | undefined {
  if (m.method && m.method !== method) return undefined;
  const p = m.path;
  if (p) {
    if (p.type === 'Exact' && path !== p.value) return undefined;
    if (p.type === 'PathPrefix' && !(p.value === '/' || path === p.value || path.startsWith(`${p.value}/`))) return undefined;
  }
  return [p?.type === 'Exact' ? 2 : 1, p?.value.length ?? 0, m.method ? 1 : 0];
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** An unmeshed client from the node network, such as the kubelet probing a pod. */
export const KUBELET = { serviceAccount: '', namespace: '', unmeshed: true };

/** A NetworkAuthentication admits clients of its networks, meshed or not; these tests treat every network as covering every client. */
function networkAdmits(spec: any): boolean {
  return (spec?.networks ?? []).some((n: any) => n.cidr === '0.0.0.0/0' || n.cidr === '::/0');
}

export function linkerdInbound(objects: any[], server: string, caller: { serviceAccount: string; namespace: string; unmeshed?: boolean }, method: string, path: string): Decision {
  let best: { route: string; score: number[] } | undefined;
  for (const r of objects.filter((o) => o.kind === 'HTTPRoute' && o.spec.parentRefs?.some((p: any) => p.kind === 'Server' && p.name === server))) {
    for (const rule of r.spec.rules) {
      for (const m of rule.matches ?? [{}]) {
        const score = matchScore(m, method, path);
        if (score && (!best || better(score, best.score))) best = { route: r.metadata.name, score };
      }
    }
  }
  if (!best) return 'no-route';
  const auths = new Map(objects.filter((o) => o.kind === 'MeshTLSAuthentication').map((o) => [o.metadata.name, o.spec]));
  const networks = new Map(objects.filter((o) => o.kind === 'NetworkAuthentication').map((o) => [o.metadata.name, o.spec]));
  const allowed = objects.filter((o) => o.kind === 'AuthorizationPolicy' && o.spec.targetRef.kind === 'HTTPRoute' && o.spec.targetRef.name === best!.route)
    .some((p) => p.spec.requiredAuthenticationRefs.every((ref: any) => (ref.kind === 'NetworkAuthentication' ? networkAdmits(networks.get(ref.name))
      : !caller.unmeshed && (auths.get(ref.name)?.identityRefs ?? [])
        .some((i: any) => i.namespace === caller.namespace && (i.name === undefined || i.name === caller.serviceAccount)))));
  return allowed ? 'allow' : 'deny';
}
