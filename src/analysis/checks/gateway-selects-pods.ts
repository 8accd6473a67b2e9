import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { gatewayPods, gatewaySelector } from '../gateway-workloads';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';

/**
 * IST0101: an Istio Gateway whose `selector` matches no pods — no workload of the set in any
 * namespace, and not Istio's default ingress gateway — so no proxy serves it. Only checked when the
 * set holds workloads in the Gateway's namespace: gateway pods installed apart from the set (an
 * egress gateway in `istio-system`) cannot be told from a typo otherwise. A warning, since the
 * gateway's pods may still run in a namespace the set does not describe.
 */
export const gatewaySelectsPodsAnalyzer: IAnalyzer = {
  name: 'gateway-selects-pods',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const gw of index.gateways()) {
      if (index.workloadCount(gw.namespace) === 0 || gatewayPods(index, gw).names.length > 0) continue;
      out.push(findingAbout(index, gw.manifest, 'IST0101', Severity.WARNING,
        `selector ${labelsText(gatewaySelector(gw))} matches no pods: no workload of the set carries those labels, and it is not Istio's default ingress gateway {istio=ingressgateway}, so no gateway proxy serves it. `
        + 'Fix: correct the selector to the labels of the gateway deployment\'s pods'));
    }
    return out;
  },
};
