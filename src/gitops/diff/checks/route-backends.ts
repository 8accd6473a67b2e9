import { Manifest } from '../../../analysis/manifest';
import { ManifestIndex } from '../../../analysis/manifest-index';

const GATEWAY_API = 'gateway.networking.k8s.io';
/** Route kinds with `rules[].backendRefs` to Services: Gateway API's and Linkerd's HTTPRoute copy. */
const ROUTE_KINDS: Array<[string, string]> = [
  [GATEWAY_API, 'HTTPRoute'], [GATEWAY_API, 'GRPCRoute'], [GATEWAY_API, 'TCPRoute'], [GATEWAY_API, 'TLSRoute'], ['policy.linkerd.io', 'HTTPRoute'],
];

/** A Service a route sends traffic to. */
export interface BackendUse {
  readonly route: Manifest;
  /** e.g. `rules[0].backendRefs[1]` */
  readonly where: string;
  readonly service: string;
  readonly namespace: string;
  /** True when the Service is in another namespace than the route (a ReferenceGrant must allow it). */
  readonly crossNamespace: boolean;
}

/** The Service backendRefs of the routes of an output. */
export function backendUses(index: ManifestIndex): BackendUse[] {
  return ROUTE_KINDS.flatMap(([group, kind]) => index.ofKind(group, kind)).flatMap((route) => {
    const ns = index.namespaceOf(route);
    const out: BackendUse[] = [];
    (Array.isArray(route.spec?.rules) ? route.spec.rules : []).forEach((rule: any, i: number) => {
      (Array.isArray(rule?.backendRefs) ? rule.backendRefs : []).forEach((b: any, j: number) => {
        if ((b?.group ?? '') !== '' || (b?.kind ?? 'Service') !== 'Service' || typeof b?.name !== 'string') return;
        const namespace = typeof b.namespace === 'string' ? b.namespace : ns;
        out.push({ route, where: `rules[${i}].backendRefs[${j}]`, service: b.name, namespace, crossNamespace: namespace !== ns });
      });
    });
    return out;
  });
}

/** True if a route of an output (found by identity) names the Service. */
export function routeUses(index: ManifestIndex, route: Manifest, service: string, namespace: string): boolean {
  return backendUses(index).some((u) => u.route === route && u.service === service && u.namespace === namespace);
}

/** The ReferenceGrants of an output that let routes of `use.route`'s kind and namespace name the Service. */
export function grantsFor(index: ManifestIndex, use: BackendUse): Manifest[] {
  const routeGroup = use.route.apiVersion.split('/')[0];
  const routeNs = index.namespaceOf(use.route);
  return index.ofKind(GATEWAY_API, 'ReferenceGrant').filter((g) => index.namespaceOf(g) === use.namespace
    && (Array.isArray(g.spec?.from) ? g.spec.from : []).some((f: any) => f?.group === routeGroup && f?.kind === use.route.kind && f?.namespace === routeNs)
    && (Array.isArray(g.spec?.to) ? g.spec.to : []).some((t: any) => (t?.group ?? '') === '' && t?.kind === 'Service' && (t?.name === undefined || t.name === '' || t.name === use.service)));
}
