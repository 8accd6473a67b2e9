import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, listOf } from '../report';
import { isMeshBound } from '../virtual-service-routes';

/**
 * IST0109: two VirtualServices that apply to sidecars (no gateways, or `mesh`) route the same
 * host. Istio merges VirtualServices only at gateways; for sidecars one of them is silently
 * ignored (istio#22997). Reported as an error on each of them.
 */
export const conflictingMeshHostsAnalyzer: Analyzer = {
  name: 'virtualservice-conflicting-mesh-hosts',
  codes: ['IST0109'],
  analyze(index: ManifestIndex): Finding[] {
    const byHost = new Map<string, Manifest[]>();
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      if (!isMeshBound(vs)) continue;
      const ns = index.namespaceOf(vs);
      const hosts = new Set<string>((Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).map((h: unknown) => index.resolve(String(h), ns)));
      for (const h of hosts) byHost.set(h, [...(byHost.get(h) ?? []), vs]);
    }
    const out: Finding[] = [];
    for (const [host, list] of byHost) {
      if (list.length < 2) continue;
      for (const vs of list) {
        const others = list.filter((o) => o !== vs).map((o) => `VirtualService ${index.namespaceOf(o)}/${o.metadata.name}`);
        out.push(findingAbout(index, vs, 'IST0109', Severity.ERROR,
          `routes host ${host} for sidecars, and so does ${listOf(others)}; Istio applies only one of them to sidecars (istio#22997). `
          + 'Fix: merge the routes into one VirtualService per host (attach every intent to the same MeshService), or bind all but one to gateways'));
      }
    }
    return out;
  },
};
