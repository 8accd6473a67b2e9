import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0112: a VirtualService route or mirror goes to a Service (or ServiceEntry) with more than one
 * port without saying which; the port Envoy picks is undefined. The Service or ServiceEntry is the
 * one visible from the VirtualService (see `ManifestIndex.visibleDestination`).
 */
export const destinationPortAnalyzer: IAnalyzer = {
  name: 'virtualservice-destination-port',
  codes: ['IST0112'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      const exportTo: unknown[] | undefined = Array.isArray(vs.spec?.exportTo) ? vs.spec.exportTo : undefined;
      for (const d of index.destinationsOf(vs)) {
        if (d.port !== undefined) continue;
        const host = index.resolve(d.host, ns);
        const ports = index.visibleDestination(host, ns, exportTo)?.ports ?? [];
        if (ports.length < 2) continue;
        out.push(findingAbout(index, vs, 'IST0112', Severity.ERROR,
          `${d.where} routes to ${host}, which exposes several ports (${ports.join(', ')}), without a port. `
          + `Fix: set destination.port.number to one of ${ports.join(', ')}`));
      }
    }
    return out;
  },
};
