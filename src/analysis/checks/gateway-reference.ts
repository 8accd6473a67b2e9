import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';
import { gatewaysOf } from '../virtual-service-routes';

/**
 * IST0101: a VirtualService binds to a Gateway (`name`, `namespace/name`) that is not in the set
 * and not declared known. `mesh` (the sidecars) always exists. When the set holds no Istio Gateway
 * at all, gateways are taken to be shared infrastructure installed elsewhere and the finding is a warning.
 */
export const gatewayReferenceAnalyzer: Analyzer = {
  name: 'virtualservice-gateway-exists',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const anyGateway = index.gateways().length > 0 || index.knownGateways.length > 0;
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      for (const g of gatewaysOf(vs)) {
        if (g.ref === 'mesh') continue;
        const key = index.gatewayKey(g.ref, ns);
        if (index.gateway(g.ref, ns) || index.isKnownGateway(key)) continue;
        out.push(findingAbout(index, vs, 'IST0101', anyGateway ? Severity.ERROR : Severity.WARNING,
          `${g.where} names Gateway ${key}, which is not in the set${anyGateway ? '' : ' (a warning because the set holds no Gateway: it may be installed separately)'}. `
          + 'Fix: correct the name (a Gateway in another namespace is "<namespace>/<name>"), add the Gateway, or declare it known (--known-gateway)'));
      }
    }
    return out;
  },
};
