import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';

/** Kinds whose workload selector is `spec.selector.matchLabels` or `spec.workloadSelector.labels`. */
const SELECTING_KINDS: ReadonlyArray<{ group: string; kind: string; path: 'selector' | 'workloadSelector' }> = [
  { group: 'security.istio.io', kind: 'AuthorizationPolicy', path: 'selector' },
  { group: 'security.istio.io', kind: 'PeerAuthentication', path: 'selector' },
  { group: 'security.istio.io', kind: 'RequestAuthentication', path: 'selector' },
  { group: 'telemetry.istio.io', kind: 'Telemetry', path: 'selector' },
  { group: 'networking.istio.io', kind: 'Sidecar', path: 'workloadSelector' },
  { group: 'networking.istio.io', kind: 'EnvoyFilter', path: 'workloadSelector' },
];

/** Istio's namespace: its workloads (ingress and egress gateways) are installed with Istio, not by charts. */
const ISTIO_NAMESPACE = 'istio-system';

/**
 * IST0127: an Istio policy whose workload selector matches no workload. Only checked when the set
 * holds workloads in the policy's namespace, since the pods may otherwise be deployed separately;
 * never in `istio-system`, whose gateways are installed with Istio.
 */
export const policyWorkloadsAnalyzer: Analyzer = {
  name: 'policy-selects-workloads',
  codes: ['IST0127'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const { group, kind, path } of SELECTING_KINDS) {
      for (const m of index.ofKind(group, kind)) {
        const labels: Record<string, string> | undefined = path === 'selector' ? m.spec?.selector?.matchLabels : m.spec?.workloadSelector?.labels;
        if (!labels || typeof labels !== 'object' || Object.keys(labels).length === 0) continue;
        const ns = index.namespaceOf(m);
        if (ns === ISTIO_NAMESPACE) continue;
        const count = index.workloadCount(ns);
        if (count === 0 || index.workloadsMatching(ns, labels).length > 0) continue;
        out.push(findingAbout(index, m, 'IST0127', Severity.WARNING,
          `selects workloads ${labelsText(labels)}, but none of the ${count} workload(s) in namespace ${ns} has those pod labels, so it applies to nothing. `
          + 'Fix: correct the selector labels or the workload\'s pod labels'));
      }
    }
    return out;
  },
};
