import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';
import { labelsMatch } from '../selectors';

const NS_LABEL = 'k8s:io.kubernetes.pod.namespace';
const SA_LABEL = 'k8s:io.cilium.k8s.policy.serviceaccount';

/** A caller of an L7 rule: its namespace and, when the rule names one, its ServiceAccount. */
interface L7Peer {
  readonly namespace: string;
  readonly serviceAccount?: string;
  readonly labels: Record<string, string>;
}

/**
 * MESH0206: a Kubernetes NetworkPolicy allows, at L4, a caller and port that a
 * CiliumNetworkPolicy restricts with L7 HTTP rules on the same pods. Cilium merges every policy
 * that selects a pod, and an L4 allow for the same peer and port makes the L7 rules have no effect
 * (Cilium docs, "Layer 7 Policies"): the caller can send any request. Overlap is decided only when
 * it is certain: the NetworkPolicy admits every pod of the caller's namespace, or pods of the set
 * that run as the ServiceAccount the L7 rule names.
 */
export const ciliumL7VoidedAnalyzer: IAnalyzer = {
  name: 'cilium-layer-seven-voided',
  codes: ['MESH0206'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const netpols = index.ofKind('networking.k8s.io', 'NetworkPolicy');
    for (const cnp of index.ofKind('cilium.io', 'CiliumNetworkPolicy')) {
      const ns = index.namespaceOf(cnp);
      const target = stripSources(cnp.spec?.endpointSelector?.matchLabels ?? {});
      for (const rule of cnp.spec?.ingress ?? []) {
        const l7Ports = (rule.toPorts ?? []).filter((tp: any) => tp.rules?.http?.length)
          .flatMap((tp: any) => (tp.ports ?? []).map((p: any) => Number(p.port)));
        if (l7Ports.length === 0) continue;
        const peers: L7Peer[] = (rule.fromEndpoints ?? []).map((e: any) => {
          const labels = e.matchLabels ?? {};
          return { namespace: labels[NS_LABEL] ?? ns, serviceAccount: labels[SA_LABEL], labels };
        });
        for (const np of netpols) {
          if (index.namespaceOf(np) !== ns || !labelsMatch(np.spec?.podSelector?.matchLabels ?? {}, target)) continue;
          for (const ingress of np.spec?.ingress ?? []) {
            const ports = (ingress.ports ?? []).map((p: any) => Number(p.port));
            const shared = l7Ports.filter((p: number) => ingress.ports === undefined || ports.includes(p));
            const voided = peers.filter((peer) => covers(index, ns, ingress.from, peer));
            if (shared.length === 0 || voided.length === 0) continue;
            out.push(findingAbout(index, cnp, 'MESH0206', Severity.ERROR,
              `restricts ${voided.map(describe).join(', ')} to L7 HTTP rules on port ${shared.join(', ')} of ${labelsText(target)}, but NetworkPolicy ${index.idOf(np).replace(/^NetworkPolicy /, '')} allows the same peer and port at L4, which makes Cilium ignore the L7 rules (any request passes). `
              + 'Fix: drop that NetworkPolicy rule for this peer and port (the CiliumNetworkPolicy already allows it), or narrow its peers'));
          }
        }
      }
    }
    return out;
  },
};

function stripSources(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k.replace(/^(k8s|any):/, ''), v]));
}

function describe(p: L7Peer): string {
  return p.serviceAccount ? `ServiceAccount ${p.namespace}/${p.serviceAccount}` : `namespace ${p.namespace}`;
}

/** True when a NetworkPolicy ingress `from` certainly admits the L7 rule's peer. */
function covers(index: ManifestIndex, policyNs: string, from: any[] | undefined, peer: L7Peer): boolean {
  if (from === undefined || from.length === 0) return true; // every source
  return from.some((f: any) => {
    if (f.ipBlock) return false;
    const nsSel = f.namespaceSelector;
    const nsOk = nsSel === undefined ? peer.namespace === policyNs
      : Object.keys(nsSel.matchLabels ?? {}).length === 0 && !nsSel.matchExpressions ? true
        : nsSel.matchLabels?.['kubernetes.io/metadata.name'] === peer.namespace;
    if (!nsOk) return false;
    const pods: Record<string, string> | undefined = f.podSelector?.matchLabels;
    if (!pods || Object.keys(pods).length === 0) return !f.podSelector?.matchExpressions;
    if (!peer.serviceAccount) return false;
    return index.workloadsMatching(peer.namespace, pods).some((w) => w.serviceAccountName === peer.serviceAccount);
  });
}
