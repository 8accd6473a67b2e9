import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0101: a VirtualService route or mirror names a host that is not a Service of the set, not a
 * ServiceEntry host, not a declared known host and not the Service of one of Istio's gateways; or a
 * port that the Service (or ServiceEntry) does not expose. An external host needs a ServiceEntry
 * even when the VirtualService routes it to itself, as Istio reports too.
 *
 * Visibility counts as in Istio: a ServiceEntry's `exportTo`, a Service's
 * `networking.istio.io/exportTo` annotation and the VirtualService's own `exportTo` decide whether
 * the host is seen from where the VirtualService applies (see `ManifestIndex.visibleDestination`).
 *
 * When the set holds no Service at all and no known hosts were declared, the set only describes
 * routing for Services deployed elsewhere, so an unknown host is reported as a warning.
 */
export const destinationHostAnalyzer: IAnalyzer = {
  name: 'virtualservice-destination-host',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      const exportTo: unknown[] | undefined = Array.isArray(vs.spec?.exportTo) ? vs.spec.exportTo : undefined;
      const unknown = new Map<string, { written: string; where: string[] }>();
      for (const d of index.destinationsOf(vs)) {
        const host = index.resolve(d.host, ns);
        const found = index.visibleDestination(host, ns, exportTo);
        if (found) {
          const checkPort = found.service ? found.ports.length > 0 : true;
          if (d.port !== undefined && checkPort && !found.ports.includes(d.port)) {
            const owner = found.service ? `Service ${found.service.namespace}/${found.service.name}` : `ServiceEntry ${index.namespaceOf(found.entry!.manifest)}/${found.entry!.manifest.metadata.name}`;
            out.push(findingAbout(index, vs, 'IST0101', Severity.ERROR,
              `${d.where} routes to port ${d.port} of ${host}, which ${owner} does not expose (ports: ${found.ports.join(', ') || 'none'}). `
              + `Fix: use one of the ${found.service ? 'Service' : 'ServiceEntry'}'s ports`));
          }
          continue;
        }
        if (index.isKnownHost(host) || index.isIstioGatewayHost(host) || (d.where.startsWith('tls[') && index.isIstiodHost(host))) continue;
        const entry = unknown.get(host) ?? { written: d.host, where: [] };
        entry.where.push(d.where);
        unknown.set(host, entry);
      }
      for (const [host, { written, where }] of unknown) {
        const severity = index.knowsHosts ? Severity.ERROR : Severity.WARNING;
        const hidden = hiddenReason(index, host, ns, exportTo);
        out.push(findingAbout(index, vs, 'IST0101', severity,
          `${where.join(', ')} ${where.length > 1 ? 'route' : 'routes'} to host ${written} (${host}), which ${hidden ?? 'is not a Service or ServiceEntry host in the set'}`
          + `${index.knowsHosts ? '' : ' (a warning because the set holds no Services: they may be deployed separately)'}. `
          + (hidden ? 'Fix: add this namespace to its exportTo, or correct the host' : 'Fix: correct the host, add the Service or a ServiceEntry, or declare it as a known host (--known-host)')));
      }
    }
    return out;
  },
};

/** Why a host that exists in the set is not visible: the namespaces it is exported to. */
function hiddenReason(index: ManifestIndex, host: string, ns: string, exportTo: unknown[] | undefined): string | undefined {
  const service = index.serviceByHost(host);
  const entry = index.serviceEntriesFor(host).find((e) => e.host === host);
  const scopes = service?.exportTo ?? entry?.exportTo;
  if (!scopes) return undefined;
  const where = exportTo?.length ? `the namespaces the VirtualService is exported to (${exportTo.join(', ')})` : `namespace ${ns}`;
  return `${service ? `Service ${service.namespace}/${service.name}` : `ServiceEntry ${index.namespaceOf(entry!.manifest)}/${entry!.manifest.metadata.name}`} does not export to ${where} (its exportTo: ${scopes.join(', ')})`;
}
