import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { hostsOverlap } from '../hosts';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0132: a VirtualService is bound (`spec.gateways`) to a Gateway of the set none of whose
 * servers accept any of the VirtualService's hosts (taking `namespace/host` restrictions into
 * account), so the gateway never uses it. As in Istio, one finding per VirtualService and gateway:
 * a VirtualService whose hosts a gateway accepts only in part is fine for that gateway.
 */
export const gatewayHostAnalyzer: IAnalyzer = {
  name: 'virtualservice-host-in-gateway',
  codes: ['IST0132'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      const hosts: string[] = (Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []).filter((h: unknown) => typeof h === 'string');
      const refs: string[] = (Array.isArray(vs.spec?.gateways) ? vs.spec.gateways : []).filter((g: unknown) => typeof g === 'string' && g !== 'mesh');
      for (const ref of refs) {
        const gw = index.gateway(ref, ns);
        if (!gw) continue;
        const accepted = gw.hosts.filter((h) => h.namespace === '*' || h.namespace === ns);
        const bound = hosts.some((host) => accepted.some((a) => hostsOverlap(a.host, host) || hostsOverlap(a.host, index.resolve(host, ns))));
        if (bound) continue;
        out.push(findingAbout(index, vs, 'IST0132', Severity.WARNING,
          `none of its hosts (${hosts.join(', ') || 'none'}) is listed by Gateway ${gw.namespace}/${gw.name} (its hosts for namespace ${ns}: ${accepted.length ? accepted.map((a) => a.host).join(', ') : 'none'}), `
          + `so the gateway ignores this VirtualService. Fix: add the host (or "${ns}/<host>") to a server of the Gateway, or bind the VirtualService to the gateway that serves it`));
      }
    }
    return out;
  },
};
