import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';
import { labelsMatch } from '../selectors';

interface ServerKey {
  readonly gateway: Manifest;
  readonly selector: string;
  readonly labels: Record<string, string>;
  readonly port: number;
  readonly bind: string;
  readonly hosts: string[];
}

/**
 * IST0145: two Istio Gateways select the same gateway pods and both have a server on the same
 * port and `bind` for the same host (as written, `namespace/` prefix included, as Istio compares
 * them); the gateway cannot tell which one applies. Gateways select the same pods when their
 * `selector`s are equal, or (as in Istio) when one selector is part of the other and a workload of
 * the set carries the labels of both.
 */
export const conflictingGatewaysAnalyzer: IAnalyzer = {
  name: 'gateway-conflicts',
  codes: ['IST0145'],
  analyze(index: ManifestIndex): Finding[] {
    const servers: ServerKey[] = [];
    const samePods = (a: ServerKey, b: ServerKey): boolean => a.selector === b.selector
      || ((labelsMatch(a.labels, b.labels) || labelsMatch(b.labels, a.labels)) && index.workloadsMatching(undefined, { ...a.labels, ...b.labels }).length > 0);
    for (const g of index.ofKind('networking.istio.io', 'Gateway')) {
      const labels: Record<string, string> = g.spec?.selector && typeof g.spec.selector === 'object' ? g.spec.selector : {};
      const selector = labelsText(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as Record<string, string>);
      for (const s of Array.isArray(g.spec?.servers) ? g.spec.servers : []) {
        const port = Number(s?.port?.number);
        if (!Number.isFinite(port)) continue;
        servers.push({ gateway: g, selector, labels, port, bind: typeof s?.bind === 'string' ? s.bind : '', hosts: (Array.isArray(s?.hosts) ? s.hosts : []).map((h: unknown) => String(h).toLowerCase()) });
      }
    }
    const out: Finding[] = [];
    const reported = new Set<string>();
    for (const a of servers) {
      for (const b of servers) {
        if (a.gateway === b.gateway || a.port !== b.port || a.bind !== b.bind || !samePods(a, b)) continue;
        const common = a.hosts.filter((h) => b.hosts.includes(h));
        if (common.length === 0) continue;
        const key = `${index.idOf(a.gateway)}|${index.idOf(b.gateway)}|${a.port}`;
        if (reported.has(key)) continue;
        reported.add(key);
        out.push(findingAbout(index, a.gateway, 'IST0145', Severity.ERROR,
          `conflicts with Gateway ${index.namespaceOf(b.gateway)}/${b.gateway.metadata.name}: both select the gateway pods ${a.selector === b.selector ? a.selector : `${a.selector} (and ${b.selector})`} and serve port ${a.port} for ${common.join(', ')}. `
          + 'Fix: merge the servers into one Gateway, or use different ports, hosts or gateway deployments'));
      }
    }
    return out;
  },
};
