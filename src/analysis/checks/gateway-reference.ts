import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';
import { gatewaysOf, isInternalGatewayReference } from '../virtual-service-routes';

/**
 * IST0101: a VirtualService binds to a Gateway (`name`, `namespace/name`, `./name`) that is not in
 * the set and not declared known. `mesh` (the sidecars) always exists, and references to the Istio
 * Gateways Istio generates for Gateway API Gateways are IST0165's concern. A Gateway API Gateway
 * of that name does not count: VirtualServices bind only to Istio Gateways. When the set holds no
 * Istio Gateway at all, gateways are taken to be shared infrastructure installed elsewhere and
 * the finding is a warning.
 */
export const gatewayReferenceAnalyzer: IAnalyzer = {
  name: 'virtualservice-gateway-exists',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const anyGateway = index.gateways().length > 0 || index.knownGateways.length > 0;
    const gatewayApi = new Set(index.ofKind('gateway.networking.k8s.io', 'Gateway').map((g) => `${index.namespaceOf(g)}/${g.metadata.name}`));
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      for (const g of gatewaysOf(vs)) {
        if (g.ref === 'mesh' || isInternalGatewayReference(g.ref)) continue;
        const key = index.gatewayKey(g.ref, ns);
        if (index.gateway(g.ref, ns) || index.isKnownGateway(key)) continue;
        const fix = gatewayApi.has(key)
          ? `${key} is a Gateway API Gateway, to which VirtualServices do not bind. Fix: route through it with an HTTPRoute (parentRefs), or name an Istio Gateway`
          : 'Fix: correct the name (a Gateway in another namespace is "<namespace>/<name>"), add the Gateway, or declare it known (--known-gateway)';
        out.push(findingAbout(index, vs, 'IST0101', anyGateway || gatewayApi.has(key) ? Severity.ERROR : Severity.WARNING,
          `${g.where} names Gateway ${key}, which is not ${gatewayApi.has(key) ? 'an Istio Gateway' : 'in the set'}`
          + `${anyGateway || gatewayApi.has(key) ? '' : ' (a warning because the set holds no Gateway: it may be installed separately)'}. ${fix}`));
      }
    }
    return out;
  },
};
