import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { isClusterHost } from '../hosts';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0101: a VirtualService route or mirror names a host that is not a Service of the set, not a
 * ServiceEntry host and not a declared known host; or a port that the Service does not expose.
 *
 * When the set holds no Service at all and no known hosts were declared, the set only describes
 * routing for Services deployed elsewhere, so an unknown host is reported as a warning.
 */
export const destinationHostAnalyzer: Analyzer = {
  name: 'virtualservice-destination-host',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      const ownExternal = new Set((Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : [])
        .map((h: string) => index.resolve(String(h), ns)).filter((h: string) => !isClusterHost(h, index.clusterDomain)));
      const unknown = new Map<string, { written: string; where: string[] }>();
      for (const d of index.destinationsOf(vs)) {
        const host = index.resolve(d.host, ns);
        const service = index.serviceByHost(host);
        if (service) {
          if (d.port !== undefined && service.ports.length > 0 && !service.ports.some((p) => p.port === d.port)) {
            out.push(findingAbout(index, vs, 'IST0101', Severity.ERROR,
              `${d.where} routes to port ${d.port} of ${host}, which Service ${service.namespace}/${service.name} does not expose (ports: ${service.ports.map((p) => p.port).join(', ')}). `
              + 'Fix: use one of the Service\'s ports'));
          }
          continue;
        }
        if (ownExternal.has(host) || index.hostExists(host)) continue;
        const entry = unknown.get(host) ?? { written: d.host, where: [] };
        entry.where.push(d.where);
        unknown.set(host, entry);
      }
      for (const [host, { written, where }] of unknown) {
        const severity = index.knowsHosts ? Severity.ERROR : Severity.WARNING;
        out.push(findingAbout(index, vs, 'IST0101', severity,
          `${where.join(', ')} ${where.length > 1 ? 'route' : 'routes'} to host ${written} (${host}), which is not a Service or ServiceEntry host in the set`
          + `${index.knowsHosts ? '' : ' (a warning because the set holds no Services: they may be deployed separately)'}. `
          + 'Fix: correct the host, add the Service or a ServiceEntry, or declare it as a known host (--known-host)'));
      }
    }
    return out;
  },
};
