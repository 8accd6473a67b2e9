import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { hostsOverlap } from '../hosts';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0132: a VirtualService bound to a Gateway of the set lists a host that none of the gateway's
 * servers accept (taking `namespace/host` restrictions into account), so the gateway never uses
 * the route for it.
 */
export const gatewayHostAnalyzer: Analyzer = {
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
        for (const host of hosts) {
          const resolved = index.resolve(host, ns);
          if (accepted.some((a) => hostsOverlap(a.host, host) || hostsOverlap(a.host, resolved))) continue;
          out.push(findingAbout(index, vs, 'IST0132', Severity.WARNING,
            `host ${host} is not listed by Gateway ${gw.namespace}/${gw.name} (its hosts for namespace ${ns}: ${accepted.length ? accepted.map((a) => a.host).join(', ') : 'none'}), `
            + `so the gateway ignores this VirtualService for it. Fix: add ${host} (or "${ns}/${host}") to a server of the Gateway, or remove the host`));
        }
      }
    }
    return out;
  },
};
