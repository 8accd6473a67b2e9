import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { gatewayPods } from '../gateway-workloads';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0162: an Istio Gateway server listens on a port that no Service of the gateway's pods exposes
 * (as a target port or a port), so clients cannot reach it through the gateway's Service. Checked
 * when the gateway's pods are known (workloads of the set, or Istio's default ingress gateway with
 * its ports 80, 443, 31400 and 15443) and a Service of the set selects them. A warning, as in Istio.
 */
export const gatewayPortsAnalyzer: IAnalyzer = {
  name: 'gateway-port-on-service',
  codes: ['IST0162'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const gw of index.gateways()) {
      const pods = gatewayPods(index, gw);
      if (pods.names.length === 0 || !pods.hasService) continue;
      (Array.isArray(gw.manifest.spec?.servers) ? gw.manifest.spec.servers : []).forEach((server: any, i: number) => {
        const port = Number(server?.port?.number);
        if (!Number.isFinite(port) || pods.servicePorts.has(port)) return;
        out.push(findingAbout(index, gw.manifest, 'IST0162', Severity.WARNING,
          `servers[${i}] listens on port ${port}, which no Service of the gateway's pods (${pods.names.join(', ')}) exposes (ports: ${[...pods.servicePorts].sort((a, b) => a - b).join(', ') || 'none'}), `
          + 'so it cannot be reached through the gateway\'s Service. Fix: use a port the Service exposes (its targetPort), or add the port to the Service'));
      });
    }
    return out;
  },
};
