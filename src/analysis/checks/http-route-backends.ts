import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

function isServiceRef(ref: any): boolean {
  return (ref?.group ?? '') === '' && (ref?.kind ?? 'Service') === 'Service' && typeof ref?.name === 'string';
}

/**
 * MESH0002: a Gateway API HTTPRoute (GAMMA) names a Service, as a backendRef or a Service parent,
 * that is not in the set and not declared known. Checked only when the set holds Services or known
 * hosts were declared, and reported as a warning: routes to a missing backend get 500s, but the
 * Service may be deployed separately.
 */
export const httpRouteBackendsAnalyzer: IAnalyzer = {
  name: 'httproute-service-exists',
  codes: ['MESH0002'],
  analyze(index: ManifestIndex): Finding[] {
    if (!index.knowsHosts) return [];
    const out: Finding[] = [];
    for (const route of index.ofKind('gateway.networking.k8s.io', 'HTTPRoute')) {
      const ns = index.namespaceOf(route);
      const refs: Array<{ where: string; ref: any }> = [];
      (Array.isArray(route.spec?.parentRefs) ? route.spec.parentRefs : []).forEach((p: any, i: number) => {
        if (p?.kind === 'Service' && (p?.group ?? '') === '') refs.push({ where: `parentRefs[${i}]`, ref: p });
      });
      (Array.isArray(route.spec?.rules) ? route.spec.rules : []).forEach((rule: any, i: number) => {
        (Array.isArray(rule?.backendRefs) ? rule.backendRefs : []).forEach((b: any, j: number) => {
          if (isServiceRef(b)) refs.push({ where: `rules[${i}].backendRefs[${j}]`, ref: b });
        });
      });
      for (const { where, ref } of refs) {
        const refNs = typeof ref.namespace === 'string' ? ref.namespace : ns;
        const host = index.resolve(ref.name, refNs);
        const service = index.service(ref.name, refNs);
        if (service) {
          if (typeof ref.port === 'number' && service.ports.length > 0 && !service.ports.some((p) => p.port === ref.port)) {
            out.push(findingAbout(index, route, 'MESH0002', Severity.WARNING,
              `${where} names port ${ref.port} of Service ${refNs}/${ref.name}, which exposes ${service.ports.map((p) => p.port).join(', ')}. Fix: use one of the Service's ports`));
          }
          continue;
        }
        if (index.hostExists(host)) continue;
        out.push(findingAbout(index, route, 'MESH0002', Severity.WARNING,
          `${where} names Service ${refNs}/${ref.name}, which is not in the set. Fix: correct the name, add the Service, or declare it known (--known-host ${host})`));
      }
    }
    return out;
  },
};
