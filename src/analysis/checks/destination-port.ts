import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0112: a VirtualService route or mirror goes to a Service (or ServiceEntry) with more than one
 * port without saying which; the port Envoy picks is undefined.
 */
export const destinationPortAnalyzer: Analyzer = {
  name: 'virtualservice-destination-port',
  codes: ['IST0112'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      for (const d of index.destinationsOf(vs)) {
        if (d.port !== undefined) continue;
        const host = index.resolve(d.host, ns);
        const service = index.serviceByHost(host);
        const ports = service
          ? service.ports.map((p) => p.port)
          : index.serviceEntriesFor(host).find((e) => e.host === host)?.ports ?? [];
        if (ports.length < 2) continue;
        out.push(findingAbout(index, vs, 'IST0112', Severity.ERROR,
          `${d.where} routes to ${host}, which exposes several ports (${ports.join(', ')}), without a port. `
          + `Fix: set destination.port.number to one of ${ports.join(', ')}`));
      }
    }
    return out;
  },
};
