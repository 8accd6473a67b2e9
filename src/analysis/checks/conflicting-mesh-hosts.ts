import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { ALL_NAMESPACES, exportScopes } from '../host-visibility';
import { hostsOverlap } from '../hosts';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, listOf } from '../report';
import { isMeshBound } from '../virtual-service-routes';

interface ScopedHost {
  readonly scope: string;
  readonly host: string;
  readonly list: Manifest[];
}

/**
 * IST0109: two VirtualServices that apply to sidecars (no gateways, or `mesh`) route the same
 * host for the same namespace. Istio merges VirtualServices only at gateways; for sidecars one of
 * them is silently ignored (istio#22997). Reported as an error on each of them, once.
 *
 * As in Istio, hosts are scoped by the VirtualService's `exportTo`: two VirtualServices exported
 * only to their own (different) namespaces never meet. A host exported to a namespace also
 * conflicts with an overlapping host (wildcards count) exported to every namespace.
 */
export const conflictingMeshHostsAnalyzer: IAnalyzer = {
  name: 'virtualservice-conflicting-mesh-hosts',
  codes: ['IST0109'],
  analyze(index: ManifestIndex): Finding[] {
    const byKey = new Map<string, ScopedHost>();
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      if (!isMeshBound(vs)) continue;
      const ns = index.namespaceOf(vs);
      const hosts = new Set<string>((Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).map((h: unknown) => index.resolve(String(h), ns)));
      for (const scope of exportScopes(vs.spec?.exportTo, ns)) {
        for (const host of hosts) {
          const key = `${scope}/${host}`;
          const entry = byKey.get(key) ?? { scope, host, list: [] };
          entry.list.push(vs);
          byKey.set(key, entry);
        }
      }
    }
    const exportedToAll = [...byKey.values()].filter((e) => e.scope === ALL_NAMESPACES);
    const conflicts = new Map<Manifest, { others: Set<Manifest>; hosts: Set<string> }>();
    for (const { scope, host, list } of byKey.values()) {
      const meeting = new Set(list);
      if (scope !== ALL_NAMESPACES) {
        for (const e of exportedToAll) if (hostsOverlap(e.host, host)) e.list.forEach((vs) => meeting.add(vs));
      }
      if (meeting.size < 2) continue;
      for (const vs of meeting) {
        const c = conflicts.get(vs) ?? { others: new Set(), hosts: new Set() };
        meeting.forEach((o) => o !== vs && c.others.add(o));
        c.hosts.add(scope === ALL_NAMESPACES ? host : `${host} (in namespace ${scope})`);
        conflicts.set(vs, c);
      }
    }
    const out: Finding[] = [];
    for (const [vs, { others, hosts }] of conflicts) {
      const names = [...others].map((o) => `VirtualService ${index.namespaceOf(o)}/${o.metadata.name}`).sort();
      out.push(findingAbout(index, vs, 'IST0109', Severity.ERROR,
        `routes host${hosts.size > 1 ? 's' : ''} ${[...hosts].sort().join(', ')} for sidecars, and so does ${listOf(names)}; Istio applies only one of them to sidecars (istio#22997). `
        + 'Fix: merge the routes into one VirtualService per host (attach every intent to the same MeshService), bind all but one to gateways, or narrow their exportTo'));
    }
    return out;
  },
};
